// QuadHeap: an EventKey store as a flat 4-ary min-heap (O(log n) push and pop, no
// per-event allocation). pop_min() leaves a hole at the root that the next push() fills
// with a single sift-down (the "hold" pattern of a handler scheduling a follow-up);
// any other call closes it first. The alternative to LadderQueue; see event_queue.hpp.
#pragma once

#include <cstddef>
#include <vector>

#include "sim/event_key.hpp"

namespace dcsim::sim {

/// 4-ary min-heap of EventKeys with the hold optimisation.
class QuadHeap {
 public:
  void reserve(std::size_t n) { heap_.reserve(n); }
  std::size_t size() const { return heap_.size() - (hole_ ? 1 : 0); }
  bool empty() const { return size() == 0; }

  void push(std::uint64_t time, std::uint64_t tie, std::uint32_t slot) {
    const EventKey k{time, tie, slot, 0};
    if (hole_) {
      hole_ = false;
      sift_down(0, k);
    } else {
      heap_.push_back(k);
      sift_up(heap_.size() - 1, k);
    }
  }
  /// The smallest key; the store must not be empty.
  const EventKey& min() {
    close_hole();
    return heap_[0];
  }
  /// Removes the smallest key (call min() first).
  void pop_min() {
    close_hole();
    hole_ = true;
  }
  /// Drops every key for which drop(key) is true (O(n) rebuild).
  template <class Pred>
  void remove_if(Pred drop) {
    close_hole();
    std::size_t kept = 0;
    for (const EventKey& k : heap_) {
      if (!drop(k)) heap_[kept++] = k;
    }
    heap_.resize(kept);
    if (heap_.size() < 2) return;
    for (std::size_t i = (heap_.size() - 2) / 4 + 1; i-- > 0;) sift_down(i, heap_[i]);
  }

 private:
  void close_hole() {
    if (!hole_) return;
    hole_ = false;
    const EventKey last = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(0, last);
  }

  void sift_up(std::size_t i, EventKey x) {
    while (i > 0) {
      const std::size_t parent = (i - 1) / 4;
      if (!(x < heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = x;
  }

  // Moves the hole at i down to where x belongs, then stores x there.
  void sift_down(std::size_t i, EventKey x) {
    const std::size_t n = heap_.size();
    for (;;) {
      const std::size_t first = 4 * i + 1;
      if (first >= n) break;
      std::size_t best = first;
      if (first + 3 < n) {  // all four children: fixed compare tree
        const std::size_t a = heap_[first + 1] < heap_[first] ? first + 1 : first;
        const std::size_t b = heap_[first + 3] < heap_[first + 2] ? first + 3 : first + 2;
        best = heap_[b] < heap_[a] ? b : a;
      } else {
        for (std::size_t c = first + 1; c < n; ++c) {
          if (heap_[c] < heap_[best]) best = c;
        }
      }
      if (!(heap_[best] < x)) break;
      heap_[i] = heap_[best];
      i = best;
    }
    heap_[i] = x;
  }

  std::vector<EventKey> heap_;
  bool hole_ = false;
};

}  // namespace dcsim::sim
