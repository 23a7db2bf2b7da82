// Building residency and routing tables from policies, availability and RTTs.
#include "models/policy/routing_tables.hpp"

#include <algorithm>
#include <numeric>

#include "models/scenario/stable_hash.hpp"
#include "sim/random.hpp"

namespace dcsim::models {

namespace {
// The stream tag of per-user residency hashes: independent of every other draw.
constexpr std::uint64_t kResidencyTag = 0x7265736964656e63ULL;  // "residenc"
constexpr std::uint64_t kReadGroupTag = 0x6d6574726f746965ULL;  // "metrotie"
}  // namespace

RoutingTables::RoutingTables(const World& world, const Policies& policies, const SiteAvailability& sites, const PathTable& paths,
                             std::uint64_t seed)
    : policies_(policies), seed_key_(sim::RandomStream::seed_key(seed)) {
  const auto& user_rtt = paths.user_rtt;
  const std::size_t nr = world.regions().size(), ns = world.sites().size();
  for (const auto& reg : world.regions()) {
    home_key_.push_back(sim::stream_key(kResidencyTag, stable_hash(reg.region->id)));
    read_key_.push_back(sim::stream_key(kReadGroupTag, stable_hash(reg.region->id)));
  }
  reads_.resize(nr);
  fixed_home_.assign(nr, -1);
  weighted_sites_.resize(nr);
  weighted_.resize(nr);
  // Where EEA users' data may rest: the EEA, and under eea_or_adequate what the state
  // says is adequate now. Every "inside the EEA" test below reads this.
  std::vector<bool> inside(ns);
  for (std::size_t s = 0; s < ns; ++s) inside[s] = sites.inside.empty() ? world.sites()[s].eea : sites.inside[s];
  const bool residency_bound = policies.residency == ResidencyMode::EeaOnly || policies.residency == ResidencyMode::EeaOrAdequate;
  for (std::size_t r = 0; r < nr; ++r) {
    const bool eea_user = world.regions()[r].eea;
    const bool eea_bound = eea_user && residency_bound;
    // Sites in service this region has a path to. Whether the policy would allow one it
    // has no path to tells "cut off" from "nowhere allowed" when the lists come out empty.
    std::vector<std::uint16_t> order;
    bool read_allowed_somewhere = false, home_allowed_somewhere = false;
    for (std::size_t s = 0; s < ns; ++s) {
      if (!sites.up[s]) continue;
      const bool home_ok = !eea_bound || inside[s];
      home_allowed_somewhere |= home_ok;
      read_allowed_somewhere |= home_ok || (eea_user && policies.spill_outside_eea);
      if (user_rtt[r][s] != kUnreachable) order.push_back(static_cast<std::uint16_t>(s));
    }
    std::stable_sort(order.begin(), order.end(),
                     [&](std::uint16_t a, std::uint16_t b) { return user_rtt[r][a] < user_rtt[r][b]; });
    // Allowed first choices, then what may take a spill: EEA-bound data stays in the EEA
    // unless the policy lets it spill out; any EEA user's request leaves the EEA on a
    // spill only with that permission.
    std::vector<std::uint16_t> allowed;
    for (auto s : order)
      if (!eea_bound || inside[s]) allowed.push_back(s);
    if (eea_user && policies.spill_outside_eea)
      for (auto s : order)
        if (!inside[s] && std::find(allowed.begin(), allowed.end(), s) == allowed.end()) allowed.push_back(s);
    if (eea_user && !policies.spill_outside_eea && !allowed.empty()) {
      // The first choice may be outside the EEA (no EEA-only residency); later ones only if EEA.
      std::vector<std::uint16_t> kept{allowed.front()};
      for (std::size_t i = 1; i < allowed.size(); ++i)
        if (inside[allowed[i]]) kept.push_back(allowed[i]);
      allowed = std::move(kept);
    }
    reads_[r] = allowed;
    std::size_t group = allowed.empty() ? 0 : 1;
    while (group < allowed.size() && user_rtt[r][allowed[group]] <= user_rtt[r][allowed[0]] + kMetroTie &&
           (!eea_user || inside[allowed[group]] == inside[allowed[0]]))
      ++group;
    read_group_.push_back(group);
    read_group_pick_.emplace_back();
    if (group > 1) {
      std::vector<double> w;
      for (std::size_t i = 0; i < group; ++i) w.push_back(static_cast<double>(world.sites()[allowed[i]].site->servers));
      read_group_pick_.back() = std::make_unique<sim::AliasTable>(w);
      first_reads_.add_weighted(allowed, *read_group_pick_.back(), read_key_[r]);
    } else {
      first_reads_.add_fixed(allowed.empty() ? -1 : allowed.front());
    }

    // Homes.
    std::vector<std::uint16_t> home_allowed;
    for (auto s : order)
      if (!eea_bound || inside[s]) home_allowed.push_back(s);
    switch (policies.residency) {
      case ResidencyMode::Nearest:
      case ResidencyMode::EeaOnly:
      case ResidencyMode::EeaOrAdequate: {
        // The nearest allowed site; equally near ones (one metro) share the users by capacity.
        std::size_t group = home_allowed.empty() ? 0 : 1;
        while (group < home_allowed.size() && user_rtt[r][home_allowed[group]] <= user_rtt[r][home_allowed[0]] + kMetroTie)
          ++group;
        if (group <= 1) {
          fixed_home_[r] = home_allowed.empty() ? -1 : home_allowed.front();
        } else {
          std::vector<double> w;
          weighted_sites_[r].assign(home_allowed.begin(), home_allowed.begin() + static_cast<long>(group));
          for (auto st : weighted_sites_[r]) w.push_back(static_cast<double>(world.sites()[st].site->servers));
          fixed_home_[r] = -2;
          weighted_[r] = std::make_unique<sim::AliasTable>(w);
        }
        break;
      }
      case ResidencyMode::Map: {
        const auto& country = world.regions()[r].region->country;
        const auto it = policies.residency_map.find(country);
        const std::string& id = it != policies.residency_map.end() ? it->second : policies.residency_default_site;
        const int s = world.site_index(id);
        home_allowed_somewhere = s >= 0 && sites.up[static_cast<std::size_t>(s)];
        fixed_home_[r] = home_allowed_somewhere && user_rtt[r][static_cast<std::size_t>(s)] != kUnreachable ? s : -1;
        break;
      }
      case ResidencyMode::CapacityWeighted: {
        std::vector<double> w;
        for (auto s : home_allowed) w.push_back(static_cast<double>(world.sites()[s].site->servers));
        if (home_allowed.empty()) {
          fixed_home_[r] = -1;
        } else {
          fixed_home_[r] = -2;
          weighted_sites_[r] = home_allowed;
          weighted_[r] = std::make_unique<sim::AliasTable>(w);
        }
        break;
      }
    }
    if (fixed_home_[r] == -2)
      homes_.add_weighted(weighted_sites_[r], *weighted_[r], home_key_[r]);
    else
      homes_.add_fixed(fixed_home_[r]);
    read_cut_off_.push_back(reads_[r].empty() && read_allowed_somewhere);
    home_cut_off_.push_back(fixed_home_[r] == -1 && home_allowed_somewhere);
  }

  // Replicas: the nearest other sites in service (by backbone distance between their hubs)
  // that the scope allows and the home has a path to, one per country if distinct: country.
  // Whether a path is needed: the replicas in force need one; the intended ones (what the
  // replicas would be without link cuts) do not, so what a cut keeps from them is owed.
  replicas_.resize(ns);
  intended_replicas_.resize(ns);
  for (std::size_t h = 0; h < ns; ++h)
    for (const bool need_path : {true, false}) {
      auto& chosen = need_path ? replicas_[h] : intended_replicas_[h];
      if (!sites.up[h] || policies.replication_copies == 0) continue;
      std::vector<std::uint16_t> cand;
      for (std::size_t s = 0; s < ns; ++s) {
        if (s == h || !sites.up[s] || (need_path && !paths.site_reachable(h, s))) continue;
        const bool same_side = world.sites()[s].eea == world.sites()[h].eea;
        if (policies.replication_scope == ReplicationScope::Eea && !world.sites()[s].eea) continue;
        if (policies.replication_scope == ReplicationScope::SameJurisdiction && !same_side) continue;
        cand.push_back(static_cast<std::uint16_t>(s));
      }
      const auto& bb = world.backbone();
      std::stable_sort(cand.begin(), cand.end(), [&](std::uint16_t a, std::uint16_t b) {
        return bb.distance_km(world.sites()[h].hub, world.sites()[a].hub) <
               bb.distance_km(world.sites()[h].hub, world.sites()[b].hub);
      });
      std::vector<std::string> countries{world.sites()[h].site->country};
      for (auto s : cand) {
        if (static_cast<std::int64_t>(chosen.size()) >= policies.replication_copies) break;
        const std::string& c = world.sites()[s].site->country;
        if (policies.replication_distinct == ReplicationDistinct::Country &&
            std::find(countries.begin(), countries.end(), c) != countries.end())
          continue;
        countries.push_back(c);
        chosen.push_back(s);
      }
    }

  // Under reads: nearest_copy, a personal-data read goes to the nearest site (by the
  // region's user RTT) that holds a copy of the user's data: the home or a replica of it.
  copy_site_.assign(nr * ns, -1);
  for (std::size_t r = 0; r < nr; ++r)
    for (std::size_t h = 0; h < ns; ++h) {
      if (!sites.up[h]) continue;
      int best = -1;
      auto consider = [&](std::size_t c) {
        if (user_rtt[r][c] == kUnreachable) return;
        if (best < 0 || user_rtt[r][c] < user_rtt[r][static_cast<std::size_t>(best)]) best = static_cast<int>(c);
      };
      consider(h);
      for (auto rep : replicas_[h]) consider(rep);
      copy_site_[r * ns + h] = best;
    }

  // Under reads: nearest_with_fetch, a site serving a read of data it holds no copy of
  // fetches it from the copy (home or replica) with the shortest path to it.
  fetch_from_.assign(ns * ns, -1);
  for (std::size_t s = 0; s < ns; ++s)
    for (std::size_t h = 0; h < ns; ++h) {
      if (!sites.up[s] || !sites.up[h]) continue;
      const auto& reps = replicas_[h];
      if (s == h || std::find(reps.begin(), reps.end(), s) != reps.end()) {
        fetch_from_[s * ns + h] = static_cast<int>(s);
        continue;
      }
      int best = -1;
      auto consider = [&](std::size_t c) {
        const PathProps& p = paths.site[c * ns + s];
        if (!p.reachable()) return;
        if (best < 0 || p.rtt < paths.site[static_cast<std::size_t>(best) * ns + s].rtt) best = static_cast<int>(c);
      };
      consider(h);
      for (auto rep : reps) consider(rep);
      fetch_from_[s * ns + h] = best;
      fetch_everywhere_ = fetch_everywhere_ && best >= 0;
    }

  // The long tail of content stays where it was uploaded: uploads are writes, so at the
  // uploaders' homes, in proportion to their users (every region uploads at the same rate
  // per user; the diurnal curve only shifts when).
  std::vector<double> uploads(ns, 0.0);
  double all = 0;
  for (std::size_t r = 0; r < nr; ++r)
    for (const auto& [h, p] : home_shares(r)) {
      uploads[static_cast<std::size_t>(h)] += world.regions()[r].monthly_users * p;
      all += world.regions()[r].monthly_users * p;
    }
  for (std::size_t s = 0; s < ns; ++s)
    if (uploads[s] > 0) content_homes_.emplace_back(static_cast<int>(s), uploads[s] / all);
}

std::vector<std::pair<int, double>> RoutingTables::copy_read_shares(std::size_t region) const {
  std::vector<std::pair<int, double>> out;
  for (const auto& [home, p] : home_shares(region)) {
    const int c = copy_site(region, home);
    if (c >= 0) add_share(out, c, p);
  }
  return out;
}

std::vector<std::pair<int, double>> RoutingTables::first_read_shares(std::size_t region) const {
  const auto& sites = reads_[region];
  if (sites.empty()) return {};
  if (read_group_[region] <= 1) return {{sites.front(), 1.0}};
  std::vector<std::pair<int, double>> out;
  for (std::size_t i = 0; i < read_group_[region]; ++i) out.emplace_back(sites[i], read_group_pick_[region]->probability_of(i));
  return out;
}

std::vector<std::pair<int, double>> RoutingTables::home_shares(std::size_t region) const {
  const int fixed = fixed_home_[region];
  if (fixed == -1) return {};
  if (fixed != -2) return {{fixed, 1.0}};
  std::vector<std::pair<int, double>> out;
  for (std::size_t i = 0; i < weighted_sites_[region].size(); ++i)
    out.emplace_back(weighted_sites_[region][i], weighted_[region]->probability_of(i));
  return out;
}

}  // namespace dcsim::models
