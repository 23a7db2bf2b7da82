// A site's request queue: c identical servers, first come first served, a finite waiting
// room. Arrivals must be offered in time order. The start of each request is fixed when it
// arrives (Kiefer–Wolfowitz: under FCFS the next request in line takes the earliest server
// to free up), so no departure events are needed: servers are a min-heap of the times they
// next become free, and the waiting room is the ordered list of start times still ahead.
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
  std::int64_t servers() const { return static_cast<std::int64_t>(free_at_.size()); }
  std::int64_t waiting_room() const { return waiting_room_; }

  /// Changes the number of servers from time t on. Removed servers finish what they hold
  /// (see drop_servers for losing work); added servers are free from t.
  void resize(std::int64_t servers, sim::SimTime t);
  void set_waiting_room(std::int64_t waiting_room) { waiting_room_ = waiting_room; }

 private:
  void sift_down(std::size_t i);
  void heapify();
  void trim_waiting(sim::SimTime t);

  std::vector<std::int64_t> free_at_;  ///< min-heap, ns since run start
  std::vector<std::int64_t> waiting_;  ///< start times > now, nondecreasing (ring of head_)
  std::size_t head_ = 0;
  std::int64_t waiting_room_ = 0;
};

}  // namespace dcsim::models
