// Distributions: sample mean and variance of each transform within 5 standard errors of
// the exact values (fixed seeds, so the outcome is deterministic), Poisson frequencies by
// chi-square on both sides of the method switch at mean 10, and ln k! against a direct sum.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <vector>

#include "sim/distributions.hpp"

using namespace dcsim::sim;

namespace {

struct Moments {
  double mean;
  double variance;
};

Moments sample(int n, const std::function<double()>& draw) {
  // Welford's update: stable for large means (Poisson 1e7).
  double mean = 0;
  double m2 = 0;
  for (int i = 1; i <= n; ++i) {
    const double x = draw();
    const double d = x - mean;
    mean += d / i;
    m2 += d * (x - mean);
  }
  return {mean, m2 / (n - 1)};
}

// Checks sample moments against exact mean, variance and fourth central moment mu4.
void check_moments(const Moments& m, int n, double mean, double var, double mu4) {
  const double se_mean = std::sqrt(var / n);
  const double se_var = std::sqrt((mu4 - var * var) / n);
  CHECK(std::fabs(m.mean - mean) < 5 * se_mean);
  CHECK(std::fabs(m.variance - var) < 5 * se_var);
}

constexpr int kN = 400'000;

}  // namespace

TEST_CASE("uniform and uniform_int have the right moments and bounds") {
  RandomStream rng(11, 1);
  const Moments m = sample(kN, [&] { return uniform(rng, 2.0, 5.0); });
  check_moments(m, kN, 3.5, 9.0 / 12, 81.0 / 80);
  const Moments k = sample(kN, [&] { return static_cast<double>(uniform_int(rng, -3, 3)); });
  check_moments(k, kN, 0.0, 4.0, (2 * 81 + 2 * 16 + 2 * 1) / 7.0);  // (n^2-1)/12 with n=7
  for (int i = 0; i < 1000; ++i) {
    const auto v = uniform_int(rng, -3, 3);
    REQUIRE(v >= -3);
    REQUIRE(v <= 3);
  }
  CHECK(uniform_int(rng, 9, 9) == 9);
}

TEST_CASE("exponential(mean) has mean m, variance m^2, and is never negative") {
  RandomStream rng(11, 2);
  const double m = 2.5;
  const Moments s = sample(kN, [&] { return exponential(rng, m); });
  check_moments(s, kN, m, m * m, 9 * m * m * m * m);
  for (int i = 0; i < 10'000; ++i) REQUIRE(exponential(rng, m) >= 0.0);
}

TEST_CASE("normal(mean, sd) has the right mean and variance") {
  RandomStream rng(11, 3);
  const Moments s = sample(kN, [&] { return normal(rng, -1.0, 3.0); });
  check_moments(s, kN, -1.0, 9.0, 3 * 81.0);
}

TEST_CASE("lognormal matches the requested mean and sd, and its log is normal") {
  RandomStream rng(11, 4);
  const LognormalParams p = lognormal_from_moments(20.0, 10.0);
  // Exact inversion of the moment formulas.
  CHECK(std::exp(p.mu + p.sigma * p.sigma / 2) == doctest::Approx(20.0));
  CHECK(std::sqrt((std::exp(p.sigma * p.sigma) - 1) * std::exp(2 * p.mu + p.sigma * p.sigma)) ==
        doctest::Approx(10.0));
  const Moments s = sample(kN, [&] { return lognormal(rng, p); });
  CHECK(std::fabs(s.mean - 20.0) < 5 * 10.0 / std::sqrt(kN));
  const Moments logs = sample(kN, [&] { return std::log(lognormal(rng, p)); });
  check_moments(logs, kN, p.mu, p.sigma * p.sigma, 3 * std::pow(p.sigma, 4));
  CHECK_THROWS_AS(lognormal_from_moments(0.0, 1.0), std::invalid_argument);
}

TEST_CASE("poisson has mean = variance = lambda for small and large means") {
  for (const double lambda : {0.5, 3.5, 9.99, 10.0, 47.3, 1e4, 1e7}) {
    CAPTURE(lambda);
    RandomStream rng(12, static_cast<std::uint64_t>(lambda * 100));
    const int n = 200'000;
    const Moments s = sample(n, [&] { return static_cast<double>(poisson(rng, lambda)); });
    check_moments(s, n, lambda, lambda, lambda * (1 + 3 * lambda));
  }
  RandomStream rng(12, 0);
  CHECK(poisson(rng, 0.0) == 0);
  CHECK_THROWS_AS(poisson(rng, -1.0), std::invalid_argument);
  CHECK_THROWS_AS(poisson(rng, std::nan("")), std::invalid_argument);
}

TEST_CASE("poisson frequencies match the pmf (chi-square) on both sides of mean 10") {
  for (const double lambda : {3.5, 25.0}) {
    CAPTURE(lambda);
    RandomStream rng(13, static_cast<std::uint64_t>(lambda));
    const int n = 300'000;
    const int cells = static_cast<int>(lambda * 3);  // last cell collects the tail
    std::vector<double> observed(cells + 1, 0.0);
    for (int i = 0; i < n; ++i) {
      observed[std::min<std::int64_t>(poisson(rng, lambda), cells)] += 1;
    }
    double chi2 = 0;
    double tail = 1.0;
    int df = 0;
    for (int k = 0; k <= cells; ++k) {
      const double p =
          k < cells ? std::exp(-lambda + k * std::log(lambda) - log_factorial(k)) : tail;
      tail -= p;
      const double expected = p * n;
      if (expected < 5) continue;  // too sparse for the chi-square approximation
      chi2 += (observed[k] - expected) * (observed[k] - expected) / expected;
      ++df;
    }
    // p = 0.001 critical value ~ df + 3.1 sqrt(2 df) + 3.
    CHECK(chi2 < df + 3.1 * std::sqrt(2.0 * df) + 3);
  }
}

TEST_CASE("log_factorial matches a direct sum of logs") {
  double direct = 0;
  for (int k = 0; k <= 500; ++k) {
    if (k > 1) direct += std::log(static_cast<double>(k));
    CAPTURE(k);
    CHECK(log_factorial(k) == doctest::Approx(direct).epsilon(1e-13));
  }
}
