// Per-reporting-interval accumulator: for each bin of a fixed window [start, start +
// bins * interval), the weighted sum, total weight and maximum of recorded values.
// Records outside the window are counted in dropped_weight(), never silently lost.
// Merging adds sums and weights and takes maxima, so it is exact for integer-valued data.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "sim/time.hpp"

namespace dcsim::sim {

/// Weighted sum / count / max per interval; mergeable across threads and runs.
class TimeSeries {
 public:
  /// One interval's accumulators.
  struct Bin {
    double sum = 0.0;          ///< Σ value × weight
    std::uint64_t count = 0;   ///< Σ weight
    double max = -std::numeric_limits<double>::infinity();  ///< largest value (unweighted)
    double mean() const { return count == 0 ? 0.0 : sum / static_cast<double>(count); }
    bool operator==(const Bin&) const = default;
  };

  /// interval > 0, bins > 0; throws std::invalid_argument otherwise.
  TimeSeries(SimDuration interval, std::size_t bins, SimTime start = SimTime{});

  /// Adds `weight` observations of `value` at time t to t's interval.
  void record(SimTime t, double value, std::uint64_t weight = 1) {
    const std::int64_t offset = (t - start_).count();
    if (offset < 0 || offset >= span_ns_) {
      dropped_ += weight;
      return;
    }
    Bin& b = bins_[static_cast<std::size_t>(offset / interval_.count())];
    b.sum += value * static_cast<double>(weight);
    b.count += weight;
    if (value > b.max) b.max = value;
  }
  /// Adds another series with the same interval, bin count and start; throws otherwise.
  void merge(const TimeSeries& other);

  std::size_t size() const { return bins_.size(); }
  const Bin& operator[](std::size_t i) const { return bins_[i]; }
  SimTime bin_start(std::size_t i) const {
    return start_ + interval_ * static_cast<std::int64_t>(i);
  }
  SimDuration interval() const { return interval_; }
  SimTime start() const { return start_; }
  /// Total weight of records that fell outside the window.
  std::uint64_t dropped_weight() const { return dropped_; }
  bool operator==(const TimeSeries&) const = default;

 private:
  SimDuration interval_;
  SimTime start_;
  std::int64_t span_ns_;
  std::vector<Bin> bins_;
  std::uint64_t dropped_ = 0;
};

}  // namespace dcsim::sim
