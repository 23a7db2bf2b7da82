// The event-fidelity run: traffic from TrafficGenerator, served request by request in time
// order, with the scenario's events (outages, link cuts, build-out dates, capacity changes,
// policy switches; surges are in the demand) applied between requests at their times.
// Each request goes where residency and routing send it, queues at that site (or spills,
// or is dropped when the site is full), and when its service completes its bytes, border
// crossings and the latency its user sees are recorded in Metrics:
//   latency = user RTT to the site + waiting + service + transfer (TCP slow start)
// (edge-cache hits: last mile + fixed RTT + transfer). Writes are copied to replica sites
// and a share of them to the export site. A site that goes dark loses or retries the
// requests it holds; writes taken elsewhere while it is down are copied back (catch-up)
// when it returns.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "models/run/metrics.hpp"
#include "models/network/world.hpp"

namespace dcsim::models {

class DataPlan;

struct RunOptions {
  /// Called now and then with the share of simulated time done, in [0, 1].
  std::function<void(double)> progress;
  std::size_t chunk = 1 << 14;  ///< requests generated per batch
  /// 1: generate and serve on one thread; 2: generate on a second thread, ahead of the
  /// server, and record what is served on whichever of the two has time (RecordQueue).
  /// The request sequence and the order of recording are the same either way, so results
  /// are identical.
  int threads = 2;
  /// Records of served requests handed over at a time (with one thread, recorded after
  /// each chunk all the same). Results do not depend on it.
  std::size_t record_batch = 1024;
  /// The migration schedule to follow (nullptr: the run plans its own, see plan_data): a
  /// window of a longer run follows that run's.
  const DataPlan* data_plan = nullptr;
};

/// Runs the scenario the World was built from at event fidelity.
std::unique_ptr<Metrics> run_event(const World& world, const RunOptions& options = {});

}  // namespace dcsim::models
