// The report page: inline CSS, then the headline table, one map per run, the latency
// charts, site utilisation with events per run, and a note on sources. No scripts, no
// external references, no timestamps: the same run folders give the same bytes.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "dcsim/version.hpp"
#include "tools/report/html.hpp"
#include "tools/report/report.hpp"

namespace dcsim::tools::report {

namespace {

constexpr const char* kCss = R"css(
:root{--ink:#1f2933;--muted:#5f6b7a;--line:#d9dee4;--eea:#2166ac;--exit:#b2182b}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--ink);background:#fbfcfd}
main{max-width:1180px;margin:0 auto;padding:20px 24px 40px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:14px 0 6px}
p{margin:6px 0}.small{font-size:11.5px;color:var(--muted)}.lede{color:var(--muted)}
.note{background:#fff4e5;border-left:4px solid #e08214;padding:6px 10px;margin:8px 0}
table{border-collapse:collapse;background:#fff;font-variant-numeric:tabular-nums}
th,td{border-bottom:1px solid var(--line);padding:4px 10px;text-align:right;vertical-align:top}
th:first-child{text-align:left;font-weight:600}thead th{background:#eef2f6;text-align:right}thead th:first-child{text-align:left}
table.claims td.pass{color:#0b5d1e}table.claims td.fail{color:#b2182b;font-weight:700}table.claims td:nth-child(2){text-align:left}
.verdict{padding:6px 10px;margin:8px 0;border-left:4px solid}.verdict.pass{background:#e8f5e9;border-color:#0b5d1e}.verdict.fail{background:#fdecea;border-color:#b2182b}
table.compare .ci{font-weight:400;color:var(--muted);font-size:12px}
table.compare td.best{font-weight:700;color:#0b5d1e}table.compare tr.meta td{text-align:left;max-width:240px}
table.compare tr.sub th{font-weight:400;color:var(--muted)}
table.flows,table.events{font-size:12.5px;margin:6px 0}table.flows tr.exit td{color:var(--exit)}
table.events td:nth-child(-n+4),table.events th:nth-child(-n+4){text-align:left}
.swatch{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.key{margin-right:14px;white-space:nowrap}
.maps{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:18px}
figure{margin:0;background:#fff;border:1px solid var(--line);border-radius:6px;padding:8px 10px}
figcaption{font-size:12.5px;color:var(--muted);margin-top:4px}
svg{display:block;width:100%;height:auto}
svg text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;font-size:11px;fill:var(--ink)}
svg.basemap-defs{position:absolute;width:0;height:0;overflow:hidden}
svg.map .region{fill:#4b5563;fill-opacity:.22;stroke:#4b5563;stroke-opacity:.5;stroke-width:.5}
svg.map .staff{fill:#fff;stroke:#4b5563;stroke-width:1.2}
svg.map .legend-region{fill:#4b5563;fill-opacity:.22;stroke:#4b5563;stroke-width:.5}
svg.map text{font-size:12px}
svg.map .site-label{font-size:13px;font-weight:600;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
svg.map .inset-title,svg.map .legend-title{font-weight:600}svg.map .inset-label{font-size:11px}
svg.map .map-note{font-size:14px;font-weight:600}svg.map .map-note.small{font-size:11px;font-weight:400}
svg.chart .grid{stroke:#e3e7ec}svg.chart .tick{stroke:#9aa5b1}svg.chart .axis text{fill:var(--muted)}
svg.chart .lat-p50{stroke:#fff;stroke-width:1.5}svg.chart .lat-whisker{stroke-width:1.5}
svg.chart .group-label{font-size:10.5px}
svg.chart .event-band{fill:#e08214;fill-opacity:.12}svg.chart .event-lane rect{fill:#e08214;fill-opacity:.75}
svg.chart .event-lane text{font-size:10.5px}svg.chart .event-lane text.on-bar{fill:#fff;font-weight:600}
svg.chart .reject-mark{fill:var(--exit)}svg.chart tspan.small{fill:var(--muted);font-size:10px}
details{margin:6px 0}summary{cursor:pointer;color:var(--eea)}
footer{margin-top:36px;font-size:12px;color:var(--muted);border-top:1px solid var(--line);padding-top:8px}
)css";

std::string claim_scope(const ClaimRow& c) {
  std::string s = c.metric;
  if (!c.country.empty()) s += " · " + c.country;
  if (!c.site.empty()) s += " · " + c.site;
  if (c.min) s += " ≥ " + num(*c.min, 6);
  if (c.max) s += " ≤ " + num(*c.max, 6);
  return s;
}

std::string claim_value(const ClaimRow& c, double v) {
  if (c.unit == "fraction") return num(v, 6);
  if (c.unit == "ms") {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f ms", v);
    return buf;
  }
  return num(v, 3) + (c.unit.empty() ? "" : " " + c.unit);
}

std::string default_title(const std::vector<RunResults>& runs) {
  std::vector<std::string> scenarios;
  for (const auto& r : runs)
    if (std::find(scenarios.begin(), scenarios.end(), r.manifest.scenario) == scenarios.end())
      scenarios.push_back(r.manifest.scenario);
  std::string t = "dcsim report: ";
  for (std::size_t i = 0; i < scenarios.size(); ++i) t += (i ? ", " : "") + (scenarios[i].empty() ? std::string("run") : scenarios[i]);
  return t;
}

}  // namespace

std::string claims_section(const std::vector<RunResults>& runs) {
  std::vector<std::string> ids;
  std::map<std::string, const ClaimRow*> first;
  std::size_t total = 0, failed = 0;
  for (const auto& r : runs)
    for (const auto& c : r.claims) {
      if (!first.count(c.claim.assertion)) {
        ids.push_back(c.claim.assertion);
        first[c.claim.assertion] = &c.claim;
      }
      ++total;
      if (!c.pass()) ++failed;
    }
  if (ids.empty()) return {};
  std::ostringstream o;
  o << "<section id=\"claims\"><h2>Plan claims</h2>\n<p class=\"verdict " << (failed ? "fail" : "pass") << "\">"
    << (failed ? "<b>" + std::to_string(failed) + " of " + std::to_string(total) + " claims fail</b>" : "<b>All " + std::to_string(total) + " claims pass</b>")
    << " (the scenario's <code>assertions:</code>, checked after each run; a sweep column passes when every seed does and the 95 % "
       "interval of the mean is within the bound).</p>\n<table class=\"claims\"><thead><tr><th scope=\"col\">Claim</th><th scope=\"col\">Bound</th>";
  for (const auto& r : runs) o << "<th scope=\"col\">" << escape(r.label) << "</th>";
  o << "</tr></thead>\n<tbody>\n";
  for (const auto& id : ids) {
    o << "<tr><th scope=\"row\">" << escape(id) << "</th><td>" << escape(claim_scope(*first[id])) << "</td>";
    for (const auto& r : runs) {
      const auto it = std::find_if(r.claims.begin(), r.claims.end(), [&](const ClaimInterval& c) { return c.claim.assertion == id; });
      if (it == r.claims.end()) {
        o << "<td>–</td>";
        continue;
      }
      o << "<td class=\"" << (it->pass() ? "pass" : "fail") << "\">" << (it->pass() ? "pass" : "FAIL") << " ";
      if (it->seeds > 1) {
        o << escape(claim_value(it->claim, it->ci.mean));
        if (std::isfinite(it->ci.half_width)) o << " ± " << escape(claim_value(it->claim, it->ci.half_width));
        o << " <span class=\"small\">(" << it->seeds_passed << "/" << it->seeds << " seeds)</span>";
      } else if (it->claim.value) {
        o << escape(claim_value(it->claim, *it->claim.value));
      } else {
        o << "<span class=\"small\">" << escape(it->claim.note) << "</span>";
      }
      o << "</td>";
    }
    o << "</tr>\n";
  }
  o << "</tbody></table></section>\n";
  return o.str();
}

std::string build_report(const std::vector<RunResults>& runs, const ReportOptions& options, const std::vector<ResilienceInput>& resilience) {
  const std::string title = options.title.empty() ? default_title(runs) : options.title;
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    << "<meta name=\"generator\" content=\"dcsim " << escape(kVersion) << "\">\n"
    << "<title>" << escape(title) << "</title>\n<style>" << kCss << "</style>\n</head>\n<body>\n<main>\n";
  o << "<h1>" << escape(title) << "</h1>\n<p class=\"lede\">" << runs.size() << (runs.size() == 1 ? " run" : " runs") << ": ";
  for (std::size_t i = 0; i < runs.size(); ++i)
    o << (i ? ", " : "") << "<b>" << escape(runs[i].label) << "</b> <span class=\"small\">(" << escape(runs[i].dir.string()) << ")</span>";
  o << ". Figures are in real units over each run's simulated period.</p>\n";

  o << claims_section(runs);
  o << "<section id=\"headline\"><h2>Headline figures</h2>\n" << compare_table(runs);
  if (runs.size() > 1)
    o << "<p class=\"small\">Bold: the best value in a row (lower is better for shares, bytes leaving the EEA and latency), marked only "
         "where its 95 % interval does not overlap another column's. Sweep columns: mean ± half width of the 95 % confidence interval "
         "over the seeds (Student t); latency percentiles are measured to " << num(100 * models::kLatencyRelativeError, 3)
      << " % and no interval is narrower.</p>\n";
  o << "</section>\n";

  // Maps.
  const MapScales scales = map_scales(runs);
  o << "<section id=\"maps\"><h2>Where the bytes go</h2>\n"
    << "<p class=\"lede\">Circles: regions, area by monthly users. Diamonds: the sites built, coloured by jurisdiction. "
       "Lines: bytes from each country's users to each site over the run (width grows with the square root of bytes; the same "
       "scale on every map); <span style=\"color:var(--exit)\">red dashed lines leave the EEA</span>. "
       "Edge-cache bytes stay in the user's country and are not drawn.</p>\n";
  o << basemap_defs(runs) << "<div class=\"maps\">\n";
  for (const auto& r : runs) {
    MapCounts c;
    const std::string svg = map_svg(r, scales, options, &c);
    o << "<figure class=\"run-map\"><h3>" << escape(r.label) << "</h3>\n" << svg << "<figcaption>";
    if (r.places.available) {
      o << c.flows << " country → site flows drawn";
      if (c.eea_exit_flows) {
        o << ", <b style=\"color:var(--exit)\">" << c.eea_exit_flows << " leaving the EEA</b>";
        // How much leaves, and why: the magnitude the count of red lines does not show.
        std::vector<std::pair<double, std::string>> reasons;
        for (std::size_t reason = 0; reason < models::kExitReasons; ++reason)
          if (const double bytes = r.headline.eea_exit_bytes_by[reason]; bytes > 0)
            reasons.emplace_back(-bytes, models::name(static_cast<models::ExitReason>(reason)));
        std::sort(reasons.begin(), reasons.end());
        o << " (" << percent(r.headline.eea_exit_share) << " of EEA users' site bytes, " << human_bytes(r.headline.eea_exit_bytes);
        for (std::size_t i = 0; i < reasons.size() && i < 3; ++i) {
          std::string reason = reasons[i].second;
          std::replace(reason.begin(), reason.end(), '_', ' ');
          o << (i ? ", " : ": ") << escape(reason) << " " << human_bytes(-reasons[i].first);
        }
        o << ")";
      }
      if (c.flows_hidden) o << "; " << c.flows_hidden << " flows under " << percent(options.flow_min_share) << " of the run's site bytes not drawn";
      o << ". " << c.sites << " sites, " << c.regions << " regions";
      if (c.regions_off_map) o << " (" << c.regions_off_map << " beyond the map)";
      o << ".";
    }
    if (!r.places.note.empty()) o << "<div class=\"note\">" << (r.places.available ? "" : "No map positions: ") << escape(r.places.note) << ".</div>";
    o << "<details" << (r.places.available ? "" : " open") << "><summary>Largest flows and every flow leaving the EEA</summary>\n"
      << flows_table(r, 12) << "</details></figcaption></figure>\n";
  }
  o << "</div></section>\n";

  // The backbone: each link by its peak utilisation, and what single failures do.
  std::string backbones;
  for (const auto& r : runs) {
    const std::string svg = backbone_svg(r);
    if (!svg.empty()) backbones += "<figure class=\"run-backbone\"><h3>" + escape(r.label) + "</h3>\n" + svg + "</figure>\n";
  }
  if (!backbones.empty() || !resilience.empty()) {
    o << "<section id=\"backbone\"><h2>The backbone under load</h2>\n";
    if (!backbones.empty())
      o << "<p class=\"lede\">Each backbone link coloured by its peak utilisation over the run (offered traffic over capacity in its busiest "
           "reporting interval, the busier direction; links.csv), the hottest labelled; dashed: submarine cables. Links to hubs beyond the "
           "map are in the tables.</p>\n<div class=\"maps\">\n" << backbones << "</div>\n";
    if (!resilience.empty()) {
      o << "<h3>N-1: single failures</h3>\n";
      for (const auto& in : resilience) o << resilience_table(in.title, in.rows);
    }
    o << "</section>\n";
  }

  // Stored data: where EEA users' data still is outside the EEA, day by day.
  std::string storage;
  for (const auto& r : runs)
    if (const std::string svg = storage_chart(r); !svg.empty()) {
      const auto& first = r.storage.front();
      const auto& last = r.storage.back();
      storage += "<figure class=\"run-storage\"><h3>" + escape(r.label) + "</h3>\n" + svg + "<figcaption>" +
                 human_bytes(first.eea_outside_bytes) + " of EEA users' personal data outside the EEA at the end of day " +
                 std::to_string(first.day) + ", " + human_bytes(last.eea_outside_bytes) + " at the end of day " + std::to_string(last.day) +
                 " (of " + human_bytes(last.eea_primary_bytes) + " in all).</figcaption></figure>\n";
    }
  // The EEA-exit share day by day, for runs long enough to have a trend (two days or more).
  std::string shares;
  for (const auto& r : runs)
    if (r.days.size() >= 2)
      if (const std::string svg = exit_share_chart(r); !svg.empty()) {
        const auto& first = r.days.front();
        const auto& last = r.days.back();
        std::string below;
        for (const auto& d : r.days)
          if (d.eea_exit_share < 0.01) {
            below = "; first below 1 % on day " + std::to_string(d.day);
            break;
          }
        shares += "<figure class=\"run-exit-share\"><h3>" + escape(r.label) + "</h3>\n" + svg + "<figcaption>EEA-exit share " +
                  num(first.eea_exit_share * 100, 2) + " % on day " + std::to_string(first.day) + ", " + num(last.eea_exit_share * 100, 2) +
                  " % on day " + std::to_string(last.day) + below + ".</figcaption></figure>\n";
      }
  if (!shares.empty())
    o << "<section id=\"exit-share\"><h2>EEA-exit share over time</h2>\n<p class=\"lede\">The share of each day's bytes of EEA users' "
         "data that left the EEA (days.csv, every reason); dashed: the day each migration wave completed (migrations.csv).</p>\n"
      << shares << "</section>\n";
  if (!storage.empty())
    o << "<section id=\"storage\"><h2>Where EEA users' data is stored</h2>\n<p class=\"lede\">EEA users' personal data stored at sites "
         "outside the EEA (every copy: legacy sites and their replicas) at the end of each day (storage.csv); dashed: the day each "
         "migration wave completed (migrations.csv).</p>\n"
      << storage << "</section>\n";

  // Latency.
  o << "<section id=\"latency\"><h2>What users feel</h2>\n"
    << "<h3>Time to first byte by country</h3>\n" << latency_country_chart(runs)
    << "<p class=\"small\">Bar: 95th percentile; white tick: median; whisker: 99th percentile. All request classes; countries ordered by "
       "requests, \"all\" is every country together.</p>\n"
    << "<h3>Completion time by request class</h3>\n" << latency_class_chart(runs)
    << "<p class=\"small\">Log scale. Completion includes the transfer at the user's access bandwidth, so large objects (video, uploads) dominate. "
       "Runs write percentiles (p50, p90, p95, p99, max), not whole distributions.</p>\n</section>\n";

  // Site load and events.
  std::set<std::string> all_sites;
  for (const auto& r : runs)
    for (const auto& s : r.sites) all_sites.insert(s.site);
  const std::vector<std::string> site_order(all_sites.begin(), all_sites.end());
  o << "<section id=\"sites\"><h2>Site load over the day</h2>\n"
    << "<p class=\"lede\">Utilisation (busy servers over servers) of each built site per reporting interval, in UTC. Orange lanes and "
       "bands: what-if events; red dots: intervals in which the site turned requests away (they spill to another site or are "
       "dropped, per policy).</p>\n";
  for (const auto& r : runs) {
    o << "<figure class=\"run-sites\"><h3>" << escape(r.label) << "</h3>\n" << utilisation_chart(r, site_order);
    const std::string events = events_table(r);
    if (!events.empty()) o << "<figcaption>What each event changed (counted over its window):</figcaption>\n" << events;
    o << "</figure>\n";
  }
  o << "</section>\n";

  o << "<footer><p>Written by dcsim " << escape(kVersion) << " (<code>dcsim report</code>) from each run folder's CSV files and manifest.json; "
       "region and site positions come from the run's places.csv, as the run had them. Map: country outlines from Natural Earth admin-0 "
       "countries at 1:50m (public domain), via Debian's r-cran-rnaturalearthdata, simplified; Lambert azimuthal equal-area projection "
       "centred on 52°N 10°E (as ETRS89-LAEA, EPSG:3035, on a sphere). Shading marks EEA countries.</p></footer>\n";
  o << "</main>\n</body>\n</html>\n";
  return o.str();
}

}  // namespace dcsim::tools::report
