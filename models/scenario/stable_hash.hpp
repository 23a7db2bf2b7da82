// A string hash that never changes between builds or platforms (FNV-1a, 64 bit): random
// streams and per-user choices are keyed by ids, not by table positions, so adding a
// region or a class does not reshuffle the draws of the others.
#pragma once

#include <cstdint>
#include <string_view>

namespace dcsim::models {

constexpr std::uint64_t stable_hash(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace dcsim::models
