// Histogram bookkeeping: bucket bounds, merge, mean and the quantile walk.
#include "sim/histogram.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace dcsim::sim {

Histogram::Histogram(int precision_bits) : precision_(precision_bits) {
  if (precision_bits < 1 || precision_bits > 12) {
    throw std::invalid_argument("Histogram: precision_bits must be in [1, 12]");
  }
  // Values below 2^(p+1) are exact; the octaves above are added as values reach them.
  counts_.assign(std::size_t{2} << precision_bits, 0);
}

void Histogram::grow(std::size_t b) {
  const std::size_t octave = std::size_t{1} << precision_;
  counts_.resize((b / octave + 1) * octave, 0);
}

bool Histogram::operator==(const Histogram& o) const {
  if (precision_ != o.precision_ || count_ != o.count_ || sum_ != o.sum_ || min_ != o.min_ || max_ != o.max_) return false;
  const std::size_t n = std::max(counts_.size(), o.counts_.size());
  for (std::size_t i = 0; i < n; ++i)
    if ((i < counts_.size() ? counts_[i] : 0) != (i < o.counts_.size() ? o.counts_[i] : 0)) return false;
  return true;
}

void Histogram::bucket_range(std::size_t b, std::uint64_t& lo, std::uint64_t& hi) const {
  if (b < (std::size_t{2} << precision_)) {
    lo = hi = b;
    return;
  }
  const std::size_t shift = (b >> precision_) - 1;
  const std::uint64_t top = b - (shift << precision_);
  lo = top << shift;
  hi = lo + ((std::uint64_t{1} << shift) - 1);
}

void Histogram::merge(const Histogram& other) {
  if (other.precision_ != precision_) {
    throw std::invalid_argument("Histogram::merge: precisions differ");
  }
  if (other.counts_.size() > counts_.size()) counts_.resize(other.counts_.size(), 0);
  for (std::size_t i = 0; i < other.counts_.size(); ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

void Histogram::clear() {
  counts_.assign(std::size_t{2} << precision_, 0);
  count_ = 0;
  sum_ = 0;
  min_ = UINT64_MAX;
  max_ = 0;
}

double Histogram::mean() const {
  if (count_ == 0) return 0.0;
  return static_cast<double>(sum_) / static_cast<double>(count_);
}

double Histogram::quantile(double q) const {
  if (!(q >= 0.0 && q <= 1.0)) throw std::invalid_argument("Histogram::quantile: q not in [0, 1]");
  if (count_ == 0) return 0.0;
  // Rank in 1..count_; computed in long double so weights near 2^64 do not lose the +1.
  const long double exact = std::ceil(static_cast<long double>(q) * count_);
  const std::uint64_t rank =
      std::max<std::uint64_t>(1, std::min<std::uint64_t>(count_, static_cast<std::uint64_t>(exact)));
  if (rank == 1) return static_cast<double>(min_);  // the extremes are kept exactly
  if (rank == count_) return static_cast<double>(max_);
  std::uint64_t seen = 0;
  for (std::size_t b = 0; b < counts_.size(); ++b) {
    seen += counts_[b];
    if (seen >= rank) {
      std::uint64_t lo = 0;
      std::uint64_t hi = 0;
      bucket_range(b, lo, hi);
      const double mid = static_cast<double>(lo) + static_cast<double>(hi - lo) / 2.0;
      return std::clamp(mid, static_cast<double>(min_), static_cast<double>(max_));
    }
  }
  return static_cast<double>(max_);
}

}  // namespace dcsim::sim
