// LadderQueue: an EventKey store with O(1) amortised push and pop (Tang, Goh & Thng, "Ladder
// queue", ACM TOMACS 15(3), 2005). Three tiers, each holding only earlier keys than the
// next: a sorted Bottom vector that pops from its front; up to 8 Rungs of time buckets
// (unsorted lists, each rung covering one bucket of the rung above); an unsorted Top for
// the far future. Bucket lists live in one node pool (no per-event allocation); a bucket is
// sorted only when it reaches Bottom, split into a finer rung if it holds > 50 keys.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/event_key.hpp"

namespace dcsim::sim {

/// Ladder queue of EventKeys (the default store of EventQueue).
class LadderQueue {
 public:
  void reserve(std::size_t n) { pool_.reserve(n); }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  void push(const EventKey& k) {
    ++size_;
    if (k.time >= top_start_) {
      if (k.time < top_min_) top_min_ = k.time;
      if (k.time > top_max_) top_max_ = k.time;
      link(top_head_, k);
      ++top_count_;
      return;
    }
    for (std::size_t r = 0; r < rung_count_; ++r) {
      Rung& g = rungs_[r];
      if (k.time >= g.cur_start) {
        link(g.heads[(k.time - g.start) / g.width], k);
        ++g.count;
        return;
      }
    }
    insert_bottom(k);
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
    for (std::size_t r = 0; r < rung_count_; ++r) {
      Rung& g = rungs_[r];
      for (std::size_t b = g.cur; b < g.buckets; ++b) {
        const std::size_t n = filter_list(g.heads[b], drop);
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

  struct Rung {
    std::uint64_t start = 0;      // time key where bucket 0 begins
    std::uint64_t width = 1;      // bucket width in ns (>= 1)
    std::uint64_t cur_start = 0;  // start of bucket `cur`: keys below go to a lower tier
    std::size_t cur = 0;          // first bucket not yet moved down
    std::size_t buckets = 0;
    std::size_t count = 0;        // keys in this rung's lists
    std::vector<std::uint32_t> heads;  // first pool node of each bucket, kNil if empty
  };

  void link(std::uint32_t& head, const EventKey& k) {
    std::uint32_t i = free_;
    if (i != kNil) {
      free_ = pool_[i].next;
    } else {
      i = static_cast<std::uint32_t>(pool_.size());
      pool_.push_back(k);
    }
    pool_[i] = k;
    pool_[i].next = head;
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
  void split_bottom_into_rung(std::uint64_t start, std::uint64_t width);
  void gather(std::uint32_t head);

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
