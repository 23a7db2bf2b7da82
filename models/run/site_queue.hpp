// A site's request queue: c identical servers, first come first served, a finite waiting
// room. Arrivals must be offered in time order. The start of each request is fixed when it
// arrives (Kiefer–Wolfowitz: under FCFS the next request in line takes the earliest server
// to free up), so no departure events are needed: servers are kept as the times they
// next become free, and the waiting room is the ordered list of start times still ahead.
//
// Why a timing wheel of free times: every accepted request takes a server and leaves its
// finish time, and with thousands of servers a heap's sift (log c levels), or a radix
// heap's moves of each time to lower buckets as the clock nears it (~9 moves at Clover's
// scale 1), cost more than the rest of the queue. Free times only grow past the arrival
// clock, so they go once into a slot of fixed width (a calendar queue: Brown 1988), and
// slots the clock has passed are only counted as idle servers (which server is free does
// not matter: start = arrival). The earliest time is looked up, in one slot (made a heap
// the first time), only when no server is known to be free. Times beyond the wheel's span
// wait in a small heap.
// tools/bench/README.md (site queue) has the figures.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <vector>

#include "sim/time.hpp"

namespace dcsim::models {

/// A site's capacity as simulated servers. At scale k a site of c real servers (times any
/// capacity factor) is `exact` = c / k simulated servers, rarely a whole number; it is
/// simulated as `servers` = ceil(exact) servers, each held for `occupancy` = servers / exact
/// times a request's service time (a rate-scaled server). The site's capacity is then exact
/// at any scale, the service time a user sees is unchanged, and the queue has at least as
/// many servers as the exact figure (fewer servers overstate queueing).
struct ScaledServers {
  double exact = 0;
  std::int64_t servers = 0;
  double occupancy = 1;  ///< >= 1; exactly 1 when `exact` is a whole number
};
ScaledServers scale_servers(double exact);

/// A site queue's timing wheel: 2^shift ns per slot, `slots` (a power of two) slots.
/// Results do not depend on it; speed does. The default, 1.05 ms by 1,024 (1.07 s), keeps
/// nearly every finish inside the span and the live slots few enough to stay in cache:
/// 131 µs slots (8,192) made serving 11 % slower than the radix heap it replaced, and
/// finer slots slower still (tools/bench/README.md, site queue).
struct QueueWheel {
  int shift = 20;
  std::size_t slots = 1024;
};

class SiteQueue {
 public:
  using Wheel = QueueWheel;
  /// servers >= 0 (0: the site rejects everything), waiting_room >= 0. Throws
  /// std::invalid_argument for a wheel whose slots are not a power of two or whose shift
  /// is outside [0, 61].
  SiteQueue(std::int64_t servers, std::int64_t waiting_room, Wheel wheel = {});

  struct Admission {
    bool accepted = false;
    sim::SimTime start{};        ///< when service begins (accepted only)
    std::int64_t queue_seen = 0;  ///< requests waiting when this one arrived
  };

  /// Offers a request arriving at t needing `service`; t must not decrease between calls.
  Admission offer(sim::SimTime t, sim::SimDuration service);

  /// Requests waiting (not yet in service) at time t (t not before the last offer).
  std::int64_t waiting_at(sim::SimTime t);
  std::int64_t servers() const { return static_cast<std::int64_t>(servers_); }
  std::int64_t waiting_room() const { return waiting_room_; }

  /// Changes the number of servers from time t on. Removed servers finish what they hold
  /// (see drop_servers for losing work); added servers are free from t.
  void resize(std::int64_t servers, sim::SimTime t);
  void set_waiting_room(std::int64_t waiting_room) { waiting_room_ = waiting_room; }

 private:
  static constexpr std::size_t kNone = ~std::size_t{0};
  static constexpr std::size_t kKeptCapacity = 256;  ///< times a cleared slot keeps room for
  void trim_waiting(sim::SimTime t);
  void drain(std::int64_t now);  ///< now's slot after the clock's
  /// The first occupied slot at or after the clock's, in the wheel's order, or kNone.
  std::size_t first_occupied() const;
  void insert(std::int64_t free_at) {
    const std::int64_t slot = free_at >> shift_;
    if (static_cast<std::uint64_t>(slot - clock_slot_) >= slots_n_) return push_far(free_at);
    const auto s = static_cast<std::size_t>(slot) & mask_;
    if (slots_.empty()) allocate();
    auto& times = slots_[s];
    times.push_back(free_at);
    const std::uint64_t bit = std::uint64_t{1} << (s & 63);
    occupied_[s >> 6] |= bit;
    if (heaped_[s >> 6] & bit) [[unlikely]] std::push_heap(times.begin(), times.end(), std::greater<>());
  }
  /// Empties a slot the clock has left; a slot grown far past the usual keeps no memory.
  void clear_slot(std::size_t s) {
    auto& times = slots_[s];
    idle_ += static_cast<std::int64_t>(times.size());
    if (times.capacity() > kKeptCapacity) std::vector<std::int64_t>().swap(times);
    else times.clear();
  }
  void push_far(std::int64_t free_at);
  void allocate();
  void rebuild(const std::vector<std::int64_t>& keys);
  std::vector<std::int64_t> stored() const;

  std::size_t servers_ = 0;
  std::int64_t idle_ = 0;  ///< servers free by the last drain, free times forgotten
  // Busy servers' free times (ns since run start). Slot s holds the times t with
  // t >> shift_ in [clock_slot_, clock_slot_ + slots_n_) and (t >> shift_) mod slots_n_ == s;
  // slots before clock_slot_ are empty. Some times in the clock's slot may already be past.
  int shift_;
  std::size_t slots_n_;
  std::size_t mask_;
  std::int64_t clock_slot_ = 0;  ///< the slot of the last drain's time
  std::vector<std::vector<std::int64_t>> slots_;  ///< allocated at the first insert
  std::vector<std::uint64_t> occupied_;            ///< bit s: slots_[s] is not empty
  /// bit s: slots_[s] is a min-heap. A slot is made one the first time it is searched, so
  /// a saturated site, or service times shorter than a slot (the clock's slot then holds
  /// many past times), cost log(times in the slot) per arrival, not a scan of them.
  std::vector<std::uint64_t> heaped_;
  std::vector<std::int64_t> far_;  ///< times past the wheel's span: a min-heap
  std::vector<std::int64_t> waiting_;  ///< start times > now, nondecreasing (ring of head_)
  std::size_t head_ = 0;
  std::int64_t waiting_room_ = 0;
};

}  // namespace dcsim::models
