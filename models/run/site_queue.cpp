// FCFS multi-server queue by start-time recursion, free times on a timing wheel.
#include "models/run/site_queue.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <functional>
#include <stdexcept>

namespace dcsim::models {

ScaledServers scale_servers(double exact) {
  if (!(exact > 0)) return {};
  // A whole number computed in floating point (2400 / 100 × 0.5) may sit a few ulps off.
  const double whole = std::round(exact);
  if (std::fabs(exact - whole) <= 1e-9 * exact && whole >= 1) return {whole, static_cast<std::int64_t>(whole), 1.0};
  const auto n = static_cast<std::int64_t>(std::ceil(exact));
  return {exact, n, static_cast<double>(n) / exact};
}

SiteQueue::SiteQueue(std::int64_t servers, std::int64_t waiting_room, Wheel wheel)
    : servers_(static_cast<std::size_t>(std::max<std::int64_t>(0, servers))),
      idle_(static_cast<std::int64_t>(servers_)),
      shift_(wheel.shift),
      slots_n_(wheel.slots),
      mask_(wheel.slots - 1),
      waiting_room_(std::max<std::int64_t>(0, waiting_room)) {
  if (wheel.shift < 0 || wheel.shift > 61 || wheel.slots == 0 || (wheel.slots & mask_) != 0)
    throw std::invalid_argument("SiteQueue: a wheel needs a power-of-two slot count and a shift in [0, 61]");
}

void SiteQueue::allocate() {
  slots_.resize(slots_n_);
  occupied_.assign((slots_n_ + 63) / 64, 0);
  heaped_.assign(occupied_.size(), 0);
}

void SiteQueue::push_far(std::int64_t free_at) {
  far_.push_back(free_at);
  std::push_heap(far_.begin(), far_.end(), std::greater<>());
}

// Servers whose free time is in a slot the clock has left join the idle count; times from
// the heap that the wheel's span now reaches move into it (or, already past, are idle).
void SiteQueue::drain(std::int64_t now) {
  const std::int64_t target = now >> shift_;
  if (target == clock_slot_ + 1 && !slots_.empty()) {  // the common step: one slot
    const auto s = static_cast<std::size_t>(clock_slot_) & mask_;
    const std::uint64_t bit = std::uint64_t{1} << (s & 63);
    if (occupied_[s >> 6] & bit) {
      clear_slot(s);
      occupied_[s >> 6] &= ~bit;
      heaped_[s >> 6] &= ~bit;
    }
  } else if (!slots_.empty()) {
    const auto passed = static_cast<std::uint64_t>(target - clock_slot_);
    // The slots from the clock's up to (not including) the target's, in wheel order: all
    // of them when the clock jumps a whole span.
    std::size_t s = static_cast<std::size_t>(clock_slot_) & mask_;
    std::size_t left = passed >= slots_n_ ? slots_n_ : static_cast<std::size_t>(passed);
    while (left > 0) {
      const std::size_t w = s >> 6, off = s & 63;
      const std::size_t span = std::min({std::size_t{64} - off, slots_n_ - s, left});
      const std::uint64_t in_span = span == 64 ? ~std::uint64_t{0} : ((std::uint64_t{1} << span) - 1) << off;
      for (std::uint64_t bits = occupied_[w] & in_span; bits != 0; bits &= bits - 1)
        clear_slot((w << 6) + static_cast<std::size_t>(std::countr_zero(bits)));
      occupied_[w] &= ~in_span;
      heaped_[w] &= ~in_span;
      s = (s + span) & mask_;
      left -= span;
    }
  }
  clock_slot_ = target;
  // The heap's earliest first: past ones (the clock jumped over them) are idle, then those
  // the span now reaches go into the wheel.
  while (!far_.empty()) {
    const std::int64_t slot = far_.front() >> shift_;
    if (slot >= clock_slot_ && static_cast<std::uint64_t>(slot - clock_slot_) >= slots_n_) break;
    std::pop_heap(far_.begin(), far_.end(), std::greater<>());
    const std::int64_t t = far_.back();
    far_.pop_back();
    if (slot < clock_slot_) ++idle_;
    else insert(t);
  }
}

std::size_t SiteQueue::first_occupied() const {
  if (slots_.empty()) return kNone;
  const std::size_t words = occupied_.size(), s0 = static_cast<std::size_t>(clock_slot_) & mask_;
  std::size_t w = s0 >> 6;
  std::uint64_t bits = occupied_[w] & (~std::uint64_t{0} << (s0 & 63));
  // One turn of the wheel, then the first word again for the slots before s0 (last in order).
  for (std::size_t i = 0; i <= words; ++i) {
    if (bits != 0) return (w << 6) + static_cast<std::size_t>(std::countr_zero(bits));
    w = w + 1 == words ? 0 : w + 1;
    bits = occupied_[w];
  }
  return kNone;
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
  const std::int64_t now = t.time_since_epoch().count();
  // Inline checks first: most arrivals find nobody waiting, and the clock in its slot.
  if (head_ < waiting_.size() && waiting_[head_] <= now) trim_waiting(t);
  a.queue_seen = static_cast<std::int64_t>(waiting_.size() - head_);
  if ((now >> shift_) > clock_slot_) drain(now);
  std::int64_t start = now;
  if (idle_ > 0) {
    --idle_;
  } else {
    // No server known free: the earliest free time (first occupied slot, else the heap;
    // servers_ > 0 and none idle, so one is held). It may be past: the clock's slot is
    // not drained, so that server is free and the request starts now.
    const std::size_t s = first_occupied();
    std::vector<std::int64_t>& times = s != kNone ? slots_[s] : far_;  // both min-heaps then
    const std::uint64_t bit = s != kNone ? std::uint64_t{1} << (s & 63) : 0;
    if (s != kNone && !(heaped_[s >> 6] & bit)) {
      std::make_heap(times.begin(), times.end(), std::greater<>());
      heaped_[s >> 6] |= bit;
    }
    const std::int64_t earliest = times.front();
    if (earliest > now && a.queue_seen >= waiting_room_) return a;  // no server, no room
    std::pop_heap(times.begin(), times.end(), std::greater<>());
    times.pop_back();
    if (s != kNone && times.empty()) {
      occupied_[s >> 6] &= ~bit;
      heaped_[s >> 6] &= ~bit;
    }
    start = std::max(now, earliest);
  }
  insert(start + service.count());  // in the clock's slot or later
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
  std::vector<std::int64_t> keys(far_);
  for (const auto& slot : slots_) keys.insert(keys.end(), slot.begin(), slot.end());
  return keys;
}

void SiteQueue::rebuild(const std::vector<std::int64_t>& keys) {
  for (auto& slot : slots_) slot.clear();
  std::fill(occupied_.begin(), occupied_.end(), 0);
  std::fill(heaped_.begin(), heaped_.end(), 0);
  far_.clear();
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
  // Every stored time is in the clock's slot or later, and t is not before the last offer.
  rebuild(keys);
}

}  // namespace dcsim::models
