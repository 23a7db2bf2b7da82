// Non-homogeneous Poisson arrivals: counts per piecewise-constant bin against Λ for the
// exact inversion and for thinning (chi-square and per-bin 5-sigma), zero-rate bins,
// periodic wrap-around, the end of a non-periodic curve, and expected_count.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "sim/arrivals.hpp"

using namespace dcsim::sim;

namespace {

// A diurnal-looking curve: 24 hourly bins, a night at zero, a peak near 20:00.
std::vector<double> day_rates() {
  std::vector<double> r(24);
  for (int h = 0; h < 24; ++h) r[h] = 0.05 + 0.05 * (1 + std::sin((h - 14) * 3.14159265 / 12));
  r[3] = 0.0;  // a bin with no traffic at all
  return r;
}

// Counts arrivals per hour-of-day over `days` days, starting at time 0.
template <class Next>
std::vector<double> hourly_counts(int days, Next&& next) {
  std::vector<double> counts(24, 0.0);
  const SimTime end = at(hours(24) * days);
  for (SimTime t = next(SimTime{}); t < end; t = next(t)) {
    counts[static_cast<std::size_t>((t.time_since_epoch() / hours(1)) % 24)] += 1;
  }
  return counts;
}

void check_counts(const std::vector<double>& counts, const std::vector<double>& rates, int days) {
  double chi2 = 0;
  int df = 0;
  for (int h = 0; h < 24; ++h) {
    CAPTURE(h);
    const double expected = rates[h] * 3600 * days;
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

}  // namespace

TEST_CASE("inversion gives Poisson counts per piecewise bin over many periods") {
  const auto rates = day_rates();
  const PiecewiseConstantRate curve(rates, hours(1), /*periodic=*/true);
  RandomStream rng(31, 1);
  constexpr int kDays = 60;
  const auto counts = hourly_counts(kDays, [&](SimTime t) { return curve.next_arrival(t, rng); });
  check_counts(counts, rates, kDays);
}

TEST_CASE("thinning gives the same per-bin counts") {
  const auto rates = day_rates();
  const PiecewiseConstantRate curve(rates, hours(1), true);
  RandomStream rng(31, 2);
  constexpr int kDays = 60;
  const auto counts = hourly_counts(kDays, [&](SimTime t) {
    return next_arrival_thinning(t, rng, [&](SimTime x) { return curve.rate_at(x); }, 0.16,
                                 at(hours(24 * kDays)));
  });
  check_counts(counts, rates, kDays);
}

TEST_CASE("inter-arrival gaps under a constant rate are exponential") {
  const PiecewiseConstantRate curve({4.0}, hours(1), true);
  RandomStream rng(31, 3);
  SimTime t{};
  double sum = 0;
  double sum2 = 0;
  constexpr int kN = 100'000;
  for (int i = 0; i < kN; ++i) {
    const SimTime next = curve.next_arrival(t, rng);
    const double gap = to_seconds(next - t);
    sum += gap;
    sum2 += gap * gap;
    t = next;
  }
  const double mean = sum / kN;
  CHECK(std::fabs(mean - 0.25) < 5 * 0.25 / std::sqrt(kN));
  CHECK(sum2 / kN - mean * mean == doctest::Approx(0.0625).epsilon(0.03));
}

TEST_CASE("a non-periodic curve ends, and zero-rate stretches are skipped") {
  const PiecewiseConstantRate curve({0.0, 0.0, 1000.0}, seconds(1), /*periodic=*/false);
  RandomStream rng(31, 4);
  const SimTime first = curve.next_arrival(SimTime{}, rng);
  CHECK(first >= at(seconds(2)));
  CHECK(first < at(seconds(3)));
  CHECK(curve.next_arrival(at(seconds(3)), rng) == kNever);
  int n = 0;
  for (SimTime t = first; t != kNever; t = curve.next_arrival(t, rng)) ++n;
  CHECK(std::fabs(n - 1000) < 5 * std::sqrt(1000.0));
  const PiecewiseConstantRate silent({0.0, 0.0}, seconds(1), true);
  CHECK(silent.next_arrival(SimTime{}, rng) == kNever);
}

TEST_CASE("expected_count integrates the rate, across periods and part-bins") {
  const PiecewiseConstantRate curve({1.0, 3.0}, seconds(10), true);
  CHECK(curve.expected_count(SimTime{}, at(seconds(20))) == doctest::Approx(40.0));
  CHECK(curve.expected_count(at(seconds(5)), at(seconds(15))) == doctest::Approx(5.0 + 15.0));
  CHECK(curve.expected_count(at(seconds(15)), at(seconds(65))) == doctest::Approx(15 + 40 + 40 + 5));
  CHECK(curve.expected_count(at(-seconds(5)), at(seconds(5))) == doctest::Approx(15 + 5));
  CHECK(curve.rate_at(at(seconds(25))) == 1.0);
  CHECK(curve.rate_at(at(-seconds(1))) == 3.0);
  const PiecewiseConstantRate once({2.0}, seconds(10), false);
  CHECK(once.expected_count(at(-seconds(5)), at(seconds(100))) == doctest::Approx(20.0));
  CHECK(once.rate_at(at(seconds(10))) == 0.0);
}

TEST_CASE("bad rate curves are rejected") {
  CHECK_THROWS_AS(PiecewiseConstantRate({}, seconds(1), true), std::invalid_argument);
  CHECK_THROWS_AS(PiecewiseConstantRate({1.0}, seconds(0), true), std::invalid_argument);
  CHECK_THROWS_AS(PiecewiseConstantRate({-1.0}, seconds(1), true), std::invalid_argument);
  CHECK_THROWS_AS(PiecewiseConstantRate({std::nan("")}, seconds(1), true), std::invalid_argument);
}
