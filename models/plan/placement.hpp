// Placement search: which k sites to build, from the scenario's candidates, on top of the
// sites already in its build-out, to minimise a weighted objective the planner states under
// `placement:` in the scenario (Scenario::placement) — service terms from the flow model
// (user-weighted mean and p95 time to first byte, cross-border and EEA-exit bytes per day) and the new sites'
// capital and operating cost and carbon — subject to constraints (peak utilisation,
// countries required or excluded, budget). Small problems are solved exactly by
// enumeration; larger ones by greedy construction and 1-swap local search, with the gap
// to a relaxation bound reported.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/scenario/scenario.hpp"
#include "models/network/world.hpp"

namespace dcsim::models {

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

/// The sites the search chooses from, in catalog order: spec.candidates (absent: every site
/// with status candidate), less the sites in `existing` and those in excluded countries.
std::vector<std::string> placement_pool(const World& world, const std::vector<std::string>& existing, const PlacementSpec& spec);

/// World must be built from a scenario whose build_out holds the existing sites plus every
/// candidate (so routes to all of them exist); `existing` are the sites kept built.
PlacementOutcome search_placement(const World& world, const std::vector<std::string>& existing, const PlacementSpec& spec,
                                  int k, std::size_t keep = 20);

}  // namespace dcsim::models
