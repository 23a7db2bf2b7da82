// Residency and routing as lookup tables. For every origin region the tables hold the
// ordered list of sites a request may use: the first is where policy sends it (the
// nearest allowed site by a user's RTT), the rest are spill targets in RTT order, already
// filtered by the policy (EEA-only residency, permission to spill outside the EEA). Homes
// of users' data come from the residency mode: the nearest allowed site, a country map, or
// a capacity-weighted choice made per user by hashing (seed, region, user): no per-user
// state. Tables are rebuilt when policies or the set of sites in service change.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "models/network/path_table.hpp"
#include "models/network/world.hpp"
#include "models/policy/user_picks.hpp"
#include "sim/alias_table.hpp"

namespace dcsim::models {

/// Per-site state the tables depend on: in service (built, online, not failed), and
/// whether EEA users' data may rest there under the residency mode in force (the EEA, or
/// also a country adequate at the time under eea_or_adequate). Empty `inside`: the EEA.
struct SiteAvailability {
  std::vector<bool> up;      ///< per catalog site
  std::vector<bool> inside;  ///< per catalog site, or empty
};

/// Sites whose RTT from a region is within this of the nearest count as equally near
/// (the same metro): traffic is spread over them by capacity instead of by list order.
inline constexpr sim::SimDuration kMetroTie = sim::milliseconds(1);

/// Adds `share` to `site`'s entry of a (site, share) list, appending the entry when absent.
inline void add_share(std::vector<std::pair<int, double>>& shares, int site, double share) {
  for (auto& [s, p] : shares)
    if (s == site) {
      p += share;
      return;
    }
  shares.emplace_back(site, share);
}

class RoutingTables {
 public:
  /// `paths` are the paths as they are now (they may reflect cut links): tables order sites
  /// by their user RTT and leave out every site a region (or a home, for its replicas)
  /// has no path to.
  RoutingTables(const World& world, const Policies& policies, const SiteAvailability& sites, const PathTable& paths,
                std::uint64_t seed);

  /// Sites a read from `region` may use in RTT order (empty: nowhere allowed). The first
  /// choice is among the leading sites within kMetroTie of the best RTT (one metro).
  const std::vector<std::uint16_t>& read_sites(std::size_t region) const { return reads_[region]; }
  /// The first-choice read site for this user: the nearest, or among equally near sites
  /// (same metro) one picked by the user's hash, weighted by servers. -1 if none.
  int first_read_site(std::size_t region, std::uint64_t user) const { return first_reads_.pick(region, seed_key_, user); }
  /// Sites a write may spill to when its home is full or down, in RTT order (home excluded).
  const std::vector<std::uint16_t>& write_fallbacks(std::size_t region) const { return reads_[region]; }
  /// The home site of a user's data, or -1 when the policy allows none in service.
  int home_site(std::size_t region, std::uint64_t user) const { return homes_.pick(region, seed_key_, user); }
  /// Expected shares of a region's users over first-choice read sites / home sites (what
  /// the per-user hashes do on average): (site, probability) pairs, empty if none.
  std::vector<std::pair<int, double>> first_read_shares(std::size_t region) const;
  std::vector<std::pair<int, double>> home_shares(std::size_t region) const;
  /// Replica sites for data whose home is `home` (policy scope and distinctness).
  const std::vector<std::uint16_t>& replicas(int home) const { return replicas_[static_cast<std::size_t>(home)]; }
  /// The replicas `home` would have if no link were cut (sites in service alike): those a
  /// cut leaves without a path are owed the copies (caught up when the cut ends).
  const std::vector<std::uint16_t>& intended_replicas(int home) const { return intended_replicas_[static_cast<std::size_t>(home)]; }
  /// The nearest site to `region` holding a copy of data homed at `home` (the home or one
  /// of its replicas, in service and reachable), or -1: where reads: nearest_copy sends a
  /// personal-data read.
  int copy_site(std::size_t region, int home) const {
    return home < 0 ? -1 : copy_site_[region * replicas_.size() + static_cast<std::size_t>(home)];
  }
  /// Where `site` finds data homed at `home` under reads: nearest_with_fetch: `site` itself
  /// when it holds a copy (the home or a replica), else the copy with the shortest path to
  /// it, or -1 when no copy is in reach (or either site is out of service).
  int fetch_source(std::size_t site, int home) const {
    return home < 0 ? -1 : fetch_from_[site * replicas_.size() + static_cast<std::size_t>(home)];
  }
  /// Where the long tail of content is held (policies.content): the homes of its
  /// uploaders, each with its share of the uploads (users × home shares); empty when no
  /// site is a home.
  const std::vector<std::pair<int, double>>& content_homes() const { return content_homes_; }
  /// The uploader's home of a long-tail object, for a uniform draw u in [0, 1); -1 if none.
  int content_home(double u) const {
    for (const auto& [site, p] : content_homes_) {
      if (u < p) return site;
      u -= p;
    }
    return content_homes_.empty() ? -1 : content_homes_.back().first;
  }
  /// The read sites of `region` (in order) that reach a copy of data homed at `home`: where
  /// a fetching read may spill.
  std::vector<std::uint16_t> read_sites_reaching(std::size_t region, int home) const {
    std::vector<std::uint16_t> out;
    for (auto s : reads_[region])
      if (fetch_source(s, home) >= 0) out.push_back(s);
    return out;
  }
  /// Every site in service reaches a copy of every home's data (no partition in the way):
  /// a fetching read's spill candidates then need no filtering.
  bool fetch_everywhere() const { return fetch_everywhere_; }
  /// Expected shares of a region's personal-data reads over copy sites (home shares mapped
  /// to their nearest copy); users without a home or copy in reach are left out.
  std::vector<std::pair<int, double>> copy_read_shares(std::size_t region) const;
  const Policies& policies() const { return policies_; }
  /// True when the policy allows this region's reads (or, `home_bound`, its data's home)
  /// a site in service but the region has no path to any of them: its requests are dropped
  /// as unreachable rather than for want of a site.
  bool cut_off(std::size_t region, bool home_bound) const { return (home_bound ? home_cut_off_ : read_cut_off_)[region]; }

 private:
  Policies policies_;
  std::uint64_t seed_key_;  ///< RandomStream::seed_key(the run's seed), for the per-user draws
  std::vector<std::vector<std::uint16_t>> reads_;     ///< per region
  /// Per region: the leading group of reads_ within kMetroTie of the best, with an alias
  /// table over their servers when the group has more than one site.
  std::vector<std::size_t> read_group_;
  std::vector<std::unique_ptr<sim::AliasTable>> read_group_pick_;
  std::vector<int> fixed_home_;                       ///< per region, -2: weighted per user
  std::vector<std::vector<std::uint16_t>> weighted_sites_;  ///< per region (capacity_weighted)
  std::vector<std::unique_ptr<sim::AliasTable>> weighted_;  ///< per region
  std::vector<std::vector<std::uint16_t>> replicas_;  ///< per home site
  std::vector<std::vector<std::uint16_t>> intended_replicas_;  ///< per home site, paths ignored
  std::vector<int> copy_site_;                        ///< region × home site: nearest copy, -1 none
  std::vector<int> fetch_from_;                       ///< serving site × home site: fetch_source
  bool fetch_everywhere_ = true;
  std::vector<std::pair<int, double>> content_homes_;
  std::vector<std::uint64_t> home_key_, read_key_;    ///< per region: stream keys of per-user choices
  UserPicks first_reads_, homes_;  ///< per region: the two per-user draws above, flat (the request path's copy)
  std::vector<bool> read_cut_off_, home_cut_off_;     ///< per region
};

}  // namespace dcsim::models
