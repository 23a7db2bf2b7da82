// TimeSeries construction (window checks) and merge.
#include "sim/time_series.hpp"

#include <algorithm>
#include <stdexcept>

namespace dcsim::sim {

TimeSeries::TimeSeries(SimDuration interval, std::size_t bins, SimTime start)
    : interval_(interval), start_(start), span_ns_(0) {
  if (interval.count() <= 0 || bins == 0) {
    throw std::invalid_argument("TimeSeries: need interval > 0 and at least one bin");
  }
  if (static_cast<std::uint64_t>(interval.count()) > INT64_MAX / bins) {
    throw std::invalid_argument("TimeSeries: window overflows SimTime");
  }
  span_ns_ = interval.count() * static_cast<std::int64_t>(bins);
  bins_.resize(bins);
}

void TimeSeries::merge(const TimeSeries& other) {
  if (other.interval_ != interval_ || other.start_ != start_ || other.bins_.size() != bins_.size()) {
    throw std::invalid_argument("TimeSeries::merge: windows differ");
  }
  for (std::size_t i = 0; i < bins_.size(); ++i) {
    bins_[i].sum += other.bins_[i].sum;
    bins_[i].count += other.bins_[i].count;
    bins_[i].max = std::max(bins_[i].max, other.bins_[i].max);
  }
  dropped_ += other.dropped_;
}

}  // namespace dcsim::sim
