// Nanoseconds per draw of the ziggurat normal and exponential (sim/distributions.hpp)
// against the transforms they replaced (copied below: Marsaglia's polar method, -mean ln U),
// plus lognormal = exp(normal) on top of each (new: exp_det; and the new normal with libm's
// exp, to separate the two gains). Old and new alternate --repeat times in one
// process and each keeps its best time, so a burst of other work cannot favour one side.
// Each timed loop sums its draws (so nothing is optimised away) and prints the mean.
// Times are the thread's CPU time, so time spent descheduled by other jobs does not count.
// Last line: samplers normal_old_ns=.. normal_new_ns=.. exp_old_ns=.. exp_new_ns=..
#include <time.h>

#include <cmath>
#include <cstdint>
#include <cstdio>

#include <CLI/CLI.hpp>

#include "sim/distributions.hpp"
#include "sim/random.hpp"

namespace {

using dcsim::sim::RandomStream;

// The transforms as of commit 83ec83b (sim/distributions.*), verbatim apart from names.
double normal_polar(RandomStream& rng, double mean, double sd) {
  double u = 0.0;
  double v = 0.0;
  double s = 0.0;
  do {
    u = 2.0 * rng.uniform01() - 1.0;
    v = 2.0 * rng.uniform01() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  return mean + sd * u * std::sqrt(-2.0 * std::log(s) / s);
}
inline double exponential_inversion(RandomStream& rng, double mean) {
  return -mean * std::log(rng.uniform01_open_low());
}

struct Timing {
  double ns = 0.0;
  double mean = 0.0;
};

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

template <class Draw>
Timing time_draws(std::uint64_t n, std::uint64_t seed, Draw draw) {
  RandomStream rng(seed, 0);
  double sum = 0.0;
  const double t0 = thread_cpu_seconds();
  for (std::uint64_t i = 0; i < n; ++i) sum += draw(rng);
  const double s = thread_cpu_seconds() - t0;
  return {s * 1e9 / static_cast<double>(n), sum / static_cast<double>(n)};
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t draws = 20'000'000;
  std::uint64_t seed = 1;
  int repeat = 5;
  CLI::App app{"ns/draw: ziggurat normal/exponential vs polar method / inversion"};
  app.add_option("--draws", draws, "draws per timed loop")->check(CLI::PositiveNumber);
  app.add_option("--seed", seed, "random seed");
  app.add_option("--repeat", repeat, "rounds; the best time of each sampler counts")
      ->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);

  struct Sampler {
    const char* name;
    Timing (*run)(std::uint64_t, std::uint64_t);
    Timing best{};
  };
  using dcsim::sim::exponential;
  using dcsim::sim::normal;
  Sampler samplers[] = {
      {"normal_old", [](std::uint64_t n, std::uint64_t s) {
         return time_draws(n, s, [](RandomStream& r) { return normal_polar(r, 0.0, 1.0); });
       }},
      {"normal_new", [](std::uint64_t n, std::uint64_t s) {
         return time_draws(n, s, [](RandomStream& r) { return normal(r, 0.0, 1.0); });
       }},
      {"exp_old", [](std::uint64_t n, std::uint64_t s) {
         return time_draws(n, s, [](RandomStream& r) { return exponential_inversion(r, 1.0); });
       }},
      {"exp_new", [](std::uint64_t n, std::uint64_t s) {
         return time_draws(n, s, [](RandomStream& r) { return exponential(r, 1.0); });
       }},
      {"lognormal_old", [](std::uint64_t n, std::uint64_t s) {
         return time_draws(n, s,
                           [](RandomStream& r) { return std::exp(normal_polar(r, 0.0, 0.5)); });
       }},
      {"lognormal_new", [](std::uint64_t n, std::uint64_t s) {
         return time_draws(n, s, [](RandomStream& r) { return dcsim::sim::lognormal(r, 0.0, 0.5); });
       }},
      {"lognormal_zig_libm_exp", [](std::uint64_t n, std::uint64_t s) {  // new normal, std::exp
         return time_draws(n, s, [](RandomStream& r) { return std::exp(normal(r, 0.0, 0.5)); });
       }},
      {"uniform01", [](std::uint64_t n, std::uint64_t s) {
         return time_draws(n, s, [](RandomStream& r) { return r.uniform01(); });
       }},
  };
  for (int rep = 0; rep < repeat; ++rep) {
    for (Sampler& s : samplers) {
      const Timing t = s.run(draws, seed);
      if (rep == 0 || t.ns < s.best.ns) s.best = t;
    }
  }
  for (const Sampler& s : samplers) {
    std::printf("%-22s %6.2f ns/draw (best of %d x %llu draws), sample mean %.5f\n", s.name,
                s.best.ns, repeat, static_cast<unsigned long long>(draws), s.best.mean);
  }
  std::printf("samplers normal_old_ns=%.2f normal_new_ns=%.2f exp_old_ns=%.2f exp_new_ns=%.2f\n",
              samplers[0].best.ns, samplers[1].best.ns, samplers[2].best.ns, samplers[3].best.ns);
  return 0;
}
