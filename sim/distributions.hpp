// Continuous and discrete distributions as explicit transforms of a RandomStream.
// std:: distributions are implementation-defined (different output per standard library),
// so every transform is written out here. The draws a call consumes depend only on the
// stream. Normal and exponential draws are ziggurats whose common path (~98%) is integer
// work plus one IEEE multiply, so bit-identical everywhere; the rest (and lognormal, Poisson)
// also call log / exp / sqrt. Parameters are in the caller's units; exponential takes a mean.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>

#include "sim/random.hpp"
#include "sim/ziggurat_tables.hpp"

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

/// Exp(1) by a 256-layer ziggurat (Marsaglia & Tsang 2000; tables in ziggurat_tables.hpp):
/// one 64-bit draw, bits 0-7 pick the layer and bits 11-63 the point. 97.8% of draws
/// return at once; the rest test a wedge with exp() or restart, and the tail beyond
/// r = 7.697 adds r and starts over (the exponential is memoryless). Why not -ln(U): the
/// log costs ~4x the whole fast path, and its last bit may differ between libm versions.
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

/// Lognormal: exp(Normal(mu, sigma)).
inline double lognormal(RandomStream& rng, double mu, double sigma) {
  return std::exp(normal(rng, mu, sigma));
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
