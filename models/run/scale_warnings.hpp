// Where meta.scale distorts queueing. An event run at scale k simulates a site of c servers
// as c / k servers (exactly, with rate-scaled servers: see ScaledServers), and fewer
// servers at the same load wait longer: measured on Clover full with servers cut to 27 %
// (6.5 simulated servers at scale 100), mean time to first byte 75.8 ms against 65.0 ms at
// scale 10. Planners are told which sites fall below the threshold, and which scale keeps
// every site above it. Flow fidelity uses the real server counts and is never distorted.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/scenario/scenario.hpp"

namespace dcsim::models {

/// Below this many simulated servers a site's queueing is visibly overstated.
inline constexpr double kMinSimulatedServers = 10;

struct ScaleWarning {
  std::string site;
  double real_servers = 0;       ///< the fewest the site has while in service (after capacity events)
  double simulated_servers = 0;  ///< real_servers / scale
  std::int64_t largest_scale = 0;  ///< the largest scale giving kMinSimulatedServers (0: none does)
};

/// Sites in service at some time of an event-fidelity run (built, or brought online by an
/// event) with fewer than kMinSimulatedServers simulated servers at their lowest capacity
/// (every capacity change below 1 and partial outage at the site applied together).
/// Empty at flow fidelity.
std::vector<ScaleWarning> scale_warnings(const Scenario& s);

/// Below this many simulated requests the shares of rare flows (EEA exits) and latency
/// percentiles are dominated by sampling noise: a reviewer's 2-hour run of a one-region
/// world gave an EEA-exit share of 6.8 %, 7.4 %, 3.5 %, 0.7 %, 4.6 % at scales 10^2..10^6.
inline constexpr double kMinSimulatedRequests = 1e6;

/// Expected requests of users an event run simulates (daily active users × their classes'
/// rates × days / scale; diurnal and weekly weights, growth and surges aside).
double simulated_requests_estimate(const Scenario& s);

/// The warnings as one line for a planner (empty when there are none): which sites, how
/// many simulated servers each, and the largest scale that keeps them all above the bound;
/// and, at event fidelity, too few simulated requests for the figures to be read.
std::string scale_warning_text(const Scenario& s);

}  // namespace dcsim::models
