// A site's request queue: c identical servers, first come first served, a finite waiting
// room. Arrivals must be offered in time order. The start of each request is fixed when it
// arrives (Kiefer–Wolfowitz: under FCFS the next request in line takes the earliest server
// to free up), so no departure events are needed: servers are kept as the times they
// next become free, and the waiting room is the ordered list of start times still ahead.
//
// Why not a heap of free times: every accepted request would pop the earliest and push
// its own finish, a sift through log(servers) levels (~25% of a run's serving time with
// thousands of servers). Free times only grow past the arrival clock, so they sit in a
// radix heap (Ahuja, Mehlhorn, Orlin & Tarjan 1990): bucket b holds the times whose
// highest bit differing from a base time is b - 1. Servers free by an arrival are only
// counted (which one is free does not matter: start = arrival); a time moves to a lower
// bucket a few times as the clock approaches it; the earliest is searched only when every
// server is busy. tools/bench/README.md (site queue) has the figures.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
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
  void trim_waiting(sim::SimTime t);
  void drain(std::int64_t now);
  std::int64_t take_earliest();
  void insert(std::int64_t free_at) {
    const int b = std::bit_width(static_cast<std::uint64_t>(free_at ^ base_));
    buckets_[static_cast<std::size_t>(b)].push_back(free_at);
    occupied_ |= std::uint64_t{1} << b;
  }
  void rebuild(std::vector<std::int64_t> keys, std::int64_t base);
  std::vector<std::int64_t> stored() const;

  std::size_t servers_ = 0;
  std::int64_t idle_ = 0;  ///< servers free by the last drain, free times forgotten
  /// Busy servers' free times (ns since run start), all >= base_: a radix heap.
  std::int64_t base_ = 0;
  std::array<std::vector<std::int64_t>, 64> buckets_;
  std::uint64_t occupied_ = 0;  ///< bit b: buckets_[b] is not empty
  std::vector<std::int64_t> waiting_;  ///< start times > now, nondecreasing (ring of head_)
  std::size_t head_ = 0;
  std::int64_t waiting_room_ = 0;
};

}  // namespace dcsim::models
