// Time to recover after an event: from its end until every site's queue is back to (or
// below) its level when the event started. Queue levels are read when the event starts
// and ends; afterwards each arrival reports the queue it saw at its site.
#pragma once

#include <cstdint>
#include <vector>

#include "models/run/metrics.hpp"
#include "models/run/site_queue.hpp"
#include "sim/time.hpp"

namespace dcsim::models {

class RecoveryTracker {
 public:
  RecoveryTracker(std::size_t events, std::size_t sites);

  /// At an event's start: the queue levels to return to.
  void snapshot(std::size_t event, std::vector<SiteQueue>& queues, sim::SimTime t);
  /// At an event's end: sites already back count as recovered at t.
  void start(std::size_t event, std::vector<SiteQueue>& queues, sim::SimTime t, std::vector<EventEffect>& effects);
  /// An arrival at `site` at t saw `queue_seen` waiting. Cheap to skip when !active().
  void note(std::size_t site, sim::SimTime t, std::int64_t queue_seen, std::vector<EventEffect>& effects);
  bool active() const { return active_; }

 private:
  void update(std::size_t event, std::vector<EventEffect>& effects);

  std::vector<std::vector<std::int64_t>> baseline_;  ///< event × site
  std::vector<std::vector<sim::SimTime>> recover_at_;  ///< event × site
  std::vector<sim::SimTime> started_;                ///< per event: its end, kNever before
  bool active_ = false;
};

}  // namespace dcsim::models
