// FCFS multi-server queue by start-time recursion.
#include "models/site_queue.hpp"

#include <algorithm>
#include <limits>

namespace dcsim::models {

namespace {
constexpr std::int64_t kInf = std::numeric_limits<std::int64_t>::max();
constexpr std::size_t kPad = 4;  // the last internal node's children reach index servers + 2
}  // namespace

SiteQueue::SiteQueue(std::int64_t servers, std::int64_t waiting_room)
    : servers_(static_cast<std::size_t>(std::max<std::int64_t>(0, servers))),
      waiting_room_(std::max<std::int64_t>(0, waiting_room)) {
  free_at_.assign(servers_ + kPad, kInf);
  std::fill(free_at_.begin(), free_at_.begin() + static_cast<long>(servers_), 0);
}

// The root's server takes a request until v: sink the hole to a leaf along the smaller
// children, then lift v to its place on that path.
void SiteQueue::replace_root(std::int64_t v) {
  std::int64_t* h = free_at_.data();
  const std::size_t n = servers_;
  std::size_t i = 0;
  for (std::size_t c = 1; c < n; c = 4 * i + 1) {
    const std::size_t a = c + static_cast<std::size_t>(h[c + 1] < h[c]);
    const std::size_t b = c + 2 + static_cast<std::size_t>(h[c + 3] < h[c + 2]);
    const std::size_t m = h[b] < h[a] ? b : a;
    h[i] = h[m];
    i = m;
  }
  while (i > 0) {
    const std::size_t p = (i - 1) / 4;
    if (h[p] <= v) break;
    h[i] = h[p];
    i = p;
  }
  h[i] = v;
}

void SiteQueue::heapify() {
  std::int64_t* h = free_at_.data();
  const std::size_t n = servers_;
  for (std::size_t k = n / 4 + 1; k-- > 0;) {
    std::size_t i = k;
    const std::int64_t v = h[i];
    for (std::size_t c = 4 * i + 1; c < n; c = 4 * i + 1) {
      std::size_t m = c;
      for (std::size_t j = c + 1; j < c + 4; ++j)
        if (h[j] < h[m]) m = j;
      if (h[m] >= v) break;
      h[i] = h[m];
      i = m;
    }
    h[i] = v;
  }
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
  if (servers_ == 0) return a;
  a.queue_seen = waiting_at(t);
  const std::int64_t now = t.time_since_epoch().count();
  const std::int64_t earliest = free_at_[0];
  if (earliest > now && a.queue_seen >= waiting_room_) return a;  // no server, no room
  const std::int64_t start = std::max(now, earliest);
  replace_root(start + service.count());
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
  free_at_.resize(servers_);  // drop the padding
  if (n > servers_) {
    free_at_.resize(n, now);
  } else if (n < servers_) {
    // Keep the servers that free up first: the others finish their work and leave.
    std::sort(free_at_.begin(), free_at_.end());
    free_at_.resize(n);
  }
  servers_ = n;
  free_at_.resize(n + kPad, kInf);
  heapify();
}

}  // namespace dcsim::models
