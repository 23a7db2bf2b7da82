// PHOLD on the dcsim engine and, alternating with it, on a plain std::priority_queue with
// the same (time, insertion sequence) tie-breaking and one shared-seed random stream, so
// both process the identical event sequence; their checksums must agree. Each event
// schedules one event at now + 0.1 s + Exp(mean 1 s) to a uniformly random LP. Figures are
// the best of --repeat runs per side. Last line: phold lps=N init=M events=E ... ratio=R
#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <queue>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "sim/distributions.hpp"
#include "sim/engine.hpp"
#include "sim/random.hpp"
#include "sim/time.hpp"

namespace {

using namespace dcsim::sim;

struct Config {
  std::uint32_t lps = 1000;
  std::uint32_t init = 1;
  std::uint64_t events = 20'000'000;
  std::uint64_t seed = 1;
  std::string queue = "ladder";
  bool engine_only = false;
  bool function_handler = false;
  int repeat = 3;
};

constexpr SimDuration kLookahead = milliseconds(100);

/// Lookahead plus an exponential with mean 1 s, in whole nanoseconds.
SimDuration draw_delay(RandomStream& rng) {
  return kLookahead + SimDuration{static_cast<std::int64_t>(exponential(rng, 1e9))};
}

std::uint64_t fold(std::uint64_t h, SimTime t, std::uint32_t lp) {
  return mix64(h ^ static_cast<std::uint64_t>(t.time_since_epoch().count())) + lp;
}

struct Result {
  std::uint64_t events = 0;
  std::uint64_t checksum = 0;
  double seconds = 0.0;
  std::size_t peak_pending = 0;
};

template <class Fn>
double timed(Fn&& fn) {
  const auto t0 = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

struct PholdEvent {
  std::uint32_t lp;
};

template <class Store>
Result run_engine(const Config& cfg) {
  Engine<PholdEvent, Store> engine;
  engine.reserve(std::size_t{cfg.lps} * cfg.init);
  RandomStream rng(cfg.seed, 0);
  for (std::uint32_t lp = 0; lp < cfg.lps; ++lp) {
    for (std::uint32_t j = 0; j < cfg.init; ++j) engine.schedule_after(draw_delay(rng), {lp});
  }
  Result r;
  using E = Engine<PholdEvent, Store>;
  auto handler = [&](E& eng, const PholdEvent& e) {
    r.checksum = fold(r.checksum, eng.now(), e.lp);
    if (++r.events == cfg.events) {
      eng.stop();
      return;
    }
    const SimDuration delay = draw_delay(rng);
    eng.schedule_after(delay, {static_cast<std::uint32_t>(rng.uniform_below(cfg.lps))});
  };
  r.seconds = timed([&] {
    if (cfg.function_handler) {  // type-erased: what a per-event callable would cost
      engine.run(std::function<void(E&, const PholdEvent&)>(handler));
    } else {
      engine.run(handler);
    }
  });
  r.peak_pending = engine.peak_pending();
  return r;
}

Result run_baseline(const Config& cfg) {
  struct Event {
    SimTime time;
    std::uint64_t seq;
    std::uint32_t lp;
  };
  struct Later {
    bool operator()(const Event& a, const Event& b) const {
      return a.time != b.time ? a.time > b.time : a.seq > b.seq;
    }
  };
  std::vector<Event> storage;
  storage.reserve(std::size_t{cfg.lps} * cfg.init);
  std::priority_queue<Event, std::vector<Event>, Later> queue(Later{}, std::move(storage));
  std::uint64_t seq = 0;
  RandomStream rng(cfg.seed, 0);
  for (std::uint32_t lp = 0; lp < cfg.lps; ++lp) {
    for (std::uint32_t j = 0; j < cfg.init; ++j) {
      queue.push({SimTime{} + draw_delay(rng), seq++, lp});
    }
  }
  Result r;
  r.peak_pending = queue.size();
  r.seconds = timed([&] {
    while (!queue.empty()) {
      const Event e = queue.top();
      queue.pop();
      r.checksum = fold(r.checksum, e.time, e.lp);
      if (++r.events == cfg.events) break;
      const SimDuration delay = draw_delay(rng);
      queue.push({e.time + delay, seq++, static_cast<std::uint32_t>(rng.uniform_below(cfg.lps))});
    }
  });
  return r;
}

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

}  // namespace

int main(int argc, char** argv) {
  Config cfg;
  CLI::App app{"PHOLD: dcsim engine vs std::priority_queue"};
  app.add_option("--lps", cfg.lps, "logical processes")->check(CLI::PositiveNumber);
  app.add_option("--init", cfg.init, "initial events per LP")->check(CLI::PositiveNumber);
  app.add_option("--events", cfg.events, "events to process")->check(CLI::PositiveNumber);
  app.add_option("--seed", cfg.seed, "random seed");
  app.add_option("--queue", cfg.queue, "engine's key store (to compare designs)")
      ->check(CLI::IsMember({"ladder", "heap"}));
  app.add_option("--repeat", cfg.repeat, "runs of each side; the best time counts")
      ->check(CLI::PositiveNumber);
  app.add_flag("--engine-only", cfg.engine_only, "skip the baseline (for profiling)");
  app.add_flag("--function-handler", cfg.function_handler,
               "call the handler through std::function (to compare designs)");
  CLI11_PARSE(app, argc, argv);

  // Engine and baseline alternate, and each keeps its best time: on a shared 2-core
  // machine a burst of other work then cannot land on one side only.
  Result engine;
  Result baseline;
  bool agree = true;
  for (int rep = 0; rep < cfg.repeat; ++rep) {
    const Result e =
        cfg.queue == "heap" ? run_engine<QuadHeap>(cfg) : run_engine<LadderQueue>(cfg);
    std::printf("engine (%s): %llu events in %.3f s, peak pending %zu, checksum %016llx\n",
                cfg.queue.c_str(), static_cast<unsigned long long>(e.events), e.seconds,
                e.peak_pending, static_cast<unsigned long long>(e.checksum));
    if (rep == 0 || e.seconds < engine.seconds) engine = e;
    if (cfg.engine_only) continue;
    const Result b = run_baseline(cfg);
    std::printf("baseline: %llu events in %.3f s, checksum %016llx\n",
                static_cast<unsigned long long>(b.events), b.seconds,
                static_cast<unsigned long long>(b.checksum));
    if (rep == 0 || b.seconds < baseline.seconds) baseline = b;
    agree = agree && e.checksum == b.checksum && e.events == b.events;
  }
  if (cfg.engine_only) return 0;
  std::printf("checksums %s; best of %d runs each\n", agree ? "agree" : "DIFFER", cfg.repeat);

  const double engine_rate = static_cast<double>(engine.events) / engine.seconds;
  const double baseline_rate = static_cast<double>(baseline.events) / baseline.seconds;
  std::printf(
      "phold lps=%u init=%u events=%llu engine_events_per_s=%.0f baseline_events_per_s=%.0f "
      "ratio=%.2f peak_rss_mib=%.1f\n",
      cfg.lps, cfg.init, static_cast<unsigned long long>(engine.events), engine_rate,
      baseline_rate, engine_rate / baseline_rate, peak_rss_mib());
  return agree ? 0 : 1;
}
