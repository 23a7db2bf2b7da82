// Plan claims: checking their metrics, evaluating them from a run's CSVs, assertions.csv.
#include "tools/assertions.hpp"

#include <algorithm>
#include <cmath>

#include "models/run/summary.hpp"
#include "models/scenario/doc_reader.hpp"
#include "models/scenario/scenario_loader.hpp"
#include "tools/csv.hpp"
#include "tools/run_tables.hpp"

namespace dcsim::tools {

namespace {

const AssertionExtra* find_extra(std::string_view name) {
  for (const AssertionExtra& e : kAssertionExtras)
    if (e.name == name) return &e;
  return nullptr;
}

// The latency figures latency.csv holds per country: mean and these percentiles.
constexpr double kCountryPercentiles[] = {50, 90, 95, 99};

bool is_latency_figure(const models::HeadlineFigure& f) {
  const std::string_view n = f.name;
  return n.rfind("ttfb_", 0) == 0 || n.rfind("latency_", 0) == 0;
}

// Every metric an assertion may name, for the did-you-mean (families with p95).
std::vector<std::string> known_metric_names() {
  std::vector<std::string> names;
  for (const models::HeadlineFigure& f : models::kHeadlineFigures) names.push_back(f.is_family() ? f.name_for(95) : std::string(f.name));
  for (const AssertionExtra& e : kAssertionExtras) names.emplace_back(e.name);
  return names;
}

std::string number_text(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

}  // namespace

void check_assertions(const models::Scenario& s) {
  models::Diagnostics diags;
  for (const models::Assertion& a : s.assertions) {
    // The path a planner can --set: by id (assertions.pt-p95.metric), as list items are addressed.
    const std::string metric_path = models::join_path(a.id.empty() ? a.path : "assertions." + a.id, "metric");
    if (a.metric.empty()) continue;  // the reader reported it
    double q = 0;
    const models::HeadlineFigure* f = models::find_figure(a.metric, &q);
    const AssertionExtra* extra = f ? nullptr : find_extra(a.metric);
    if (!f && !extra) {
      std::string msg = "unknown metric '" + a.metric + "' (a headline figure of summary.csv, see the README, or peak_link_utilisation)";
      if (auto m = models::did_you_mean(a.metric, known_metric_names())) msg += "; did you mean '" + *m + "'?";
      diags.error(a.metric_loc, metric_path, msg);
      continue;
    }
    if (!a.country.empty()) {
      if (!f || !is_latency_figure(*f)) {
        diags.error(a.metric_loc, metric_path,
                    "'" + a.metric + "' is not measured per country; with country: use ttfb_mean_ms, latency_mean_ms, ttfb_p<q>_ms or latency_p<q>_ms");
        continue;
      }
      if (f->is_family() && std::find(std::begin(kCountryPercentiles), std::end(kCountryPercentiles), q) == std::end(kCountryPercentiles))
        diags.error(a.metric_loc, metric_path, "latency.csv holds p50, p90, p95 and p99 per country, not p" + number_text(q));
    } else if (!a.site.empty()) {
      if (!f || (a.metric != "peak_site_utilisation" && a.metric != "mean_site_utilisation"))
        diags.error(a.metric_loc, metric_path, "'" + a.metric + "' is not measured per site; with site: use peak_site_utilisation or mean_site_utilisation");
    } else if (f && f->is_family()) {
      const auto& ps = s.outputs.latency_percentiles;
      if (std::find(ps.begin(), ps.end(), q) == ps.end())
        diags.error(a.metric_loc, metric_path,
                    "the run does not compute p" + number_text(q) + " (add " + number_text(q) + " to outputs.latency_percentiles)");
    }
  }
  diags.throw_if_any();
}

models::Scenario load_checked_scenario(const std::string& file, const models::LoadOptions& options) {
  models::Scenario s = models::load_scenario(file, options);
  check_assertions(s);
  return s;
}

bool within(const models::Assertion& a, double value) {
  if (a.max && value > *a.max) return false;
  if (a.min && value < *a.min) return false;
  return true;
}

std::vector<AssertionResult> evaluate_assertions(const std::vector<models::Assertion>& claims,
                                                 const std::function<RunTable(const std::string&)>& table) {
  std::vector<AssertionResult> out;
  if (claims.empty()) return out;
  std::optional<models::Headline> headline;
  std::optional<RunTable> latency, sites, links;
  for (const models::Assertion& a : claims) {
    AssertionResult r;
    r.claim = &a;
    double q = 0;
    const models::HeadlineFigure* f = models::find_figure(a.metric, &q);
    r.unit = f ? std::string(models::unit_name(f->unit)) : std::string(find_extra(a.metric) ? find_extra(a.metric)->unit : "");
    if (!a.country.empty()) {
      if (!latency) latency.emplace(table("latency.csv"));
      const RunTable& t = *latency;
      const std::size_t country = t.col("origin_country"), cls = t.col("class"), measure = t.col("measure"), req = t.col("requests");
      const std::string want_measure = a.metric.rfind("ttfb_", 0) == 0 ? "ttfb" : "latency";
      const std::string column = f->is_family() ? "p" + number_text(q) + "_ms" : "mean_ms";
      const std::size_t c = t.col(column);
      for (std::size_t i = 0; i < t.rows(); ++i)
        if (t.text(i, country) == a.country && t.text(i, cls) == "ALL" && t.text(i, measure) == want_measure) {
          if (t.number(i, req) > 0) r.value = t.optional_number(i, c);
          break;
        }
      if (!r.value) r.note = "no requests from " + a.country + " in this run";
    } else if (!a.site.empty()) {
      if (!sites) sites.emplace(table("sites.csv"));
      const RunTable& t = *sites;
      const std::size_t site = t.col("site"), util = t.col("utilisation"), servers = t.col("servers");
      double peak = 0, sum = 0;
      std::size_t n = 0;
      for (std::size_t i = 0; i < t.rows(); ++i)
        if (t.text(i, site) == a.site && t.number(i, servers) > 0) {
          peak = std::max(peak, t.number(i, util));
          sum += t.number(i, util);
          ++n;
        }
      if (n > 0) r.value = a.metric == "peak_site_utilisation" ? peak : sum / static_cast<double>(n);
      else r.note = "site " + a.site + " is not in service in this run";
    } else if (f) {
      if (!headline) headline = read_headline(table("summary.csv"));
      double v = 0;
      if (f->is_family()) {
        for (const models::Percentile& p : f->percentiles(*headline))
          if (p.q == q) v = p.ms;
      } else {
        v = f->value(*headline);
      }
      if (std::isfinite(v)) r.value = v;
      else r.note = "nothing to measure in this run";
    } else if (a.metric == "peak_link_utilisation") {
      if (!links) links.emplace(table("links.csv"));
      const RunTable& t = *links;
      const std::size_t util = t.col("utilisation");
      double peak = 0;
      for (std::size_t i = 0; i < t.rows(); ++i)
        if (const auto u = t.optional_number(i, util)) peak = std::max(peak, *u);
      r.value = peak;
    }
    r.pass = r.value && within(a, *r.value);
    out.push_back(std::move(r));
  }
  return out;
}

std::string claim_text(const AssertionResult& r) {
  const models::Assertion& a = *r.claim;
  std::string t = a.id + ": " + a.metric;
  if (!a.country.empty()) t += " (" + a.country + ")";
  if (!a.site.empty()) t += " (" + a.site + ")";
  t += r.value ? " = " + number_text(std::round(*r.value * 1e6) / 1e6) + (r.unit == "fraction" ? "" : " " + r.unit) : " has no value (" + r.note + ")";
  if (a.min) t += ", min " + number_text(*a.min);
  if (a.max) t += ", max " + number_text(*a.max);
  return t + (r.pass ? ": pass" : ": FAIL");
}

std::string assertions_csv(const std::string& lead, const std::vector<AssertionResult>& results) {
  std::string out = std::string("run_id,scenario,variant,seed,") + kAssertionColumns + "\n";
  for (const AssertionResult& r : results) {
    const models::Assertion& a = *r.claim;
    out += lead + csv_field(a.id) + "," + csv_field(a.metric) + "," + csv_field(a.country) + "," + csv_field(a.site) + "," +
           (a.min ? number_text(*a.min) : "") + "," + (a.max ? number_text(*a.max) : "") + "," + r.unit + "," +
           (r.value ? csv_number(*r.value, 6) : "") + "," + (r.pass ? "pass" : "fail") + "," + csv_field(r.note) + "\n";
  }
  return out;
}

std::vector<ClaimRow> read_claims(const RunTable& t) {
  std::vector<ClaimRow> out;
  const std::size_t run = t.col("run_id"), variant = t.col("variant"), id = t.col("assertion"), metric = t.col("metric"),
                    country = t.col("country"), site = t.col("site"), mn = t.col("min"), mx = t.col("max"), unit = t.col("unit"),
                    value = t.col("value"), result = t.col("result"), note = t.col("note");
  for (std::size_t i = 0; i < t.rows(); ++i) {
    ClaimRow c;
    c.run_id = t.text(i, run);
    c.variant = t.text(i, variant);
    c.assertion = t.text(i, id);
    c.metric = t.text(i, metric);
    c.country = t.text(i, country);
    c.site = t.text(i, site);
    c.unit = t.text(i, unit);
    c.min = t.optional_number(i, mn);
    c.max = t.optional_number(i, mx);
    c.value = t.optional_number(i, value);
    c.result = t.text(i, result);
    c.note = t.text(i, note);
    if (c.result != "pass" && c.result != "fail") t.fail(i, result, "'" + c.result + "' is not pass or fail");
    out.push_back(std::move(c));
  }
  return out;
}

ClaimInterval claim_interval(const std::vector<ClaimRow>& seeds) {
  ClaimInterval ci;
  if (seeds.empty()) return ci;
  ci.claim = seeds.front();
  ci.seeds = seeds.size();
  std::vector<double> values;
  for (const ClaimRow& s : seeds) {
    if (s.pass()) ++ci.seeds_passed;
    if (s.value) values.push_back(*s.value);
  }
  ci.ci = sim::mean_ci95(values);
  if (values.size() == seeds.size() && !values.empty()) {
    // One seed has no interval: the claim then rests on that seed alone.
    const double hw = values.size() >= 2 && std::isfinite(ci.ci.half_width) ? ci.ci.half_width : 0.0;
    const double lo = ci.ci.mean - hw, hi = ci.ci.mean + hw;
    ci.interval_pass = (!ci.claim.max || hi <= *ci.claim.max) && (!ci.claim.min || lo >= *ci.claim.min);
  }
  return ci;
}

}  // namespace dcsim::tools
