// Placement: evaluation with the flow model, exhaustive and heuristic search.
#include "models/plan/placement.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <set>

#include "models/run/flow_run.hpp"
#include "models/run/summary.hpp"

namespace dcsim::models {

namespace {

double choose(std::int64_t n, std::int64_t k) {
  double c = 1;
  for (std::int64_t i = 1; i <= k; ++i) c = c * static_cast<double>(n - k + i) / static_cast<double>(i);
  return c;
}

class Evaluator {
 public:
  Evaluator(const World& world, const std::vector<std::string>& existing, const PlacementSpec& spec)
      : world_(world), spec_(spec) {
    base_.assign(world.sites().size(), false);
    for (const auto& id : existing) base_[static_cast<std::size_t>(world.site_index(id))] = true;
  }

  PlacementResult evaluate(std::vector<int> chosen) {
    std::sort(chosen.begin(), chosen.end());
    if (auto it = cache_.find(chosen); it != cache_.end()) return it->second;
    ++evaluations_;
    PlacementResult res;
    FlowOptions fo;
    fo.built = base_;
    fo.latency = spec_.objective.ttfb_p95_ms > 0;
    fo.latency_points = 32;
    double capex = 0, opex = 0, carbon_kt = 0;
    std::set<std::string> countries;
    for (int k : chosen) {
      const Site& s = *world_.sites()[static_cast<std::size_t>(k)].site;
      fo.built[static_cast<std::size_t>(k)] = true;
      res.sites.push_back(s.id);
      countries.insert(s.country);
      capex += s.capex_eur.value_or(0) / 1e6;
      opex += s.opex_eur_per_year.value_or(0) / 1e6;
      carbon_kt += carbon_kt_per_year(s);
    }
    std::sort(res.sites.begin(), res.sites.end());
    const auto m = run_flow(world_, fo);
    const Headline h = compute_headline(*m, world_);
    const double days = sim::to_seconds(world_.scenario().meta.duration) / 86400.0;
    const double ttfb_mean = m->user_ttfb_count > 0 ? m->user_ttfb_ms_sum / m->user_ttfb_count : 0;
    // Percentiles need the latency lattice, computed only when the objective weighs them;
    // otherwise the term is NaN, written as an empty cell rather than a made-up 0 ms.
    const double ttfb_p95 = fo.latency ? h.get("ttfb_p95_ms") : std::numeric_limits<double>::quiet_NaN();
    const double cross_pb = h.get("cross_border_bytes") / 1e15 / days, exit_pb = h.get("eea_exit_bytes") / 1e15 / days;
    res.terms = {{"ttfb_mean_ms", ttfb_mean},       {"ttfb_p95_ms", ttfb_p95},   {"cross_border_pb_per_day", cross_pb},
                 {"eea_exit_pb_per_day", exit_pb},  {"capex_meur", capex},       {"opex_meur_per_year", opex},
                 {"carbon_kt_per_year", carbon_kt}, {"peak_site_utilisation", h.get("peak_site_utilisation")},
                 {"dropped_share", h.get("dropped_share")}};
    res.objective = weigh(ttfb_mean, ttfb_p95, cross_pb, exit_pb, capex, opex, carbon_kt);
    if (h.get("peak_site_utilisation") > spec_.max_peak_utilisation + 1e-12)
      res.infeasible_why = "peak site utilisation above " + std::to_string(spec_.max_peak_utilisation);
    if (capex > spec_.budget_meur + 1e-9) res.infeasible_why = "capital cost above the budget";
    for (const auto& c : spec_.require_countries)
      if (!countries.count(c)) res.infeasible_why = "no new site in " + c;
    res.feasible = res.infeasible_why.empty();
    cache_.emplace(chosen, res);
    return res;
  }

  double weigh(double ttfb_mean, double ttfb_p95, double cross_pb, double exit_pb, double capex, double opex, double carbon) const {
    const PlacementObjective& w = spec_.objective;
    return w.ttfb_mean_ms * ttfb_mean + (w.ttfb_p95_ms > 0 ? w.ttfb_p95_ms * ttfb_p95 : 0.0) + w.cross_border_pb * cross_pb + w.eea_exit_pb * exit_pb +
           w.capex_meur * capex + w.opex_meur_per_year * opex + w.carbon_kt_per_year * carbon;
  }

  static double carbon_kt_per_year(const Site& s) {
    const double kwh_per_year = s.it_power_mw.value_or(0) * 1000 * s.pue.value_or(1.0) * 8760;
    return kwh_per_year * s.grid_carbon_g_per_kwh.value_or(0) / 1e12;  // g → kt
  }

  std::int64_t evaluations() const { return evaluations_; }

 private:
  const World& world_;
  const PlacementSpec& spec_;
  std::vector<bool> base_;
  std::int64_t evaluations_ = 0;
  std::map<std::vector<int>, PlacementResult> cache_;
};

bool better(const PlacementResult& a, const PlacementResult& b) {
  if (a.feasible != b.feasible) return a.feasible;
  if (a.objective != b.objective) return a.objective < b.objective;
  return a.sites < b.sites;  // deterministic ties
}

std::vector<int> pool_indices(const World& world, const std::vector<std::string>& existing, const PlacementSpec& spec) {
  std::vector<int> pool;
  std::set<std::string> kept(existing.begin(), existing.end());
  for (std::size_t i = 0; i < world.sites().size(); ++i) {
    const Site& s = *world.sites()[i].site;
    const bool listed = spec.candidates.empty() ? s.status == SiteStatus::Candidate
                                                : std::find(spec.candidates.begin(), spec.candidates.end(), s.id) != spec.candidates.end();
    const bool excluded = std::find(spec.exclude_countries.begin(), spec.exclude_countries.end(), s.country) != spec.exclude_countries.end();
    if (listed && !excluded && !kept.count(s.id)) pool.push_back(static_cast<int>(i));
  }
  return pool;
}

}  // namespace

std::vector<std::string> placement_pool(const World& world, const std::vector<std::string>& existing, const PlacementSpec& spec) {
  std::vector<std::string> out;
  for (int i : pool_indices(world, existing, spec)) out.push_back(world.sites()[static_cast<std::size_t>(i)].site->id);
  return out;
}

PlacementOutcome search_placement(const World& world, const std::vector<std::string>& existing, const PlacementSpec& spec, int k,
                                  std::size_t keep) {
  const std::vector<int> pool = pool_indices(world, existing, spec);
  PlacementOutcome out;
  Evaluator ev(world, existing, spec);
  std::vector<PlacementResult> seen;
  auto consider = [&](const std::vector<int>& chosen) {
    PlacementResult r = ev.evaluate(chosen);
    if (static_cast<int>(chosen.size()) == k) seen.push_back(r);  // greedy's partial sets are not answers
    return r;
  };
  k = std::min<int>(k, static_cast<int>(pool.size()));
  const auto n = static_cast<std::int64_t>(pool.size());
  if (k <= 0) {
    consider({});
    out.method = "none";
  } else if (choose(n, k) <= static_cast<double>(spec.exhaustive_limit)) {
    out.method = "exhaustive";
    std::vector<int> idx(static_cast<std::size_t>(k));
    std::function<void(int, int)> rec = [&](int start, int depth) {
      if (depth == k) {
        std::vector<int> chosen;
        for (int i : idx) chosen.push_back(pool[static_cast<std::size_t>(i)]);
        consider(chosen);
        return;
      }
      for (int i = start; i <= static_cast<int>(n) - (k - depth); ++i) {
        idx[static_cast<std::size_t>(depth)] = i;
        rec(i + 1, depth + 1);
      }
    };
    rec(0, 0);
  } else {
    out.method = "greedy+swap";
    // Greedy: add the site that improves the objective most, k times.
    std::vector<int> current;
    for (int step = 0; step < k; ++step) {
      PlacementResult best;
      int best_site = -1;
      for (int c : pool) {
        if (std::find(current.begin(), current.end(), c) != current.end()) continue;
        auto trial = current;
        trial.push_back(c);
        const PlacementResult r = consider(trial);
        if (best_site < 0 || better(r, best)) {
          best = r;
          best_site = c;
        }
      }
      current.push_back(best_site);
    }
    // 1-swap local search: replace one chosen site by one unchosen, best improvement first,
    // until no swap helps.
    PlacementResult incumbent = consider(current);
    for (bool improved = true; improved;) {
      improved = false;
      PlacementResult best = incumbent;
      std::vector<int> best_set;
      for (std::size_t i = 0; i < current.size(); ++i)
        for (int c : pool) {
          if (std::find(current.begin(), current.end(), c) != current.end()) continue;
          auto trial = current;
          trial[i] = c;
          const PlacementResult r = consider(trial);
          if (better(r, best)) {
            best = r;
            best_set = trial;
          }
        }
      if (!best_set.empty()) {
        current = best_set;
        incumbent = best;
        improved = true;
      }
    }
  }
  std::sort(seen.begin(), seen.end(), better);
  seen.erase(std::unique(seen.begin(), seen.end(), [](const PlacementResult& a, const PlacementResult& b) { return a.sites == b.sites; }),
             seen.end());
  if (seen.size() > keep) seen.resize(keep);
  out.ranked = std::move(seen);
  out.evaluations = ev.evaluations();

  // Relaxation bound: service terms with every candidate built at once (more sites never
  // lengthen a nearest route; queueing is second order when sites are far from full), cost
  // terms from the k cheapest candidates term by term.
  {
    const PlacementResult all = ev.evaluate(pool);
    auto term = [&](const PlacementResult& r, const char* name) {
      for (const auto& [n2, v] : r.terms)
        if (n2 == name) return v;
      return 0.0;
    };
    auto k_cheapest = [&](std::function<double(const Site&)> f) {
      std::vector<double> v;
      for (int c : pool) v.push_back(f(*world.sites()[static_cast<std::size_t>(c)].site));
      std::sort(v.begin(), v.end());
      double sum = 0;
      for (int i = 0; i < k && i < static_cast<int>(v.size()); ++i) sum += v[static_cast<std::size_t>(i)];
      return sum;
    };
    out.bound = ev.weigh(term(all, "ttfb_mean_ms"), term(all, "ttfb_p95_ms"), term(all, "cross_border_pb_per_day"),
                         term(all, "eea_exit_pb_per_day"), k_cheapest([](const Site& s) { return s.capex_eur.value_or(0) / 1e6; }),
                         k_cheapest([](const Site& s) { return s.opex_eur_per_year.value_or(0) / 1e6; }),
                         k_cheapest([](const Site& s) { return Evaluator::carbon_kt_per_year(s); }));
    out.evaluations = ev.evaluations();
    if (out.method == "exhaustive") {
      out.gap = 0;
    } else if (!out.ranked.empty() && out.ranked.front().objective > 0) {
      out.gap = std::max(0.0, (out.ranked.front().objective - out.bound) / out.ranked.front().objective);
    }
  }
  return out;
}

}  // namespace dcsim::models
