// A per-user choice among a region's few candidate sites, drawn from the user's hash with
// fixed weights: what home_site and first_read_site answer for most requests of a run.
// Flat on purpose: one 24-byte header per region and one 16-byte cell per candidate,
// where an AliasTable behind a pointer, its two vectors, the candidate list and three
// per-region arrays cost a request five to eight cache lines (cachegrind: ~2.5 first-level
// misses per call). The draws are AliasTable::sample's, so every pick is the same.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/alias_table.hpp"
#include "sim/random.hpp"

namespace dcsim::models {

class UserPicks {
 public:
  /// Appends the next region: every user gets `site` (-1: none), no draw.
  void add_fixed(int site) { headers_.push_back({0, 0, 0, static_cast<std::int32_t>(site)}); }
  /// Appends the next region: a user gets candidates[i] with table's weights, drawn from
  /// the stream (seed, stream_key(key, user)).
  void add_weighted(const std::vector<std::uint16_t>& candidates, const sim::AliasTable& table, std::uint64_t key) {
    headers_.push_back({key, static_cast<std::uint32_t>(cells_.size()), static_cast<std::uint32_t>(table.size()), -1});
    for (std::uint32_t i = 0; i < table.size(); ++i)
      cells_.push_back({table.threshold(i), candidates[i], candidates[table.alias(i)]});
  }

  /// The site user `user` of `region` gets (seed_key: RandomStream::seed_key of the run's seed).
  int pick(std::size_t region, std::uint64_t seed_key, std::uint64_t user) const {
    const Header& h = headers_[region];
    if (h.n == 0) return h.fixed;
    sim::RandomStream rng(sim::RandomStream::Keyed{seed_key}, sim::stream_key(h.key, user));
    const Cell& c = cells_[h.first + static_cast<std::uint32_t>(rng.uniform_below(h.n))];
    return rng.uniform01() < c.threshold ? c.site : c.alias_site;
  }

 private:
  struct Header {
    std::uint64_t key;    ///< the region's stream key of per-user draws
    std::uint32_t first;  ///< its first cell
    std::uint32_t n;      ///< its candidates; 0: `fixed` for everyone
    std::int32_t fixed;
  };
  struct Cell {  // one alias-table bucket, mapped to sites
    double threshold;
    std::uint16_t site;        ///< the bucket's own candidate
    std::uint16_t alias_site;  ///< its alias
  };
  std::vector<Header> headers_;
  std::vector<Cell> cells_;
};

}  // namespace dcsim::models
