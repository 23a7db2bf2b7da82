// SiteQueue against a plain reference: every server's free time in one vector, the
// earliest found by a linear scan (the Kiefer–Wolfowitz recursion as written in the
// textbook). Random arrivals, service times (zero included), resizes both ways and
// waiting-room changes must give the same admissions, starts and queue lengths, whatever
// the timing wheel's slot width and span (tiny wheels push most times through the heap of
// times beyond the span, and make the clock jump whole turns).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "models/run/site_queue.hpp"
#include "sim/random.hpp"

using namespace dcsim;

namespace {

struct ReferenceQueue {
  std::vector<std::int64_t> free_at;
  std::vector<std::int64_t> starts;  // of requests accepted to wait
  std::int64_t room = 0;

  std::int64_t waiting_at(std::int64_t now) const {
    return static_cast<std::int64_t>(std::count_if(starts.begin(), starts.end(), [&](std::int64_t s) { return s > now; }));
  }
  models::SiteQueue::Admission offer(std::int64_t now, std::int64_t service) {
    models::SiteQueue::Admission a;
    if (free_at.empty()) return a;
    a.queue_seen = waiting_at(now);
    auto it = std::min_element(free_at.begin(), free_at.end());
    if (*it > now && a.queue_seen >= room) return a;
    const std::int64_t start = std::max(now, *it);
    *it = start + service;
    if (start > now) starts.push_back(start);
    a.accepted = true;
    a.start = sim::SimTime{sim::SimDuration{start}};
    return a;
  }
  void resize(std::int64_t n, std::int64_t now) {
    std::sort(free_at.begin(), free_at.end());
    free_at.resize(static_cast<std::size_t>(n), now);
  }
};

}  // namespace

TEST_CASE("the site queue admits and starts every request as the textbook recursion does") {
  int light = 0, overloaded = 0;  // seeds that exercised each regime
  int far = 0;                     // runs whose times went past the wheel's span
  const models::SiteQueue::Wheel wheels[] = {{}, {0, 1}, {4, 16}, {7, 128}, {9, 64}};
  for (std::uint64_t seed = 1; seed <= 26; ++seed) {
   for (const auto wheel : wheels) {
    INFO("seed " << seed << ", wheel 2^" << wheel.shift << " ns x " << wheel.slots);
    sim::RandomStream rng(seed, 77);
    // Small sites, and from seed 21 on sites deep enough for 4-5 heap levels.
    const std::uint64_t max_servers = seed <= 20 ? 40 : 700;
    const std::int64_t servers = 1 + static_cast<std::int64_t>(rng.uniform_below(max_servers));
    const std::int64_t room = static_cast<std::int64_t>(rng.uniform_below(30));
    models::SiteQueue q(servers, room, wheel);
    ReferenceQueue ref{std::vector<std::int64_t>(static_cast<std::size_t>(servers), 0), {}, room};
    // Offered load per server from ~0.03 (almost every arrival finds a free server) to ~3.
    const double u = rng.uniform01();
    const double load = 0.02 + 2.0 * u * u;
    std::int64_t now = 0;
    std::int64_t accepted = 0, waited = 0, rejected = 0;
    for (int i = 0; i < 20000; ++i) {
      now += static_cast<std::int64_t>(rng.uniform_below(3) == 0 ? 0 : 1 + rng.uniform_below(2000));  // ties included
      const std::uint64_t action = rng.uniform_below(1000);
      if (action < 3) {  // resize, either way, sometimes to zero
        const std::int64_t n = static_cast<std::int64_t>(rng.uniform_below(max_servers + 10));
        q.resize(n, sim::SimTime{sim::SimDuration{now}});
        ref.resize(n, now);
      } else if (action < 5) {
        const std::int64_t r = static_cast<std::int64_t>(rng.uniform_below(30));
        q.set_waiting_room(r);
        ref.room = r;
      }
      const std::int64_t service =
          rng.uniform_below(10) == 0 ? 0 : static_cast<std::int64_t>(rng.uniform_below(static_cast<std::uint64_t>(2000 * load * servers) + 1));
      const auto got = q.offer(sim::SimTime{sim::SimDuration{now}}, sim::SimDuration{service});
      const auto want = ref.offer(now, service);
      REQUIRE(got.accepted == want.accepted);
      REQUIRE(got.queue_seen == want.queue_seen);
      if (want.accepted) REQUIRE(got.start == want.start);
      REQUIRE(q.servers() == static_cast<std::int64_t>(ref.free_at.size()));
      if (want.accepted && ((want.start.time_since_epoch().count() + service) >> wheel.shift) - (now >> wheel.shift) >=
                               static_cast<std::int64_t>(wheel.slots))
        ++far;
      accepted += want.accepted;
      waited += want.accepted && want.start.time_since_epoch().count() > now;
      rejected += !want.accepted;
    }
    REQUIRE(q.waiting_at(sim::SimTime{sim::SimDuration{now}}) == ref.waiting_at(now));
    CHECK(accepted > 0);
    light += waited * 20 < accepted;
    overloaded += rejected * 4 > accepted;
   }
  }
  CHECK(light > 0);
  CHECK(far > 0);
  CHECK(overloaded > 0);
}

TEST_CASE("a time the heap holds past the wheel's span is found first when the clock jumps to it") {
  // 16 ns slots, 16 of them (a 256 ns span). Three servers free at 300, 700 and 1000 ns are
  // all beyond the span at t = 0. At t = 600 the clock jumps past 300 (idle) and reaches
  // 700, which must move into the wheel ahead of a later finish (750) put there at 600.
  models::SiteQueue q(3, 10, {4, 16});
  const auto at = [](std::int64_t ns) { return sim::SimTime{sim::SimDuration{ns}}; };
  for (const std::int64_t service : {300, 700, 1000}) REQUIRE(q.offer(at(0), sim::SimDuration{service}).start == at(0));
  REQUIRE(q.offer(at(600), sim::SimDuration{150}).start == at(600));  // the server free at 300
  const auto next = q.offer(at(600), sim::SimDuration{10});
  REQUIRE(next.accepted);
  CHECK(next.start == at(700));
}

TEST_CASE("a site queue refuses a wheel it cannot index") {
  CHECK_THROWS_AS(models::SiteQueue(4, 1, {20, 1000}), std::invalid_argument);  // not a power of two
  CHECK_THROWS_AS(models::SiteQueue(4, 1, {20, 0}), std::invalid_argument);
  CHECK_THROWS_AS(models::SiteQueue(4, 1, {62, 1024}), std::invalid_argument);
  CHECK_THROWS_AS(models::SiteQueue(4, 1, {-1, 1024}), std::invalid_argument);
  CHECK_NOTHROW(models::SiteQueue(4, 1, {0, 1}));
}
