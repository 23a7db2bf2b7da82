// LadderQueue: EventKey store with O(1) amortised push and pop (Tang, Goh & Thng, ACM
// TOMACS 2005). Tiers, each holding only earlier keys than the next: a sorted Bottom; up
// to 8 Rungs of power-of-two-wide time buckets (unsorted lists in one node pool, a bitmap
// of non-empty ones; each rung covers one bucket of the rung above); an unsorted Top for
// the far future. A bucket is sorted when it reaches Bottom, or split into a finer rung
// if it holds more than 50 keys. No allocation per event once the arrays have grown.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "sim/event_key.hpp"

namespace dcsim::sim {

/// Ladder queue of EventKeys (the default store of EventQueue).
class LadderQueue {
 public:
  void reserve(std::size_t n) { pool_.reserve(n); }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  /// Adds the key (time, tie, slot). Scalars, not an EventKey: a struct built on the
  /// stack and copied as a whole defeats store forwarding, which costs more than the push.
  void push(std::uint64_t time, std::uint64_t tie, std::uint32_t slot) {
    ++size_;
    if (time >= top_start_) {
      if (time < top_min_) top_min_ = time;
      if (time > top_max_) top_max_ = time;
      link(top_head_, time, tie, slot);
      ++top_count_;
      return;
    }
    for (std::size_t r = 0; r < rung_count_; ++r) {
      Rung& g = rungs_[r];
      if (time >= g.cur_start) {
        const auto b = static_cast<std::size_t>((time - g.start) >> g.shift);
        link(g.heads[b], time, tie, slot);
        g.mark(b);
        ++g.count;
        return;
      }
    }
    insert_bottom(EventKey{time, tie, slot, 0});
  }
  /// The smallest key; the store must not be empty.
  const EventKey& min() {
    if (head_ == bottom_.size()) refill();
    return bottom_[head_];
  }
  /// Removes the smallest key (call min() first).
  void pop_min() {
    ++head_;
    --size_;
  }
  /// Drops every key for which drop(key) is true (O(n)).
  template <class Pred>
  void remove_if(Pred drop) {
    std::size_t removed = filter_list(top_head_, drop);
    top_count_ -= removed;
    top_min_ = UINT64_MAX;  // exact bounds again: rung_from_top starts rung 0 at top_min_
    top_max_ = 0;
    for (std::uint32_t i = top_head_; i != kNil; i = pool_[i].next) {
      top_min_ = std::min(top_min_, pool_[i].time);
      top_max_ = std::max(top_max_, pool_[i].time);
    }
    for (std::size_t r = 0; r < rung_count_; ++r) {
      Rung& g = rungs_[r];
      for (std::size_t b = g.cur; b < g.buckets; ++b) {
        const std::size_t n = filter_list(g.heads[b], drop);
        if (g.heads[b] == kNil) g.occupied[b / 64] &= ~(std::uint64_t{1} << (b % 64));
        g.count -= n;
        removed += n;
      }
    }
    std::size_t kept = head_;
    for (std::size_t i = head_; i < bottom_.size(); ++i) {
      if (!drop(bottom_[i])) bottom_[kept++] = bottom_[i];
    }
    removed += bottom_.size() - kept;
    bottom_.resize(kept);
    size_ -= removed;
  }

 private:
  static constexpr std::uint32_t kNil = UINT32_MAX;
  static constexpr std::size_t kSplitThreshold = 50;
  static constexpr std::size_t kMaxRungs = 8;
  static constexpr std::size_t kMinBottom = 8;  // a refill takes buckets until this many
  static constexpr std::size_t kSampleSize = 64;          // Top keys sampled for a width
  static constexpr std::uint64_t kFrontGapDivisor = 4;    // buckets per front gap
  static constexpr std::uint64_t kReach = 3;              // rung 0 spans kReach x Top's span
  static constexpr std::uint64_t kMaxBucketsPerKey = 4;   // rung 0 bucket cap per key ...
  static constexpr std::uint64_t kMinBucketCap = 65'536;  // ... but always allow this many

  struct Rung {
    std::uint64_t start = 0;      // time key where bucket 0 begins
    unsigned shift = 0;           // bucket width is 2^shift ns (a shift, not a division)
    std::uint64_t cur_start = 0;  // start of bucket `cur`: keys below go to a lower tier
    std::size_t cur = 0;          // first bucket not yet moved down
    std::size_t buckets = 0;
    std::size_t count = 0;        // keys in this rung's lists
    // Both arrays may be longer than `buckets`; entries past it are always clear.
    std::vector<std::uint32_t> heads;     // first pool node of each bucket, kNil if empty
    std::vector<std::uint64_t> occupied;  // bit b set iff bucket b is non-empty
    void mark(std::size_t b) { occupied[b / 64] |= std::uint64_t{1} << (b % 64); }
    void reset(std::size_t n);
    std::size_t next_occupied() const;  // first non-empty bucket >= cur (count > 0)
  };

  void link(std::uint32_t& head, std::uint64_t time, std::uint64_t tie, std::uint32_t slot) {
    std::uint32_t i = free_;
    if (i != kNil) {
      free_ = pool_[i].next;
    } else {
      if (pool_.size() >= kNil) throw std::length_error("LadderQueue: node pool full");
      i = static_cast<std::uint32_t>(pool_.size());
      pool_.emplace_back();
    }
    EventKey& node = pool_[i];
    node.time = time;
    node.tie = tie;
    node.slot = slot;
    node.next = head;
    head = i;
  }
  template <class Pred>
  std::size_t filter_list(std::uint32_t& head, Pred& drop) {
    std::size_t removed = 0;
    std::uint32_t* link_to = &head;
    while (*link_to != kNil) {
      const std::uint32_t i = *link_to;
      if (drop(pool_[i])) {
        *link_to = pool_[i].next;
        pool_[i].next = free_;
        free_ = i;
        ++removed;
      } else {
        link_to = &pool_[i].next;
      }
    }
    return removed;
  }

  void insert_bottom(const EventKey& k);
  void refill();
  void rung_from_top();
  void split_bottom_into_rung(std::uint64_t start, unsigned parent_shift);
  void gather(std::uint32_t head);
  void sort_bottom(std::size_t from);
  std::uint64_t take_bucket(Rung& g);  // moves g's next bucket to Bottom; returns its start

  std::vector<EventKey> pool_;  // list nodes; `next` chains buckets and the free list
  std::uint32_t free_ = kNil;
  std::vector<EventKey> bottom_;  // sorted ascending from head_
  std::size_t head_ = 0;
  std::array<Rung, kMaxRungs> rungs_{};
  std::size_t rung_count_ = 0;
  std::uint32_t top_head_ = kNil;
  std::size_t top_count_ = 0;
  std::uint64_t top_start_ = 0;  // keys >= this go to Top
  std::uint64_t top_min_ = UINT64_MAX;
  std::uint64_t top_max_ = 0;
  std::size_t size_ = 0;
};

}  // namespace dcsim::sim
