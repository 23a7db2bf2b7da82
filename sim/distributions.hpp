// Continuous and discrete distributions as explicit transforms of a RandomStream.
// std:: distributions are implementation-defined (different output per standard library),
// so every transform is written out here. The draws a call consumes depend only on the
// stream. Normal and exponential draws are ziggurats whose common path (~98%) is integer
// work plus one IEEE multiply, and lognormal's exp is exp_det (IEEE arithmetic and tables),
// so these are bit-identical everywhere (given no a*b+c contraction into FMA: true on
// x86-64 without -mfma; elsewhere build with -ffp-contract=off); the ziggurats' rare paths
// and Poisson also call libm's log / exp / sqrt. Parameters are in the caller's units;
// exponential takes a mean, not a rate.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>

#include "sim/random.hpp"
#include "sim/sampler_tables.hpp"

namespace dcsim::sim {

/// Uniform double in [lo, hi).
inline double uniform(RandomStream& rng, double lo, double hi) {
  return lo + (hi - lo) * rng.uniform01();
}

/// Uniform integer in [lo, hi] (inclusive), lo <= hi.
inline std::int64_t uniform_int(RandomStream& rng, std::int64_t lo, std::int64_t hi) {
  const auto span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo) + 1;
  if (span == 0) return static_cast<std::int64_t>(rng.next_u64());  // the full 64-bit range
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + rng.uniform_below(span));
}

/// True with probability p.
inline bool bernoulli(RandomStream& rng, double p) { return rng.uniform01() < p; }

namespace detail {
// The ziggurats' rare paths (wedges, tails, rejections), out of line; u is the first draw.
double standard_normal_slow(RandomStream& rng, std::uint64_t u);
double standard_exponential_slow(RandomStream& rng, std::uint64_t u);
// bits < 2^53 as a double: a signed conversion is one instruction, an unsigned one is not.
inline double to_double(std::uint64_t bits) {
  return static_cast<double>(static_cast<std::int64_t>(bits));
}
}  // namespace detail

/// Exp(1) by a 256-layer ziggurat (Marsaglia & Tsang 2000; tables in sampler_tables.hpp):
/// one 64-bit draw, bits 0-7 pick the layer and bits 11-63 the point. 97.8% of draws
/// return at once; the rest test a wedge with exp() or restart, and the tail beyond
/// r = 7.697 adds r and starts over (the exponential is memoryless). Why not -ln(U): that
/// costs twice as much (4.6 vs 2.2 ns, tools/bench/samplers), and log's last bit may
/// differ between libm versions.
inline double standard_exponential(RandomStream& rng) {
  const std::uint64_t u = rng.next_u64();
  const detail::ZigguratLayer& layer = detail::kExpLayers[u & 0xFF];
  const std::uint64_t bits = u >> 11;
  if (bits < layer.k) [[likely]] return detail::to_double(bits) * layer.w;
  return detail::standard_exponential_slow(rng, u);
}

/// Exponential with the given mean (= 1 / rate).
inline double exponential(RandomStream& rng, double mean) {
  return mean * standard_exponential(rng);
}

/// N(0, 1) by a 256-layer ziggurat: one 64-bit draw, bits 0-7 pick the layer, bit 8 the
/// sign and bits 12-63 the point. 98.5% of draws return at once; the rest test a wedge
/// with exp() or restart, and |x| > r = 3.654 (2.6e-4 of draws) takes Marsaglia's tail
/// method (two logs). Stateless: no cached spare, a stream's state is its generator state.
inline double standard_normal(RandomStream& rng) {
  const std::uint64_t u = rng.next_u64();
  const detail::ZigguratLayer& layer = detail::kNormalLayers[u & 0xFF];
  const std::uint64_t bits = u >> 12;
  if (bits < layer.k) [[likely]] {
    const double x = detail::to_double(bits) * layer.w;  // >= 0: set the sign bit from bit 8
    return std::bit_cast<double>(std::bit_cast<std::uint64_t>(x) | ((u & 0x100) << 55));
  }
  return detail::standard_normal_slow(rng, u);
}

/// Normal(mean, sd).
inline double normal(RandomStream& rng, double mean, double sd) {
  return mean + sd * standard_normal(rng);
}

/// Parameters of the underlying normal of a lognormal variable.
struct LognormalParams {
  double mu = 0.0;     ///< mean of ln X
  double sigma = 1.0;  ///< standard deviation of ln X
};

/// The (mu, sigma) whose lognormal has the given mean and standard deviation (> 0).
LognormalParams lognormal_from_moments(double mean, double sd);

namespace detail {
/// e^x within 0.51 ulp from IEEE +, -, * and tables only, so the same on every platform
/// (Tang's method: x = (128 m + j) ln2/128 + r, |r| <= ln2/256, e^x = 2^m 2^(j/128) e^r,
/// e^r - 1 by its Taylor polynomial to r^5, error < 2^-60; the layout of ARM's
/// optimized-routines exp). x outside [-700, 708] and NaN go to std::exp: there the result
/// nears overflow, or head * 2^m * q would be subnormal and lose bits.
inline double exp_det(double x) {
  if (!(x >= -700.0 && x <= 708.0)) [[unlikely]] return std::exp(x);
  constexpr double kShift = 0x1.8p52;  // adding it rounds |z| < 2^51 to an integer
  const double shifted = x * kExpInvLn2N + kShift;
  const std::int64_t k = std::bit_cast<std::int64_t>(shifted) - std::bit_cast<std::int64_t>(kShift);
  const double kd = shifted - kShift;
  const double r = (x - kd * kExpLn2HiN) - kd * kExpLn2LoN;  // kd * hi is exact
  const double* t = kExp2Table[k & 127];
  // tail + e^r - 1, in Estrin's order: a shorter dependency chain than Horner's.
  const double r2 = r * r;
  const double q = (t[1] + r) + r2 * ((0x1p-1 + r * 0x1.5555555555555p-3) +
                                      r2 * (0x1.5555555555555p-5 + r * 0x1.1111111111111p-7));
  // 2^m * head, m = floor(k / 128), by adding m to head's exponent (the result is normal).
  const double scale = std::bit_cast<double>(std::bit_cast<std::uint64_t>(t[0]) +
                                             (static_cast<std::uint64_t>(k >> 7) << 52));
  return scale + scale * q;
}
}  // namespace detail

/// Lognormal: exp(Normal(mu, sigma)).
inline double lognormal(RandomStream& rng, double mu, double sigma) {
  return detail::exp_det(normal(rng, mu, sigma));
}
inline double lognormal(RandomStream& rng, LognormalParams p) {
  return lognormal(rng, p.mu, p.sigma);
}

/// Poisson with the given mean >= 0: exact multiplication method below mean 10,
/// Hörmann's PTRS transformed rejection (1993) at and above.
std::int64_t poisson(RandomStream& rng, double mean);

/// ln(k!) for k >= 0: table below 10, Stirling series above (|error| < 1e-14).
double log_factorial(std::int64_t k);

}  // namespace dcsim::sim
