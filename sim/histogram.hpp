// Log-linear (HDR-style) histogram of non-negative integer values (e.g. latency in ns)
// with weighted records. Values below 2^(p+1) are counted exactly; above, each octave has
// 2^p equal buckets, so a reported quantile is within 2^-(p+1) relative of a recorded value
// (p = 7: 0.39%, p = 8: 0.195%, p = 9: 0.098%). Buckets are allocated up to the largest value recorded
// (a latency histogram in µs that never sees more than a minute holds ~26 of the 65
// octaves), so fine precision costs memory only where values fall; merging is exact and
// order-free.
#pragma once

#include <bit>
#include <cstdint>
#include <vector>

namespace dcsim::sim {

/// Weighted log-linear histogram with quantiles, mean, count, min and max.
class Histogram {
 public:
  /// precision_bits p in [1, 12]: relative error <= 2^-(p+1); at most (65 - p) * 2^p buckets.
  explicit Histogram(int precision_bits = 7);

  /// Adds `weight` observations of `value` (weight = users one agent stands for).
  void record(std::uint64_t value, std::uint64_t weight = 1) {
    if (weight == 0) return;
    const std::size_t b = bucket_of(value);
    if (b >= counts_.size()) [[unlikely]] grow(b);
    counts_[b] += weight;
    count_ += weight;
    sum_ += static_cast<U128>(value) * weight;
    if (value < min_) min_ = value;
    if (value > max_) max_ = value;
  }
  /// A hint that `value` will be recorded soon: starts loading its bucket. Large runs keep
  /// hundreds of histograms (country × class), so a record is often a cache miss; callers
  /// that know a likely value early hide it behind other work.
  // Always inlined: GCC takes a function that only prefetches for pure (a prefetch has no
  // side effect), and a call to a pure function whose result is unused is deleted: out of
  // line, every call of this compiled to nothing.
  [[gnu::always_inline]] void prefetch(std::uint64_t value) const {
    const std::size_t b = bucket_of(value);
    if (b < counts_.size()) __builtin_prefetch(counts_.data() + b, 1);
  }
  /// Adds another histogram's records; both must have the same precision.
  void merge(const Histogram& other);
  void clear();

  /// Total weight recorded.
  std::uint64_t count() const { return count_; }
  /// Exact weighted mean (sum kept in 128 bits); 0 when empty.
  double mean() const;
  /// Smallest / largest recorded value (exact); 0 when empty.
  std::uint64_t min() const { return count_ == 0 ? 0 : min_; }
  std::uint64_t max() const { return max_; }
  /// The value at quantile q in [0, 1]: the ceil(q * count)-th smallest record (1-based,
  /// at least the first), reported as its bucket's midpoint clamped to [min, max]; the
  /// first and last records are reported exactly.
  double quantile(double q) const;

  int precision_bits() const { return precision_; }
  /// Largest relative distance between a reported quantile and the record it stands for.
  double relative_error_bound() const { return 1.0 / static_cast<double>(2U << precision_); }
  /// Same precision and the same records (however far each has allocated its buckets).
  bool operator==(const Histogram& o) const;

 private:
  __extension__ using U128 = unsigned __int128;

  std::size_t bucket_of(std::uint64_t v) const {
    if (v < (std::uint64_t{2} << precision_)) return static_cast<std::size_t>(v);
    const int e = std::bit_width(v) - 1;  // v in [2^e, 2^(e+1)), e > precision_
    const int shift = e - precision_;
    return (static_cast<std::size_t>(shift) << precision_) + static_cast<std::size_t>(v >> shift);
  }
  /// Allocates buckets up to and including b (whole octaves at a time).
  void grow(std::size_t b);
  /// [lowest, highest] values that fall in bucket b.
  void bucket_range(std::size_t b, std::uint64_t& lo, std::uint64_t& hi) const;

  int precision_;
  std::vector<std::uint64_t> counts_;
  std::uint64_t count_ = 0;
  U128 sum_ = 0;
  std::uint64_t min_ = UINT64_MAX;
  std::uint64_t max_ = 0;
};

}  // namespace dcsim::sim
