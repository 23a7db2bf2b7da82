// N-1 analysis, as network planners run it (pyNTM's failure simulation, WANDL/MATE's
// "worst case" reports): fail each backbone link alone, and each shared-risk link group
// alone, for the whole run at flow fidelity, and measure what the failure does against the
// scenario as it is: the worst link utilisation and where, requests dropped (and of them,
// unreachable), EEA-exit bytes, and the change in p95 time to first byte. Failures are
// ranked worst first. Optionally N-2: the worst failures taken two at a time.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "models/scenario/scenario.hpp"

namespace dcsim::models {

/// What fails: one link (hub pair) or every link of a shared-risk group, or two of those.
struct Failure {
  std::string kind;  ///< "none" (the scenario as it is), "link", "srlg", or "pair" (N-2)
  std::string name;  ///< "DUB-LON", the group, or "A + B"
  std::vector<std::pair<std::string, std::string>> links;
};

struct FailureResult {
  Failure failure;
  double peak_link_utilisation = 0;  ///< over directed links with a capacity and intervals
  std::string peak_link;
  double dropped_requests = 0, unreachable_requests = 0, dropped_share = 0;
  double eea_exit_bytes = 0, eea_exit_share = 0;
  double ttfb_p95_ms = 0, ttfb_p95_change_ms = 0;
  double routes_changed = 0;   ///< region × site routes the failure moved
};

struct ResilienceOptions {
  int n2_top = 0;      ///< take the worst this many single failures two at a time (0: N-1 only)
  int threads = 2;
  std::function<void(double)> progress;  ///< share of failures done
};

struct ResilienceOutcome {
  FailureResult baseline;             ///< no failure
  std::vector<FailureResult> ranked;  ///< worst first
};

/// Every single link and shared-risk group of the scenario's backbone.
std::vector<Failure> single_failures(const Scenario& s);

/// Runs the scenario (at flow fidelity) under each failure. Ranking: dropped requests, then
/// peak link utilisation, then EEA-exit bytes, then p95 change (all descending, each as
/// resilience.csv prints it), then name.
ResilienceOutcome analyse_resilience(const Scenario& scenario, const ResilienceOptions& options);
/// Whether failure a ranks before b (the order above).
bool ranks_before(const FailureResult& a, const FailureResult& b);

}  // namespace dcsim::models
