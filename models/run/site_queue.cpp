// FCFS multi-server queue by start-time recursion, free times in a radix heap.
#include "models/run/site_queue.hpp"

#include <algorithm>
#include <cmath>

namespace dcsim::models {

ScaledServers scale_servers(double exact) {
  if (!(exact > 0)) return {};
  // A whole number computed in floating point (2400 / 100 × 0.5) may sit a few ulps off.
  const double whole = std::round(exact);
  if (std::fabs(exact - whole) <= 1e-9 * exact && whole >= 1) return {whole, static_cast<std::int64_t>(whole), 1.0};
  const auto n = static_cast<std::int64_t>(std::ceil(exact));
  return {exact, n, static_cast<double>(n) / exact};
}

SiteQueue::SiteQueue(std::int64_t servers, std::int64_t waiting_room)
    : servers_(static_cast<std::size_t>(std::max<std::int64_t>(0, servers))),
      idle_(static_cast<std::int64_t>(servers_)),
      waiting_room_(std::max<std::int64_t>(0, waiting_room)) {}

// Servers whose free time is <= now join the idle count, and now becomes the base. Times in
// buckets below now's bucket are all <= now; times in higher buckets keep their bucket
// (they differ from now in the same highest bit as from the old base); now's own bucket is
// split.
void SiteQueue::drain(std::int64_t now) {
  if (now < base_ || occupied_ == 0) return;
  const int top = std::bit_width(static_cast<std::uint64_t>(now ^ base_));
  const std::uint64_t below = (std::uint64_t{1} << top) - 1;  // top <= 63: times are >= 0
  for (std::uint64_t m = occupied_ & below; m != 0; m &= m - 1) {
    auto& b = buckets_[static_cast<std::size_t>(std::countr_zero(m))];
    idle_ += static_cast<std::int64_t>(b.size());
    b.clear();
  }
  occupied_ &= ~below;
  base_ = now;
  if (!(occupied_ >> top & 1)) return;
  auto& split = buckets_[static_cast<std::size_t>(top)];
  std::vector<std::int64_t> keys;
  keys.swap(split);
  occupied_ &= ~(std::uint64_t{1} << top);
  for (const std::int64_t k : keys) {
    if (k <= now) ++idle_;
    else insert(k);  // lands below `top`
  }
  keys.clear();
  if (split.empty()) split.swap(keys);  // keep the bucket's capacity
}

// Every server is busy (idle_ == 0, servers_ > 0): the earliest free time, removed.
std::int64_t SiteQueue::take_earliest() {
  const int low = std::countr_zero(occupied_);
  auto& b = buckets_[static_cast<std::size_t>(low)];
  if (low > 0) {
    // The lowest bucket's minimum becomes the base; the bucket spreads below, the minimum
    // (and its ties) into bucket 0.
    const std::int64_t m = *std::min_element(b.begin(), b.end());
    std::vector<std::int64_t> keys;
    keys.swap(b);
    occupied_ &= ~(std::uint64_t{1} << low);
    base_ = m;
    for (const std::int64_t k : keys) insert(k);
    keys.clear();
    if (b.empty()) b.swap(keys);
  }
  auto& zero = buckets_[0];
  const std::int64_t t = zero.back();
  zero.pop_back();
  if (zero.empty()) occupied_ &= ~std::uint64_t{1};
  return t;
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
  drain(now);
  if (idle_ == 0 && a.queue_seen >= waiting_room_) return a;  // no server, no room
  std::int64_t start = now;
  if (idle_ > 0) {
    --idle_;
  } else {
    start = take_earliest();  // > now: drained
  }
  insert(start + service.count());  // >= now >= base_, or >= start == base_
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

std::vector<std::int64_t> SiteQueue::stored() const {
  std::vector<std::int64_t> keys;
  for (const auto& b : buckets_) keys.insert(keys.end(), b.begin(), b.end());
  return keys;
}

void SiteQueue::rebuild(std::vector<std::int64_t> keys, std::int64_t base) {
  for (auto& b : buckets_) b.clear();
  occupied_ = 0;
  base_ = base;
  for (const std::int64_t k : keys) insert(k);
}

void SiteQueue::resize(std::int64_t servers, sim::SimTime t) {
  const std::size_t n = static_cast<std::size_t>(std::max<std::int64_t>(0, servers));
  const std::int64_t now = t.time_since_epoch().count();
  std::vector<std::int64_t> keys = stored();
  if (n > servers_) {
    // Added servers are free from t: kept as times (an arrival before t must not use them).
    keys.insert(keys.end(), n - servers_, now);
  } else if (n < servers_) {
    // Keep the servers that free up first (idle ones, then the earliest busy ones): the
    // others finish their work and leave.
    const auto keep_idle = std::min<std::int64_t>(idle_, static_cast<std::int64_t>(n));
    const auto keep_busy = static_cast<std::size_t>(static_cast<std::int64_t>(n) - keep_idle);
    std::sort(keys.begin(), keys.end());
    keys.resize(std::min(keep_busy, keys.size()));
    idle_ = keep_idle;
  }
  servers_ = n;
  const std::int64_t base = keys.empty() ? base_ : std::min(base_, *std::min_element(keys.begin(), keys.end()));
  rebuild(std::move(keys), base);
}

}  // namespace dcsim::models
