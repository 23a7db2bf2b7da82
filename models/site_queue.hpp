// A site's request queue: c identical servers, first come first served, a finite waiting
// room. Arrivals must be offered in time order. The start of each request is fixed when it
// arrives (Kiefer–Wolfowitz: under FCFS the next request in line takes the earliest server
// to free up), so no departure events are needed: servers are a min-heap of the times they
// next become free, and the waiting room is the ordered list of start times still ahead.
//
// Why a bottom-up 4-ary heap: every accepted request replaces the root with its
// own finish time, which is later than most servers' (idle ones are in the past), so the
// new value almost always sinks to a leaf. Walking down by the smaller child without
// comparing against it (no mispredicted early exit), then up the few steps it belongs
// above, halves the levels of a binary heap and the branches per level; with +inf padding
// every node's four children exist. tools/bench/README.md (site queue) has the figures.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/time.hpp"

namespace dcsim::models {

class SiteQueue {
 public:
  /// servers >= 0 (0: the site rejects everything), waiting_room >= 0.
  SiteQueue(std::int64_t servers, std::int64_t waiting_room);

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
  void replace_root(std::int64_t v);
  void heapify();
  void trim_waiting(sim::SimTime t);

  std::size_t servers_ = 0;
  /// 4-ary min-heap of servers_ free times (ns since run start): children of i are
  /// 4i+1..4i+4; followed by kPad entries of +inf so every internal node has four.
  std::vector<std::int64_t> free_at_;
  std::vector<std::int64_t> waiting_;  ///< start times > now, nondecreasing (ring of head_)
  std::size_t head_ = 0;
  std::int64_t waiting_room_ = 0;
};

}  // namespace dcsim::models
