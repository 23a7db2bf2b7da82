// Continuous and discrete distributions as explicit transforms of a RandomStream.
// std:: distributions are implementation-defined (different output per standard library),
// so every transform is written out here. Results depend on libm only through log, exp
// and sqrt; the draws a call consumes depend only on the stream. Parameters are in the
// caller's units, and exponential takes a mean, not a rate.
#pragma once

#include <cmath>
#include <cstdint>

#include "sim/random.hpp"

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

/// Exponential with the given mean (= 1 / rate), by inversion: -mean * ln(U), U in (0,1].
inline double exponential(RandomStream& rng, double mean) {
  return -mean * std::log(rng.uniform01_open_low());
}

/// Normal(mean, sd) by Marsaglia's polar method (no cached spare, so a stream's state is
/// only its generator state).
double normal(RandomStream& rng, double mean, double sd);

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
