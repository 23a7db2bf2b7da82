// Random streams keyed by (seed, stream id): a stream's draws depend only on its key,
// never on what other streams did, how many exist or which thread runs them.
// Generator: xoshiro256++ whose 256-bit state is filled by SplitMix64 from a hash of the
// key (see RandomStream). Only bit-exact integer arithmetic here, so output is identical
// across compilers and standard libraries.
#pragma once

#include <cstdint>
#include <limits>

namespace dcsim::sim {

/// SplitMix64 finaliser (Stafford variant 13): a bijective 64-bit avalanche mixer.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ULL;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBULL;
  x ^= x >> 31;
  return x;
}

/// Combines a parent key and a child id into a new key (order matters): lets a model
/// build hierarchical stream ids, e.g. stream_key(stream_key(kArrivals, region), site).
constexpr std::uint64_t stream_key(std::uint64_t parent, std::uint64_t child) {
  return mix64(parent + 0x9E3779B97F4A7C15ULL * (mix64(child) + 1));
}

/// One independent pseudo-random stream (xoshiro256++). Satisfies
/// UniformRandomBitGenerator, but use the transforms in distributions.hpp, not std::'s.
///
/// Why this design: xoshiro256++ is fast (~1 ns/draw), passes BigCrush/PractRand, and has
/// period 2^256 - 1. Each stream's state is four SplitMix64 outputs seeded by
/// mix64(seed) combined with the stream id, so distinct keys land at unrelated points of
/// the period: for 2^20 streams each drawing 2^40 numbers, the chance that any two
/// overlap is below 2^-150. A counter-based generator (Philox) would add random access,
/// which no model needs, at ~3x the cost per draw.
class RandomStream {
 public:
  using result_type = std::uint64_t;

  /// The stream identified by (seed, stream_id).
  constexpr RandomStream(std::uint64_t seed, std::uint64_t stream_id) : RandomStream(Keyed{seed_key(seed)}, stream_id) {}

  /// The part of a stream's state that depends on the seed alone: callers that open many
  /// short streams of one seed (a draw per user) compute it once.
  struct Keyed {
    std::uint64_t key;
  };
  static constexpr std::uint64_t seed_key(std::uint64_t seed) { return mix64(seed ^ 0x6A09E667F3BCC909ULL); }
  /// The same stream as RandomStream(seed, stream_id), from key.key = seed_key(seed).
  constexpr RandomStream(Keyed key, std::uint64_t stream_id) {
    std::uint64_t sm = stream_key(key.key, stream_id);
    for (auto& word : s_) {
      sm += 0x9E3779B97F4A7C15ULL;
      word = mix64(sm);
    }
    // An all-zero state is the one fixed point of xoshiro; SplitMix64 outputs are a
    // bijection of distinct counters, so four zeros cannot occur, but be explicit.
    if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0) s_[0] = 1;
  }

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  /// Next 64 uniformly distributed bits.
  constexpr std::uint64_t next_u64() {
    const std::uint64_t result = rotl(s_[0] + s_[3], 23) + s_[0];
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  constexpr result_type operator()() { return next_u64(); }

  /// Uniform double in [0, 1) with 53 random bits.
  constexpr double uniform01() {
    return static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
  }
  /// Uniform double in (0, 1]: safe as the argument of log().
  constexpr double uniform01_open_low() {
    return static_cast<double>((next_u64() >> 11) + 1) * 0x1.0p-53;
  }

  /// Unbiased integer in [0, n), n > 0 (Lemire's multiply-and-reject method).
  constexpr std::uint64_t uniform_below(std::uint64_t n) {
    __extension__ using U128 = unsigned __int128;
    U128 m = static_cast<U128>(next_u64()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
      const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n
      while (low < threshold) {
        m = static_cast<U128>(next_u64()) * n;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }

  friend constexpr bool operator==(const RandomStream&, const RandomStream&) = default;

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
  }
  std::uint64_t s_[4]{};
};

}  // namespace dcsim::sim
