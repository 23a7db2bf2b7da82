// Histogram: quantiles within the stated relative error of the exact order statistics
// (lognormal latencies in ns), exact small values, weighted records equal repeated ones,
// merging parts equals recording the whole, exact mean/min/max, and argument checks.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "sim/distributions.hpp"
#include "sim/histogram.hpp"

using namespace dcsim::sim;

namespace {

std::vector<std::uint64_t> latencies_ns(int n, std::uint64_t stream) {
  RandomStream rng(41, stream);
  const LognormalParams p = lognormal_from_moments(20e6, 30e6);  // 20 ms mean, long tail
  std::vector<std::uint64_t> v(n);
  for (auto& x : v) x = static_cast<std::uint64_t>(lognormal(rng, p));
  return v;
}

// The ceil(q n)-th smallest value (1-based, at least the first): the histogram's definition.
double exact_quantile(std::vector<std::uint64_t> v, double q) {
  std::sort(v.begin(), v.end());
  const auto rank = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(q * v.size())));
  return static_cast<double>(v[rank - 1]);
}

}  // namespace

TEST_CASE("quantiles are within the relative error bound of the exact order statistic") {
  for (const int precision : {4, 7, 10}) {
    CAPTURE(precision);
    Histogram h(precision);
    const auto v = latencies_ns(200'000, 1);
    for (auto x : v) h.record(x);
    REQUIRE(h.count() == v.size());
    double worst = 0;
    for (const double q : {0.0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0}) {
      CAPTURE(q);
      const double exact = exact_quantile(v, q);
      const double err = std::fabs(h.quantile(q) - exact) / exact;
      CHECK(err <= h.relative_error_bound() * (1 + 1e-12));
      worst = std::max(worst, err);
    }
    CHECK(h.quantile(0.0) == static_cast<double>(*std::min_element(v.begin(), v.end())));
    CHECK(h.quantile(1.0) == static_cast<double>(*std::max_element(v.begin(), v.end())));
    // The bound is not vacuous: buckets really are coarse at low precision.
    if (precision == 4) CHECK(worst > 0.001);
    // Only the octaves values reached are allocated, and that changes nothing observable.
    Histogram fresh(precision);
    fresh.merge(h);
    CHECK(fresh == h);
  }
  CHECK(Histogram(7).relative_error_bound() < 0.01);
}

TEST_CASE("small values are counted exactly") {
  Histogram h(3);  // exact below 2^(3+1) = 16
  for (std::uint64_t v = 0; v < 16; ++v) h.record(v);
  for (std::uint64_t v = 0; v < 16; ++v) {
    CAPTURE(v);
    CHECK(h.quantile((static_cast<double>(v) + 1) / 16) == static_cast<double>(v));
  }
  CHECK(h.mean() == doctest::Approx(7.5));
}

TEST_CASE("a weighted record equals the same number of single records") {
  Histogram weighted;
  Histogram repeated;
  const auto v = latencies_ns(2'000, 2);
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::uint64_t k = 1 + i % 5;
    weighted.record(v[i], k);
    for (std::uint64_t j = 0; j < k; ++j) repeated.record(v[i]);
  }
  CHECK(weighted == repeated);
  CHECK(weighted.count() == repeated.count());
  CHECK(weighted.quantile(0.99) == repeated.quantile(0.99));
  weighted.record(123, 0);  // zero weight: no effect
  CHECK(weighted == repeated);
}

TEST_CASE("merging parts gives exactly the histogram of the whole, in any order") {
  const auto v = latencies_ns(30'000, 3);
  Histogram whole;
  Histogram a;
  Histogram b;
  Histogram c;
  for (std::size_t i = 0; i < v.size(); ++i) {
    whole.record(v[i], 1 + i % 3);
    (i % 3 == 0 ? a : i % 3 == 1 ? b : c).record(v[i], 1 + i % 3);
  }
  Histogram abc = a;
  abc.merge(b);
  abc.merge(c);
  Histogram cba = c;
  cba.merge(b);
  cba.merge(a);
  CHECK(abc == whole);
  CHECK(cba == whole);
  CHECK(abc.mean() == whole.mean());
  CHECK_THROWS_AS(whole.merge(Histogram(5)), std::invalid_argument);
}

TEST_CASE("mean, min and max are exact; empty and cleared histograms report zeros") {
  Histogram h;
  CHECK(h.count() == 0);
  CHECK(h.mean() == 0.0);
  CHECK(h.quantile(0.5) == 0.0);
  h.record(1'000'000'007, 3);
  h.record(5, 1);
  h.record(UINT64_MAX, 1);  // the top bucket works and the 128-bit sum does not overflow
  CHECK(h.min() == 5);
  CHECK(h.max() == UINT64_MAX);
  CHECK(h.mean() == doctest::Approx((3 * 1'000'000'007.0 + 5 + 18446744073709551615.0) / 5));
  CHECK(h.quantile(0.5) == doctest::Approx(1'000'000'007.0).epsilon(h.relative_error_bound()));
  h.clear();
  CHECK(h == Histogram());
  CHECK_THROWS_AS(h.quantile(1.5), std::invalid_argument);
  CHECK_THROWS_AS(Histogram(0), std::invalid_argument);
  CHECK_THROWS_AS(Histogram(13), std::invalid_argument);
}
