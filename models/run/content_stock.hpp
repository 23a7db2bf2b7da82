// Stored content (videos) for the data plan: per region, the bytes its users uploaded, by
// the site holding the primary copy. The other copies derive from where the primaries are:
// the site's replica sites hold all of it, every other built site the popular head's share
// of the bytes (policies.content.everywhere_bytes_share). So a change of replica sites, a
// migration wave or a deletion is seen in every copy alike, and the plan books the
// difference of copies() before and after as that change.
#pragma once

#include <cstdint>
#include <tuple>
#include <vector>

#include "models/network/world.hpp"

namespace dcsim::models {

class ContentStock {
 public:
  /// `built`: the sites that hold the head; `head_share`: its share of the bytes.
  ContentStock(const World& world, std::vector<bool> built, double head_share);

  /// Each site's replica sites, from now on.
  void lay_out(const std::vector<std::vector<std::uint16_t>>& replicas);
  std::size_t sites() const { return sites_; }
  /// Bytes of region r's uploads whose primary copy is at `site`.
  double at(std::size_t region, std::size_t site) const { return primary_[region * sites_ + site] * scale_; }
  void add(std::size_t region, std::size_t site, double bytes);
  /// Deletes `share` (0..1) of everything stored.
  void remove_share(double share);
  /// Bytes stored, every copy: index copy_index(site, copy, uploaders in the EEA).
  std::vector<double> copies() const;
  static std::size_t copy_index(std::size_t site, std::size_t copy, bool eea) { return (site * 2 + copy) * 2 + (eea ? 1 : 0); }
  /// Calls fn(site, copy, share) for every copy of bytes whose primary is at `home`.
  template <class Fn>
  void for_each_copy(std::size_t home, Fn&& fn) const {
    for (const auto& [site, copy, share] : layout_[home]) fn(site, copy, share);
  }

 private:
  std::size_t regions_ = 0, sites_ = 0;
  std::vector<bool> eea_region_;
  std::vector<bool> built_;
  double head_ = 1;
  /// Per primary site: (site, copy, share of the bytes) of every copy.
  std::vector<std::vector<std::tuple<std::size_t, std::size_t, double>>> layout_;
  std::vector<double> primary_;  ///< region × site, in units of scale_
  std::vector<double> by_home_;  ///< (EEA uploaders or not) × site, in units of scale_
  double scale_ = 1;             ///< deletions so far, applied lazily
};

}  // namespace dcsim::models
