// Benchmark of `dcsim run` on the issue-5 workload: the Clover full build-out with 100 M
// daily-active users averaging 30 requests per user per day (3×10^9 requests in 24 h),
// at event fidelity (one thread, then two: the baseline beside the pipelined run) and at
// flow fidelity. Last line: `run_bench key=value ...`.
//   run_bench [--scenario FILE] [--scale K] [--daily-active-share X] [--skip-single]
//             [--set KEY=VALUE ...]   (e.g. a shorter window: --set meta.duration_h=1)
// Besides wall time it prints each pipeline half's thread CPU time: on this shared VM wall
// time moves by up to 2x between identical runs, CPU time far less, and the larger half is
// what bounds the two-thread wall time. With two threads, what is served is recorded by
// whichever thread has time: the share of it the generating thread took is printed too.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>
#include <sys/resource.h>

#include "models/run/flow_run.hpp"
#include "models/run/event_run.hpp"
#include "models/scenario/scenario_loader.hpp"

namespace {

double peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

struct Timing {
  double wall_s = 0;
  double requests = 0;
  std::uint64_t simulated = 0, events = 0;
  double generate_cpu_s = 0, serve_cpu_s = 0;
  double recorded_beside_generator = 0;  ///< share of record batches
};

template <class Fn>
Timing time_run(Fn&& fn) {
  const auto t0 = std::chrono::steady_clock::now();
  const auto m = fn();
  Timing t;
  t.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  t.requests = m->generated;
  t.simulated = m->simulated_requests;
  t.events = m->events_processed;
  t.generate_cpu_s = m->generate_cpu_s;
  t.serve_cpu_s = m->serve_cpu_s;
  t.recorded_beside_generator =
      m->record_batches > 0 ? static_cast<double>(m->record_batches_beside_generator) / static_cast<double>(m->record_batches) : 0.0;
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  std::string scenario = std::string(DCSIM_SOURCE_DIR) + "/scenarios/clover-full.yaml";
  std::string scale = "100", share = "0.6667";
  bool skip_single = false;
  std::vector<std::string> sets;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "run_bench: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--scenario") scenario = value();
    else if (a == "--scale") scale = value();
    else if (a == "--daily-active-share") share = value();
    else if (a == "--skip-single") skip_single = true;
    else if (a == "--set") sets.push_back(value());
    else {
      std::fprintf(stderr, "usage: run_bench [--scenario FILE] [--scale K] [--daily-active-share X] [--skip-single] [--set KEY=VALUE ...]\n");
      return 2;
    }
  }
  using namespace dcsim::models;
  try {
    std::vector<std::string> overrides{"meta.scale=" + scale, "traffic.daily_active_share=" + share};
    overrides.insert(overrides.end(), sets.begin(), sets.end());
    const Scenario s = load_scenario(scenario, LoadOptions{overrides, ""});
    const World world(s);
    double daily = 0;
    for (const auto& r : world.regions()) daily += r.daily_active_users;
    const Timing flow = time_run([&] { return run_flow(world); });
    std::printf("flow fidelity: %.3f s wall, %.3g requests\n", flow.wall_s, flow.requests);
    Timing one;
    if (!skip_single) {
      one = time_run([&] {
        RunOptions o;
        o.threads = 1;
        return run_event(world, o);
      });
      std::printf("event, 1 thread: %.2f s wall (CPU: generate %.2f s, serve %.2f s), %llu simulated requests, %.3g simulated/s\n",
                  one.wall_s, one.generate_cpu_s, one.serve_cpu_s, static_cast<unsigned long long>(one.simulated),
                  static_cast<double>(one.simulated) / one.wall_s);
    }
    const Timing two = time_run([&] {
      RunOptions o;
      o.threads = 2;
      return run_event(world, o);
    });
    std::printf("event, 2 threads: %.2f s wall (thread CPU: generate %.2f s, serve %.2f s; %.0f %% recorded beside the generator), "
                "%llu simulated requests, %.3g simulated/s\n",
                two.wall_s, two.generate_cpu_s, two.serve_cpu_s, 100 * two.recorded_beside_generator,
                static_cast<unsigned long long>(two.simulated), static_cast<double>(two.simulated) / two.wall_s);
    std::printf("run_bench scenario=%s daily_users=%.0f requests=%.4g scale=%s event_wall_s=%.3f event_1thread_wall_s=%.3f "
                "requests_per_s=%.4g simulated_requests_per_s=%.4g events_per_s=%.4g speedup_2threads=%.2f flow_wall_s=%.3f "
                "generate_cpu_s=%.3f serve_cpu_s=%.3f recorded_beside_generator=%.3f peak_rss_mib=%.1f\n",
                s.meta.name.c_str(), daily, two.requests, scale.c_str(), two.wall_s, one.wall_s, two.requests / two.wall_s,
                static_cast<double>(two.simulated) / two.wall_s, static_cast<double>(two.events) / two.wall_s,
                one.wall_s > 0 ? one.wall_s / two.wall_s : 0.0, flow.wall_s, two.generate_cpu_s, two.serve_cpu_s,
                two.recorded_beside_generator, peak_rss_mib());
  } catch (const ScenarioError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  return 0;
}
