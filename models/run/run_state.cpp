// Scenario state under controls, and the routing decisions both fidelities share.
#include "models/run/run_state.hpp"

#include <algorithm>
#include <cmath>

#include "models/run/ledger.hpp"
#include "models/scenario/stable_hash.hpp"

namespace dcsim::models {

RunState::RunState(const World& world, std::vector<bool> built, const RoutingPlan& routing)
    : world_(world), s_(world.scenario()), policies_(s_.policies), built_(std::move(built)), now_unix_s_(s_.meta.start_utc_s) {
  const std::size_t ns = world.sites().size();
  for (std::size_t k = built_.size(); k < ns; ++k) built_.push_back(world.sites()[k].built);
  RoutingPlan plan = routing;
  plan.sites = built_;  // multipath only where traffic can go
  paths_ = compute_paths(world, world.backbone(), plan);
  edge_path_ = models::edge_path(world);
  planned_up_ = built_;
  for (const auto& ev : s_.events)
    if (ev.kind == EventKind::SiteOnline) planned_up_[static_cast<std::size_t>(world.site_index(ev.site))] = false;
  outages_.assign(ns, 0);
  capacity_factor_.assign(ns, 1.0);
  export_site_.assign(s_.traffic.classes.size(), -1);
  for (std::size_t c = 0; c < s_.traffic.classes.size(); ++c) {
    if (!s_.traffic.classes[c].export_site.empty()) export_site_[c] = world.site_index(s_.traffic.classes[c].export_site);
    staff_eea_.emplace_back();
    for (const auto& st : s_.traffic.classes[c].staff) staff_eea_.back().push_back(s_.in_eea(st.country));
  }
  // The tag of per-user legacy hashes ("legacyda"): independent of residency's and routing's.
  for (const auto& reg : world.regions()) legacy_key_.push_back(sim::stream_key(0x6c65676163796461ULL, stable_hash(reg.region->id)));
  rebuild_tables();
}

double RunState::servers(std::size_t site, double per_agent) const {
  if (!in_service(site)) return 0.0;
  return static_cast<double>(world_.sites()[site].site->servers) / per_agent * capacity_factor_[site];
}

std::int64_t RunState::waiting_room(double servers) const {
  return static_cast<std::int64_t>(std::llround(policies_.queue_limit_per_server * servers));
}

std::vector<std::pair<std::string, std::string>> RunState::links_of(const ScenarioEvent& ev) const {
  if (ev.kind == EventKind::LinkCut) return {{ev.link_a, ev.link_b}};
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& l : s_.network.links)
    if (std::find(l.srlg.begin(), l.srlg.end(), ev.srlg) != l.srlg.end()) out.emplace_back(l.a, l.b);
  return out;
}

StateChange RunState::apply(const Control& c, EventEffect& effect, Ledger& ledger) {
  const ScenarioEvent& ev = s_.events[c.event];
  const int site_index = ev.site.empty() ? -1 : world_.site_index(ev.site);
  const auto k = static_cast<std::size_t>(std::max(0, site_index));
  StateChange change;
  now_unix_s_ = s_.meta.start_utc_s + static_cast<std::int64_t>(std::floor(sim::to_seconds(c.t)));
  switch (ev.kind) {
    case EventKind::SiteOutage:
      if (ev.capacity_loss >= 1) {
        outages_[k] += c.start ? 1 : -1;
        outage_count_ += c.start ? 1 : -1;
        if (c.start) {
          change.site_failed = true;
          change.site = site_index;
        } else if (outages_[k] == 0) {
          change.site = site_index;
          // Writes and replicas owed while it was down, from every site with a path to it
          // (the others' wait for the cut's end).
          ledger.release_owed(k, effect, c.t, paths_);
        }
      } else {
        capacity_factor_[k] *= c.start ? (1 - ev.capacity_loss) : 1 / (1 - ev.capacity_loss);
        change.site = site_index;
      }
      break;
    case EventKind::SiteOffline:
      planned_up_[k] = !c.start;
      change.site = site_index;
      break;
    case EventKind::SiteOnline:
      planned_up_[k] = c.start;
      change.site = site_index;
      break;
    case EventKind::CapacityChange:
      capacity_factor_[k] *= c.start ? ev.capacity_factor : 1 / ev.capacity_factor;
      change.site = site_index;
      break;
    case EventKind::LinkCut:
    case EventKind::SrlgCut:
      effect.routes_changed += cut_links_.apply(world_, links_of(ev), c.start, paths_);
      ledger.route_over(paths_);
      if (!c.start)  // copies owed to sites the cut left without a path go now
        for (std::size_t j = 0; j < world_.sites().size(); ++j)
          if (outages_[j] == 0) ledger.release_owed(j, effect, c.t, paths_);
      break;
    case EventKind::DemandSurge:
      break;  // in the demand rates
    case EventKind::PolicySwitch:
      policies_ = ev.policies_after;
      ledger.set_certified(policies_.transfers_certified);
      change.policies_changed = true;
      break;
  }
  rebuild_tables();
  return change;
}

void RunState::rebuild_tables() {
  SiteAvailability up, planned;
  for (std::size_t k = 0; k < world_.sites().size(); ++k) {
    planned.up.push_back(built_[k] && planned_up_[k]);
    up.up.push_back(in_service(k));
  }
  if (policies_.residency == ResidencyMode::EeaOrAdequate) {
    for (const auto& site : world_.sites())
      up.inside.push_back(site.eea || s_.adequate_at(site.site->country, now_unix_s_, policies_));
    planned.inside = up.inside;
  }
  tables_ = std::make_unique<RoutingTables>(world_, policies_, up, paths_, s_.meta.seed);
  nominal_ = outage_count_ > 0 ? std::make_unique<RoutingTables>(world_, policies_, planned, paths_, s_.meta.seed) : nullptr;
}

}  // namespace dcsim::models
