// Out-of-line transforms: the ziggurats' rare paths, lognormal moment matching, Poisson
// (multiplication method / PTRS) and ln k! used by PTRS's acceptance test.
#include "sim/distributions.hpp"

#include <stdexcept>

namespace dcsim::sim {

namespace detail {

// Layer i >= 1 is the rectangle [0, x_i] x [f(x_i), f(x_i+1)]; a point x in [x_i+1, x_i)
// lies under the curve when a uniform height in that band is below f(x). Layer 0 is the
// base strip plus the tail. Every rejection restarts with a fresh 64-bit draw.
double standard_normal_slow(RandomStream& rng, std::uint64_t u) {
  for (;;) {
    const std::size_t i = u & 0xFF;
    const std::uint64_t bits = u >> 12;
    const bool negative = (u & 0x100) != 0;
    double x = to_double(bits) * kNormalLayers[i].w;
    if (bits < kNormalLayers[i].k) return negative ? -x : x;  // after a restart
    if (i == 0) {
      // Tail beyond r (Marsaglia 1964): t = E1 / r is accepted when 2 E2 > t^2.
      double t = 0.0;
      double e2 = 0.0;
      do {
        t = -std::log(rng.uniform01_open_low()) * kNormalInvR;
        e2 = -std::log(rng.uniform01_open_low());
      } while (e2 + e2 <= t * t);
      x = kNormalR + t;
      return negative ? -x : x;
    }
    const double y = kNormalF[i] + (kNormalF[i + 1] - kNormalF[i]) * rng.uniform01();
    if (y < std::exp(-0.5 * x * x)) return negative ? -x : x;
    u = rng.next_u64();
  }
}

// As above with f(x) = exp(-x); a draw in layer 0 beyond r continues as r + Exp(1).
double standard_exponential_slow(RandomStream& rng, std::uint64_t u) {
  double base = 0.0;
  for (;;) {
    const std::size_t i = u & 0xFF;
    const std::uint64_t bits = u >> 11;
    const double x = to_double(bits) * kExpLayers[i].w;
    if (bits < kExpLayers[i].k) return base + x;
    if (i == 0) {
      base += kExpR;
    } else if (kExpF[i] + (kExpF[i + 1] - kExpF[i]) * rng.uniform01() < std::exp(-x)) {
      return base + x;
    }
    u = rng.next_u64();
  }
}

}  // namespace detail

LognormalParams lognormal_from_moments(double mean, double sd) {
  if (!(mean > 0.0) || !(sd >= 0.0)) {
    throw std::invalid_argument("lognormal_from_moments: need mean > 0 and sd >= 0");
  }
  const double sigma2 = std::log1p((sd * sd) / (mean * mean));
  return {std::log(mean) - 0.5 * sigma2, std::sqrt(sigma2)};
}

double log_factorial(std::int64_t k) {
  static constexpr double kTable[10] = {
      0.0,
      0.0,
      0.69314718055994530942,
      1.79175946922805500081,
      3.17805383034794561964,
      4.78749174278204599425,
      6.57925121201010099506,
      8.52516136106541430017,
      10.60460290274525022842,
      12.80182748008146961121};
  if (k < 10) return kTable[k];
  // Stirling series for ln Gamma(x), x = k + 1 >= 11: five terms are exact to double.
  const double x = static_cast<double>(k) + 1.0;
  const double x2 = 1.0 / (x * x);
  const double series =
      (1.0 / 12.0 - x2 * (1.0 / 360.0 - x2 * (1.0 / 1260.0 - x2 * (1.0 / 1680.0 - x2 / 1188.0)))) /
      x;
  return (x - 0.5) * std::log(x) - x + 0.91893853320467274178 + series;
}

namespace {

std::int64_t poisson_small(RandomStream& rng, double mean) {
  const double limit = std::exp(-mean);
  std::int64_t k = 0;
  double product = rng.uniform01();
  while (product > limit) {
    ++k;
    product *= rng.uniform01();
  }
  return k;
}

// W. Hörmann, "The transformed rejection method for generating Poisson random
// variables", Insurance: Mathematics and Economics 12 (1993). Valid for mean >= 10.
std::int64_t poisson_ptrs(RandomStream& rng, double mean) {
  const double slam = std::sqrt(mean);
  const double loglam = std::log(mean);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2.0);
  for (;;) {
    const double u = rng.uniform01() - 0.5;
    const double v = rng.uniform01();
    const double us = 0.5 - std::fabs(u);
    const double kd = std::floor((2.0 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return static_cast<std::int64_t>(kd);
    if (kd < 0.0 || (us < 0.013 && v > us)) continue;
    const auto k = static_cast<std::int64_t>(kd);
    if (std::log(v) + std::log(inv_alpha) - std::log(a / (us * us) + b) <=
        -mean + kd * loglam - log_factorial(k)) {
      return k;
    }
  }
}

}  // namespace

std::int64_t poisson(RandomStream& rng, double mean) {
  if (!(mean >= 0.0) || mean > 1e15) {
    throw std::invalid_argument("poisson: mean must be in [0, 1e15]");
  }
  if (mean == 0.0) return 0;
  return mean < 10.0 ? poisson_small(rng, mean) : poisson_ptrs(rng, mean);
}

}  // namespace dcsim::sim
