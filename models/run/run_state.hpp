// The scenario's state under its controls, the same for both fidelities: which sites are
// built, planned up, down (outages) and resized (capacity factors); the links cut and the
// paths they leave; the policies in force; the routing tables over the sites in service
// (and the nominal tables over every planned site, to tell a failover). Every event kind is
// applied here, in one switch; the fidelities react to what a control changed (an event
// run resizes its queues, loses or retries what a dark site held). Also here: the one
// server-count and waiting-room formula, and the routing decisions both fidelities share
// (home-bound or not, whether to spill, why nothing took a request, under which reason a
// served request leaves the EEA).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "models/network/path_table.hpp"
#include "models/run/metrics.hpp"
#include "models/policy/routing_tables.hpp"
#include "models/run/controls.hpp"
#include "models/run/data_plan.hpp"
#include "sim/random.hpp"
#include "models/network/world.hpp"

namespace dcsim::models {

class Ledger;

/// What a control changed, for the fidelity to react to.
struct StateChange {
  int site = -1;                 ///< the site whose servers changed (-1: none)
  bool site_failed = false;      ///< `site` went dark: what it holds is lost or retried
  bool policies_changed = false; ///< waiting rooms follow the new queue_limit_per_server
};

class RunState {
 public:
  /// `built`: which catalog sites are built (placement search evaluates many build-outs on
  /// one World); empty: the scenario's build_out. Sites brought online by an event start dark.
  /// `routing`: how pairs are routed (routing_plan in flow_run.hpp; default: shortest paths).
  explicit RunState(const World& world, std::vector<bool> built = {}, const RoutingPlan& routing = RoutingPlan::shortest());

  const World& world() const { return world_; }
  const Policies& policies() const { return policies_; }
  const PathTable& paths() const { return paths_; }
  const PathProps& edge_path() const { return edge_path_; }
  /// Tables over the sites in service now.
  const RoutingTables& tables() const { return *tables_; }
  /// Tables over every planned site (as if no outage): where a request was meant to go.
  const RoutingTables& nominal() const { return any_outage() ? *nominal_ : *tables_; }
  bool any_outage() const { return outage_count_ > 0; }
  bool any_cut() const { return cut_links_.any(); }
  bool down(std::size_t site) const { return outages_[site] > 0; }
  bool built(std::size_t site) const { return built_[site]; }
  /// Built, planned up (online) and not down.
  bool in_service(std::size_t site) const { return built_[site] && planned_up_[site] && outages_[site] == 0; }
  /// The site's servers now (capacity factors applied) divided by `per_agent` (the run's
  /// scale; 1 for real servers); 0 when it is not in service.
  double servers(std::size_t site, double per_agent) const;
  /// Waiting room of `servers` servers (in whatever unit they are counted).
  std::int64_t waiting_room(double servers) const;
  /// The analytics export site of a class, or -1.
  int export_site(std::size_t cls) const { return export_site_[cls]; }
  /// Whether a staff location of a class sits in the EEA.
  bool staff_in_eea(std::size_t cls, std::size_t location) const { return staff_eea_[cls][location]; }

  // ---- routing decisions ----------------------------------------------------------------
  /// Requests that must go to the data's home: staff, writes, and reads under home_only.
  bool home_bound(bool staff, ClassKind kind) const {
    return staff || kind == ClassKind::Write || policies_.reads == ReadRouting::HomeOnly;
  }
  /// A user's read of their own personal data under reads: nearest_copy: it goes to the
  /// nearest site holding a copy (home or replica), never elsewhere.
  bool copy_bound(bool staff, ClassKind kind, bool personal_data) const {
    return !staff && kind == ClassKind::Read && personal_data && policies_.reads == ReadRouting::NearestCopy;
  }
  /// A user's read of their own personal data under reads: nearest_with_fetch: it goes
  /// where reads go, and a site holding no copy fetches the data from the nearest one.
  bool fetch_bound(bool staff, ClassKind kind, bool personal_data) const {
    return !staff && kind == ClassKind::Read && personal_data && policies_.reads == ReadRouting::NearestWithFetch;
  }
  /// Whether a request that its first choice refuses may try the rest of its candidates
  /// (a copy-bound read may not: no other site holds the data).
  bool may_spill(bool staff, ClassKind kind, bool intended_down, bool copy_bound = false) const {
    const bool spill_on_full = policies_.on_queue_full == QueueFullAction::Spill;
    if (staff || copy_bound) return false;
    if (kind == ClassKind::Write) return spill_on_full || intended_down;
    if (policies_.reads == ReadRouting::HomeOnly) return false;
    return spill_on_full || intended_down || policies_.reads == ReadRouting::NearestWithCapacity;
  }
  /// Why a request with no candidate at all could not be placed (never queue_full).
  DropReason why_nowhere(std::size_t region, bool home_bound, bool nominal_tables) const {
    return (nominal_tables ? nominal() : tables()).cut_off(region, home_bound) ? DropReason::Unreachable : DropReason::NoSite;
  }
  /// Whether a request served at `site` moves EEA users' data out of the EEA, and why:
  /// held outside the EEA (by policy, spill or failover; staff reading it there too), or
  /// held in the EEA and read by staff outside it.
  /// Inline, like may_spill: called once per request.
  std::optional<ExitReason> exit_reason(std::size_t subject_region, std::size_t site, bool staff, bool staff_in_eea,
                                        bool failed_over, std::size_t rank) const {
    const bool subject_eea = world_.region_eea(subject_region);
    if (subject_eea && !world_.site_eea(site))  // the data is outside the EEA (staff reading it there too)
      return failed_over ? ExitReason::Failover : rank == 0 ? ExitReason::Policy : ExitReason::Spill;
    if (staff && subject_eea && !staff_in_eea) return ExitReason::EmployeeAccess;  // held in the EEA, read from outside
    return std::nullopt;
  }

  // ---- stored data ------------------------------------------------------------------------
  /// The migration schedule (nullptr: every user's data is at its home).
  void set_data_plan(const DataPlan* plan) {
    plan_ = plan && plan->active() ? plan : nullptr;
    storage_plan_ = plan;
  }
  const DataPlan* data_plan() const { return plan_; }
  /// The plan whatever it moves: it also keeps the stored data (nullptr: no `data:`).
  const DataPlan* storage_plan() const { return storage_plan_; }
  /// The legacy site holding this user's personal data in `interval`, or -1: the same for
  /// this user in every run and fidelity (a hash of seed, region and user).
  int legacy_site(std::size_t region, std::uint64_t user, std::size_t interval) const {
    if (!plan_ || plan_->legacy_sites(region).empty()) return -1;
    const std::uint64_t h = sim::mix64(sim::stream_key(legacy_key_[region], user ^ s_.meta.seed));
    return plan_->legacy_site(interval, region, static_cast<double>(h >> 11) * 0x1.0p-53);
  }
  /// While a re-homing wave is under way, the site holding this (non-legacy) user's data:
  /// drawn from the plan's settled homes by a hash of the user; -1 when the routing tables'
  /// home applies.
  int settled_home(std::size_t region, std::uint64_t user, std::size_t interval) const {
    if (!plan_) return -1;
    const auto* settled = plan_->settled_homes(interval, region);
    if (!settled) return -1;
    const std::uint64_t h = sim::mix64(sim::stream_key(legacy_key_[region], ~user ^ s_.meta.seed));
    const double u01 = static_cast<double>(h >> 11) * 0x1.0p-53;
    double cumulative = 0;
    for (const auto& [site, p] : *settled) {
      cumulative += p;
      if (u01 < cumulative) return site;
    }
    return settled->back().first;
  }
  /// Exit reason of data held at a legacy site: outside the EEA for an EEA subject.
  std::optional<ExitReason> legacy_exit(std::size_t subject_region, std::size_t site, bool staff, bool staff_in_eea) const {
    if (world_.region_eea(subject_region) && !world_.site_eea(site)) return ExitReason::LegacyLocation;
    if (staff && world_.region_eea(subject_region) && !staff_in_eea) return ExitReason::EmployeeAccess;
    return std::nullopt;
  }

  /// Applies a control (an event's start or end) at its time: the one switch over event
  /// kinds. Catch-up owed to a site is released into `ledger` when it returns (or a cut
  /// ends); routes changed by a cut are counted in the event's effect.
  StateChange apply(const Control& c, EventEffect& effect, Ledger& ledger);

 private:
  void rebuild_tables();
  /// The links a link_cut or srlg_cut fails, as hub pairs.
  std::vector<std::pair<std::string, std::string>> links_of(const ScenarioEvent& ev) const;

  const World& world_;
  const Scenario& s_;
  Policies policies_;
  PathTable paths_;
  PathProps edge_path_;
  CutLinks cut_links_;
  std::vector<bool> built_, planned_up_;
  std::vector<int> outages_;
  int outage_count_ = 0;
  std::vector<double> capacity_factor_;
  std::vector<int> export_site_;
  std::vector<std::vector<bool>> staff_eea_;
  std::unique_ptr<RoutingTables> tables_, nominal_;
  std::int64_t now_unix_s_ = 0;
  const DataPlan* plan_ = nullptr;
  const DataPlan* storage_plan_ = nullptr;
  std::vector<std::uint64_t> legacy_key_;  ///< per region: the stream key of per-user legacy hashes
};

}  // namespace dcsim::models
