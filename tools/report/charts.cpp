// The report's tables and charts other than the map: headline comparison, latency
// percentile bars (by country and by class), site utilisation over the run with the
// what-if events on its time axis, the events' effects and the largest flows.
#include <algorithm>
#include <limits>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "tools/report/html.hpp"
#include "tools/report/report.hpp"
#include "tools/run_groups.hpp"

namespace dcsim::tools::report {

namespace {

/// A row of the headline table: a figure of kHeadlineFigures (its label, description and
/// unit come from there) and which way is better.
struct CompareRow {
  models::FigureName figure;
  int better = 0;  ///< -1 lower is better, +1 higher, 0 neither (no highlight)
};

std::string format_figure(models::FigureUnit unit, double v) {
  switch (unit) {
    case models::FigureUnit::Requests: return human_count(v);
    case models::FigureUnit::Bytes: return human_bytes(v);
    case models::FigureUnit::Fraction: return percent(v);
    case models::FigureUnit::Ms: {  // always one decimal: 49.0 ms beside 45.2 ms, never "49 ms"
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.1f ms", v);
      return buf;
    }
    case models::FigureUnit::Hours: return v < 0 ? std::string("never") : num(v, 1) + " h";
    case models::FigureUnit::Gbps: return num(v, 1) + " Gbps";
  }
  return num(v, 3);
}

}  // namespace

std::string compare_table(const std::vector<RunResults>& runs) {
  const CompareRow rows[] = {
      {"generated_requests", 0}, {"dropped_share", -1}, {"site_bytes", 0},   {"edge_bytes", 0},
      {"cross_border_share", -1}, {"eea_exit_share", -1}, {"eea_exit_bytes", -1}, {"ttfb_p50_ms", -1},
      {"ttfb_p95_ms", -1},       {"ttfb_p99_ms", -1},   {"latency_p95_ms", -1}, {"mean_site_utilisation", 0},
      {"peak_site_utilisation", -1}, {"peak_link_utilisation", -1},
  };
  std::ostringstream o;
  o << "<table class=\"compare\">\n<thead><tr><th scope=\"col\">Build-out</th>";
  for (std::size_t i = 0; i < runs.size(); ++i)
    o << "<th scope=\"col\"><span class=\"swatch\" style=\"background:" << palette(i) << "\"></span>" << escape(runs[i].label) << "</th>";
  o << "</tr></thead>\n<tbody>\n";
  // Provenance and build-out rows.
  o << "<tr class=\"meta\"><th scope=\"row\">Scenario · seed · scale</th>";
  for (const auto& r : runs)
    o << "<td>" << escape(r.manifest.scenario) << " · "
      << (r.seeds > 1 ? std::to_string(r.seeds) + " seeds (maps and charts: seed " + std::to_string(r.manifest.seed) + ")"
                      : std::to_string(r.manifest.seed))
      << " · " << r.manifest.scale << "</td>";
  o << "</tr>\n<tr class=\"meta\"><th scope=\"row\">Sites built</th>";
  for (const auto& r : runs) {
    std::vector<std::string> built;
    for (const auto& s : r.sites)
      if (std::find(built.begin(), built.end(), s.site) == built.end()) built.push_back(s.site);
    std::string names;
    for (const auto& s : built) names += (names.empty() ? "" : ", ") + s;
    o << "<td><b>" << built.size() << "</b> <span class=\"small\">" << escape(names) << "</span></td>";
  }
  o << "</tr>\n";
  for (const auto& row : rows) {
    double q = 0;
    const models::HeadlineFigure& f = *models::find_figure(row.figure.text(), &q);
    std::vector<double> v, hw;
    // A percentile the run's scenario did not ask for shows as "–". A sweep column shows the
    // mean over its seeds with the 95 % half width.
    for (const auto& r : runs) {
      const auto ci = r.figure_ci.find(std::string(row.figure.text()));
      v.push_back(ci != r.figure_ci.end() ? ci->second.first : r.headline.find(row.figure).value_or(std::nan("")));
      hw.push_back(ci != r.figure_ci.end() && std::isfinite(ci->second.second) ? ci->second.second : 0.0);
    }
    double best = std::nan("");
    if (row.better != 0 && runs.size() > 1)
      for (const double x : v)
        if (std::isfinite(x) && (!std::isfinite(best) || (row.better < 0 ? x < best : x > best))) best = x;
    // Best only where its interval is clear of every other column's: seed noise is not a win.
    if (std::isfinite(best))
      for (std::size_t i = 0; i < v.size(); ++i)
        for (std::size_t j = 0; j < v.size(); ++j)
          if (i != j && v[i] == best && v[j] != best && std::isfinite(v[j]) && std::fabs(v[j] - v[i]) <= hw[i] + hw[j]) best = std::nan("");
    const std::string p = f.is_family() ? "p" + num(q, 3) : std::string();
    const std::string label = f.is_family() ? std::string(f.label) + " " + p : std::string(f.label);
    const std::string hint = f.is_family() ? p + ": " + std::string(f.description) : std::string(f.description);
    o << "<tr><th scope=\"row\" title=\"" << escape(hint) << "\">" << escape(label) << "</th>";
    for (std::size_t i = 0; i < v.size(); ++i) {
      const double x = v[i];
      const bool is_best = std::isfinite(best) && x == best &&
                           std::count_if(v.begin(), v.end(), [&](double y) { return y == best; }) < static_cast<long>(v.size());
      o << "<td" << (is_best ? " class=\"best\"" : "") << ">";
      if (std::isfinite(x) && runs[i].seeds > 1 && (f.unit == models::FigureUnit::Ms || f.unit == models::FigureUnit::Fraction)) {
        // Digits follow the interval: two significant digits of the half width.
        const std::string e = format_estimate(Estimate{x, hw[i], runs[i].seeds}, 1, f.unit == models::FigureUnit::Fraction ? 100.0 : 1.0);
        const std::size_t pm = e.find(" ± ");
        const std::string unit = f.unit == models::FigureUnit::Ms ? " ms" : "%";
        o << (pm == std::string::npos ? e + unit : e.substr(0, pm) + unit + " <span class=\"ci\">± " + e.substr(pm + 4) + unit + "</span>");
      } else {
        o << (std::isfinite(x) ? format_figure(f.unit, x) : std::string("–"));
        if (std::isfinite(x) && runs[i].seeds > 1) o << " <span class=\"ci\">± " << format_figure(f.unit, hw[i]) << "</span>";
      }
      o << "</td>";
    }
    o << "</tr>\n";
  }
  // EEA exit by reason, only the reasons some run has.
  for (std::size_t reason = 0; reason < models::kExitReasons; ++reason) {
    bool any = false;
    for (const auto& r : runs) any = any || r.headline.eea_exit_bytes_by[reason] > 0;
    if (!any) continue;
    const std::string name = std::string("eea_exit_") + models::name(static_cast<models::ExitReason>(reason)) + "_bytes";
    const models::HeadlineFigure& f = *models::find_figure(name);
    o << "<tr class=\"sub\"><th scope=\"row\" title=\"" << escape(std::string(f.description)) << "\">&nbsp;&nbsp;" << escape(std::string(f.label))
      << "</th>";
    for (const auto& r : runs) o << "<td>" << human_bytes(r.headline.eea_exit_bytes_by[reason]) << "</td>";
    o << "</tr>\n";
  }
  o << "<tr class=\"meta\"><th scope=\"row\">What-if events</th>";
  for (const auto& r : runs) {
    std::string ids;
    for (const auto& e : r.events) ids += (ids.empty() ? "" : ", ") + e.id;
    o << "<td>" << (ids.empty() ? std::string("none") : escape(ids)) << "</td>";
  }
  o << "</tr>\n</tbody></table>\n";
  return o.str();
}

namespace {

/// Percentile bars: one group per key, one glyph per run (bar to p95, tick at p50, whisker to p99).
struct Glyph {
  std::size_t run;
  const LatencyRow* row;
};

std::string percentile_chart(const std::vector<RunResults>& runs, const std::vector<std::string>& keys,
                             const std::vector<std::string>& key_labels, const std::function<const LatencyRow*(const RunResults&, const std::string&)>& find,
                             const std::string& css_class, const std::string& aria, const std::string& axis_title, bool log_scale) {
  const double W = 1100, H = 330, left = 62, right = 12, top = 14, bottom = 44;
  double ymax = 0, ymin = std::numeric_limits<double>::infinity();
  for (const auto& k : keys)
    for (const auto& r : runs)
      if (const LatencyRow* l = find(r, k); l && l->requests > 0) {
        ymax = std::max(ymax, l->p99_ms);
        if (l->p50_ms > 0) ymin = std::min(ymin, l->p50_ms);
      }
  // A log axis spans whole decades from below the smallest median to above the largest p99,
  // so a 30 ms class and a 15 s one are both readable.
  std::vector<double> ticks;
  double ybottom = 0;
  if (log_scale && std::isfinite(ymin) && ymax > 0) {
    ybottom = std::pow(10.0, std::floor(std::log10(ymin)));
    for (double t = ybottom; t < ymax * 10; t *= 10) ticks.push_back(t);
    if (ticks.size() < 2) ticks.push_back(ybottom * 10);
  } else {
    log_scale = false;
    ticks = nice_ticks(ymax, 6);
  }
  const double ytop = ticks.back();
  const double plot_w = W - left - right, plot_h = H - top - bottom;
  const double group_w = plot_w / static_cast<double>(std::max<std::size_t>(keys.size(), 1));
  const double bar_w = std::clamp((group_w - 6) / static_cast<double>(runs.size()), 2.0, 14.0);
  auto y_of = [&](double ms) {
    if (!log_scale) return top + plot_h * (1 - ms / ytop);
    const double v = std::max(ms, ybottom);
    return top + plot_h * (1 - std::log10(v / ybottom) / std::log10(ytop / ybottom));
  };
  std::ostringstream o;
  o << "<svg class=\"chart " << css_class << "\" viewBox=\"0 0 " << px(W) << " " << px(H) << "\" role=\"img\" aria-label=\"" << escape(aria)
    << "\" xmlns=\"http://www.w3.org/2000/svg\">\n<g class=\"axis\">";
  for (const double t : ticks) {
    o << "<line x1=\"" << px(left) << "\" x2=\"" << px(W - right) << "\" y1=\"" << px(y_of(t)) << "\" y2=\"" << px(y_of(t))
      << "\" class=\"grid\"/><text x=\"" << px(left - 6) << "\" y=\"" << px(y_of(t) + 4) << "\" text-anchor=\"end\">" << num(t, 1) << "</text>";
  }
  o << "<text class=\"axis-title\" x=\"12\" y=\"" << px(top + plot_h / 2) << "\" transform=\"rotate(-90 12 " << px(top + plot_h / 2)
    << ")\" text-anchor=\"middle\">" << escape(axis_title) << (log_scale ? " (ms, log scale)" : " (ms)") << "</text></g>\n";
  for (std::size_t k = 0; k < keys.size(); ++k) {
    const double gx = left + group_w * static_cast<double>(k);
    const double x0 = gx + (group_w - bar_w * static_cast<double>(runs.size())) / 2;
    for (std::size_t i = 0; i < runs.size(); ++i) {
      const LatencyRow* l = find(runs[i], keys[k]);
      if (!l || l->requests <= 0) continue;
      const double x = x0 + bar_w * static_cast<double>(i);
      const double bw = std::max(1.0, bar_w - 1);
      const std::string tip = escape(runs[i].label) + ", " + escape(key_labels[k]) + ": p50 " + num(l->p50_ms, 1) + " ms, p90 " +
                              num(l->p90_ms, 1) + " ms, p95 " + num(l->p95_ms, 1) + " ms, p99 " + num(l->p99_ms, 1) + " ms (" +
                              human_count(l->requests) + " requests)";
      o << "<g><title>" << tip << "</title><line class=\"lat-whisker\" x1=\"" << px(x + bw / 2) << "\" x2=\"" << px(x + bw / 2) << "\" y1=\""
        << px(y_of(l->p95_ms)) << "\" y2=\"" << px(y_of(l->p99_ms)) << "\" stroke=\"" << palette(i) << "\"/>"
        << "<rect class=\"lat-bar\" x=\"" << px(x) << "\" y=\"" << px(y_of(l->p95_ms)) << "\" width=\"" << px(bw) << "\" height=\""
        << px(std::max(0.5, y_of(0) - y_of(l->p95_ms))) << "\" fill=\"" << palette(i) << "\"/>"
        << "<line class=\"lat-p50\" x1=\"" << px(x) << "\" x2=\"" << px(x + bw) << "\" y1=\"" << px(y_of(l->p50_ms)) << "\" y2=\""
        << px(y_of(l->p50_ms)) << "\"/></g>\n";
    }
    o << "<text class=\"group-label\" x=\"" << px(gx + group_w / 2) << "\" y=\"" << px(H - bottom + 14) << "\" text-anchor=\"middle\">"
      << escape(key_labels[k]) << "</text>\n";
  }
  o << "</svg>\n";
  return o.str();
}

std::string run_legend(const std::vector<RunResults>& runs) {
  std::string s = "<p class=\"legend-line\">";
  for (std::size_t i = 0; i < runs.size(); ++i)
    s += "<span class=\"key\"><span class=\"swatch\" style=\"background:" + palette(i) + "\"></span>" + escape(runs[i].label) + "</span> ";
  return s + "</p>\n";
}

}  // namespace

std::string latency_country_chart(const std::vector<RunResults>& runs) {
  // Countries by requests in the first run that has them; "ALL" (every country) first.
  std::map<std::string, double> requests;
  for (const auto& r : runs)
    for (const auto& l : r.latency)
      if (l.cls == "ALL" && l.measure == "ttfb" && l.country != "ALL") requests[l.country] = std::max(requests[l.country], l.requests);
  std::vector<std::pair<double, std::string>> order;
  for (const auto& [c, n] : requests) order.emplace_back(-n, c);
  std::sort(order.begin(), order.end());
  std::vector<std::string> keys{"ALL"}, labels{"all"};
  for (const auto& [n, c] : order) {
    keys.push_back(c);
    labels.push_back(c);
  }
  auto find = [](const RunResults& r, const std::string& country) { return r.latency_row(country, "ALL", "ttfb"); };
  return run_legend(runs) + percentile_chart(runs, keys, labels, find, "latency-countries", "Time to first byte percentiles by country",
                                            "time to first byte", false);
}

std::string latency_class_chart(const std::vector<RunResults>& runs) {
  std::vector<std::string> classes;
  for (const auto& r : runs)
    for (const auto& l : r.latency)
      if (l.country == "ALL" && l.measure == "completion" && std::find(classes.begin(), classes.end(), l.cls) == classes.end())
        classes.push_back(l.cls);
  auto find = [](const RunResults& r, const std::string& cls) { return r.latency_row("ALL", cls, "completion"); };
  std::vector<std::string> labels = classes;
  for (auto& l : labels)
    if (l == "ALL") l = "all classes";
  // Completion times run from tens of ms (small reads) to many seconds (video): a log axis.
  return percentile_chart(runs, classes, labels, find, "latency-classes", "Completion time percentiles by request class", "completion time",
                          true);
}

std::string utilisation_chart(const RunResults& run, const std::vector<std::string>& site_order) {
  const RunResults& d = run;
  const double W = 1100, left = 56, right = 190, lane_h = 16;
  const std::size_t lanes = d.events.size();
  const double top = 10 + lane_h * static_cast<double>(lanes) + (lanes ? 8 : 0);
  const double plot_h = 200, bottom = 30, H = top + plot_h + bottom;
  const double plot_w = W - left - right;
  // Time axis: the run's duration (from the manifest, else the last interval's end).
  std::map<std::string, std::vector<const SiteIntervalRow*>> by_site;
  for (const auto& s : d.sites) by_site[s.site].push_back(&s);
  double step = 3600;
  for (const auto& [site, v] : by_site)
    if (v.size() > 1) step = v[1]->start_s - v[0]->start_s;
  double t_end = d.manifest.duration_h * 3600;
  for (const auto& s : d.sites) t_end = std::max(t_end, s.start_s + step);
  if (t_end <= 0) t_end = 86400;
  double umax = 0;
  for (const auto& s : d.sites) umax = std::max(umax, s.utilisation);
  const std::vector<double> ticks = nice_ticks(std::max(umax * 1.05, 0.05), 4);
  const double utop = ticks.back();
  auto x_of = [&](double t) { return left + plot_w * std::clamp(t / t_end, 0.0, 1.0); };
  auto y_of = [&](double u) { return top + plot_h * (1 - u / utop); };

  std::ostringstream o;
  o << "<svg class=\"chart utilisation\" viewBox=\"0 0 " << px(W) << " " << px(H) << "\" role=\"img\" aria-label=\"Site utilisation over the run: "
    << escape(d.label) << "\" xmlns=\"http://www.w3.org/2000/svg\">\n<g class=\"axis\">";
  for (const double t : ticks)
    o << "<line class=\"grid\" x1=\"" << px(left) << "\" x2=\"" << px(left + plot_w) << "\" y1=\"" << px(y_of(t)) << "\" y2=\"" << px(y_of(t))
      << "\"/><text x=\"" << px(left - 6) << "\" y=\"" << px(y_of(t) + 4) << "\" text-anchor=\"end\">" << num(t * 100, 1) << "%</text>";
  const double hours = t_end / 3600;
  const double tick_h = hours <= 12 ? 1 : hours <= 36 ? 3 : hours <= 96 ? 12 : 24;
  for (double h = 0; h <= hours + 1e-9; h += tick_h)
    o << "<line class=\"tick\" x1=\"" << px(x_of(h * 3600)) << "\" x2=\"" << px(x_of(h * 3600)) << "\" y1=\"" << px(top + plot_h) << "\" y2=\""
      << px(top + plot_h + 4) << "\"/><text x=\"" << px(x_of(h * 3600)) << "\" y=\"" << px(top + plot_h + 16) << "\" text-anchor=\"middle\">"
      << utc_clock(d.manifest.start_utc_s + h * 3600, d.manifest.start_utc_s) << "</text>";
  o << "<text class=\"axis-title\" x=\"" << px(left + plot_w) << "\" y=\"" << px(H - 2) << "\" text-anchor=\"end\">time (UTC)</text>"
    << "<text class=\"axis-title\" x=\"12\" y=\"" << px(top + plot_h / 2) << "\" transform=\"rotate(-90 12 " << px(top + plot_h / 2)
    << ")\" text-anchor=\"middle\">utilisation (%)</text></g>\n";

  // Events: a lane each above the plot, and a band across it.
  for (std::size_t i = 0; i < lanes; ++i) {
    const EventRow& e = d.events[i];
    const double x0 = x_of(e.start_s), x1 = x_of(e.end_s.value_or(t_end));
    const double y = 10 + lane_h * static_cast<double>(i);
    const std::string tip = escape(e.id) + ": " + escape(e.kind) + " " + escape(e.target) + " from " + escape(e.start_utc) +
                            (e.end_s ? " for " + num((*e.end_s - e.start_s) / 3600, 2) + " h" : std::string(" to the end of the run"));
    o << "<rect class=\"event-band\" x=\"" << px(x0) << "\" y=\"" << px(top) << "\" width=\"" << px(std::max(1.5, x1 - x0)) << "\" height=\""
      << px(plot_h) << "\"><title>" << tip << "</title></rect>\n";
    o << "<g class=\"event-lane\"><title>" << tip << "</title><rect x=\"" << px(x0) << "\" y=\"" << px(y) << "\" width=\""
      << px(std::max(1.5, x1 - x0)) << "\" height=\"" << px(lane_h - 4) << "\" rx=\"2\"/>";
    const std::string text = e.id + " · " + e.kind + " · " + e.target;
    const double tw = 6.2 * static_cast<double>(text.size());
    const bool inside = x1 - x0 > tw + 8;
    const bool fits_right = x1 + 4 + tw < W;
    const double tx = inside ? x0 + 4 : fits_right ? x1 + 4 : x0 - 4;
    o << "<text x=\"" << px(tx) << "\" y=\"" << px(y + lane_h - 7) << "\"" << (inside || fits_right ? "" : " text-anchor=\"end\"")
      << (inside ? " class=\"on-bar\"" : "") << ">" << escape(text) << "</text></g>\n";
  }

  // One step line per site, coloured by the report-wide site order.
  std::size_t legend_row = 0;
  for (const auto& [site, ivs] : by_site) {
    const auto it = std::find(site_order.begin(), site_order.end(), site);
    const std::size_t ci = it == site_order.end() ? 0 : static_cast<std::size_t>(it - site_order.begin());
    std::string pts;
    double peak = 0, rejected = 0;
    for (const SiteIntervalRow* s : ivs) {
      const double y = y_of(s->utilisation);
      pts += px(x_of(s->start_s)) + "," + px(y) + " " + px(x_of(s->start_s + step)) + "," + px(y) + " ";
      peak = std::max(peak, s->utilisation);
      rejected += s->rejected;
    }
    o << "<polyline class=\"util-line\" data-site=\"" << escape(site) << "\" fill=\"none\" stroke=\"" << palette(ci)
      << "\" stroke-width=\"1.8\" points=\"" << pts << "\"><title>" << escape(site) << ": peak " << percent(peak)
      << (rejected > 0 ? ", " + human_count(rejected) + " requests rejected" : std::string()) << "</title></polyline>\n";
    for (const SiteIntervalRow* s : ivs)
      if (s->rejected > 0)
        o << "<circle class=\"reject-mark\" cx=\"" << px(x_of(s->start_s + step / 2)) << "\" cy=\"" << px(y_of(s->utilisation)) << "\" r=\"2.6\"><title>"
          << escape(site) << " " << escape(s->start_utc) << ": " << human_count(s->rejected) << " rejected</title></circle>\n";
    const double ly = top + 8 + 15 * static_cast<double>(legend_row++);
    o << "<line x1=\"" << px(W - right + 12) << "\" x2=\"" << px(W - right + 32) << "\" y1=\"" << px(ly) << "\" y2=\"" << px(ly) << "\" stroke=\""
      << palette(ci) << "\" stroke-width=\"2.5\"/><text x=\"" << px(W - right + 38) << "\" y=\"" << px(ly + 4) << "\">" << escape(site)
      << " <tspan class=\"small\">" << percent(peak) << " peak</tspan></text>\n";
  }
  if (by_site.empty())
    o << "<text x=\"" << px(left + plot_w / 2) << "\" y=\"" << px(top + plot_h / 2) << "\" text-anchor=\"middle\">no built sites</text>\n";
  o << "</svg>\n";
  return o.str();
}

namespace {

// A value per day since the run's start, drawn as steps, with the day each migration wave
// completed marked: stored data outside the EEA, the EEA-exit share.
struct DaySeries {
  std::vector<std::pair<long, double>> points;  ///< (day, value), by day
  std::string css, line_css, aria, line_title, axis_note;  ///< constants of this file, written as they are
  std::function<std::string(double)> label;  ///< a value as the axis writes it
  double min_top = 0;                        ///< the axis reaches at least this
};

std::string day_chart(const RunResults& run, const DaySeries& s) {
  if (s.points.empty()) return "";
  const double W = 1100, left = 70, right = 40, top = 16, plot_h = 180, bottom = 32, H = top + plot_h + bottom;
  const double plot_w = W - left - right;
  const double days = static_cast<double>(s.points.back().first + 1);
  double vmax = 0;
  for (const auto& p : s.points) vmax = std::max(vmax, p.second);
  const std::vector<double> ticks = nice_ticks(std::max(vmax * 1.05, s.min_top), 4);
  const double vtop = ticks.back();
  auto x_of = [&](double day) { return left + plot_w * std::clamp(day / days, 0.0, 1.0); };
  auto y_of = [&](double v) { return top + plot_h * (1 - v / vtop); };
  std::ostringstream o;
  o << "<svg class=\"chart " << s.css << "\" viewBox=\"0 0 " << px(W) << " " << px(H) << "\" role=\"img\" aria-label=\"" << s.aria
    << ": " << escape(run.label) << "\" xmlns=\"http://www.w3.org/2000/svg\">\n<g class=\"axis\">";
  for (const double t : ticks)
    o << "<line class=\"grid\" x1=\"" << px(left) << "\" x2=\"" << px(left + plot_w) << "\" y1=\"" << px(y_of(t)) << "\" y2=\""
      << px(y_of(t)) << "\"/><text x=\"" << px(left - 6) << "\" y=\"" << px(y_of(t) + 4) << "\" text-anchor=\"end\">" << s.label(t)
      << "</text>";
  const double tick_d = days <= 14 ? 1 : days <= 60 ? 7 : days <= 400 ? 30 : 365;
  for (double d = 0; d <= days + 1e-9; d += tick_d)
    o << "<line class=\"tick\" x1=\"" << px(x_of(d)) << "\" x2=\"" << px(x_of(d)) << "\" y1=\"" << px(top + plot_h) << "\" y2=\""
      << px(top + plot_h + 4) << "\"/><text x=\"" << px(x_of(d)) << "\" y=\"" << px(top + plot_h + 16) << "\" text-anchor=\"middle\">day "
      << num(d, 0) << "</text>";
  o << "<text class=\"axis-title\" x=\"" << px(left + plot_w) << "\" y=\"" << px(H - 2) << "\" text-anchor=\"end\">days since the run's start ("
    << s.axis_note << ")</text></g>\n";
  // Waves: a dashed line on the day each completed.
  for (const auto& [wave, day] : run.waves_done) {
    const double x = x_of(static_cast<double>(day + 1));
    o << "<g class=\"wave-done\"><title>" << escape(wave) << " complete on day " << day << "</title><line x1=\"" << px(x) << "\" x2=\""
      << px(x) << "\" y1=\"" << px(top) << "\" y2=\"" << px(top + plot_h) << "\" stroke=\"#555\" stroke-dasharray=\"4 3\"/><text x=\"" << px(x - 4)
      << "\" y=\"" << px(top + 12) << "\" text-anchor=\"end\">" << escape(wave) << " done</text></g>\n";
  }
  std::string pts;
  for (const auto& [day, v] : s.points) {
    const double y = y_of(v);
    pts += px(x_of(static_cast<double>(day))) + "," + px(y) + " " + px(x_of(static_cast<double>(day + 1))) + "," + px(y) + " ";
  }
  o << "<polyline class=\"" << s.line_css << "\" fill=\"none\" stroke=\"" << palette(0) << "\" stroke-width=\"2\" points=\"" << pts
    << "\"><title>" << s.line_title << ": " << s.label(s.points.front().second) << " on day " << s.points.front().first << ", "
    << s.label(s.points.back().second) << " on day " << s.points.back().first << "</title></polyline>\n</svg>\n";
  return o.str();
}

}  // namespace

std::string storage_chart(const RunResults& run) {
  DaySeries s;
  for (const auto& d : run.storage) s.points.emplace_back(d.day, d.eea_outside_bytes);
  s.css = "storage";
  s.line_css = "storage-line";
  s.aria = "EEA users' data stored outside the EEA by day";
  s.line_title = "EEA users' data outside the EEA";
  s.axis_note = "stock at each day's end";
  s.label = [](double v) { return human_bytes(v); };
  s.min_top = 1e12;
  return day_chart(run, s);
}

std::string exit_share_chart(const RunResults& run) {
  DaySeries s;
  for (const auto& d : run.days) s.points.emplace_back(d.day, d.eea_exit_share * 100);
  s.css = "exit-share";
  s.line_css = "exit-share-line";
  s.aria = "EEA-exit share by day";
  s.line_title = "EEA-exit share";
  s.axis_note = "share of the day's EEA users' data bytes";
  s.label = [](double v) { return num(v, 2) + " %"; };
  s.min_top = 1;
  return day_chart(run, s);
}

std::string events_table(const RunResults& run) {
  const RunResults& d = run;
  if (d.events.empty()) return {};
  std::ostringstream o;
  o << "<table class=\"events\"><thead><tr><th>Event</th><th>Kind</th><th>Target</th><th>From (UTC)</th><th>Hours</th>"
       "<th title=\"Requests lost, retried elsewhere, failed over\">Lost · retried · failed over</th><th>Dropped</th>"
       "<th>EEA exit</th><th>Catch-up</th><th>Routes changed</th><th>Recovery</th><th>TTFB p95 in window</th></tr></thead><tbody>\n";
  for (const auto& e : d.events) {
    o << "<tr><td>" << escape(e.id) << "</td><td>" << escape(e.kind) << "</td><td>" << escape(e.target) << "</td><td>" << escape(e.start_utc)
      << "</td><td>" << (e.end_s ? num((*e.end_s - e.start_s) / 3600, 2) : std::string("to end")) << "</td><td>" << human_count(e.requests_lost)
      << " · " << human_count(e.requests_retried) << " · " << human_count(e.requests_failed_over) << "</td><td>" << human_count(e.requests_dropped)
      << "</td><td>" << human_bytes(e.eea_exit_bytes) << "</td><td>" << human_bytes(e.catchup_bytes) << "</td><td>" << num(e.routes_changed, 0)
      << "</td><td>" << (e.time_to_recover_s ? num(*e.time_to_recover_s / 60, 1) + " min" : std::string("–")) << "</td><td>"
      << num(e.ttfb_p95_ms, 1) << " ms</td></tr>\n";
  }
  o << "</tbody></table>\n";
  return o.str();
}

std::string flows_table(const RunResults& run, std::size_t top) {
  const RunResults& d = run;
  double total = 0;
  for (const auto& b : d.border) total += b.bytes;
  std::vector<const BorderRow*> rows;
  for (const auto& b : d.border) rows.push_back(&b);
  std::sort(rows.begin(), rows.end(), [](const BorderRow* a, const BorderRow* b) {
    return a->bytes != b->bytes ? a->bytes > b->bytes : std::tie(a->origin_country, a->site) < std::tie(b->origin_country, b->site);
  });
  std::vector<const BorderRow*> shown(rows.begin(), rows.begin() + static_cast<long>(std::min(top, rows.size())));
  std::vector<const BorderRow*> exits;
  for (const BorderRow* b : rows)
    if (b->eea_exit_bytes > 0) exits.push_back(b);
  std::sort(exits.begin(), exits.end(), [](const BorderRow* a, const BorderRow* b) {
    return a->eea_exit_bytes != b->eea_exit_bytes ? a->eea_exit_bytes > b->eea_exit_bytes
                                                  : std::tie(a->origin_country, a->site) < std::tie(b->origin_country, b->site);
  });
  for (std::size_t i = 0; i < exits.size() && i < top; ++i)
    if (std::find(shown.begin(), shown.end(), exits[i]) == shown.end()) shown.push_back(exits[i]);
  std::ostringstream o;
  o << "<table class=\"flows\"><thead><tr><th>From</th><th>Site</th><th>Bytes</th><th>Share</th><th>EEA exit</th></tr></thead><tbody>\n";
  for (const BorderRow* b : shown) {
    std::string reasons;
    for (const auto& [reason, v] : b->eea_exit_by_reason)
      if (v > 0) reasons += (reasons.empty() ? "" : ", ") + reason;
    o << "<tr" << (b->eea_exit_bytes > 0 ? " class=\"exit\"" : "") << "><td>" << escape(b->origin_country) << "</td><td>" << escape(b->site) << " ("
      << escape(b->site_country) << ")</td><td>" << human_bytes(b->bytes) << "</td><td>" << (total > 0 ? percent(b->bytes / total) : "–")
      << "</td><td>" << (b->eea_exit_bytes > 0 ? human_bytes(b->eea_exit_bytes) + " <span class=\"small\">" + escape(reasons) + "</span>" : "")
      << "</td></tr>\n";
  }
  o << "</tbody></table>\n";
  return o.str();
}

}  // namespace dcsim::tools::report
