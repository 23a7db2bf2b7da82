// EventQueue over both stores (LadderQueue, QuadHeap): the total order (time, priority,
// insertion sequence), lazy cancellation, and long randomised runs checked against a
// plain sorted reference, including equal times, priority inversions, far-future keys
// (Top -> rung transfers), crowded buckets (rung splits), mass cancellation, and the hold
// path (pop_and_hold / push_held / release_held) mixed in.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <tuple>
#include <vector>

#include "sim/event_queue.hpp"
#include "sim/random.hpp"

using namespace dcsim::sim;

namespace {

struct Tag {
  std::uint32_t id;
};

template <class Store>
std::vector<std::uint32_t> drain(EventQueue<Tag, Store>& q) {
  std::vector<std::uint32_t> out;
  SimTime t;
  Tag tag{};
  while (q.pop_until(kNever, t, tag)) out.push_back(tag.id);
  return out;
}

SimTime ns(std::int64_t n) { return SimTime{SimDuration{n}}; }

}  // namespace

TEST_CASE_TEMPLATE("events leave in (time, priority, insertion) order", Store, LadderQueue,
                   QuadHeap) {
  EventQueue<Tag, Store> q;
  q.push(ns(30), 0, {0});
  q.push(ns(10), 0, {1});
  q.push(ns(20), 5, {2});
  q.push(ns(20), -3, {3});  // same time, lower priority value: fires first
  q.push(ns(20), 5, {4});   // same time and priority as 2: after it (inserted later)
  q.push(ns(10), 0, {5});   // tie with 1: insertion order
  q.push(ns(-5), 0, {6});   // times before the epoch are ordered too
  CHECK(q.size() == 7);
  CHECK(q.next_time() == ns(-5));
  CHECK(drain(q) == std::vector<std::uint32_t>{6, 1, 5, 3, 2, 4, 0});
  CHECK(q.empty());
  CHECK(q.next_time() == kNever);
}

TEST_CASE_TEMPLATE("pop_until leaves later events in place", Store, LadderQueue, QuadHeap) {
  EventQueue<Tag, Store> q;
  q.push(ns(5), 0, {1});
  q.push(ns(15), 0, {2});
  SimTime t;
  Tag tag{};
  REQUIRE(q.pop_until(ns(10), t, tag));
  CHECK(t == ns(5));
  CHECK(tag.id == 1);
  CHECK_FALSE(q.pop_until(ns(10), t, tag));
  CHECK(tag.id == 1);  // untouched
  CHECK(q.size() == 1);
  CHECK(q.pop_until(ns(15), t, tag));  // the bound is inclusive
  CHECK(tag.id == 2);
}

TEST_CASE_TEMPLATE("cancel removes exactly the pending event it names", Store, LadderQueue,
                   QuadHeap) {
  EventQueue<Tag, Store> q;
  const EventHandle a = q.push(ns(10), 0, {1});
  const EventHandle b = q.push(ns(20), 0, {2});
  const EventHandle c = q.push(ns(30), 0, {3});
  CHECK(q.pending(b));
  CHECK(q.cancel(b));
  CHECK_FALSE(q.pending(b));
  CHECK_FALSE(q.cancel(b));  // twice
  CHECK(q.size() == 2);

  // The freed slot is reused; the old handle must not name the new event.
  const EventHandle d = q.push(ns(25), 0, {4});
  CHECK(d.slot == b.slot);
  CHECK_FALSE(q.pending(b));
  CHECK_FALSE(q.cancel(b));
  CHECK(q.pending(d));

  SimTime t;
  Tag tag{};
  REQUIRE(q.pop_until(kNever, t, tag));
  CHECK(tag.id == 1);
  CHECK_FALSE(q.pending(a));  // fired
  CHECK_FALSE(q.cancel(a));
  CHECK(drain(q) == std::vector<std::uint32_t>{4, 3});
  CHECK_FALSE(q.pending(c));
  CHECK_FALSE(q.pending(EventHandle{}));  // a default handle names nothing
  CHECK_FALSE(q.cancel(EventHandle{}));
}

TEST_CASE_TEMPLATE("cancelling most events purges them and keeps the rest in order", Store,
                   LadderQueue, QuadHeap) {
  EventQueue<Tag, Store> q;
  std::vector<EventHandle> handles;
  for (std::uint32_t i = 0; i < 10'000; ++i) {
    handles.push_back(q.push(ns(static_cast<std::int64_t>((i * 7919) % 10'007)), 0, {i}));
  }
  std::vector<std::pair<std::int64_t, std::uint32_t>> expected;
  for (std::uint32_t i = 0; i < 10'000; ++i) {
    if (i % 10 == 0) {
      expected.emplace_back((i * 7919) % 10'007, i);
    } else {
      REQUIRE(q.cancel(handles[i]));
    }
  }
  std::sort(expected.begin(), expected.end());
  CHECK(q.size() == expected.size());
  std::vector<std::uint32_t> ids;
  for (const auto& e : expected) ids.push_back(e.second);
  CHECK(drain(q) == ids);
  CHECK(q.peak_size() == 10'000);
}

namespace {

// Random operations against a std::set of (time, priority, seq) as the reference.
template <class Store>
void random_workload(std::uint64_t seed, std::int64_t spread_ns, double far_share) {
  EventQueue<Tag, Store> q;
  RandomStream rng(seed, 1);
  using Ref = std::tuple<std::int64_t, int, std::uint64_t, std::uint32_t>;
  std::set<Ref> ref;
  std::vector<std::pair<EventHandle, Ref>> live;  // may hold fired/cancelled entries
  std::uint64_t seq = 0;
  std::int64_t now = 0;
  std::uint32_t next_id = 0;
  auto push = [&] {
    std::int64_t at = now;
    const double u = rng.uniform01();
    if (u < far_share) {
      at += static_cast<std::int64_t>(rng.uniform_below(1'000'000'000'000ULL));
    } else if (u < 0.9) {
      at += static_cast<std::int64_t>(rng.uniform_below(static_cast<std::uint64_t>(spread_ns)));
    }  // else: at the current time (equal-time ties)
    const auto prio = static_cast<Priority>(static_cast<int>(rng.uniform_below(5)) - 2);
    const Ref r{at, prio, ++seq, next_id};
    live.emplace_back(q.push(ns(at), prio, {next_id}), r);
    ref.insert(r);
    ++next_id;
  };
  for (int i = 0; i < 2000; ++i) push();
  for (int step = 0; step < 60'000; ++step) {
    const auto op = rng.uniform_below(10);
    if (op < 4 && !ref.empty()) {
      SimTime t;
      Tag tag{};
      const auto how = rng.uniform_below(4);  // 0, 1: pop; 2: hold and push again; 3: release
      REQUIRE((how < 2 ? q.pop_until(kNever, t, tag) : q.pop_and_hold(kNever, t, tag)));
      const Ref want = *ref.begin();
      ref.erase(ref.begin());
      REQUIRE(tag.id == std::get<3>(want));
      REQUIRE(t == ns(std::get<0>(want)));
      now = std::get<0>(want);
      if (how == 2) {
        // Same payload, new time and priority, next sequence number: as a fresh push.
        const std::int64_t at = now + static_cast<std::int64_t>(rng.uniform_below(
                                          static_cast<std::uint64_t>(spread_ns)));
        const auto prio = static_cast<Priority>(static_cast<int>(rng.uniform_below(5)) - 2);
        const Ref r{at, prio, ++seq, tag.id};
        live.emplace_back(q.push_held(ns(at), prio), r);
        ref.insert(r);
      } else if (how == 3) {
        q.release_held();
      }
      REQUIRE_FALSE(q.holding());
    } else if (op < 5 && !live.empty()) {
      const auto k = rng.uniform_below(live.size());
      const bool was_pending = ref.count(live[k].second) == 1;
      REQUIRE(q.cancel(live[k].first) == was_pending);
      ref.erase(live[k].second);
      live[k] = live.back();
      live.pop_back();
    } else {
      push();
    }
    REQUIRE(q.size() == ref.size());
  }
  std::vector<std::uint32_t> want;
  for (const Ref& r : ref) want.push_back(std::get<3>(r));
  CHECK(drain(q) == want);
}

}  // namespace

TEST_CASE_TEMPLATE("random push, pop and cancel match a sorted reference", Store, LadderQueue,
                   QuadHeap) {
  SUBCASE("dense: many equal times and priority inversions") { random_workload<Store>(1, 50, 0.0); }
  SUBCASE("spread over a second") { random_workload<Store>(2, 1'000'000'000, 0.0); }
  SUBCASE("with a far-future tail") { random_workload<Store>(3, 1'000'000, 0.05); }
}

TEST_CASE("LadderQueue splits a crowded bucket and orders a burst at one instant") {
  EventQueue<Tag, LadderQueue> q;
  // 5000 keys in a 1 us window far from a few stragglers: rung 0's first bucket overflows
  // and is split into finer rungs; then 3000 keys at exactly one time.
  std::vector<std::pair<std::int64_t, std::uint32_t>> expected;
  RandomStream rng(9, 9);
  std::uint32_t id = 0;
  for (int i = 0; i < 5000; ++i, ++id) {
    const auto at = static_cast<std::int64_t>(rng.uniform_below(1000));
    q.push(ns(at), 0, {id});
    expected.emplace_back(at, id);
  }
  for (int i = 0; i < 3; ++i, ++id) {
    const std::int64_t at = 1'000'000'000'000LL * (i + 1);
    q.push(ns(at), 0, {id});
    expected.emplace_back(at, id);
  }
  for (int i = 0; i < 3000; ++i, ++id) {
    q.push(ns(5000), 0, {id});
    expected.emplace_back(5000, id);
  }
  std::stable_sort(expected.begin(), expected.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::uint32_t> ids;
  for (const auto& e : expected) ids.push_back(e.second);
  CHECK(drain(q) == ids);
}

TEST_CASE_TEMPLATE("cancelling the earliest events before any pop keeps the order", Store,
                   LadderQueue, QuadHeap) {
  // Everything still sits in the ladder's Top when the purge runs, and the purged keys
  // include Top's minimum.
  EventQueue<Tag, Store> q;
  std::vector<EventHandle> early;
  for (std::uint32_t i = 0; i < 3000; ++i) early.push_back(q.push(ns(i), 0, {i}));
  for (std::uint32_t i = 0; i < 100; ++i) q.push(ns(1'000'000'000 + 7 * i), 0, {5000 + i});
  for (const EventHandle& h : early) REQUIRE(q.cancel(h));
  CHECK(q.size() == 100);
  std::vector<std::uint32_t> want;
  for (std::uint32_t i = 0; i < 100; ++i) want.push_back(5000 + i);
  CHECK(drain(q) == want);
}
