// Where users' personal data is, interval by interval, as migration waves move it. Some
// users' data starts at legacy sites (`data.legacy`: where the pre-plan policy put it); a
// wave (`migrations:`) moves the selected users' data from its legacy sites to a site at
// its rate cap, or for background priority at no more than the capacity user traffic
// leaves spare on the path's busiest link. A user's data moves whole: per region, the
// share of users whose data is still at a legacy site falls as the wave's bytes arrive,
// and a request (or, at flow fidelity, that share of a flow) follows the data. The plan
// is computed once, before the run, from expected values (the demand's write volume, the
// link loads of flow runs: without legacy data, then following a first plan; plan_data),
// so both fidelities and every thread count see the same schedule.
//
// The same plan keeps the stored data per site, day and kind (storage.csv). Personal data:
// each region's users' data is where it is (legacy sites, their homes, or where a wave
// took it), grows by their writes and shrinks by deletions there, and the replica sites
// of wherever it is (home or legacy site, as for the writes' replicas) hold a copy.
// Content (`data.content_bytes_per_user`, ContentStock): an upload stays where it was
// written, at its uploader's home in force then (or a content stock rule's sites), until a
// wave of kind content moves it; the primary's replica sites hold a copy, and the popular
// head (`policies.content.everywhere_bytes_share` of its bytes) is copied to every other
// built site. Bytes stored change only by writes, deletions, migrations and replica sites
// changing (conserved, tested).
//
// Simplifications (stated in the README): per-user stored bytes grow by the region's
// expected personal writes and shrink by the deletion rate, the same for every user of a
// region; reserved waves load the links (never beyond a link's capacity) but do not slow
// the users who share them; homes
// are the residency tables' at the run's start until a re-homing step (a site coming
// online, a residency switch) changes them from the interval it falls in; a wave's replica
// copies at its destination are counted as stored, not carried on the links, as are the
// copies a re-homing step's new replica sites get of data already stored; a built site
// holds the content head from the run's start (filled before it opens, not carried).
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/network/path_table.hpp"
#include "models/network/world.hpp"
#include "models/policy/routing_tables.hpp"
#include "sim/time.hpp"

namespace dcsim::models {

/// One wave over one reporting interval.
struct WaveInterval {
  double moved_bytes = 0;
  double remaining_bytes = 0;  ///< still to move at the interval's end
  double rate_gbps = 0;        ///< achieved over the interval
  int bottleneck_link = -1;    ///< directed link id that limited the wave (-1: its rate cap)
};

/// Bytes a wave moves from one legacy site to its destination in one interval.
struct MigrationTransfer {
  std::size_t interval = 0, wave = 0, from = 0, to = 0;
  double bytes = 0;
  /// The share of these bytes that crosses the Atlantic: with the pair split over several
  /// paths, the share on its most loaded transatlantic link (0: none).
  double transatlantic_share = 0;
};

/// A control that re-homes users (a site coming online, a residency switch): the homes and
/// replica sites from then on. The plan turns it into a wave moving each user's data from
/// the old home to the new one, instead of the data being at the new home at once.
struct RehomeStep {
  std::string id;   ///< the wave's name: "rehome-" + the event's id
  double at_s = 0;  ///< seconds from the run's start
  std::vector<std::vector<std::pair<int, double>>> homes;  ///< per region: (site, share)
  std::vector<std::vector<std::uint16_t>> replicas;        ///< per site: its replica sites
};

/// A wave as the plan runs it: a scenario migration or a re-homing.
struct WaveInfo {
  std::string id;
  std::vector<std::string> countries;  ///< of the users whose data it moves
  DataKind kind = DataKind::Personal;  ///< their personal data, or their uploads
  std::vector<std::size_t> from;       ///< the sites it empties
  bool rehoming = false;               ///< a re-homing step's wave (data moving between homes)
};

/// Stored data of one kind at one site over one day: primary copies or replicas, bytes.
struct StorageDay {
  double stored_bytes = 0;     ///< at the day's end (the run's end on its last day)
  double eea_users_bytes = 0;  ///< of stored_bytes: EEA users' data (for content: EEA uploaders')
  double written_bytes = 0, deleted_bytes = 0, migrated_in_bytes = 0, migrated_out_bytes = 0;
  /// Personal data: copies made at a site that a re-homing step made a replica site of data
  /// already stored, and copies let go by one that stopped being one (not carried on links).
  double replica_fill_bytes = 0, replica_release_bytes = 0;
};
/// What is stored: users' personal data (residency, migrations) or shared content (videos).
enum class StoredKind : std::size_t { Personal = 0, Content = 1 };
inline constexpr std::size_t kStorageKinds = 2;
inline constexpr std::size_t kStorageCopies = 2;  ///< 0: primary, 1: replica
/// Per site: kinds × copies cells. A site's cell in storage_start(), and (day, site, kind,
/// copy) in storage(), which holds every site's cells day by day.
inline constexpr std::size_t kStorageCells = kStorageKinds * kStorageCopies;
inline constexpr std::size_t storage_cell(std::size_t site, StoredKind kind, std::size_t copy) {
  return (site * kStorageKinds + static_cast<std::size_t>(kind)) * kStorageCopies + copy;
}
inline constexpr std::size_t storage_index(std::size_t day, std::size_t sites, std::size_t site, StoredKind kind, std::size_t copy) {
  return day * sites * kStorageCells + storage_cell(site, kind, copy);
}

class DataPlan {
 public:
  /// `spare_bytes_s[iv][link]`: capacity user traffic leaves on each directed link in each
  /// interval, bytes/s (empty: unlimited), for background waves; `capacity_bytes_s[link]`:
  /// each directed link's capacity (empty: unlimited), which no wave's bytes exceed (a
  /// reserved wave takes it from the users, and from the waves listed after it).
  /// `tables`: the homes and replica sites of users' data at the run's start. `built`: the
  /// sites that hold the content head (empty: the scenario's build-out).
  DataPlan(const World& world, const PathTable& paths, const RoutingTables& tables, sim::SimDuration interval,
           std::size_t intervals, const std::vector<std::vector<double>>& spare_bytes_s,
           const std::vector<double>& capacity_bytes_s = {}, const std::vector<RehomeStep>& steps = {},
           const std::vector<bool>& built = {});

  /// The plan of a window of the run: `intervals` intervals from `first_interval` and the
  /// `days` days from `first_day` that hold them (the window starts on a day boundary):
  /// what a run of that window follows, with the data where the whole run put it by then.
  /// A wave done before the window counts as done at its start; one done after, not done.
  DataPlan window(std::size_t first_interval, std::size_t intervals, std::size_t first_day, std::size_t days) const;

  bool active() const { return !legacy_sites_.empty() && any_legacy_; }
  /// Legacy sites of region r (parallel to legacy_share).
  const std::vector<std::uint16_t>& legacy_sites(std::size_t region) const { return legacy_sites_[region]; }
  /// Share of region r's users whose data is still at legacy_sites(r)[k] during interval iv.
  double legacy_share(std::size_t iv, std::size_t region, std::size_t k) const {
    return shares_[(iv * regions_ + region) * max_legacy_ + k];
  }
  /// The legacy site holding this user's data during iv, or -1 (moved, or never away).
  /// `u01` is the user's uniform hash in [0, 1).
  int legacy_site(std::size_t iv, std::size_t region, double u01) const;
  /// While a re-homing wave is under way, where the data of region r's users who are not
  /// at a legacy site is (site, share of them): the homes as far as the wave has filled
  /// them, not the new tables' shares (a site coming online holds only what has arrived).
  /// nullptr: their homes are the routing tables'.
  const std::vector<std::pair<int, double>>* settled_homes(std::size_t iv, std::size_t region) const {
    if (settled_.empty()) return nullptr;
    const auto it = settled_.find(iv * regions_ + region);
    return it == settled_.end() ? nullptr : &it->second;
  }

  const std::vector<std::vector<WaveInterval>>& waves() const { return waves_; }  ///< wave × interval
  /// The scenario's migrations, then one re-homing wave per step.
  const std::vector<WaveInfo>& wave_info() const { return wave_info_; }
  const std::vector<MigrationTransfer>& transfers() const { return transfers_; }
  /// Per-user stored personal bytes of region r at the start of interval iv.
  double bytes_per_user(std::size_t iv, std::size_t region) const { return per_user_[iv * regions_ + region]; }
  /// The interval (exclusive end) in which each wave finished, or -1 if it did not.
  const std::vector<long>& completed_in() const { return completed_in_; }

  /// Stored data: day × site × kind × copy (storage_index), and per site × kind × copy at
  /// the run's start (storage_cell).
  const std::vector<StorageDay>& storage() const { return storage_; }
  const std::vector<double>& storage_start() const { return storage_start_; }

 private:
  /// Adds region r's bytes at the sites that hold its data (legacy sites, elsewhere, and
  /// the replicas of the latter) to `column` of `day`: `per_user` bytes per user there.
  void add_stored(const World& world, std::size_t day, std::size_t r, const std::vector<double>& legacy_share, double per_user,
                  double StorageDay::*column);

  /// Calls fn(site, copy, share of region r's users) for every copy of their personal data:
  /// at legacy sites (`legacy_share`, parallel to legacy_sites(r)) and their replicas, and
  /// at the sites it is at otherwise and their replicas.
  template <class Fn>
  void for_each_copy(std::size_t r, const std::vector<double>& legacy_share, Fn&& fn) const {
    for (std::size_t k = 0; k < legacy_sites_[r].size(); ++k) {
      // Legacy data is replicated as the legacy site's writes are (the traffic's replicas).
      fn(legacy_sites_[r][k], 0, legacy_share[k]);
      for (auto rep : replicas_[legacy_sites_[r][k]]) fn(rep, 1, legacy_share[k]);
    }
    for (std::size_t site = 0; site < sites_; ++site) {
      const double at = away_from_legacy_[r * sites_ + site];
      if (!(at > 0)) continue;
      fn(site, 0, at);
      for (auto rep : replicas_[site]) fn(rep, 1, at);
    }
  }
  /// Personal bytes stored per site × copy with these legacy shares and per-user bytes.
  std::vector<double> personal_stock(const World& world, const std::vector<std::vector<double>>& share,
                                     const std::vector<double>& per_user) const;

  /// The share of region r's users whose data is outside legacy sites (at homes, or where
  /// a wave took it).
  double at_homes_share(std::size_t r) const {
    double sum = 0;
    for (std::size_t site = 0; site < sites_; ++site) sum += away_from_legacy_[r * sites_ + site];
    return sum;
  }
  /// Books the change of the content's copies per site (before → after) on `day`: a rise
  /// into `up`, a fall into `down`.
  void book_content(std::size_t day, const std::vector<double>& before, const std::vector<double>& after,
                    double StorageDay::*up, double StorageDay::*down);
  std::size_t day_of_unclamped(double seconds) const { return static_cast<std::size_t>(seconds / 86400 + 1e-9); }

  std::size_t last_day() const { return storage_.size() / (sites_ * kStorageCells) - 1; }
  std::size_t day_of(double seconds) const { return std::min(static_cast<std::size_t>(seconds / 86400), last_day()); }
  StorageDay& storage_at(std::size_t day, std::size_t site, StoredKind kind, std::size_t copy) {
    return storage_[storage_index(day, sites_, site, kind, copy)];
  }

  /// Per region × site: the share of the region's users whose data is there, outside
  /// legacy sites (their homes, or a wave's destination).
  std::vector<double> away_from_legacy_;
  std::vector<std::vector<std::uint16_t>> replicas_;  ///< per home site
  std::vector<std::vector<std::size_t>> source_;      ///< per wave: its sources' site indices
  /// Per wave × region: where the region's data goes, (site, share of it).
  std::vector<std::vector<std::vector<std::pair<std::size_t, double>>>> destinations_;
  std::vector<StorageDay> storage_;
  std::vector<double> storage_start_;

  std::size_t regions_ = 0, max_legacy_ = 0, intervals_ = 0, sites_ = 0;
  bool any_legacy_ = false;
  std::vector<std::vector<std::uint16_t>> legacy_sites_;
  std::vector<double> shares_;    ///< (interval, region, k)
  /// (interval × regions + region) → settled homes, only while a re-homing is pending.
  std::unordered_map<std::size_t, std::vector<std::pair<int, double>>> settled_;
  std::vector<double> per_user_;  ///< (interval, region)
  std::vector<std::vector<WaveInterval>> waves_;
  std::vector<WaveInfo> wave_info_;
  std::vector<MigrationTransfer> transfers_;
  std::vector<long> completed_in_;
};

/// The scenario's plan (nullptr when it has no `data:`; without legacy data it only keeps
/// the stored data): for background waves, after a flow run without migrations gives the
/// links' spare capacity. `built` as for RunState.
std::unique_ptr<DataPlan> plan_data(const World& world, const std::vector<bool>& built = {});

}  // namespace dcsim::models
