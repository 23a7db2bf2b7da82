// Queue levels before and after events.
#include "models/run/recovery.hpp"

#include <algorithm>

namespace dcsim::models {

RecoveryTracker::RecoveryTracker(std::size_t events, std::size_t sites)
    : baseline_(events, std::vector<std::int64_t>(sites, 0)),
      recover_at_(events, std::vector<sim::SimTime>(sites, sim::kNever)),
      started_(events, sim::kNever) {}

void RecoveryTracker::snapshot(std::size_t event, std::vector<SiteQueue>& queues, sim::SimTime t) {
  for (std::size_t k = 0; k < queues.size(); ++k) baseline_[event][k] = queues[k].waiting_at(t);
}

void RecoveryTracker::start(std::size_t event, std::vector<SiteQueue>& queues, sim::SimTime t, std::vector<EventEffect>& effects) {
  started_[event] = t;
  for (std::size_t k = 0; k < queues.size(); ++k)
    recover_at_[event][k] = queues[k].waiting_at(t) <= baseline_[event][k] ? t : sim::kNever;
  active_ = true;
  update(event, effects);
}

void RecoveryTracker::note(std::size_t site, sim::SimTime t, std::int64_t queue_seen, std::vector<EventEffect>& effects) {
  bool any = false;
  for (std::size_t e = 0; e < started_.size(); ++e) {
    if (started_[e] == sim::kNever || effects[e].time_to_recover_s >= 0) continue;
    any = true;
    if (recover_at_[e][site] == sim::kNever && queue_seen <= baseline_[e][site]) {
      recover_at_[e][site] = t;
      update(e, effects);
    }
  }
  active_ = any;
}

void RecoveryTracker::update(std::size_t e, std::vector<EventEffect>& effects) {
  sim::SimTime last = started_[e];
  for (const auto& at : recover_at_[e]) {
    if (at == sim::kNever) return;
    last = std::max(last, at);
  }
  effects[e].time_to_recover_s = sim::to_seconds(last - started_[e]);
}

}  // namespace dcsim::models
