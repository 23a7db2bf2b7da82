// What every run holds, at either fidelity: the World and its scenario, the demand, the
// Metrics being filled and the Ledger that fills them, the RunState under the scenario's
// controls, the horizon and the access bandwidth. EventRun and FlowRun build on it.
#pragma once

#include <memory>
#include <vector>

#include "models/run/flow_run.hpp"
#include "models/run/ledger.hpp"
#include "models/run/metrics.hpp"
#include "models/run/run_state.hpp"
#include "models/traffic/demand.hpp"

namespace dcsim::models {

/// The dimension tables and event records Metrics uses for a World (countries in
/// first-seen order of regions, then staff and site countries).
std::unique_ptr<Metrics> make_metrics(const World& world);

class RunContext {
 protected:
  /// `built`: which catalog sites are built (empty: the scenario's build_out). `routing`:
  /// how pairs are routed (nullptr: the scenario's network.routing, see routing_plan).
  RunContext(const World& world, const std::vector<bool>& built, const RoutingPlan* routing)
      : world_(world), s_(world.scenario()), demand_(build_demand(world)), metrics_(make_metrics(world)),
        ledger_(*metrics_, world), state_(world, built, routing ? *routing : routing_plan(world, built)),
        horizon_(sim::at(s_.meta.duration)),
        bytes_per_ns_(s_.network.access_bandwidth_mbps * 1e6 / 8.0 / 1e9) {
    metrics_->link_loads = std::make_unique<LinkLoads>(metrics_->intervals(), state_.paths());
  }

  /// Stored data, migration bytes on the links of their paths, and the schedule into
  /// Metrics: once, at the end of a run (before the last flush).
  void record_data_plan() {
    if (const DataPlan* all = state_.storage_plan()) {
      metrics_->storage = all->storage();
      metrics_->storage_start = all->storage_start();
    }
    // Waves whatever they move (a content wave moves data no request is sent after).
    const DataPlan* plan = state_.storage_plan();
    if (!plan) return;
    for (const MigrationTransfer& tr : plan->transfers())
      metrics_->link_loads->add(tr.interval, LinkTraffic::Migration, state_.paths().site_pair(tr.from, tr.to), true, tr.bytes);
    metrics_->migration_waves = plan->waves();
    metrics_->migration_completed_in = plan->completed_in();
    metrics_->migration_wave_info = plan->wave_info();
    metrics_->migration_transfers = plan->transfers();
  }

  const World& world_;
  const Scenario& s_;
  Demand demand_;
  std::unique_ptr<Metrics> metrics_;
  Ledger ledger_;
  RunState state_;
  sim::SimTime horizon_;
  double bytes_per_ns_;  ///< a user's access bandwidth
};

}  // namespace dcsim::models
