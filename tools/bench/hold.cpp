// The "hold" pattern of the traffic generator: N entities (streams), each with exactly one
// pending event; every event pops the earliest entity and schedules that same entity's
// next event at now + Exp(mean gap) (per-entity random streams, never a cancel). Three
// sides process the identical event sequence and must agree on a checksum:
//   engine    Engine<uint32_t, Store> whose handler calls reschedule_at(t) (the hold path)
//   push_path the same engine, handler calls schedule_at(t, entity) (the general path)
//   baseline  a plain std::priority_queue ordered by (time, insertion sequence)
// The sides alternate --repeat times and each keeps its best time (shared 2-core machine).
// Times are the thread's CPU time (time spent descheduled by other jobs does not count);
// wall time is printed beside it.
// Last line: hold entities=N events=E engine_events_per_s=X push_path_events_per_s=Y
//            baseline_events_per_s=Z
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
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
  std::uint32_t entities = 600;
  std::uint64_t events = 20'000'000;
  std::uint64_t seed = 1;
  double total_rate = 35'000.0;  // events per simulated second over all entities
  double skew = 0.0;             // entity i's rate is proportional to (i + 1)^-skew
  std::string queue = "heap";
  std::uint32_t record_bytes = 0;  // per event, appended to rotating output chunks
  int repeat = 3;
};

// What a model does besides the queue, in its cache footprint: models/traffic.cpp appends a
// 48-byte Request per event to chunks of 16,384 that a consumer thread drains (up to ~6
// chunks in flight). With --record-bytes B each side writes B bytes per event the same way.
class Output {
 public:
  explicit Output(std::uint32_t record_bytes)
      : bytes_(record_bytes), buffer_(std::size_t{record_bytes} * kChunk * kChunks + 1) {}
  void write(SimTime t, std::uint32_t id) {
    if (bytes_ == 0) return;
    const std::int64_t ns = t.time_since_epoch().count();
    unsigned char* p = &buffer_[pos_];
    std::memcpy(p, &ns, std::min<std::size_t>(8, bytes_));
    if (bytes_ > 8) std::memset(p + 8, static_cast<int>(id), bytes_ - 8);
    pos_ += bytes_;
    if (pos_ + bytes_ > buffer_.size()) pos_ = 0;
  }

 private:
  static constexpr std::size_t kChunk = 16'384;
  static constexpr std::size_t kChunks = 6;
  std::uint32_t bytes_;
  std::vector<unsigned char> buffer_;
  std::size_t pos_ = 0;
};

// Per-entity state: its own random stream and mean gap (ns), as in models/traffic.cpp.
struct Entity {
  RandomStream rng;
  double mean_gap_ns;
};

std::vector<Entity> make_entities(const Config& cfg) {
  double total_weight = 0.0;
  for (std::uint32_t i = 0; i < cfg.entities; ++i) total_weight += std::pow(i + 1.0, -cfg.skew);
  std::vector<Entity> out;
  out.reserve(cfg.entities);
  for (std::uint32_t i = 0; i < cfg.entities; ++i) {
    const double rate = cfg.total_rate * std::pow(i + 1.0, -cfg.skew) / total_weight;
    out.push_back({RandomStream(cfg.seed, i), 1e9 / rate});
  }
  return out;
}

SimTime next_time(SimTime now, Entity& e) {
  return now + SimDuration{static_cast<std::int64_t>(exponential(e.rng, e.mean_gap_ns))};
}

std::uint64_t fold(std::uint64_t h, SimTime t, std::uint32_t id) {
  return mix64(h ^ static_cast<std::uint64_t>(t.time_since_epoch().count())) + id;
}

struct Result {
  std::uint64_t events = 0;
  std::uint64_t checksum = 0;
  double seconds = 0.0;       // thread CPU time
  double wall_seconds = 0.0;
};

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

template <class Fn>
void timed(Result& r, Fn&& fn) {
  const auto w0 = std::chrono::steady_clock::now();
  const double c0 = thread_cpu_seconds();
  fn();
  r.seconds = thread_cpu_seconds() - c0;
  r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
}

template <class Store, bool kHold>
Result run_engine(const Config& cfg) {
  std::vector<Entity> entities = make_entities(cfg);
  Engine<std::uint32_t, Store> engine;
  engine.reserve(cfg.entities + 1);
  for (std::uint32_t i = 0; i < cfg.entities; ++i) {
    engine.schedule_at(next_time(SimTime{}, entities[i]), i);
  }
  Output out(cfg.record_bytes);
  Result r;
  auto handler = [&](Engine<std::uint32_t, Store>& eng, std::uint32_t id) {
    r.checksum = fold(r.checksum, eng.now(), id);
    out.write(eng.now(), id);
    if (++r.events == cfg.events) {
      eng.stop();
      return;
    }
    const SimTime t = next_time(eng.now(), entities[id]);
    if constexpr (kHold) {
      eng.reschedule_at(t);
    } else {
      eng.schedule_at(t, id);
    }
  };
  timed(r, [&] { engine.run(handler); });
  return r;
}

Result run_baseline(const Config& cfg) {
  struct Event {
    SimTime time;
    std::uint64_t seq;
    std::uint32_t id;
  };
  struct Later {
    bool operator()(const Event& a, const Event& b) const {
      return a.time != b.time ? a.time > b.time : a.seq > b.seq;
    }
  };
  std::vector<Entity> entities = make_entities(cfg);
  std::vector<Event> storage;
  storage.reserve(cfg.entities + 1);
  std::priority_queue<Event, std::vector<Event>, Later> queue(Later{}, std::move(storage));
  std::uint64_t seq = 0;
  for (std::uint32_t i = 0; i < cfg.entities; ++i) {
    queue.push({next_time(SimTime{}, entities[i]), seq++, i});
  }
  Output out(cfg.record_bytes);
  Result r;
  timed(r, [&] {
    while (!queue.empty()) {
      const Event e = queue.top();
      queue.pop();
      r.checksum = fold(r.checksum, e.time, e.id);
      out.write(e.time, e.id);
      if (++r.events == cfg.events) break;
      queue.push({next_time(e.time, entities[e.id]), seq++, e.id});
    }
  });
  return r;
}

void print(const char* name, const Result& r) {
  std::printf("%-9s %llu events in %.3f s CPU, %.3f s wall (%.1f ns/event), checksum %016llx\n",
              name, static_cast<unsigned long long>(r.events), r.seconds, r.wall_seconds,
              r.seconds * 1e9 / static_cast<double>(r.events),
              static_cast<unsigned long long>(r.checksum));
}

}  // namespace

int main(int argc, char** argv) {
  Config cfg;
  CLI::App app{"Hold pattern: engine reschedule_at vs schedule_at vs std::priority_queue"};
  app.add_option("--entities", cfg.entities, "entities, one pending event each")
      ->check(CLI::PositiveNumber);
  app.add_option("--events", cfg.events, "events to process")->check(CLI::PositiveNumber);
  app.add_option("--seed", cfg.seed, "random seed");
  app.add_option("--skew", cfg.skew, "entity i's rate is proportional to (i + 1)^-skew")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--queue", cfg.queue, "engine's key store")
      ->check(CLI::IsMember({"ladder", "heap"}));
  app.add_option("--record-bytes", cfg.record_bytes,
                 "bytes each event writes to rotating output chunks (traffic: 48)");
  app.add_option("--repeat", cfg.repeat, "runs of each side; the best time counts")
      ->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);

  const bool heap = cfg.queue == "heap";
  Result best[3];
  bool agree = true;
  for (int rep = 0; rep < cfg.repeat; ++rep) {
    const Result sides[3] = {
        heap ? run_engine<QuadHeap, true>(cfg) : run_engine<LadderQueue, true>(cfg),
        heap ? run_engine<QuadHeap, false>(cfg) : run_engine<LadderQueue, false>(cfg),
        run_baseline(cfg),
    };
    const char* names[3] = {"engine", "push_path", "baseline"};
    for (int s = 0; s < 3; ++s) {
      print(names[s], sides[s]);
      if (rep == 0 || sides[s].seconds < best[s].seconds) best[s] = sides[s];
      agree = agree && sides[s].checksum == sides[0].checksum && sides[s].events == cfg.events;
    }
  }
  std::printf("queue %s, skew %g, record bytes %u; checksums %s; best of %d runs each\n",
              cfg.queue.c_str(), cfg.skew, cfg.record_bytes, agree ? "agree" : "DIFFER",
              cfg.repeat);
  auto rate = [](const Result& r) { return static_cast<double>(r.events) / r.seconds; };
  std::printf(
      "hold entities=%u events=%llu engine_events_per_s=%.0f push_path_events_per_s=%.0f "
      "baseline_events_per_s=%.0f\n",
      cfg.entities, static_cast<unsigned long long>(cfg.events), rate(best[0]), rate(best[1]),
      rate(best[2]));
  return agree ? 0 : 1;
}
