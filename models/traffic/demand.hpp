// Demand: the arrival rate of every request stream over the run. A stream is one region ×
// request class (users) or one staff location × staff class. Its rate is a step function of
// time: daily-active users × rate per user-day × the diurnal weight of the region's local
// hour (summer time applied) × the weekly weight of its local day × user growth (per UTC
// day) × any demand surge, divided by the run's scale. Rates change only at local hour
// boundaries, summer-time switches and surge edges, so arrivals can be drawn by exact
// inversion of the integrated rate.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/network/world.hpp"
#include "sim/distributions.hpp"
#include "sim/random.hpp"
#include "sim/time.hpp"

namespace dcsim::models {

/// λ(t) constant between breakpoints; arrivals by inverting Λ(t) (one exponential per arrival).
class StepRate {
 public:
  /// starts[0] must be 0 and strictly increasing; rates >= 0 per second; the last step
  /// lasts until `end`.
  StepRate(std::vector<sim::SimTime> starts, std::vector<double> rates_per_s, sim::SimTime end);

  /// Expected arrivals in [0, end).
  double expected_total() const { return cumulative_.back(); }
  /// Expected arrivals in [a, b).
  double expected_between(sim::SimTime a, sim::SimTime b) const { return integral_to(b) - integral_to(a); }
  /// The same, for callers walking forward through time: `step` remembers where the last
  /// call ended, so a year of quarter-hour steps is not searched again for every segment.
  double expected_between(sim::SimTime a, sim::SimTime b, std::size_t& step) const {
    const double from = integral_to(a, step);
    return integral_to(b, step) - from;
  }
  double rate_at(sim::SimTime t) const;
  const std::vector<sim::SimTime>& starts() const { return starts_; }
  const std::vector<double>& rates() const { return rates_; }

  /// Cursor over one sample path: next() returns successive arrival times, kNever at the end.
  /// A cursor follows one StepRate, the same one at every call.
  class Cursor {
   public:
    sim::SimTime next(const StepRate& r, sim::RandomStream& rng) {
      // Nearly every arrival falls in the step of the one before: that step's end and
      // rate are kept here, so the common case reads nothing of `r` (the generator draws
      // for ~750 streams in turn, and each StepRate's arrays are a cache miss away).
      // Every time returned leaves the cache on the current step; before the first, a rate
      // of 0 sends the call across steps.
      const double mass = sim::exponential(rng, 1.0);
      if (mass < cached_rate_ * sim::to_seconds(cached_end_ - t_)) return advance(mass, cached_rate_, cached_end_);
      return next_across_steps(r, mass);
    }

   private:
    sim::SimTime advance(double mass, double rate, sim::SimTime step_end) {
      t_ += sim::from_seconds(mass / rate);
      if (t_ >= step_end) t_ = step_end - sim::SimDuration{1};  // rounding at the edge
      return t_;
    }
    /// next(), from the current step on (each step's figures read from `r`).
    sim::SimTime next_across_steps(const StepRate& r, double mass);

    // 32 bytes: with the stream's random state, one cache line per stream.
    sim::SimTime t_{};
    sim::SimTime cached_end_{};  ///< the current step's end and rate, once a time was returned
    double cached_rate_ = 0;
    std::uint32_t step_ = 0;
  };

 private:
  double integral_to(sim::SimTime t) const;
  double integral_to(sim::SimTime t, std::size_t& step) const;

  std::vector<sim::SimTime> starts_;
  std::vector<double> rates_;
  std::vector<double> cumulative_;  ///< Λ at each start, plus Λ(end)
  sim::SimTime end_;
};

enum class StreamOrigin : std::uint8_t { Region, Staff };

struct DemandStream {
  StreamOrigin origin = StreamOrigin::Region;
  std::uint32_t origin_index = 0;  ///< region index, or staff location index within its class
  std::uint32_t class_index = 0;
  StepRate rate;
};

/// Every stream of a run, with the per-agent weight (scale).
struct Demand {
  std::vector<DemandStream> streams;
  double weight = 1;  ///< real requests per simulated request (meta.scale)
};

/// Builds the demand of a run from the World's regions, the scenario's traffic classes and
/// demand-surge events. Staff requests are spread evenly over the day (round-the-clock
/// operations).
Demand build_demand(const World& world);

/// Local hour (0..23) at simulated time t in a region.
int local_hour(const World& world, std::size_t region, sim::SimTime t);

}  // namespace dcsim::models
