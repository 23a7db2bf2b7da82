// Engine::reschedule_at, the hold path: it orders exactly like schedule_at of the same
// payload at that point (time, priority, insertion sequence), on either store, also when
// mixed with schedule_at, cancel and run_until; it refuses misuse; a throwing handler
// leaves the engine consistent; and a hold workload is deterministic.
#include <doctest/doctest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "sim/distributions.hpp"
#include "sim/engine.hpp"
#include "sim/random.hpp"

using namespace dcsim::sim;

namespace {

struct Job {
  std::uint32_t id;
};

// Entities that each keep one next event, plus occasional extra one-off events and
// cancellations; coarse times and random priorities make ties common. With hold = false
// every follow-up goes through schedule_at; with hold = true a random share of them goes
// through reschedule_at. The trace (time, id) must not depend on which path was taken.
template <class Store>
std::vector<std::pair<std::int64_t, std::uint32_t>> hold_trace(std::uint64_t seed, bool hold) {
  constexpr std::uint32_t kEntities = 50;
  constexpr std::uint32_t kExtra = 1000;  // ids >= kExtra are one-off events
  Engine<Job, Store> engine;
  std::vector<RandomStream> streams;
  for (std::uint32_t i = 0; i < kEntities; ++i) streams.emplace_back(seed, i);
  RandomStream choice(seed, 999);  // which path; never feeds the model
  RandomStream extra(seed, 1000);
  std::vector<EventHandle> cancellable;
  for (std::uint32_t i = 0; i < kEntities; ++i) {
    engine.schedule_at(at(milliseconds(static_cast<std::int64_t>(streams[i].uniform_below(4)))),
                       {i});
  }
  std::vector<std::pair<std::int64_t, std::uint32_t>> trace;
  std::uint32_t next_extra = kExtra;
  engine.run([&](auto& eng, const Job& job) {
    trace.emplace_back(eng.now().time_since_epoch().count(), job.id);
    if (trace.size() == 30'000) {
      eng.stop();
      return;
    }
    if (job.id >= kExtra) return;
    RandomStream& rng = streams[job.id];
    // Extra work before the follow-up, so that sequence numbers interleave.
    if (extra.uniform01() < 0.2) {
      cancellable.push_back(eng.schedule_after(
          milliseconds(static_cast<std::int64_t>(extra.uniform_below(3))), {next_extra++},
          static_cast<Priority>(extra.uniform_below(3))));
    }
    if (!cancellable.empty() && extra.uniform01() < 0.1) {
      eng.cancel(cancellable[extra.uniform_below(cancellable.size())]);
    }
    const SimTime t = eng.now() + milliseconds(static_cast<std::int64_t>(rng.uniform_below(5)));
    const auto prio = static_cast<Priority>(rng.uniform_below(3));
    if (hold && choice.uniform01() < 0.7) {
      const EventHandle h = eng.reschedule_at(t, prio);
      REQUIRE(eng.pending(h));
    } else {
      eng.schedule_at(t, job, prio);
    }
  });
  return trace;
}

}  // namespace

TEST_CASE_TEMPLATE("reschedule_at orders events exactly like schedule_at", Store, LadderQueue,
                   QuadHeap) {
  for (const std::uint64_t seed : {1, 2, 3}) {
    CAPTURE(seed);
    const auto push_only = hold_trace<Store>(seed, false);
    CHECK(push_only.size() == 30'000);
    CHECK(hold_trace<Store>(seed, true) == push_only);
  }
  CHECK(hold_trace<LadderQueue>(4, true) == hold_trace<QuadHeap>(4, true));
}

TEST_CASE("a rescheduled event takes its place by time, priority, then insertion order") {
  Engine<Job> engine;
  engine.schedule_at(at(seconds(1)), {1});
  engine.schedule_at(at(seconds(2)), {2});  // before 1's reschedule: fires first at 2 s
  engine.schedule_at(at(seconds(2)), {3}, /*prio=*/1);
  std::vector<std::pair<double, std::uint32_t>> seen;
  engine.run([&](auto& eng, const Job& j) {
    seen.emplace_back(to_seconds(eng.now()), j.id);
    if (j.id == 1 && seen.size() == 1) {
      eng.reschedule_at(at(seconds(2)));                      // after 2 (same prio, later)
      eng.schedule_at(at(seconds(2)), {4});                   // after the rescheduled 1
      eng.schedule_at(at(seconds(2)), {5}, /*prio=*/-1);      // before everything at 2 s
    }
    if (j.id == 3) eng.reschedule_at(eng.now(), /*prio=*/1);  // at now: after current ties
    if (seen.size() == 8) eng.stop();
  });
  CHECK(seen == std::vector<std::pair<double, std::uint32_t>>{
                    {1, 1}, {2, 5}, {2, 2}, {2, 1}, {2, 4}, {2, 3}, {2, 3}, {2, 3}});
}

TEST_CASE("reschedule_at keeps the payload, returns a live handle and frees nothing twice") {
  Engine<Job> engine;
  const EventHandle first = engine.schedule_after(seconds(1), {7});
  EventHandle again;
  int fired = 0;
  engine.run([&](auto& eng, const Job& j) {
    CHECK(j.id == 7);
    ++fired;
    CHECK_FALSE(eng.pending(first));  // the event being handled is no longer pending
    if (fired == 1) {
      again = eng.reschedule_at(eng.now() + seconds(5));
      CHECK(eng.pending(again));
      CHECK(eng.pending_count() == 1);
      // A new event scheduled now must not share the rescheduled event's slot.
      const EventHandle other = eng.schedule_after(seconds(1), {8});
      CHECK(other.slot != again.slot);
      CHECK(eng.cancel(other));
    }
  });
  CHECK(fired == 2);
  CHECK(engine.now() == at(seconds(6)));
  CHECK_FALSE(engine.pending(again));

  // A rescheduled event can be cancelled like any other.
  engine.schedule_after(seconds(1), {9});
  engine.run([&](auto& eng, const Job& j) {
    if (j.id == 9) CHECK(eng.cancel(eng.reschedule_at(eng.now() + seconds(1))));
  });
  CHECK(engine.pending_count() == 0);
  CHECK(engine.now() == at(seconds(7)));
}

TEST_CASE("reschedule_at outside a handler, twice, or into the past throws with file:line") {
  Engine<Job> engine;
  CHECK_THROWS_WITH_AS(engine.reschedule_at(at(seconds(1))),
                       doctest::Contains("engine_hold_test.cpp"), std::logic_error);
  engine.schedule_after(seconds(2), {1});
  CHECK_THROWS_WITH_AS(engine.run([](auto& eng, const Job&) {
    eng.reschedule_at(eng.now() + seconds(1));
    eng.reschedule_at(eng.now() + seconds(2));
  }),
                       doctest::Contains("twice"), std::logic_error);
  // The first reschedule stands; the engine is usable.
  CHECK(engine.pending_count() == 1);
  CHECK_THROWS_AS(engine.run([](auto& eng, const Job&) { eng.reschedule_at(at(seconds(1))); }),
                  std::logic_error);
  // The failed handler's event is gone, not held: nothing pending, no slot leaked.
  CHECK(engine.pending_count() == 0);
  engine.schedule_after(seconds(1), {2});
  int handled = 0;
  CHECK(engine.run([&](auto&, const Job&) { ++handled; }) == StopReason::kEmpty);
  CHECK(handled == 1);
}

TEST_CASE("a handler that throws after reschedule_at leaves the event scheduled") {
  Engine<Job, QuadHeap> engine;
  engine.schedule_after(seconds(1), {1});
  engine.schedule_after(seconds(3), {2});
  CHECK_THROWS_AS(engine.run([](auto& eng, const Job&) {
    eng.reschedule_at(eng.now() + seconds(1));
    throw std::runtime_error("model failure");
  }),
                  std::runtime_error);
  std::vector<std::uint32_t> order;
  engine.run([&](auto&, const Job& j) { order.push_back(j.id); });
  CHECK(order == std::vector<std::uint32_t>{1, 2});
}

TEST_CASE("hold with run_until: the bound is inclusive and the run resumes in order") {
  Engine<Job, QuadHeap> engine;
  for (std::uint32_t i = 0; i < 3; ++i) engine.schedule_at(at(seconds(i + 1)), {i});
  std::vector<std::pair<double, std::uint32_t>> seen;
  auto handler = [&](auto& eng, const Job& j) {
    seen.emplace_back(to_seconds(eng.now()), j.id);
    eng.reschedule_at(eng.now() + seconds(3));
  };
  CHECK(engine.run_until(at(seconds(4)), handler) == StopReason::kReachedEnd);
  CHECK(seen.size() == 4);  // 1, 2, 3, then 0 again at 4 s
  CHECK(engine.run_until(at(seconds(6)), handler) == StopReason::kReachedEnd);
  CHECK(seen == std::vector<std::pair<double, std::uint32_t>>{
                    {1, 0}, {2, 1}, {3, 2}, {4, 0}, {5, 1}, {6, 2}});
  CHECK(engine.pending_count() == 3);
  CHECK(engine.peak_pending() == 3);
}

TEST_CASE("a hold workload gives the same trace in two runs and a different one per seed") {
  auto run = [](std::uint64_t seed) {
    Engine<Job, QuadHeap> engine;
    std::vector<RandomStream> rngs;
    for (std::uint32_t i = 0; i < 600; ++i) {
      rngs.emplace_back(seed, i);
      engine.schedule_at(at(SimDuration{static_cast<std::int64_t>(exponential(rngs[i], 1e7))}),
                         {i});
    }
    std::uint64_t h = 0;
    engine.run([&](auto& eng, const Job& j) {
      h = mix64(h ^ static_cast<std::uint64_t>(eng.now().time_since_epoch().count())) + j.id;
      if (eng.events_processed() == 100'000) return eng.stop();
      eng.reschedule_at(eng.now() +
                        SimDuration{static_cast<std::int64_t>(exponential(rngs[j.id], 1e7))});
    });
    CHECK(engine.pending_count() == 599);
    return h;
  };
  const std::uint64_t a = run(5);
  CHECK(a == run(5));
  CHECK(a != run(6));
}

TEST_CASE("reschedule_at then stop, in chunks, gives the trace of one uninterrupted run") {
  // The traffic generator's shape: each handler reschedules its stream, and every k-th
  // event stops the run so that the caller can drain a chunk; the next run resumes.
  auto trace = [](int chunk) {
    Engine<Job> engine;
    std::vector<RandomStream> rngs;
    for (std::uint32_t i = 0; i < 40; ++i) {
      rngs.emplace_back(9, i);
      engine.schedule_at(at(milliseconds(static_cast<std::int64_t>(rngs[i].uniform_below(50)))),
                         {i});
    }
    std::vector<std::pair<std::int64_t, std::uint32_t>> out;
    std::size_t before = 0;
    auto handler = [&](auto& eng, const Job& j) {
      out.emplace_back(eng.now().time_since_epoch().count(), j.id);
      const auto gap = milliseconds(static_cast<std::int64_t>(rngs[j.id].uniform_below(50)));
      if (out.size() < 5000) eng.reschedule_at(eng.now() + gap);
      if (out.size() - before >= static_cast<std::size_t>(chunk)) eng.stop();
    };
    while (engine.run(handler) == StopReason::kStopped) before = out.size();
    return out;
  };
  const auto whole = trace(1'000'000);
  CHECK(whole.size() == 5000 + 39);
  CHECK(trace(7) == whole);
  CHECK(trace(1) == whole);
}
