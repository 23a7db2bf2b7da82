// Pending-event set: a flat 4-ary min-heap of 24-byte keys over a slot array of payloads.
// Order is total: (time, priority, insertion sequence). No allocation per event once the
// vectors have grown; cancellation is lazy (the slot is freed at once, the stale heap key
// is skipped when it surfaces, and the heap is compacted if stale keys outnumber live ones).
// take_top() leaves a hole at the root that the next push() fills with one sift-down (the
// "hold" pattern of a handler that schedules a follow-up), else settle() closes it.
#pragma once

#include <cassert>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "sim/time.hpp"

namespace dcsim::sim {

/// Lower fires first among events at the same time; default 0.
using Priority = std::int16_t;

/// Identifies a scheduled event for cancel() / pending(); a default handle names nothing.
struct EventHandle {
  std::uint64_t seq = 0;   ///< insertion sequence number, 1-based
  std::uint32_t slot = 0;  ///< where the payload lives while pending
  friend bool operator==(const EventHandle&, const EventHandle&) = default;
};

/// Flat 4-ary heap event queue over trivially copyable payloads.
template <class Payload>
class EventQueue {
  static_assert(std::is_trivially_copyable_v<Payload> && std::is_default_constructible_v<Payload>,
                "event payloads are plain values: trivially copyable, default constructible");

 public:
  /// Largest insertion sequence number: 2^48 - 1 events per queue.
  static constexpr std::uint64_t kMaxSeq = (std::uint64_t{1} << 48) - 1;

  /// Pre-sizes the arrays for `n` pending events.
  void reserve(std::size_t n) {
    heap_.reserve(n);
    slots_.reserve(n);
    free_.reserve(n);
  }

  EventHandle push(SimTime t, Priority prio, const Payload& payload) {
    if (next_seq_ > kMaxSeq) throw std::length_error("EventQueue: sequence numbers exhausted");
    const std::uint64_t seq = next_seq_++;
    std::uint32_t slot = 0;
    if (free_.empty()) {
      if (slots_.size() >= std::numeric_limits<std::uint32_t>::max()) {
        throw std::length_error("EventQueue: more than 2^32-1 pending events");
      }
      slot = static_cast<std::uint32_t>(slots_.size());
      slots_.push_back(Slot{payload, seq});
    } else {
      slot = free_.back();
      free_.pop_back();
      slots_[slot] = Slot{payload, seq};
    }
    const Node node{time_key(t), tie_key(prio, seq), slot};
    if (hole_at_root_) {
      hole_at_root_ = false;
      sift_down(0, node);
    } else {
      heap_.push_back(node);
      sift_up(heap_.size() - 1, node);
    }
    if (++live_ > peak_) peak_ = live_;
    return {seq, slot};
  }

  /// Removes a pending event; false if it already fired, was cancelled or never existed.
  bool cancel(EventHandle h) {
    if (!pending(h)) return false;
    slots_[h.slot].seq = kFreeSeq;
    free_.push_back(h.slot);
    --live_;
    ++stale_;
    if (stale_ > 1024 && stale_ > live_) compact();
    return true;
  }
  bool pending(EventHandle h) const {
    return h.seq != 0 && h.slot < slots_.size() && slots_[h.slot].seq == h.seq;
  }

  /// Pending (not cancelled, not fired) events.
  std::size_t size() const { return live_; }
  bool empty() const { return live_ == 0; }
  /// Most events pending at once since construction.
  std::size_t peak_size() const { return peak_; }

  /// Time of the next event to fire; kNever when empty.
  SimTime next_time() {
    if (!settle_and_skip_stale()) return kNever;
    return from_time_key(heap_[0].time);
  }

  /// Removes the next event (queue must not be empty) and returns its payload. The root
  /// stays a hole until the next push() or any other call.
  Payload take_top() {
    const bool has_event = settle_and_skip_stale();
    assert(has_event);
    (void)has_event;
    Slot& s = slots_[heap_[0].slot];
    const Payload payload = s.payload;
    s.seq = kFreeSeq;
    free_.push_back(heap_[0].slot);
    --live_;
    hole_at_root_ = true;
    return payload;
  }

 private:
  static constexpr std::uint64_t kFreeSeq = 0;

  struct Node {
    std::uint64_t time;  // SimTime count with the sign bit flipped: unsigned order
    std::uint64_t tie;   // priority (biased, high 16 bits) | sequence (low 48 bits)
    std::uint32_t slot;
  };
  struct Slot {
    Payload payload;
    std::uint64_t seq;  // kFreeSeq while free: a stale heap key's seq never matches
  };

  static std::uint64_t time_key(SimTime t) {
    return static_cast<std::uint64_t>(t.time_since_epoch().count()) ^ (std::uint64_t{1} << 63);
  }
  static SimTime from_time_key(std::uint64_t k) {
    return SimTime{SimDuration{static_cast<std::int64_t>(k ^ (std::uint64_t{1} << 63))}};
  }
  static std::uint64_t tie_key(Priority prio, std::uint64_t seq) {
    const auto biased = static_cast<std::uint64_t>(static_cast<std::uint16_t>(prio) ^ 0x8000U);
    return (biased << 48) | seq;
  }
  // Branch-free lexicographic (time, tie) comparison through one 128-bit compare.
  static bool less(const Node& a, const Node& b) {
    __extension__ using U128 = unsigned __int128;
    return ((static_cast<U128>(a.time) << 64) | a.tie) < ((static_cast<U128>(b.time) << 64) | b.tie);
  }
  bool is_stale(const Node& n) const { return slots_[n.slot].seq != (n.tie & kMaxSeq); }

  void sift_up(std::size_t i, Node x) {
    while (i > 0) {
      const std::size_t parent = (i - 1) / 4;
      if (!less(x, heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = x;
  }

  // Moves the hole at i down to where x belongs, then stores x there.
  void sift_down(std::size_t i, Node x) {
    const std::size_t n = heap_.size();
    for (;;) {
      const std::size_t first = 4 * i + 1;
      if (first >= n) break;
      std::size_t best = first;
      if (first + 3 < n) {  // all four children: fixed compare tree
        const std::size_t a = less(heap_[first + 1], heap_[first]) ? first + 1 : first;
        const std::size_t b = less(heap_[first + 3], heap_[first + 2]) ? first + 3 : first + 2;
        best = less(heap_[b], heap_[a]) ? b : a;
      } else {
        for (std::size_t c = first + 1; c < n; ++c) {
          if (less(heap_[c], heap_[best])) best = c;
        }
      }
      if (!less(heap_[best], x)) break;
      heap_[i] = heap_[best];
      i = best;
    }
    heap_[i] = x;
  }

  void remove_root() {
    const Node last = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(0, last);
  }

  // Closes a pending hole and drops stale keys from the top; false if nothing is pending.
  bool settle_and_skip_stale() {
    if (hole_at_root_) {
      hole_at_root_ = false;
      remove_root();
    }
    while (!heap_.empty() && is_stale(heap_[0])) {
      remove_root();
      --stale_;
    }
    return !heap_.empty();
  }

  // Drops every stale key and re-heapifies (Floyd, O(n)).
  void compact() {
    if (hole_at_root_) {
      hole_at_root_ = false;
      remove_root();
    }
    std::size_t kept = 0;
    for (const Node& n : heap_) {
      if (!is_stale(n)) heap_[kept++] = n;
    }
    heap_.resize(kept);
    stale_ = 0;
    if (heap_.size() < 2) return;
    for (std::size_t i = (heap_.size() - 2) / 4 + 1; i-- > 0;) sift_down(i, heap_[i]);
  }

  std::vector<Node> heap_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_;
  std::uint64_t next_seq_ = 1;
  std::size_t live_ = 0;
  std::size_t stale_ = 0;
  std::size_t peak_ = 0;
  bool hole_at_root_ = false;
};

}  // namespace dcsim::sim
