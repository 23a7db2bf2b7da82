// The migration schedule: legacy shares per region and interval, waves' progress.
#include "models/run/data_plan.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <tuple>

#include "models/run/content_stock.hpp"
#include "models/run/controls.hpp"
#include "models/run/flow_run.hpp"
#include "models/run/ledger.hpp"
#include "models/run/link_summary.hpp"
#include "models/run/run_context.hpp"
#include "models/run/run_state.hpp"
#include "models/traffic/demand.hpp"

namespace dcsim::models {

namespace {

bool selects(const UserSelection& u, const WorldRegion& r) { return u.covers(r.region->country, r.eea); }

// The share of a region's destinations other than `source` (where a wave takes what it
// moves from there).
double share_elsewhere(const std::vector<std::pair<std::size_t, double>>& destinations, std::size_t source) {
  double elsewhere = 0;
  for (const auto& [site, p] : destinations)
    if (site != source) elsewhere += p;
  return elsewhere;
}

// A content wave's bytes of region r at `source`: what it holds beyond the share of the
// region's uploads the destinations give it (to: home with the source among the homes:
// those users' videos are home already; a named destination elsewhere: all of it).
double content_excess(const ContentStock& content, std::size_t r, std::size_t source,
                      const std::vector<std::pair<std::size_t, double>>& destinations) {
  double total = 0, own = 0;
  for (std::size_t k = 0; k < content.sites(); ++k) total += content.at(r, k);
  for (const auto& [site, p] : destinations)
    if (site == source) own += p;
  const double at = content.at(r, source), excess = at - own * total;
  return excess > 1e-9 * at ? excess : 0.0;  // home already, but for rounding
}

template <class T>
void add_once(std::vector<T>& v, const T& x) {
  if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
}

}  // namespace

DataPlan::DataPlan(const World& world, const PathTable& paths, const RoutingTables& tables, sim::SimDuration interval,
                   std::size_t intervals, const std::vector<std::vector<double>>& spare_bytes_s,
                   const std::vector<double>& capacity_bytes_s, const std::vector<RehomeStep>& steps, const std::vector<bool>& built)
    : regions_(world.regions().size()), intervals_(intervals), sites_(world.sites().size()) {
  const Scenario& s = world.scenario();
  const DataSpec& data = s.data;
  const auto& regions = world.regions();

  // Legacy sites and starting shares per region: the first stock rule that selects a
  // region places its users' data.
  legacy_sites_.resize(regions_);
  std::vector<std::vector<double>> share(regions_);
  for (std::size_t r = 0; r < regions_; ++r)
    for (const LegacyStock& stock : data.legacy) {
      if (stock.kind != DataKind::Personal || !selects(stock.users, regions[r])) continue;
      for (const auto& [id, sh] : stock.sites) {
        legacy_sites_[r].push_back(static_cast<std::uint16_t>(world.site_index(id)));
        share[r].push_back(sh);
        any_legacy_ |= sh > 0;
      }
      break;
    }
  // Re-homing: a user whose home moves keeps their data at the old home until a wave moves
  // it, so each old home a step leaves is a legacy site of the region (share 0 until then).
  // Per step, the sites it takes data from.
  std::vector<std::vector<std::size_t>> step_sources(steps.size());
  {
    std::vector<std::vector<std::pair<int, double>>> before(regions_);
    for (std::size_t r = 0; r < regions_; ++r) before[r] = tables.home_shares(r);
    for (std::size_t i = 0; i < steps.size(); ++i) {
      for (std::size_t r = 0; r < regions_; ++r) {
        for (const auto& [site, p] : before[r]) {
          double after = 0;
          for (const auto& [s2, p2] : steps[i].homes[r])
            if (s2 == site) after += p2;
          if (!(p > after + 1e-12)) continue;
          auto& l = legacy_sites_[r];
          if (std::find(l.begin(), l.end(), static_cast<std::uint16_t>(site)) == l.end()) {
            l.push_back(static_cast<std::uint16_t>(site));
            share[r].push_back(0.0);
          }
          add_once(step_sources[i], static_cast<std::size_t>(site));
          any_legacy_ = true;
        }
        before[r] = steps[i].homes[r];
      }
    }
  }
  for (const auto& l : legacy_sites_) max_legacy_ = std::max(max_legacy_, l.size());
  if (max_legacy_ == 0) max_legacy_ = 1;

  // Stored data: what is not at a legacy site is at the users' homes (a region whose
  // users have no home in service stores nothing: its requests are dropped), with a copy
  // at each of a home's replica sites.
  away_from_legacy_.assign(regions_ * sites_, 0.0);
  for (std::size_t r = 0; r < regions_; ++r) {
    double legacy = 0;
    for (double sh : share[r]) legacy += sh;
    for (const auto& [site, p] : tables.home_shares(r)) away_from_legacy_[r * sites_ + static_cast<std::size_t>(site)] += p * (1 - legacy);
  }
  for (std::size_t k = 0; k < sites_; ++k) replicas_.push_back(tables.replicas(static_cast<int>(k)));
  // Which directed links cross the Atlantic: what a transfer reports it crossed.
  std::vector<bool> transatlantic(paths.link_ids, false);
  for (const LinkInfo& l : link_infos(world)) transatlantic[l.id] = l.transatlantic;
  // The waves: the scenario's, then one per re-homing step (its destinations are set when
  // the step comes).
  std::vector<Migration> all_waves = s.migrations;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    Migration m;
    m.id = steps[i].id;
    m.to = kMigrateToHome;
    m.start = sim::from_seconds(steps[i].at_s);
    m.rate_gbps = data.rehome_rate_gbps;
    m.priority = data.rehome_priority;
    for (std::size_t site : step_sources[i]) m.from.push_back(world.sites()[site].site->id);
    all_waves.push_back(std::move(m));
  }
  std::vector<std::vector<bool>> selected(all_waves.size(), std::vector<bool>(regions_, false));
  // Each wave's sources, and per region where its data goes (`to: home`: the homes).
  for (std::size_t w = 0; w < all_waves.size(); ++w) {
    const Migration& m = all_waves[w];
    const bool rehoming = w >= s.migrations.size();
    source_.emplace_back();
    for (const auto& id : m.from) source_.back().push_back(static_cast<std::size_t>(world.site_index(id)));
    destinations_.emplace_back(regions_);
    wave_info_.push_back({m.id, {}, m.kind, source_.back(), rehoming});
    for (std::size_t r = 0; r < regions_; ++r) {
      selected[w][r] = rehoming || selects(m.users, regions[r]);
      if (selected[w][r] && !rehoming) {
        add_once(wave_info_.back().countries, regions[r].region->country);
      }
      if (rehoming) continue;
      if (m.to != kMigrateToHome) {
        destinations_.back()[r] = {{static_cast<std::size_t>(world.site_index(m.to)), 1.0}};
        continue;
      }
      for (const auto& [site, p] : tables.home_shares(r)) destinations_.back()[r].emplace_back(static_cast<std::size_t>(site), p);
    }
  }
  const std::size_t days = static_cast<std::size_t>(std::ceil(sim::to_seconds(s.meta.duration) / 86400 - 1e-9));
  storage_.assign(std::max<std::size_t>(days, 1) * sites_ * kStorageCells, StorageDay{});
  storage_start_.assign(sites_ * kStorageCells, 0.0);
  for (std::size_t r = 0; r < regions_; ++r) add_stored(world, 0, r, share[r], data.personal_bytes_per_user, nullptr);

  // Bytes each region's users write per interval (expected), from the demand: personal
  // data, and content (uploads).
  const Demand demand = build_demand(world);
  std::vector<double> written(intervals * regions_, 0.0), uploaded(intervals * regions_, 0.0);
  const double step_s = sim::to_seconds(interval);
  for (const DemandStream& d : demand.streams) {
    const TrafficClass& c = s.traffic.classes[d.class_index];
    if (d.origin != StreamOrigin::Region || c.kind != ClassKind::Write) continue;
    std::vector<double>& into = c.personal_data ? written : uploaded;
    std::size_t step = 0;
    for (std::size_t iv = 0; iv < intervals; ++iv) {
      const sim::SimTime a = sim::at(sim::from_seconds(step_s * static_cast<double>(iv)));
      const sim::SimTime b = std::min(sim::at(s.meta.duration), sim::at(sim::from_seconds(step_s * static_cast<double>(iv + 1))));
      into[iv * regions_ + d.origin_index] += d.rate.expected_between(a, b, step) * demand.weight * c.size.mean_bytes;
    }
  }
  // Stored content: the first content stock rule that selects a region puts that share of
  // its users' uploads at legacy sites, the rest is at their homes.
  std::optional<ContentStock> content;
  std::vector<std::vector<std::pair<int, double>>> upload_homes(regions_);  // the homes in force
  if (data.content_bytes_per_user) {
    std::vector<bool> holds_head = built;
    if (holds_head.empty())
      for (const WorldSite& site : world.sites()) holds_head.push_back(site.built);
    content.emplace(world, holds_head, s.policies.content_everywhere_bytes_share);
    content->lay_out(replicas_);
    for (std::size_t r = 0; r < regions_; ++r) {
      upload_homes[r] = tables.home_shares(r);
      const double bytes = regions[r].monthly_users * *data.content_bytes_per_user;
      double away = 0;
      for (const LegacyStock& stock : data.legacy) {
        if (stock.kind != DataKind::Content || !selects(stock.users, regions[r])) continue;
        for (const auto& [id, sh] : stock.sites) {
          content->add(r, static_cast<std::size_t>(world.site_index(id)), sh * bytes);
          away += sh;
        }
        break;
      }
      for (const auto& [site, p] : upload_homes[r]) content->add(r, static_cast<std::size_t>(site), p * (1 - away) * bytes);
    }
    const std::vector<double> at_start = content->copies();
    for (std::size_t site = 0; site < sites_; ++site)
      for (std::size_t copy = 0; copy < kStorageCopies; ++copy)
        storage_start_[storage_cell(site, StoredKind::Content, copy)] =
            at_start[ContentStock::copy_index(site, copy, false)] + at_start[ContentStock::copy_index(site, copy, true)];
  }
  const double content_deletion_per_s = data.content_deletion_per_day / 86400.0;
  // Per content wave, from its start: region × source, the bytes it still has to move.
  std::vector<std::vector<double>> content_due(all_waves.size());

  // Waves: the regions each selects, and what each holds at each source when it starts.
  const std::size_t nw = all_waves.size();
  // Reserved waves take the links first (their capacity, from the users and from background
  // waves), then background waves what is left, each kind in the order listed.
  std::vector<std::size_t> wave_order;
  for (const bool reserved : {true, false})
    for (std::size_t w = 0; w < nw; ++w)
      if ((all_waves[w].priority == MigrationPriority::Reserved) == reserved) wave_order.push_back(w);
  std::size_t next_step = 0;
  std::vector<bool> rehoming(regions_, false);  // per region: a re-homing step has changed its homes
  std::vector<std::vector<std::pair<int, double>>> step_homes(regions_);  // the homes of the last step
  waves_.assign(nw, std::vector<WaveInterval>(intervals));
  completed_in_.assign(nw, -1);
  shares_.assign(intervals * regions_ * max_legacy_, 0.0);
  per_user_.assign(intervals * regions_, 0.0);
  std::vector<double> per_user(regions_, data.personal_bytes_per_user);
  const double deletion_per_s = data.deletion_per_day / 86400.0;

  for (std::size_t iv = 0; iv < intervals; ++iv) {
    const double t0 = step_s * static_cast<double>(iv);
    const double t1 = std::min(sim::to_seconds(s.meta.duration), t0 + step_s);
    // A re-homing step applies from the start of the interval it falls in: the data of
    // users whose home moved stays where it was (now a legacy site) and its wave starts.
    std::vector<double> before_steps, content_before;
    if (next_step < steps.size() && steps[next_step].at_s < t1) {
      before_steps = personal_stock(world, share, per_user);
      if (content) content_before = content->copies();
    }
    for (; next_step < steps.size() && steps[next_step].at_s < t1; ++next_step) {
      const RehomeStep& step = steps[next_step];
      const std::size_t w = s.migrations.size() + next_step;
      for (std::size_t r = 0; r < regions_; ++r) {
        const double at_homes = at_homes_share(r);
        std::vector<double> target(sites_, 0.0);
        for (const auto& [site, p] : step.homes[r]) target[static_cast<std::size_t>(site)] += p * at_homes;
        std::vector<std::pair<std::size_t, double>> deficit;
        double short_total = 0;
        for (std::size_t site = 0; site < sites_; ++site) {
          double& at = away_from_legacy_[r * sites_ + site];
          if (at > target[site] + 1e-12) {
            const auto& l = legacy_sites_[r];
            const std::size_t k = static_cast<std::size_t>(std::find(l.begin(), l.end(), static_cast<std::uint16_t>(site)) - l.begin());
            if (k < l.size()) {  // always, from the pre-scan; the guard keeps a mismatch harmless
              share[r][k] += at - target[site];
              at = target[site];
            }
          } else if (target[site] > at + 1e-12) {
            deficit.emplace_back(site, target[site] - at);
            short_total += target[site] - at;
          }
        }
        destinations_[w][r].clear();
        if (short_total > 0) rehoming[r] = true;
        step_homes[r] = step.homes[r];
        if (short_total > 0) {
          for (const auto& [site, d] : deficit) destinations_[w][r].emplace_back(site, d / short_total);
          add_once(wave_info_[w].countries, regions[r].region->country);
        }
        upload_homes[r] = step.homes[r];
        // Scenario waves to `home` take data to the homes in force from now on.
        for (std::size_t mw = 0; mw < s.migrations.size(); ++mw)
          if (s.migrations[mw].to == kMigrateToHome) {
            destinations_[mw][r].clear();
            for (const auto& [site, p] : step.homes[r]) destinations_[mw][r].emplace_back(static_cast<std::size_t>(site), p);
          }
      }
      replicas_ = step.replicas;
    }
    // The step's new replica sites get a copy of the data already stored (and sites that
    // stopped being replicas let theirs go): the difference of the stock before and after.
    if (!before_steps.empty()) {
      const std::vector<double> after = personal_stock(world, share, per_user);
      const std::size_t day = day_of(t0);
      for (std::size_t site = 0; site < sites_; ++site)
        for (std::size_t copy = 0; copy < kStorageCopies; ++copy) {
          const double was = before_steps[site * kStorageCopies + copy], now = after[site * kStorageCopies + copy];
          if (std::fabs(now - was) <= 1e-12 * std::max(was, now)) continue;  // unchanged but for rounding
          StorageDay& d = storage_at(day, site, StoredKind::Personal, copy);
          (now > was ? d.replica_fill_bytes : d.replica_release_bytes) += std::fabs(now - was);
        }
      before_steps.clear();
      // Content copies follow their primaries' new replica sites alike.
      if (content) {
        content->lay_out(replicas_);
        book_content(day, content_before, content->copies(), &StorageDay::replica_fill_bytes, &StorageDay::replica_release_bytes);
      }
    }
    for (std::size_t r = 0; r < regions_; ++r) {
      per_user_[iv * regions_ + r] = per_user[r];
      for (std::size_t k = 0; k < share[r].size(); ++k) shares_[(iv * regions_ + r) * max_legacy_ + k] = share[r][k];
      // After a re-homing step, until its wave has moved everything, the users not at a
      // legacy site are where their data is: the sites that kept them, and what arrived.
      if (!rehoming[r]) continue;
      const double at_homes = at_homes_share(r);
      if (!(at_homes > 0)) continue;
      std::vector<std::pair<int, double>> settled;
      double off = 0;  // how far the settled homes are from the new tables' shares
      for (std::size_t site = 0; site < sites_; ++site) {
        const double a = away_from_legacy_[r * sites_ + site] / at_homes;
        if (a > 0) settled.emplace_back(static_cast<int>(site), a);
        double want = 0;
        for (const auto& [h, p] : step_homes[r])
          if (static_cast<std::size_t>(h) == site) want += p;
        off = std::max(off, std::fabs(a - want));
      }
      if (off < 1e-9) {  // the wave is done: the tables are right again
        rehoming[r] = false;
        continue;
      }
      settled_[iv * regions_ + r] = std::move(settled);
    }
    std::vector<double> spare = iv < spare_bytes_s.size() ? spare_bytes_s[iv] : std::vector<double>{};
    std::vector<double> room = capacity_bytes_s;  // what the waves may still take of each link
    for (const std::size_t w : wave_order) {
      const Migration& m = all_waves[w];
      const double start_s = sim::to_seconds(m.start);
      WaveInterval& out = waves_[w][iv];
      // Bytes still at each of the wave's sources, over the regions it selects, and where
      // they go: the named site, or each region's homes by their shares.
      std::vector<double> at_source(m.from.size(), 0.0);
      std::vector<std::vector<double>> to_site(m.from.size(), std::vector<double>(sites_, 0.0));
      double remaining = 0;
      const bool moves_content = m.kind == DataKind::Content;
      if (moves_content && t1 > start_s && completed_in_[w] < 0 && content_due[w].empty()) {  // it starts: what it has to move
        content_due[w].assign(regions_ * m.from.size(), 0.0);
        for (std::size_t r = 0; r < regions_; ++r) {
          if (!selected[w][r] || destinations_[w][r].empty() || !content) continue;
          for (std::size_t f = 0; f < m.from.size(); ++f)
            content_due[w][r * m.from.size() + f] = content_excess(*content, r, source_[w][f], destinations_[w][r]);
        }
      }
      for (std::size_t r = 0; r < regions_; ++r) {
        // A region with nowhere to go (no home in service) keeps its data where it is.
        if (!selected[w][r] || destinations_[w][r].empty()) continue;
        if (moves_content) {
          // The uploads a source holds beyond its own share of the destinations, as they
          // were when the wave started (what is uploaded there later is not its business);
          // until it starts, what it would take now.
          if (!content) continue;
          auto& due = content_due[w];
          const bool started = !due.empty();
          for (std::size_t f = 0; f < m.from.size(); ++f) {
            const double elsewhere = share_elsewhere(destinations_[w][r], source_[w][f]);
            if (!(elsewhere > 0)) continue;
            const double b = started ? due[r * m.from.size() + f] : content_excess(*content, r, source_[w][f], destinations_[w][r]);
            at_source[f] += b;
            remaining += b;
            for (const auto& [site, p] : destinations_[w][r])
              if (site != source_[w][f]) to_site[f][site] += b * p / elsewhere;
          }
          continue;
        }
        for (std::size_t k = 0; k < legacy_sites_[r].size(); ++k)
          for (std::size_t f = 0; f < m.from.size(); ++f)
            if (legacy_sites_[r][k] == source_[w][f]) {
              const double b = share[r][k] * regions[r].monthly_users * per_user[r];
              at_source[f] += b;
              remaining += b;
              for (const auto& [site, p] : destinations_[w][r]) to_site[f][site] += b * p;
            }
      }
      if (t1 <= start_s || completed_in_[w] >= 0) {
        out.remaining_bytes = moves_content && completed_in_[w] >= 0 ? 0.0 : remaining;
        continue;
      }
      const double active_s = t1 - std::max(t0, start_s);
      const double cap_bytes_s = m.rate_gbps * 1e9 / 8;
      double moved_total = 0;
      for (std::size_t f = 0; f < m.from.size(); ++f) {
        if (!(at_source[f] > 0)) continue;
        const std::size_t from = source_[w][f];
        // The wave's cap is split over its sources by what each still holds; a source's
        // bytes split over its destinations as the users' data does.
        double rate = cap_bytes_s * at_source[f] / remaining;
        bool reachable = true;
        std::vector<std::pair<std::size_t, double>> dest;  // (site, share of this source's bytes)
        for (std::size_t site = 0; site < sites_; ++site)
          if (to_site[f][site] > 0) {
            dest.emplace_back(site, to_site[f][site] / at_source[f]);
            reachable = reachable && (site == from || paths.site_reachable(from, site));
          }
        if (!reachable || dest.empty()) continue;  // no path to a destination: nothing moves
        const bool background = m.priority == MigrationPriority::Background && !spare.empty();
        // Per link, the share of the source's bytes crossing it (over every destination's
        // path): a link with `left` bytes/s for this wave limits the rate to left / share.
        // A background wave gets what the users and the waves before it leave; a reserved
        // one what the reserved waves before it leave of the capacity, taking it from the users.
        std::map<std::uint32_t, double> on_link;
        if (background || !room.empty()) {
          for (const auto& [site, p] : dest)
            if (site != from)  // home already: the data stays, nothing crosses a link
              for (const LinkShare& l : paths.links[paths.site_pair(from, site)]) on_link[l.id] += p * l.share;
          for (const auto& [link, sh] : on_link) {
            double left = room.empty() ? kUnlimited : room[link];
            if (background) left = std::min(left, spare[link]);
            left = std::max(0.0, left) / sh;
            if (left < rate) {
              rate = left;
              out.bottleneck_link = static_cast<int>(link);
            }
          }
        }
        const double moved = std::min(at_source[f], rate * active_s);
        // What it takes of each link over the interval: its bytes, not its rate for all of
        // it (a wave starting or finishing within the interval leaves the rest to others).
        const double used = moved / (t1 - t0);
        for (const auto& [link, sh] : on_link) {
          if (!spare.empty()) spare[link] -= used * sh;
          if (!room.empty()) room[link] -= used * sh;
        }
        if (!(moved > 0)) continue;
        moved_total += moved;
        for (const auto& [site, p] : dest) {
          if (site == from) continue;
          double crossing = 0;
          for (const LinkShare& l : paths.links[paths.site_pair(from, site)])
            if (transatlantic[l.id]) crossing = std::max(crossing, l.share);
          transfers_.push_back({iv, w, from, site, moved * p, crossing});
        }
        // Users move whole: every selected region's share at this source falls alike, and
        // arrives (as stored data, with the destinations' replicas) where it goes.
        const double keep = 1 - moved / at_source[f];
        const std::size_t day = day_of(t0);
        if (moves_content) {
          // Every selected region's uploads leave this source alike; their copies follow.
          const std::vector<double> before = content->copies();
          for (std::size_t r = 0; r < regions_; ++r) {
            if (!selected[w][r] || destinations_[w][r].empty()) continue;
            double& due = content_due[w][r * m.from.size() + f];
            const double elsewhere = share_elsewhere(destinations_[w][r], from);
            if (!(due > 0) || !(elsewhere > 0)) continue;
            const double gone = keep <= 1e-12 ? due : due * (1 - keep);
            due -= gone;
            for (const auto& [site, p] : destinations_[w][r]) {
              if (site == from) continue;
              content->add(r, from, -gone * p / elsewhere);
              content->add(r, site, gone * p / elsewhere);
            }
          }
          book_content(day, before, content->copies(), &StorageDay::migrated_in_bytes, &StorageDay::migrated_out_bytes);
          continue;
        }
        for (std::size_t r = 0; r < regions_; ++r) {
          if (!selected[w][r] || destinations_[w][r].empty()) continue;
          for (std::size_t k = 0; k < legacy_sites_[r].size(); ++k)
            if (legacy_sites_[r][k] == from) {
              const double after = keep <= 1e-12 ? 0.0 : share[r][k] * keep, gone = share[r][k] - after;
              share[r][k] = after;
              const double bytes = gone * regions[r].monthly_users * per_user[r];
              storage_at(day, from, StoredKind::Personal, 0).migrated_out_bytes += bytes;
              for (auto rep : replicas_[from]) storage_at(day, rep, StoredKind::Personal, 1).migrated_out_bytes += bytes;
              for (const auto& [site, p] : destinations_[w][r]) {
                away_from_legacy_[r * sites_ + site] += gone * p;
                storage_at(day, site, StoredKind::Personal, 0).migrated_in_bytes += bytes * p;
                for (auto rep : replicas_[site]) storage_at(day, rep, StoredKind::Personal, 1).migrated_in_bytes += bytes * p;
              }
            }
        }
      }
      out.moved_bytes = moved_total;
      out.remaining_bytes = std::max(0.0, remaining - moved_total);
      out.rate_gbps = active_s > 0 ? moved_total * 8 / 1e9 / active_s : 0;
      if (out.remaining_bytes <= 1e-9 * std::max(1.0, remaining)) completed_in_[w] = static_cast<long>(iv);
    }
    // Stored bytes per user grow by writes and shrink by deletions over the interval,
    // wherever the users' data now is.
    const std::size_t day = day_of(t0);
    // The days whose end stock is this interval's end: its own day when the next interval
    // starts on another, and every day it spans (an interval may be longer than a day).
    const std::size_t end_from = day, end_to = iv + 1 == intervals ? last_day() + 1 : std::min(last_day() + 1, day_of_unclamped(t1));
    for (std::size_t r = 0; r < regions_; ++r) {
      const double users = regions[r].monthly_users;
      const double add = users > 0 ? written[iv * regions_ + r] / users : 0.0;
      const double kept = per_user[r] * std::exp(-deletion_per_s * (t1 - t0));
      add_stored(world, day, r, share[r], add, &StorageDay::written_bytes);
      add_stored(world, day, r, share[r], per_user[r] - kept, &StorageDay::deleted_bytes);
      per_user[r] = kept + add;
      for (std::size_t d = end_from; d < end_to; ++d) add_stored(world, d, r, share[r], per_user[r], &StorageDay::stored_bytes);
    }
    if (!content) continue;
    // Content: deletions of what is stored, then the interval's uploads at the homes in force.
    if (content_deletion_per_s > 0) {
      const double gone = 1 - std::exp(-content_deletion_per_s * (t1 - t0));
      const std::vector<double> before = content->copies();
      content->remove_share(gone);
      for (auto& due : content_due)
        for (double& b : due) b *= 1 - gone;
      book_content(day, before, content->copies(), &StorageDay::written_bytes, &StorageDay::deleted_bytes);
    }
    for (std::size_t r = 0; r < regions_; ++r) {
      const double bytes = uploaded[iv * regions_ + r];
      if (!(bytes > 0)) continue;
      for (const auto& [home, p] : upload_homes[r]) {
        const double here = bytes * p;  // a plain local: clang before 16 cannot capture a structured binding
        content->add(r, static_cast<std::size_t>(home), here);
        content->for_each_copy(static_cast<std::size_t>(home), [&](std::size_t site, std::size_t copy, double sh) {
          storage_at(day, site, StoredKind::Content, copy).written_bytes += here * sh;
        });
      }
    }
    if (end_from < end_to) {
      const std::vector<double> now = content->copies();
      for (std::size_t d = end_from; d < end_to; ++d)
        for (std::size_t site = 0; site < sites_; ++site)
          for (std::size_t copy = 0; copy < kStorageCopies; ++copy) {
            StorageDay& sd = storage_at(d, site, StoredKind::Content, copy);
            sd.eea_users_bytes = now[ContentStock::copy_index(site, copy, true)];
            sd.stored_bytes = sd.eea_users_bytes + now[ContentStock::copy_index(site, copy, false)];
          }
    }
  }
}

void DataPlan::book_content(std::size_t day, const std::vector<double>& before, const std::vector<double>& after,
                            double StorageDay::*up, double StorageDay::*down) {
  for (std::size_t site = 0; site < sites_; ++site)
    for (std::size_t copy = 0; copy < kStorageCopies; ++copy) {
      const double was = before[ContentStock::copy_index(site, copy, false)] + before[ContentStock::copy_index(site, copy, true)];
      const double now = after[ContentStock::copy_index(site, copy, false)] + after[ContentStock::copy_index(site, copy, true)];
      if (std::fabs(now - was) <= 1e-12 * std::max(was, now)) continue;  // unchanged but for rounding
      StorageDay& d = storage_at(day, site, StoredKind::Content, copy);
      (now > was ? d.*up : d.*down) += std::fabs(now - was);
    }
}

void DataPlan::add_stored(const World& world, std::size_t day, std::size_t r, const std::vector<double>& legacy_share,
                          double per_user, double StorageDay::*column) {
  const WorldRegion& region = world.regions()[r];
  const double bytes_per_share = region.monthly_users * per_user;
  for_each_copy(r, legacy_share, [&](std::size_t site, std::size_t copy, double users_share) {
    const double bytes = users_share * bytes_per_share;
    if (!column) {  // the stock at the start
      storage_start_[storage_cell(site, StoredKind::Personal, copy)] += bytes;
      return;
    }
    StorageDay& d = storage_at(day, site, StoredKind::Personal, copy);
    d.*column += bytes;
    if (column == &StorageDay::stored_bytes && region.eea) d.eea_users_bytes += bytes;
  });
}

std::vector<double> DataPlan::personal_stock(const World& world, const std::vector<std::vector<double>>& share,
                                             const std::vector<double>& per_user) const {
  std::vector<double> out(sites_ * kStorageCopies, 0.0);
  for (std::size_t r = 0; r < regions_; ++r) {
    const double bytes_per_share = world.regions()[r].monthly_users * per_user[r];
    for_each_copy(r, share[r], [&](std::size_t site, std::size_t copy, double users_share) {
      out[site * kStorageCopies + copy] += users_share * bytes_per_share;
    });
  }
  return out;
}

int DataPlan::legacy_site(std::size_t iv, std::size_t region, double u01) const {
  const auto& sites = legacy_sites_[region];
  double cumulative = 0;
  for (std::size_t k = 0; k < sites.size(); ++k) {
    cumulative += legacy_share(iv, region, k);
    if (u01 < cumulative) return sites[k];
  }
  return -1;
}

}  // namespace dcsim::models

namespace dcsim::models {

namespace {

// The controls that re-home users: a site coming online or a policy switch after which the
// homes (over every planned site: an outage fails over, the data stays home) differ.
std::vector<RehomeStep> rehome_steps(const World& world, const std::vector<bool>& built) {
  const Scenario& s = world.scenario();
  std::vector<RehomeStep> steps;
  // Without such events nothing re-homes: no scratch state (its Metrics are run-sized).
  if (std::none_of(s.events.begin(), s.events.end(),
                   [](const ScenarioEvent& e) { return e.kind == EventKind::SiteOnline || e.kind == EventKind::PolicySwitch; }))
    return steps;
  RunState state(world, built);
  auto metrics = make_metrics(world);
  metrics->link_loads = std::make_unique<LinkLoads>(metrics->intervals(), state.paths());
  Ledger ledger(*metrics, world);
  auto homes_now = [&] {
    std::vector<std::vector<std::pair<int, double>>> homes;
    for (std::size_t r = 0; r < world.regions().size(); ++r) homes.push_back(state.nominal().home_shares(r));
    return homes;
  };
  auto current = homes_now();
  for (const Control& c : build_controls(s, sim::at(s.meta.duration))) {
    state.apply(c, metrics->events[c.event], ledger);
    const ScenarioEvent& ev = s.events[c.event];
    if (ev.kind != EventKind::SiteOnline && ev.kind != EventKind::PolicySwitch) continue;
    auto homes = homes_now();
    if (homes == current) continue;
    RehomeStep step;
    step.id = "rehome-" + ev.id;
    step.at_s = sim::to_seconds(c.t.time_since_epoch());
    step.homes = homes;
    for (std::size_t k = 0; k < world.sites().size(); ++k) step.replicas.push_back(state.nominal().replicas(static_cast<int>(k)));
    steps.push_back(std::move(step));
    current = std::move(homes);
  }
  return steps;
}

}  // namespace

DataPlan DataPlan::window(std::size_t first_interval, std::size_t intervals, std::size_t first_day, std::size_t days) const {
  DataPlan w(*this);
  w.intervals_ = intervals;
  auto slice = [](const std::vector<double>& v, std::size_t from, std::size_t count) {
    return std::vector<double>(v.begin() + static_cast<std::ptrdiff_t>(from), v.begin() + static_cast<std::ptrdiff_t>(from + count));
  };
  const std::size_t per_interval = regions_ * max_legacy_;
  w.shares_ = slice(shares_, first_interval * per_interval, intervals * per_interval);
  w.per_user_ = slice(per_user_, first_interval * regions_, intervals * regions_);
  w.settled_.clear();
  for (const auto& [key, homes] : settled_) {
    const std::size_t iv = key / regions_;
    if (iv >= first_interval && iv < first_interval + intervals) w.settled_[key - first_interval * regions_] = homes;
  }
  for (auto& series : w.waves_)
    series = std::vector<WaveInterval>(series.begin() + static_cast<std::ptrdiff_t>(first_interval),
                                       series.begin() + static_cast<std::ptrdiff_t>(first_interval + intervals));
  w.transfers_.clear();
  for (MigrationTransfer tr : transfers_)
    if (tr.interval >= first_interval && tr.interval < first_interval + intervals) {
      tr.interval -= first_interval;
      w.transfers_.push_back(tr);
    }
  for (long& done : w.completed_in_) {
    const long first = static_cast<long>(first_interval);
    done = done < 0 || done > first + static_cast<long>(intervals) ? -1 : std::max(0L, done - first);
  }
  // Stored data: the window's days, starting from the stock at the end of the day before.
  const std::size_t per_day = sites_ * kStorageCells;
  w.storage_ = std::vector<StorageDay>(storage_.begin() + static_cast<std::ptrdiff_t>(first_day * per_day),
                                       storage_.begin() + static_cast<std::ptrdiff_t>((first_day + days) * per_day));
  if (first_day > 0)
    for (std::size_t i = 0; i < per_day; ++i) w.storage_start_[i] = storage_[(first_day - 1) * per_day + i].stored_bytes;
  return w;
}

std::unique_ptr<DataPlan> plan_data(const World& world, const std::vector<bool>& built) {
  const Scenario& s = world.scenario();
  if (!s.data.enabled()) return nullptr;
  const std::vector<RehomeStep> steps = rehome_steps(world, built);
  const RunState state(world, built);
  const std::size_t intervals = make_metrics(world)->intervals();
  const std::vector<double> capacity = link_capacities(world, state.paths());
  std::vector<bool> holds(world.sites().size());
  for (std::size_t k = 0; k < holds.size(); ++k) holds[k] = state.built(k);
  auto plan = [&](const std::vector<std::vector<double>>& spare) {
    return std::make_unique<DataPlan>(world, state.paths(), state.tables(), s.meta.report_interval, intervals, spare, capacity, steps, holds);
  };
  const bool background = std::any_of(s.migrations.begin(), s.migrations.end(),
                                      [](const Migration& m) { return m.priority == MigrationPriority::Background; }) ||
                          (!steps.empty() && s.data.rehome_priority == MigrationPriority::Background);
  if (!background) return plan({});
  // Background waves use what the other traffic leaves of each link, per interval.
  auto spare_after = [&](const Metrics& m) {
    std::vector<std::vector<double>> spare;
    const double step_s = sim::to_seconds(s.meta.report_interval);
    for (std::size_t iv = 0; iv < intervals; ++iv) {
      const double seconds = std::min(step_s, sim::to_seconds(s.meta.duration) - step_s * static_cast<double>(iv));
      std::vector<double> room(capacity);
      for (std::size_t l = 0; l < room.size(); ++l)
        for (std::size_t k = 0; k < kLinkTraffic; ++k)
          if (static_cast<LinkTraffic>(k) != LinkTraffic::Migration) room[l] -= m.link_loads->bytes(iv, l, static_cast<LinkTraffic>(k)) / seconds;
      spare.push_back(std::move(room));
    }
    return spare;
  };
  // That traffic depends on the plan: requests for data not yet moved go to where it still
  // is (a legacy site, an old home), so the links out of a wave's source carry them until
  // it has moved. First a plan on the loads of the run without migrations (that traffic at
  // the homes), then the plan again on the loads of the run that follows the first plan
  // (that traffic where the first plan leaves the data). The first plan moves a little too
  // fast where the source's links bind, so the second one's room there is still a little
  // large: the overrun left is what the first plan's head start removed of that traffic.
  FlowOptions o;
  o.latency = false;
  o.built = built;
  o.without_migrations = true;
  const auto first = plan(spare_after(*run_flow(world, o)));
  o.without_migrations = false;
  o.data_plan = first.get();
  return plan(spare_after(*run_flow(world, o)));
}

}  // namespace dcsim::models
