// Non-homogeneous Poisson arrivals (e.g. diurnal traffic). PiecewiseConstantRate samples
// the next arrival exactly by inverting the cumulative rate Λ(t) = ∫ λ; thinning (Lewis &
// Shedler) handles any bounded rate function. Rates are per second; times are SimTime,
// with the rate curve's bin 0 starting at SimTime 0.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/distributions.hpp"
#include "sim/random.hpp"
#include "sim/time.hpp"

namespace dcsim::sim {

/// λ(t) constant on consecutive equal-width bins from time 0; after the last bin the rate
/// is 0, or, if periodic, the curve repeats (a 24 x 1 h diurnal profile).
class PiecewiseConstantRate {
 public:
  /// rates_per_s >= 0 and finite, at least one bin, bin_width > 0; throws otherwise.
  PiecewiseConstantRate(std::vector<double> rates_per_s, SimDuration bin_width, bool periodic);

  /// λ(t) in events per second (0 before time 0 unless periodic).
  double rate_at(SimTime t) const;
  /// Expected number of arrivals in [from, to): Λ(to) - Λ(from).
  double expected_count(SimTime from, SimTime to) const;
  /// The first arrival after `after` (exact inversion, one exponential draw; rounded to
  /// the nanosecond, so it may equal `after` at rates near 1e9/s); kNever if the rest of
  /// a non-periodic curve integrates to less than the draw.
  SimTime next_arrival(SimTime after, RandomStream& rng) const;

  SimDuration bin_width() const { return width_; }
  std::size_t bins() const { return rates_.size(); }
  bool periodic() const { return periodic_; }

 private:
  /// Λ over [0, t) for t in [0, span]; t in ns since 0.
  double cumulative_within(std::int64_t t) const;
  /// Where Λ within one span reaches `target` (cumulative_[0] <= target < total).
  std::int64_t invert_within(double target) const;

  std::vector<double> rates_;       // per second
  std::vector<double> cumulative_;  // cumulative_[i] = Λ at the start of bin i; size n+1
  SimDuration width_;
  std::int64_t span_ns_;  // n * width
  bool periodic_;
};

/// Next arrival after `after` of a Poisson process with rate rate_per_s(SimTime) bounded
/// by rate_max, by thinning; kNever if none before `horizon`. Exact for any rate function
/// with 0 <= λ(t) <= rate_max.
template <class RateFn>
SimTime next_arrival_thinning(SimTime after, RandomStream& rng, RateFn&& rate_per_s,
                              double rate_max, SimTime horizon) {
  if (!(rate_max > 0.0)) return kNever;
  const double mean_gap_s = 1.0 / rate_max;
  SimTime t = after;
  for (;;) {
    const SimDuration gap = from_seconds(exponential(rng, mean_gap_s));
    if (t > horizon - gap) return kNever;
    t += gap;
    if (rng.uniform01() * rate_max < rate_per_s(t)) return t;
  }
}

}  // namespace dcsim::sim
