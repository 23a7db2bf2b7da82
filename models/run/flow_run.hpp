// Flow fidelity: the same demand, residency, routing, replication and capacity models as
// the event run, evaluated as expected values with no random draws. Time is cut into
// segments at reporting-interval boundaries and event times; in each, every stream's
// expected requests follow the routing tables; each site is an M/M/c/K queue (Allen–
// Cunneen corrected for its service mix) whose blocked share spills down each origin's
// candidate list until the blocking probabilities settle. Latency distributions come from
// a fixed lattice of quantile points (waiting × service × size), so percentiles exist
// without sampling. Writes the same Metrics as run_event.
#pragma once

#include <memory>
#include <vector>

#include "models/network/congestion.hpp"
#include "models/network/path_table.hpp"
#include "models/run/metrics.hpp"
#include "models/network/world.hpp"

namespace dcsim::models {

class DataPlan;

struct FlowOptions {
  bool latency = true;      ///< fill latency histograms (off: faster, for placement search)
  /// Which catalog sites are built, replacing the scenario's build_out (placement search
  /// evaluates many build-outs on one World). Empty: the scenario's.
  std::vector<bool> built;
  /// When set, filled with the congestion of every interval (for an event run).
  CongestionTimeline* congestion = nullptr;
  /// The migration schedule to follow (nullptr: the run plans its own, see plan_data).
  const DataPlan* data_plan = nullptr;
  /// Ignore legacy data and migrations (the pass that measures spare link capacity).
  bool without_migrations = false;
  int latency_points = 128;  ///< quantile points per flow and segment (64 underweights heavy size tails: mean latency -5 %)
  /// How pairs are routed; nullptr: the scenario's network.routing (routing_plan).
  const RoutingPlan* routing = nullptr;
  /// When set, filled with the bytes per column (pair and direction) of every interval.
  std::vector<std::vector<double>>* column_bytes = nullptr;
};

std::unique_ptr<Metrics> run_flow(const World& world, const FlowOptions& options = {});

/// The routing a run of this World uses: its scenario's network.routing. For
/// min_max_utilisation the plan carries the traffic it is engineered for: each pair's
/// bytes/s in the peak interval (the interval whose most utilised backbone link is most
/// utilised) of a flow pass over shortest paths with the same build-out and events.
RoutingPlan routing_plan(const World& world, const std::vector<bool>& built = {});

}  // namespace dcsim::models
