// Placement search: which k sites to build, from the scenario's candidates, on top of the
// sites already in its build-out, to minimise a weighted objective the planner states under
// `placement:` in the scenario — service terms from the flow model (user-weighted mean and
// p95 time to first byte, cross-border and EEA-exit bytes per day) and the new sites'
// capital and operating cost and carbon — subject to constraints (peak utilisation,
// countries required or excluded, budget). Small problems are solved exactly by
// enumeration; larger ones by greedy construction and 1-swap local search, with the gap
// to a relaxation bound reported.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/scenario.hpp"
#include "models/world.hpp"

namespace dcsim::models {

/// Weights (per unit in the key's name) of the objective's terms.
struct PlacementObjective {
  double ttfb_mean_ms = 1.0;
  double ttfb_p95_ms = 0.0;
  double cross_border_pb = 0.0;   ///< per PB per day
  double eea_exit_pb = 0.0;       ///< per PB per day
  double capex_meur = 0.0;        ///< per million EUR of the new sites
  double opex_meur_per_year = 0.0;
  double carbon_kt_per_year = 0.0;  ///< kt CO2 per year from the new sites' provisioned power
};

struct PlacementSpec {
  std::vector<std::string> candidates;  ///< empty: every catalog site with status candidate
  PlacementObjective objective;
  double max_peak_utilisation = 1.0;
  std::vector<std::string> require_countries;  ///< at least one new site in each
  std::vector<std::string> exclude_countries;
  double budget_meur = 1e12;
  std::int64_t exhaustive_limit = 5000;  ///< enumerate when C(n, k) is at most this
};

/// Reads `placement:` from the scenario file's tree (strict, every error with file:line).
/// Throws ScenarioError. Absent section: defaults (mean TTFB only, all candidates).
PlacementSpec load_placement_spec(const std::string& scenario_path, const Scenario& scenario);

/// One evaluated build-out.
struct PlacementResult {
  std::vector<std::string> sites;  ///< the new sites, sorted
  std::vector<std::pair<std::string, double>> terms;  ///< raw values, in their units
  double objective = 0;
  bool feasible = true;
  std::string infeasible_why;
};

struct PlacementOutcome {
  std::vector<PlacementResult> ranked;  ///< best first, feasible before infeasible, at most `keep`
  std::string method;                   ///< "exhaustive" or "greedy+swap"
  std::int64_t evaluations = 0;
  double bound = 0;                     ///< relaxation lower bound on the objective
  double gap = 0;                       ///< (best - bound) / best; 0 when exhaustive
};

/// World must be built from a scenario whose build_out holds the existing sites plus every
/// candidate (so routes to all of them exist); `existing` are the sites kept built.
PlacementOutcome search_placement(const World& world, const std::vector<std::string>& existing, const PlacementSpec& spec,
                                  int k, std::size_t keep = 20);

}  // namespace dcsim::models
