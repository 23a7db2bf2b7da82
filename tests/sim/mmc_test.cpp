// Whole-engine validation: an M/M/c FIFO queue simulated on the Engine must reproduce the
// Erlang-C mean waiting time within 2% and (c = 1) the utilisation rho within 1%.
// Run lengths: the M/M/1 relative asymptotic variance of the mean wait is about
// 2(1+rho) / (rho (1-rho)^2) per unit time (Whitt 1989): 112 at rho = 0.8, so 4.5e6 mean
// service times give a standard error near 0.5%, and 2% is a 4-sigma bound. The test also
// estimates the standard error by batch means and requires 2% to be >= 3 of them.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/distributions.hpp"
#include "sim/engine.hpp"
#include "sim/random.hpp"

using namespace dcsim::sim;

namespace {

/// Erlang-C mean wait in queue for c servers, arrival rate lambda, service rate mu.
double erlang_c_wait(int c, double lambda, double mu) {
  const double a = lambda / mu;  // offered load in Erlangs
  const double rho = a / c;
  double term = 1.0;  // a^k / k!
  double sum = 0.0;
  for (int k = 0; k < c; ++k) {
    sum += term;
    term *= a / (k + 1);
  }
  const double tail = term / (1 - rho);  // a^c / (c! (1 - rho))
  const double p_wait = tail / (sum + tail);
  return p_wait / (c * mu - lambda);
}

struct MmcResult {
  double mean_wait_s = 0;
  double wait_stderr_s = 0;  // by batch means
  double utilisation = 0;    // mean busy servers / c
  std::uint64_t customers = 0;
};

struct Event {
  enum Kind : std::uint8_t { kArrival, kDeparture } kind;
};

MmcResult simulate_mmc(int c, double rho, double horizon_s, std::uint64_t seed) {
  const double mean_service_s = 1.0;
  const double mean_interarrival_s = mean_service_s / (rho * c);
  const SimTime warmup = at(from_seconds(horizon_s * 0.02));
  const SimTime end = warmup + from_seconds(horizon_s);

  Engine<Event> engine;
  RandomStream arrivals(seed, 1);
  RandomStream services(seed, 2);
  std::vector<SimTime> waiting;  // FIFO ring of arrival times
  std::size_t head = 0;
  int busy = 0;
  SimTime last_change{};
  double busy_area_s = 0;  // integral of busy servers over the measured window

  constexpr int kBatches = 50;
  std::vector<double> batch_sum(kBatches, 0.0);
  std::vector<double> batch_n(kBatches, 0.0);
  MmcResult r;
  double wait_sum = 0;

  auto account_busy = [&](SimTime now) {
    const SimTime from = std::max(last_change, warmup);
    if (now > from) busy_area_s += busy * to_seconds(now - from);
    last_change = now;
  };
  auto start_service = [&](auto& eng, SimTime arrived) {
    if (eng.now() >= warmup) {  // customers counted by the time their wait ends
      const double w = to_seconds(eng.now() - arrived);
      const auto batch = static_cast<std::size_t>((eng.now() - warmup) * kBatches / (end - warmup));
      batch_sum[std::min<std::size_t>(batch, kBatches - 1)] += w;
      batch_n[std::min<std::size_t>(batch, kBatches - 1)] += 1;
      wait_sum += w;
      ++r.customers;
    }
    eng.schedule_after(from_seconds(exponential(services, mean_service_s)), {Event::kDeparture});
  };

  engine.schedule_after(from_seconds(exponential(arrivals, mean_interarrival_s)), {Event::kArrival});
  engine.run_until(end, [&](auto& eng, const Event& e) {
    switch (e.kind) {
      case Event::kArrival:
        eng.schedule_after(from_seconds(exponential(arrivals, mean_interarrival_s)),
                           {Event::kArrival});
        if (busy < c) {
          account_busy(eng.now());
          ++busy;
          start_service(eng, eng.now());
        } else {
          waiting.push_back(eng.now());
        }
        break;
      case Event::kDeparture:
        if (head < waiting.size()) {
          start_service(eng, waiting[head++]);
          if (head > 4096 && head * 2 > waiting.size()) {  // compact the ring
            waiting.erase(waiting.begin(), waiting.begin() + static_cast<std::ptrdiff_t>(head));
            head = 0;
          }
        } else {
          account_busy(eng.now());
          --busy;
        }
        break;
    }
  });
  account_busy(end);

  r.mean_wait_s = wait_sum / static_cast<double>(r.customers);
  r.utilisation = busy_area_s / to_seconds(end - warmup) / c;
  double mean_of_batches = 0;
  for (int i = 0; i < kBatches; ++i) mean_of_batches += batch_sum[i] / batch_n[i] / kBatches;
  double var = 0;
  for (int i = 0; i < kBatches; ++i) {
    const double d = batch_sum[i] / batch_n[i] - mean_of_batches;
    var += d * d / (kBatches - 1);
  }
  r.wait_stderr_s = std::sqrt(var / kBatches);
  return r;
}

void check_mmc(int c, double rho, double horizon_s, std::uint64_t seed) {
  CAPTURE(c);
  CAPTURE(rho);
  const MmcResult r = simulate_mmc(c, rho, horizon_s, seed);
  const double expected = erlang_c_wait(c, rho * c, 1.0);
  const double rel_err = std::fabs(r.mean_wait_s - expected) / expected;
  const double rel_se = r.wait_stderr_s / expected;
  MESSAGE("M/M/" << c << " rho=" << rho << ": Wq " << r.mean_wait_s << " s vs Erlang-C "
                 << expected << " s (rel. error " << rel_err << ", batch-means s.e. " << rel_se
                 << "), utilisation " << r.utilisation << ", " << r.customers << " customers");
  CHECK(rel_se * 3 <= 0.02);  // the run is long enough for a 2% check to mean something
  CHECK(rel_err < 0.02);
  CHECK(std::fabs(r.utilisation - rho) / rho < (c == 1 ? 0.01 : 0.02));
}

}  // namespace

TEST_CASE("Erlang-C reference values (textbook cases)") {
  CHECK(erlang_c_wait(1, 0.8, 1.0) == doctest::Approx(4.0));  // rho / (mu - lambda)
  CHECK(erlang_c_wait(1, 0.5, 1.0) == doctest::Approx(1.0));
  CHECK(erlang_c_wait(2, 1.0, 1.0) == doctest::Approx(1.0 / 3.0));  // P_wait = 1/3, c mu - lambda = 1
}

TEST_CASE("M/M/1 on the engine matches Erlang-C wait within 2% and rho within 1%") {
  check_mmc(1, 0.5, 2.0e6, 101);
  check_mmc(1, 0.8, 5.0e6, 102);
}

TEST_CASE("M/M/4 on the engine matches Erlang-C wait within 2%") {
  check_mmc(4, 0.5, 2.0e6, 103);
  check_mmc(4, 0.8, 3.0e6, 104);
}
