// FCFS multi-server queue by start-time recursion.
#include "models/site_queue.hpp"

#include <algorithm>
#include <functional>

namespace dcsim::models {

SiteQueue::SiteQueue(std::int64_t servers, std::int64_t waiting_room)
    : free_at_(static_cast<std::size_t>(std::max<std::int64_t>(0, servers)), 0),
      waiting_room_(std::max<std::int64_t>(0, waiting_room)) {}

void SiteQueue::sift_down(std::size_t i) {
  const std::size_t n = free_at_.size();
  const std::int64_t v = free_at_[i];
  for (;;) {
    std::size_t c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && free_at_[c + 1] < free_at_[c]) ++c;
    if (free_at_[c] >= v) break;
    free_at_[i] = free_at_[c];
    i = c;
  }
  free_at_[i] = v;
}

void SiteQueue::heapify() {
  for (std::size_t i = free_at_.size() / 2; i-- > 0;) sift_down(i);
}

void SiteQueue::trim_waiting(sim::SimTime t) {
  const std::int64_t now = t.time_since_epoch().count();
  while (head_ < waiting_.size() && waiting_[head_] <= now) ++head_;
  if (head_ > 4096 && head_ * 2 > waiting_.size()) {  // compact the ring now and then
    waiting_.erase(waiting_.begin(), waiting_.begin() + static_cast<long>(head_));
    head_ = 0;
  }
}

std::int64_t SiteQueue::waiting_at(sim::SimTime t) {
  trim_waiting(t);
  return static_cast<std::int64_t>(waiting_.size() - head_);
}

SiteQueue::Admission SiteQueue::offer(sim::SimTime t, sim::SimDuration service) {
  Admission a;
  if (free_at_.empty()) return a;
  a.queue_seen = waiting_at(t);
  const std::int64_t now = t.time_since_epoch().count();
  const std::int64_t earliest = free_at_[0];
  if (earliest > now && a.queue_seen >= waiting_room_) return a;  // no server, no room
  const std::int64_t start = std::max(now, earliest);
  free_at_[0] = start + service.count();
  sift_down(0);
  if (start > now) {
    // Starts grow with arrivals while the servers stay the same; after a resize a request
    // can start before ones queued earlier (on servers that since left, or before servers
    // that were added), so it is inserted in order for trim_waiting to count right.
    if (waiting_.size() == head_ || waiting_.back() <= start) {
      waiting_.push_back(start);
    } else {
      waiting_.insert(std::upper_bound(waiting_.begin() + static_cast<long>(head_), waiting_.end(), start), start);
    }
  }
  a.accepted = true;
  a.start = sim::SimTime{sim::SimDuration{start}};
  return a;
}

void SiteQueue::resize(std::int64_t servers, sim::SimTime t) {
  const std::size_t n = static_cast<std::size_t>(std::max<std::int64_t>(0, servers));
  const std::int64_t now = t.time_since_epoch().count();
  if (n > free_at_.size()) {
    free_at_.resize(n, now);
  } else if (n < free_at_.size()) {
    // Keep the servers that free up first: the others finish their work and leave.
    std::sort(free_at_.begin(), free_at_.end());
    free_at_.resize(n);
  }
  heapify();
}

}  // namespace dcsim::models
