// LadderQueue's slow paths: refilling Bottom from the lowest non-empty bucket, building
// rung 0 from Top, splitting crowded buckets into finer rungs, and out-of-order inserts.
#include "sim/ladder_queue.hpp"

#include <algorithm>
#include <bit>

namespace dcsim::sim {

namespace {

// a + b * 2^shift, saturating at UINT64_MAX (bucket bounds at the far end of SimTime).
std::uint64_t saturating_offset(std::uint64_t a, std::uint64_t b, unsigned shift) {
  __extension__ using U128 = unsigned __int128;
  const U128 v = static_cast<U128>(a) + (static_cast<U128>(b) << shift);
  return v > UINT64_MAX ? UINT64_MAX : static_cast<std::uint64_t>(v);
}

// Smallest s with 2^s >= x (x >= 1).
unsigned ceil_log2(std::uint64_t x) { return static_cast<unsigned>(std::bit_width(x - 1)); }

}  // namespace

void LadderQueue::insert_bottom(const EventKey& k) {
  if (head_ == bottom_.size()) {
    bottom_.clear();
    head_ = 0;
  }
  if (bottom_.empty() || !(k < bottom_.back())) {
    bottom_.push_back(k);
  } else if (head_ > 0 && k < bottom_[head_]) {
    bottom_[--head_] = k;
  } else {
    const auto at = std::upper_bound(bottom_.begin() + static_cast<std::ptrdiff_t>(head_),
                                     bottom_.end(), k);
    bottom_.insert(at, k);
  }
}

void LadderQueue::gather(std::uint32_t head) {
  while (head != kNil) {
    const std::uint32_t next = pool_[head].next;
    bottom_.push_back(pool_[head]);
    pool_[head].next = free_;
    free_ = head;
    head = next;
  }
}

void LadderQueue::rung_from_top() {
  // Bucket width: a quarter of the mean gap between keys near the front, estimated from a
  // sample of Top (the first keys of its list, in effect random), rounded down to a power
  // of two. The mean gap over the whole span, as in the original ladder queue, is far too
  // wide for front-loaded delays such as exponential ones: buckets then hold several keys
  // to sort, with a mispredicted branch per key. Constants tuned on PHOLD; figures in
  // tools/bench/README.md.
  std::uint64_t sample[kSampleSize];
  std::size_t m = 0;
  for (std::uint32_t i = top_head_; i != kNil && m < kSampleSize; i = pool_[i].next) {
    sample[m++] = pool_[i].time - top_min_;
  }
  const std::size_t rank = m / 8;  // the 12.5% quantile of the sample
  std::nth_element(sample, sample + rank, sample + m);
  const std::uint64_t span = top_max_ - top_min_;
  std::uint64_t gap = 0;
  if (sample[rank] > 0 && rank > 0) {
    // rank/m of the keys lie within sample[rank] of the front.
    const long double share = static_cast<long double>(rank) / static_cast<long double>(m);
    gap = static_cast<std::uint64_t>(static_cast<long double>(sample[rank]) /
                                     (share * static_cast<long double>(top_count_)));
  } else {
    gap = span / top_count_;  // tiny sample or keys piled on one time
  }
  Rung& g = rungs_[0];
  g.start = top_min_;
  gap /= kFrontGapDivisor;
  g.shift = gap <= 1 ? 0 : static_cast<unsigned>(std::bit_width(gap) - 1);
  // Reach kReach x past Top's span, so that keys scheduled while the rung drains mostly
  // land in it rather than in Top, within max(kMaxBucketsPerKey per key, kMinBucketCap)
  // buckets; keys past the rung's end stay in Top.
  const std::uint64_t wanted = ((span >> g.shift) + 1) * kReach;
  g.buckets = static_cast<std::size_t>(
      std::min<std::uint64_t>(wanted, std::max<std::uint64_t>(kMaxBucketsPerKey * top_count_,
                                                               kMinBucketCap)));
  g.cur = 0;
  g.cur_start = g.start;
  g.reset(g.buckets);
  top_start_ = saturating_offset(g.start, g.buckets, g.shift);
  std::uint32_t stay = kNil;
  std::size_t stay_count = 0;
  std::uint64_t stay_min = UINT64_MAX;
  std::uint64_t stay_max = 0;
  for (std::uint32_t i = top_head_; i != kNil;) {
    const std::uint32_t next = pool_[i].next;
    const std::uint64_t t = pool_[i].time;
    if (t >= top_start_) {
      pool_[i].next = stay;
      stay = i;
      ++stay_count;
      stay_min = std::min(stay_min, t);
      stay_max = std::max(stay_max, t);
    } else {
      const auto b = static_cast<std::size_t>((t - g.start) >> g.shift);
      pool_[i].next = g.heads[b];
      g.heads[b] = i;
      g.mark(b);
    }
    i = next;
  }
  g.count = top_count_ - stay_count;
  rung_count_ = 1;
  top_head_ = stay;
  top_count_ = stay_count;
  top_min_ = stay_min;
  top_max_ = stay_max;
}

void LadderQueue::split_bottom_into_rung(std::uint64_t start, unsigned parent_shift) {
  Rung& c = rungs_[rung_count_++];
  // About one key per bucket: n keys over the parent's 2^parent_shift ns, at least 1 ns.
  const unsigned n_log2 = ceil_log2(bottom_.size());
  c.start = start;
  c.shift = parent_shift > n_log2 ? parent_shift - n_log2 : 0;
  c.buckets = std::size_t{1} << (parent_shift - c.shift);
  c.cur = 0;
  c.cur_start = start;
  c.count = bottom_.size();
  c.reset(c.buckets);
  for (const EventKey& k : bottom_) {
    const auto b = static_cast<std::size_t>((k.time - start) >> c.shift);
    link(c.heads[b], k.time, k.tie, k.slot);
    c.mark(b);
  }
  bottom_.clear();
}

void LadderQueue::Rung::reset(std::size_t n) {
  // A rung is only dropped once empty, and taking a bucket clears its head and bit, so
  // the arrays are already clear: only growth costs anything.
  if (heads.size() < n) heads.resize(n, kNil);
  if (occupied.size() < (n + 63) / 64) occupied.resize((n + 63) / 64, 0);
}

std::size_t LadderQueue::Rung::next_occupied() const {
  std::size_t w = cur / 64;
  std::uint64_t bits = occupied[w] & (~std::uint64_t{0} << (cur % 64));
  while (bits == 0) bits = occupied[++w];
  return w * 64 + static_cast<std::size_t>(std::countr_zero(bits));
}

void LadderQueue::sort_bottom(std::size_t from) {
  // Buckets hold a handful of keys: insertion sort beats std::sort's set-up there.
  const std::size_t n = bottom_.size();
  if (n - from > 16) {
    std::sort(bottom_.begin() + static_cast<std::ptrdiff_t>(from), bottom_.end());
    return;
  }
  // The key being placed stays in scalars: copying it through the stack as a struct
  // stalls store forwarding, which cost more than the sort itself.
  EventKey* keys = bottom_.data();
  for (std::size_t i = from + 1; i < n; ++i) {
    const std::uint64_t time = keys[i].time;
    const std::uint64_t tie = keys[i].tie;
    const std::uint32_t slot = keys[i].slot;
    std::size_t j = i;
    for (; j > from && (time < keys[j - 1].time ||
                        (time == keys[j - 1].time && tie < keys[j - 1].tie));
         --j) {
      keys[j].time = keys[j - 1].time;
      keys[j].tie = keys[j - 1].tie;
      keys[j].slot = keys[j - 1].slot;
    }
    keys[j].time = time;
    keys[j].tie = tie;
    keys[j].slot = slot;
  }
}

std::uint64_t LadderQueue::take_bucket(Rung& g) {
  const std::size_t b = g.next_occupied();
  g.occupied[b / 64] &= ~(std::uint64_t{1} << (b % 64));
  const std::uint32_t head = g.heads[b];
  g.heads[b] = kNil;
  g.cur = b + 1;
  g.cur_start = saturating_offset(g.start, g.cur, g.shift);
  const std::size_t before = bottom_.size();
  gather(head);
  g.count -= bottom_.size() - before;
  return g.start + (std::uint64_t{b} << g.shift);
}

void LadderQueue::refill() {
  bottom_.clear();
  head_ = 0;
  for (;;) {
    if (rung_count_ == 0) {
      rung_from_top();  // size_ > 0 and nothing below Top, so Top holds everything
      continue;
    }
    Rung& g = rungs_[rung_count_ - 1];
    if (g.count == 0) {
      --rung_count_;
      continue;
    }
    const std::uint64_t bucket_start = take_bucket(g);
    if (bottom_.size() > kSplitThreshold && g.shift > 0 && rung_count_ < kMaxRungs) {
      split_bottom_into_rung(bucket_start, g.shift);
      continue;
    }
    sort_bottom(0);
    // Take further whole buckets while Bottom is short, so one refill serves several
    // pops; each bucket's keys all precede the next bucket's, so sorting per bucket is
    // enough.
    while (bottom_.size() < kMinBottom && g.count > 0) {
      const std::size_t from = bottom_.size();
      take_bucket(g);
      sort_bottom(from);
    }
    return;
  }
}

}  // namespace dcsim::sim
