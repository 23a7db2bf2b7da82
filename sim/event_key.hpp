// The 24-byte key every pending event has in a queue store: time, then a tie word packing
// (priority, insertion sequence), then the slot holding its payload. Comparing keys gives
// the engine's total order (time, priority, sequence); slots never take part in it.
#pragma once

#include <cstdint>

#include "sim/time.hpp"

namespace dcsim::sim {

/// Lower fires first among events at the same time; default 0.
using Priority = std::int16_t;

/// Ordering key of one pending event, as stored by QuadHeap and LadderQueue.
struct EventKey {
  std::uint64_t time;  ///< SimTime count with the sign bit flipped, so unsigned order works
  std::uint64_t tie;   ///< biased priority in the high 16 bits, sequence in the low 48
  std::uint32_t slot;  ///< payload slot in the EventQueue (not part of the order)
  std::uint32_t next;  ///< free for the store's own use (LadderQueue's bucket lists)

  static constexpr std::uint64_t kSeqMask = (std::uint64_t{1} << 48) - 1;

  static constexpr std::uint64_t encode_time(SimTime t) {
    return static_cast<std::uint64_t>(t.time_since_epoch().count()) ^ (std::uint64_t{1} << 63);
  }
  static constexpr SimTime decode_time(std::uint64_t k) {
    return SimTime{SimDuration{static_cast<std::int64_t>(k ^ (std::uint64_t{1} << 63))}};
  }
  static constexpr std::uint64_t encode_tie(Priority prio, std::uint64_t seq) {
    const auto biased = static_cast<std::uint64_t>(static_cast<std::uint16_t>(prio) ^ 0x8000U);
    return (biased << 48) | (seq & kSeqMask);
  }
  constexpr std::uint64_t seq() const { return tie & kSeqMask; }
};

/// The total order: time, then priority, then insertion sequence. Equal times are rare,
/// so the second comparison sits behind a well-predicted branch.
constexpr bool operator<(const EventKey& a, const EventKey& b) {
  if (a.time != b.time) [[likely]] return a.time < b.time;
  return a.tie < b.tie;
}

}  // namespace dcsim::sim
