// LadderQueue's slow paths: refilling Bottom from the lowest non-empty bucket, building
// rung 0 from Top, splitting crowded buckets into finer rungs, and out-of-order inserts.
#include "sim/ladder_queue.hpp"

#include <algorithm>

namespace dcsim::sim {

namespace {

// a + b * c, saturating at UINT64_MAX (bucket bounds at the far end of SimTime).
std::uint64_t saturating_offset(std::uint64_t a, std::uint64_t b, std::uint64_t c) {
  __extension__ using U128 = unsigned __int128;
  const U128 v = static_cast<U128>(a) + static_cast<U128>(b) * c;
  return v > UINT64_MAX ? UINT64_MAX : static_cast<std::uint64_t>(v);
}

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
  const std::uint64_t span = top_max_ - top_min_;
  Rung& g = rungs_[0];
  g.start = top_min_;
  g.width = span / top_count_ + 1;  // about one key per bucket if spread evenly
  g.buckets = static_cast<std::size_t>(span / g.width + 1);
  g.cur = 0;
  g.cur_start = g.start;
  g.count = top_count_;
  g.heads.assign(g.buckets, kNil);
  for (std::uint32_t i = top_head_; i != kNil;) {
    const std::uint32_t next = pool_[i].next;
    std::uint32_t& bucket = g.heads[(pool_[i].time - g.start) / g.width];
    pool_[i].next = bucket;
    bucket = i;
    i = next;
  }
  rung_count_ = 1;
  top_start_ = saturating_offset(g.start, g.buckets, g.width);
  top_head_ = kNil;
  top_count_ = 0;
  top_min_ = UINT64_MAX;
  top_max_ = 0;
}

void LadderQueue::split_bottom_into_rung(std::uint64_t start, std::uint64_t width) {
  Rung& c = rungs_[rung_count_++];
  const std::uint64_t n = bottom_.size();
  c.start = start;
  c.width = (width - 1) / n + 1;
  c.buckets = static_cast<std::size_t>((width - 1) / c.width + 1);
  c.cur = 0;
  c.cur_start = start;
  c.count = bottom_.size();
  c.heads.assign(c.buckets, kNil);
  for (const EventKey& k : bottom_) link(c.heads[(k.time - start) / c.width], k);
  bottom_.clear();
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
    while (g.heads[g.cur] == kNil) ++g.cur;
    const std::uint64_t bucket_start = g.start + g.cur * g.width;
    const std::uint32_t head = g.heads[g.cur];
    g.heads[g.cur] = kNil;
    ++g.cur;
    g.cur_start = saturating_offset(g.start, g.cur, g.width);
    gather(head);
    g.count -= bottom_.size();
    if (bottom_.size() > kSplitThreshold && g.width > 1 && rung_count_ < kMaxRungs) {
      split_bottom_into_rung(bucket_start, g.width);
      continue;
    }
    std::sort(bottom_.begin(), bottom_.end());
    return;
  }
}

}  // namespace dcsim::sim
