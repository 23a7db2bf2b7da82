// Engine: clock and run semantics (run, run_until, stop), precondition errors, counters,
// std::variant payloads dispatched with std::visit, and determinism: two runs with one
// seed give the same event-trace hash on either store, another seed a different one.
#include <doctest/doctest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "sim/distributions.hpp"
#include "sim/engine.hpp"
#include "sim/random.hpp"

using namespace dcsim::sim;

namespace {

struct Ping {
  std::uint32_t from;
};
struct Timeout {
  std::uint32_t id;
};
using Message = std::variant<Ping, Timeout>;
static_assert(std::is_trivially_copyable_v<Message>, "variants of plain structs are payloads");

struct Tick {
  int n;
};

}  // namespace

TEST_CASE("run hands each event to the handler at its time, in order") {
  Engine<Tick> engine;
  engine.schedule_at(at(seconds(2)), {2});
  engine.schedule_after(seconds(1), {1});
  engine.schedule_at(at(seconds(2)), {3}, /*prio=*/-1);
  std::vector<std::pair<double, int>> seen;
  const StopReason why = engine.run([&](auto& eng, const Tick& t) {
    seen.emplace_back(to_seconds(eng.now()), t.n);
    if (t.n == 1) eng.schedule_after(seconds(0), {4});  // same time, after the current one
  });
  CHECK(why == StopReason::kEmpty);
  CHECK(seen == std::vector<std::pair<double, int>>{{1, 1}, {1, 4}, {2, 3}, {2, 2}});
  CHECK(engine.events_processed() == 4);
  CHECK(engine.now() == at(seconds(2)));
  CHECK(engine.peak_pending() == 3);
  CHECK(engine.pending_count() == 0);
}

TEST_CASE("run_until stops at the bound, sets the clock to it, and resumes") {
  Engine<Tick> engine;
  for (int i = 1; i <= 5; ++i) engine.schedule_at(at(seconds(i)), {i});
  int last = 0;
  auto handler = [&](auto&, const Tick& t) { last = t.n; };
  CHECK(engine.run_until(at(seconds(3)), handler) == StopReason::kReachedEnd);
  CHECK(last == 3);  // the bound is inclusive
  CHECK(engine.now() == at(seconds(3)));
  CHECK(engine.pending_count() == 2);
  CHECK(engine.run_until(at(seconds(10)), handler) == StopReason::kEmpty);
  CHECK(last == 5);
  CHECK(engine.now() == at(seconds(10)));
  engine.schedule_after(seconds(1), {6});  // relative to the bound, not the last event
  CHECK(engine.run(handler) == StopReason::kEmpty);
  CHECK(engine.now() == at(seconds(11)));
}

TEST_CASE("stop returns after the current handler and a later run continues") {
  Engine<Tick> engine;
  for (int i = 0; i < 10; ++i) engine.schedule_after(milliseconds(i), {i});
  int handled = 0;
  auto handler = [&](auto& eng, const Tick& t) {
    ++handled;
    if (t.n == 3) eng.stop();
  };
  CHECK(engine.run(handler) == StopReason::kStopped);
  CHECK(handled == 4);
  CHECK(engine.now() == at(milliseconds(3)));
  CHECK(engine.run(handler) == StopReason::kEmpty);
  CHECK(handled == 10);
}

TEST_CASE("scheduling in the past or at kNever throws with the caller's file and line") {
  Engine<Tick> engine(at(seconds(5)));
  CHECK_THROWS_AS(engine.schedule_at(at(seconds(4)), {0}), std::logic_error);
  CHECK_THROWS_AS(engine.schedule_after(-nanoseconds(1), {0}), std::logic_error);
  CHECK_THROWS_AS(engine.schedule_at(kNever, {0}), std::logic_error);
  try {
    engine.schedule_at(at(seconds(1)), {0});
    FAIL("no exception");
  } catch (const std::logic_error& e) {
    CHECK(std::string(e.what()).find("engine_test.cpp:") != std::string::npos);
  }
  CHECK(engine.pending_count() == 0);
}

TEST_CASE("a handler may not re-enter run, and an exception leaves the engine usable") {
  Engine<Tick> engine;
  engine.schedule_after(seconds(1), {1});
  engine.schedule_after(seconds(2), {2});
  CHECK_THROWS_AS(engine.run([](auto& eng, const Tick&) { eng.run([](auto&, const Tick&) {}); }),
                  std::logic_error);
  int handled = 0;
  CHECK(engine.run([&](auto&, const Tick&) { ++handled; }) == StopReason::kEmpty);
  CHECK(handled == 1);
}

TEST_CASE("cancelled events never reach the handler") {
  Engine<Message> engine;
  const EventHandle timeout = engine.schedule_after(seconds(10), Timeout{7});
  engine.schedule_after(seconds(1), Ping{3});
  int pings = 0;
  int timeouts = 0;
  engine.run([&](auto& eng, const Message& m) {
    std::visit(
        [&](const auto& ev) {
          using T = std::decay_t<decltype(ev)>;
          if constexpr (std::is_same_v<T, Ping>) {
            ++pings;
            CHECK(eng.cancel(timeout));  // the reply arrived: the timeout must not fire
          } else {
            ++timeouts;
          }
        },
        m);
  });
  CHECK(pings == 1);
  CHECK(timeouts == 0);
  CHECK_FALSE(engine.pending(timeout));
  CHECK(engine.now() == at(seconds(1)));
}

namespace {

// A small closed network: each event draws a delay and a destination from its node's own
// stream; the hash folds every (time, node) in processing order.
template <class Store>
std::uint64_t trace_hash(std::uint64_t seed) {
  constexpr std::uint32_t kNodes = 64;
  Engine<Ping, Store> engine;
  std::vector<RandomStream> streams;
  for (std::uint32_t i = 0; i < kNodes; ++i) streams.emplace_back(seed, i);
  for (std::uint32_t i = 0; i < kNodes; ++i) {
    for (int j = 0; j < 3; ++j) {
      // Coarse times (whole ms) so that equal-time ties occur and must break the same way.
      engine.schedule_after(milliseconds(static_cast<std::int64_t>(streams[i].uniform_below(5))),
                            {i});
    }
  }
  std::uint64_t h = 0;
  engine.run([&](auto& eng, const Ping& p) {
    h = mix64(h ^ static_cast<std::uint64_t>(eng.now().time_since_epoch().count())) + p.from;
    if (eng.events_processed() == 200'000) {
      eng.stop();
      return;
    }
    RandomStream& rng = streams[p.from];
    const auto delay = milliseconds(static_cast<std::int64_t>(rng.uniform_below(20)));
    eng.schedule_after(delay, {static_cast<std::uint32_t>(rng.uniform_below(kNodes))},
                       static_cast<Priority>(rng.uniform_below(3)));
  });
  return h;
}

}  // namespace

TEST_CASE("two runs with the same seed produce the same event trace on either store") {
  const std::uint64_t ladder = trace_hash<LadderQueue>(42);
  CHECK(ladder == trace_hash<LadderQueue>(42));
  CHECK(ladder == trace_hash<QuadHeap>(42));  // the order is the engine's, not the store's
  CHECK(ladder != trace_hash<LadderQueue>(43));
}
