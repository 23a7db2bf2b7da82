// Non-homogeneous Poisson arrivals by exact inversion of a step rate (the traffic
// generator's arrival process): counts per step against Λ (chi-square and per-step
// 5 sigma), exponential gaps, zero-rate steps skipped, the end of the curve, the integral,
// and bad curves rejected.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "models/traffic/demand.hpp"
#include "sim/distributions.hpp"

using namespace dcsim;
using models::StepRate;

namespace {

sim::SimTime at_s(double s) { return sim::at(sim::from_seconds(s)); }

// A diurnal-looking day repeated `days` times: hourly steps, a night hour at zero.
StepRate days_of(int days, std::vector<double>& hourly) {
  hourly.assign(24, 0);
  for (int h = 0; h < 24; ++h) hourly[h] = 0.05 + 0.05 * (1 + std::sin((h - 14) * 3.14159265 / 12));
  hourly[3] = 0.0;
  std::vector<sim::SimTime> starts;
  std::vector<double> rates;
  for (int d = 0; d < days; ++d)
    for (int h = 0; h < 24; ++h) {
      starts.push_back(at_s(3600.0 * (24 * d + h)));
      rates.push_back(hourly[h]);
    }
  return StepRate(starts, rates, at_s(3600.0 * 24 * days));
}

// The inversion as first written, reading every step's figures from the curve at every
// call: the cursor keeps the current step's end and rate, and must give the same times.
struct PlainCursor {
  std::size_t step = 0;
  sim::SimTime t{};
  sim::SimTime next(const std::vector<sim::SimTime>& starts, const std::vector<double>& rates, sim::SimTime end, sim::RandomStream& rng) {
    double mass = sim::exponential(rng, 1.0);
    while (step < starts.size()) {
      const sim::SimTime step_end = step + 1 < starts.size() ? starts[step + 1] : end;
      if (rates[step] > 0) {
        const double available = rates[step] * sim::to_seconds(step_end - t);
        if (mass < available) {
          t += sim::from_seconds(mass / rates[step]);
          if (t >= step_end) t = step_end - sim::SimDuration{1};
          return t;
        }
        mass -= available;
      }
      ++step;
      t = step_end;
    }
    return sim::kNever;
  }
};

}  // namespace

TEST_CASE("the cursor gives exactly the plain inversion's times, across steps of every kind") {
  // Steps from 1 ns to minutes, zero-rate runs, and rates high enough that arrivals pile
  // up on a step's last nanosecond (the rounding clamp), on random curves.
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    CAPTURE(seed);
    sim::RandomStream shape(seed, 99);
    std::vector<sim::SimTime> starts{sim::SimTime{}};
    std::vector<double> rates;
    for (int i = 0; i < 60; ++i) {
      const double pick = shape.uniform01();
      rates.push_back(pick < 0.2 ? 0.0 : pick < 0.3 ? 1e10 : std::exp(12 * shape.uniform01()));
      const auto len = pick < 0.5 ? static_cast<std::int64_t>(1 + shape.uniform_below(1000)) : static_cast<std::int64_t>(1e6 + 1e9 * shape.uniform01());
      starts.push_back(starts.back() + sim::SimDuration{len});
    }
    const sim::SimTime end = starts.back();
    starts.pop_back();
    const StepRate rate(starts, rates, end);
    sim::RandomStream a(seed, 1), b(seed, 1);
    StepRate::Cursor cursor;
    PlainCursor plain;
    std::size_t n = 0;
    for (;;) {
      const sim::SimTime t = cursor.next(rate, a);
      REQUIRE(t == plain.next(starts, rates, end, b));
      if (t == sim::kNever) break;
      ++n;
    }
    CHECK(n > 0);
  }
}

TEST_CASE("inversion gives Poisson counts per step of a step rate") {
  constexpr int kDays = 60;
  std::vector<double> hourly;
  const StepRate rate = days_of(kDays, hourly);
  sim::RandomStream rng(31, 1);
  StepRate::Cursor cursor;
  std::vector<double> counts(24, 0.0);
  for (sim::SimTime t = cursor.next(rate, rng); t != sim::kNever; t = cursor.next(rate, rng))
    counts[static_cast<std::size_t>((t.time_since_epoch() / sim::hours(1)) % 24)] += 1;
  double chi2 = 0;
  int df = 0;
  for (int h = 0; h < 24; ++h) {
    CAPTURE(h);
    const double expected = hourly[h] * 3600 * kDays;
    if (expected == 0) {
      CHECK(counts[h] == 0);
      continue;
    }
    CHECK(std::fabs(counts[h] - expected) < 5 * std::sqrt(expected));
    chi2 += (counts[h] - expected) * (counts[h] - expected) / expected;
    ++df;
  }
  CHECK(chi2 < df + 3.1 * std::sqrt(2.0 * df) + 3);  // ~p = 0.001
}

TEST_CASE("inter-arrival gaps under a constant rate are exponential") {
  const StepRate rate({sim::SimTime{}}, {4.0}, at_s(1e6));
  sim::RandomStream rng(31, 3);
  StepRate::Cursor cursor;
  sim::SimTime t{};
  double sum = 0, sum2 = 0;
  constexpr int kN = 100'000;
  for (int i = 0; i < kN; ++i) {
    const sim::SimTime next = cursor.next(rate, rng);
    const double gap = sim::to_seconds(next - t);
    sum += gap;
    sum2 += gap * gap;
    t = next;
  }
  const double mean = sum / kN;
  CHECK(std::fabs(mean - 0.25) < 5 * 0.25 / std::sqrt(kN));
  CHECK(sum2 / kN - mean * mean == doctest::Approx(0.0625).epsilon(0.03));
}

TEST_CASE("zero-rate steps are skipped and the curve ends") {
  const StepRate rate({sim::SimTime{}, at_s(1), at_s(2)}, {0.0, 0.0, 1000.0}, at_s(3));
  sim::RandomStream rng(31, 4);
  StepRate::Cursor cursor;
  const sim::SimTime first = cursor.next(rate, rng);
  CHECK(first >= at_s(2));
  CHECK(first < at_s(3));
  int n = 1;
  for (sim::SimTime t = cursor.next(rate, rng); t != sim::kNever; t = cursor.next(rate, rng)) {
    CHECK(t < at_s(3));
    ++n;
  }
  CHECK(std::fabs(n - 1000) < 5 * std::sqrt(1000.0));
  StepRate::Cursor silent_cursor;
  CHECK(silent_cursor.next(StepRate({sim::SimTime{}}, {0.0}, at_s(10)), rng) == sim::kNever);
}

TEST_CASE("expected_between integrates the rate across steps and part-steps") {
  const StepRate rate({sim::SimTime{}, at_s(10)}, {1.0, 3.0}, at_s(20));
  CHECK(rate.expected_total() == doctest::Approx(40.0));
  CHECK(rate.expected_between(at_s(5), at_s(15)) == doctest::Approx(5.0 + 15.0));
  CHECK(rate.expected_between(at_s(-5), at_s(100)) == doctest::Approx(40.0));  // nothing outside [0, end)
  CHECK(rate.rate_at(at_s(12)) == 3.0);
  CHECK(rate.rate_at(at_s(20)) == 0.0);
}

TEST_CASE("bad step rates are rejected") {
  CHECK_THROWS_AS(StepRate({}, {}, at_s(1)), std::invalid_argument);
  CHECK_THROWS_AS(StepRate({at_s(1)}, {1.0}, at_s(2)), std::invalid_argument);              // not from 0
  CHECK_THROWS_AS(StepRate({sim::SimTime{}}, {-1.0}, at_s(1)), std::invalid_argument);       // negative
  CHECK_THROWS_AS(StepRate({sim::SimTime{}}, {std::nan("")}, at_s(1)), std::invalid_argument);
  CHECK_THROWS_AS(StepRate({sim::SimTime{}, at_s(2), at_s(1)}, {1.0, 1.0, 1.0}, at_s(3)), std::invalid_argument);  // not increasing
  CHECK_THROWS_AS(StepRate({sim::SimTime{}}, {1.0}, sim::SimTime{}), std::invalid_argument);  // ends before it starts
}

TEST_CASE("expected_between with a step hint equals the search, walking forward and back") {
  const StepRate rate({at_s(0), at_s(10), at_s(20), at_s(25)}, {1.0, 2.0, 0.0, 4.0}, at_s(40));
  std::size_t step = 0;
  for (int a = -3; a < 42; a += 3) {
    const int b = a + 7;
    CHECK(rate.expected_between(at_s(a), at_s(b), step) == rate.expected_between(at_s(a), at_s(b)));
  }
  // A caller going back in time (a new pass) still gets the right answer.
  CHECK(rate.expected_between(at_s(1), at_s(12), step) == rate.expected_between(at_s(1), at_s(12)));
  step = 99;  // a stale hint past the end
  CHECK(rate.expected_between(at_s(5), at_s(30), step) == rate.expected_between(at_s(5), at_s(30)));
}
