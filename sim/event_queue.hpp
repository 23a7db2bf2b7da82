// Pending-event set: payloads in a slot array, their EventKeys in an ordered Store
// (LadderQueue by default, QuadHeap as the swappable alternative). Order is total: (time,
// priority, insertion sequence). No allocation per event once the arrays have grown.
// Cancellation is lazy: the slot is freed at once, its stale key is skipped when it
// surfaces, and stale keys are purged whenever they outnumber live ones. The hold path
// (pop_and_hold / push_held) re-schedules the event just popped in its own slot.
#pragma once

#include <cassert>
#include <cstdint>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "sim/event_key.hpp"
#include "sim/ladder_queue.hpp"
#include "sim/quad_heap.hpp"
#include "sim/time.hpp"

namespace dcsim::sim {

/// Identifies a scheduled event for cancel() / pending(); a default handle names nothing.
struct EventHandle {
  std::uint64_t seq = 0;   ///< insertion sequence number, 1-based
  std::uint32_t slot = 0;  ///< where the payload lives while pending
  friend bool operator==(const EventHandle&, const EventHandle&) = default;
};

/// Event queue over trivially copyable payloads, ordered by a key Store.
template <class Payload, class Store = LadderQueue>
class EventQueue {
  static_assert(std::is_trivially_copyable_v<Payload> && std::is_default_constructible_v<Payload>,
                "event payloads are plain values: trivially copyable, default constructible");

 public:
  /// Largest insertion sequence number: 2^48 - 1 events per queue.
  static constexpr std::uint64_t kMaxSeq = EventKey::kSeqMask;

  /// Pre-sizes the arrays for `n` pending events.
  void reserve(std::size_t n) {
    store_.reserve(n);
    slots_.reserve(n);
    free_.reserve(n);
  }

  EventHandle push(SimTime t, Priority prio, const Payload& payload) {
    if (next_seq_ > kMaxSeq) [[unlikely]] {
      throw std::length_error("EventQueue: sequence numbers exhausted");
    }
    const std::uint64_t seq = next_seq_++;
    std::uint32_t slot = 0;
    if (free_.empty()) {
      if (slots_.size() >= UINT32_MAX) {
        throw std::length_error("EventQueue: more than 2^32-1 pending events");
      }
      slot = static_cast<std::uint32_t>(slots_.size());
      slots_.emplace_back();
    } else {
      slot = free_.back();
      free_.pop_back();
    }
    slots_[slot].payload = payload;
    slots_[slot].seq = seq;
    store_.push(EventKey::encode_time(t), EventKey::encode_tie(prio, seq), slot);
    if (++live_ > peak_) peak_ = live_;
    return {seq, slot};
  }

  /// Removes a pending event; false if it already fired, was cancelled or never existed.
  bool cancel(EventHandle h) {
    if (!pending(h)) return false;
    release(h.slot);
    ++stale_;
    if (stale_ > 1024 && stale_ > live_) {
      store_.remove_if([this](const EventKey& k) { return is_stale(k); });
      stale_ = 0;
    }
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
    if (live_ == 0) return kNever;
    return EventKey::decode_time(live_min().time);
  }

  /// If the next event fires at or before `end`, removes it, sets `time` and `payload`
  /// and returns true; otherwise changes nothing and returns false.
  bool pop_until(SimTime end, SimTime& time, Payload& payload) {
    if (live_ == 0) return false;
    const EventKey& k = live_min();
    if (k.time > EventKey::encode_time(end)) return false;
    time = EventKey::decode_time(k.time);
    const std::uint32_t slot = k.slot;
    store_.pop_min();
    payload = slots_[slot].payload;
    release(slot);
    return true;
  }

  /// As pop_until, but the event's slot and payload stay reserved ("held") until
  /// push_held() schedules them again or release_held() frees them. At most one event
  /// is held at a time; it is not pending (size() and pending() do not count it).
  bool pop_and_hold(SimTime end, SimTime& time, Payload& payload) {
    assert(held_ == kNoSlot);
    if (live_ == 0) return false;
    const EventKey& k = live_min();
    if (k.time > EventKey::encode_time(end)) return false;
    time = EventKey::decode_time(k.time);
    const std::uint32_t slot = k.slot;
    store_.pop_min();
    payload = slots_[slot].payload;
    slots_[slot].seq = kFreeSeq;
    --live_;
    held_ = slot;
    return true;
  }
  /// True while an event popped by pop_and_hold is neither pushed again nor released.
  bool holding() const { return held_ != kNoSlot; }
  /// Schedules the held event's payload at (t, prio) in its own slot, ordered exactly as
  /// push(t, prio, payload) would be; afterwards nothing is held. Requires holding().
  EventHandle push_held(SimTime t, Priority prio) {
    assert(held_ != kNoSlot);
    if (next_seq_ > kMaxSeq) [[unlikely]] {
      throw std::length_error("EventQueue: sequence numbers exhausted");
    }
    const std::uint64_t seq = next_seq_++;
    const std::uint32_t slot = held_;
    held_ = kNoSlot;
    slots_[slot].seq = seq;
    store_.push(EventKey::encode_time(t), EventKey::encode_tie(prio, seq), slot);
    if (++live_ > peak_) peak_ = live_;
    return {seq, slot};
  }
  /// Frees the held event's slot, if any.
  void release_held() {
    if (held_ == kNoSlot) return;
    free_.push_back(held_);
    held_ = kNoSlot;
  }

 private:
  static constexpr std::uint32_t kNoSlot = UINT32_MAX;
  static constexpr std::uint64_t kFreeSeq = 0;

  struct Slot {
    Payload payload{};
    std::uint64_t seq = kFreeSeq;  // kFreeSeq while free: no key's sequence matches it
  };

  bool is_stale(const EventKey& k) const { return slots_[k.slot].seq != k.seq(); }

  // The smallest key of a pending event, dropping stale keys on the way (live_ > 0).
  const EventKey& live_min() {
    for (;;) {
      const EventKey& k = store_.min();
      if (!is_stale(k)) [[likely]] return k;
      store_.pop_min();
      --stale_;
    }
  }

  void release(std::uint32_t slot) {
    slots_[slot].seq = kFreeSeq;
    free_.push_back(slot);
    --live_;
  }

  Store store_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_;  // free slots, reused last-in first-out
  std::uint64_t next_seq_ = 1;
  std::size_t live_ = 0;
  std::size_t stale_ = 0;
  std::size_t peak_ = 0;
  std::uint32_t held_ = kNoSlot;  // slot of the event popped by pop_and_hold, if any
};

}  // namespace dcsim::sim
