// What both fidelities record, in one place: requests served (by sites and edge caches),
// the bytes they move by origin country × site × class × kind, EEA users' data bytes and
// their EEA exits by reason, copies of writes (replicas, exports) and the catch-up owed to
// sites that were down or cut off. Counts and bytes arrive already weighted (an event run
// passes one request's weight, the flow model an expected amount), each computed by the
// caller in its own order of operations so that either fidelity's figures stay exactly
// what they were. The per-request calls are inline (they are on the event run's hot path).
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

#include "models/run/metrics.hpp"
#include "models/network/world.hpp"
#include "sim/time.hpp"

namespace dcsim::models {

class RunState;

/// Requests, bytes and bytes × transit countries of one recorded movement.
struct Amount {
  double requests = 0, bytes = 0, transit_bytes = 0;
};

/// Which links served bytes cross: an origin → site pair of the path table, and whether
/// they go toward the site (a write) or back to the origin (a read's response).
struct Carried {
  std::size_t pair = 0;
  bool toward_site = false;
};

class Ledger {
 public:
  Ledger(Metrics& metrics, const World& world);

  Metrics& metrics() { return m_; }

  /// Requests served by `site` (completed, or still in flight at the horizon) whose data
  /// is `subject_region`'s users', with the EEA exit they cause, if any.
  void serve(sim::SimTime t, std::size_t country, std::size_t site, std::size_t cls, std::size_t subject_region, const Amount& a,
             std::optional<ExitReason> exit, Carried carried, bool in_flight = false);
  /// Requests served by an edge cache in the user's country.
  void serve_edge(std::size_t country, std::size_t cls, double requests, double bytes);
  /// Replicas and exports of a write taken by `site`, where the state sends them;
  /// `amount(kind, transit)` gives the copy's amounts (kind Replica or Export; transit: the
  /// countries its path crosses). Copies owed to sites down or cut off wait as catch-up.
  /// `owed_home`: the down home this write is itself owed to (failed over), or -1; its
  /// copy there is that one, not also a replica.
  template <class AmountOf>
  void copy_write(const RunState& state, sim::SimTime t, std::size_t country, std::size_t cls, std::size_t site,
                  bool subject_eea, int owed_home, AmountOf&& amount);
  /// Bytes site `to` fetched from the copy at `from` to serve a read of data it holds no
  /// copy of (reads: nearest_with_fetch); an EEA exit (fetch) when the copy is in the EEA
  /// and `to` outside it.
  void fetch(sim::SimTime t, std::size_t country, std::size_t from, std::size_t to, std::size_t cls, bool subject_eea, const Amount& a,
             const PathTable& paths) {
    copy(t, country, from, to, cls, FlowKind::Fetch, subject_eea, a, ExitReason::Fetch, paths);
  }
  /// Bytes a site will receive from site `from` when it is back (down) or reachable again
  /// (cut off); `reason`: why they leave the EEA if the site is outside it (a write going
  /// home: policy; a replica: replication; an export: export).
  void owe(std::size_t site, std::size_t country, std::size_t cls, double bytes, std::size_t from, ExitReason reason) {
    owed_[site][{from, country, cls, reason}] += bytes;
    owed_from_[site][from] += bytes;
  }
  /// Records as catch-up at t (in `effect` too) what is owed to `site` by the sites that
  /// have a path to it on `paths`; what others owe waits for a later call.
  void release_owed(std::size_t site, EventEffect& effect, sim::SimTime t, const PathTable& paths);
  /// Everything still owed (to sites down or cut off), in bytes.
  double owed_bytes() const {
    double sum = 0;
    for (const auto& [site, owed] : owed_)
      for (const auto& [key, bytes] : owed) sum += bytes;
    return sum;
  }
  /// Bytes on links from now on follow `paths` (after a cut or its repair).
  void route_over(const PathTable& paths) { m_.link_loads->set_paths(paths); }
  void add_exit(sim::SimTime t, std::size_t country, std::size_t site, ExitReason reason, double bytes);
  /// EEA users' data bytes handled by sites (the EEA-exit share's denominator).
  void add_eea_data(sim::SimTime t, double bytes) { add_eea_data_in(m_.interval_of(t), bytes); }
  /// Whether the operator is certified where an adequacy needs it (policies in force).
  void set_certified(bool certified) { certified_ = certified; }
  /// The legal basis a country (nullptr: unknown) offers EEA users' data arriving at t.
  LegalBasis basis(const Country* destination, sim::SimTime t) const;

  /// Runs fn on every event whose window holds t.
  template <class Fn>
  void at_events(sim::SimTime t, Fn&& fn) {
    for (auto& e : m_.events)
      if (t >= e.start && t < e.end) fn(e);
  }

 private:
  void copy(sim::SimTime t, std::size_t country, std::size_t from, std::size_t to, std::size_t cls, FlowKind kind, bool subject_eea,
            const Amount& a, ExitReason reason, const PathTable& paths);
  /// A legacy-location exit again by the site holding the data and the country whose
  /// users' data it is (the subject's, also when staff read it): migrations.csv's per wave.
  void add_legacy_exit_at_source(std::size_t interval, std::size_t subject_region, std::size_t site, double bytes);
  void add_eea_data_in(std::size_t interval, double bytes) {
    m_.eea_data_bytes += bytes;
    m_.eea_data_by_interval[interval] += bytes;
  }

  Metrics& m_;
  const World& world_;
  std::vector<bool> country_eea_;  ///< per Metrics country
  std::vector<const Country*> site_country_;  ///< per site: its country's record
  std::vector<const Country*> country_;       ///< per Metrics country: its record
  std::vector<std::size_t> region_country_;   ///< per region: its Metrics country
  bool certified_ = false;
  /// site → (source site, country, class, reason) → bytes
  std::map<std::size_t, std::map<std::tuple<std::size_t, std::size_t, std::size_t, ExitReason>, double>> owed_;
  std::map<std::size_t, std::map<std::size_t, double>> owed_from_;  ///< site → source site → bytes (for the links)
};

}  // namespace dcsim::models

#include "models/run/run_state.hpp"

namespace dcsim::models {

inline void Ledger::serve(sim::SimTime t, std::size_t country, std::size_t site, std::size_t cls, std::size_t subject_region, const Amount& a,
                   std::optional<ExitReason> exit, Carried carried, bool in_flight) {
  const bool subject_eea = world_.region_eea(subject_region);
  (in_flight ? m_.in_flight : m_.served) += a.requests;
  const std::size_t interval = m_.interval_of(t);
  m_.link_loads->add(interval, LinkTraffic::User, carried.pair, carried.toward_site, a.bytes);
  FlowCell& f = m_.flow(country, site, cls, FlowKind::Serve);
  f.requests += a.requests;
  f.bytes += a.bytes;
  f.transit_bytes += a.transit_bytes;
  if (subject_eea) add_eea_data_in(interval, a.bytes);
  if (exit) {
    add_exit(t, country, site, *exit, a.bytes);
    if (*exit == ExitReason::LegacyLocation) add_legacy_exit_at_source(interval, subject_region, site, a.bytes);
  }
}

inline void Ledger::serve_edge(std::size_t country, std::size_t cls, double requests, double bytes) {
  FlowCell& f = m_.flow(country, m_.edge_site(), cls, FlowKind::Edge);
  f.requests += requests;
  f.bytes += bytes;
  m_.served += requests;
}

inline void Ledger::copy(sim::SimTime t, std::size_t country, std::size_t from, std::size_t to, std::size_t cls, FlowKind kind,
                         bool subject_eea, const Amount& a, ExitReason reason, const PathTable& paths) {
  const LinkTraffic on_links = kind == FlowKind::Replica ? LinkTraffic::Replica
                               : kind == FlowKind::Fetch ? LinkTraffic::Fetch
                                                         : LinkTraffic::Export;
  const std::size_t interval = m_.interval_of(t);
  m_.link_loads->add(interval, on_links, paths.site_pair(from, to), true, a.bytes);
  FlowCell& f = m_.flow(country, to, cls, kind);
  f.requests += a.requests;
  f.bytes += a.bytes;
  f.transit_bytes += a.transit_bytes;
  if (subject_eea) add_eea_data_in(interval, a.bytes);
  // A fetch from a copy already outside the EEA does not take the data out again (its
  // copy left when it was made).
  if (subject_eea && !world_.site_eea(to) && (kind != FlowKind::Fetch || world_.site_eea(from))) add_exit(t, country, to, reason, a.bytes);
}

template <class AmountOf>
void Ledger::copy_write(const RunState& state, sim::SimTime t, std::size_t country, std::size_t cls, std::size_t site,
                        bool subject_eea, int owed_home, AmountOf&& amount) {
  const PathTable& paths = state.paths();
  const std::size_t ns = paths.sites;
  for (auto rep : state.tables().replicas(static_cast<int>(site)))
    copy(t, country, site, rep, cls, FlowKind::Replica, subject_eea, amount(FlowKind::Replica, paths.site[site * ns + rep].transit),
         ExitReason::Replication, paths);
  // Replicas owed to the intended replica sites (every planned site up, no link cut) that
  // are down or that a cut leaves without a path: copied when they are back and reachable.
  // Once each, and never to a site that is only standing in for one of them.
  if (state.any_outage() || state.any_cut())
    for (auto rep : state.nominal().intended_replicas(static_cast<int>(site)))
      if (static_cast<int>(rep) != owed_home && (state.down(rep) || !paths.site_reachable(site, rep)))
        owe(rep, country, cls, amount(FlowKind::Replica, 0.0).bytes, site, ExitReason::Replication);
  const int ex = state.export_site(cls);
  if (ex < 0 || static_cast<std::size_t>(ex) == site || !(world_.scenario().traffic.classes[cls].export_share > 0)) return;
  const auto e = static_cast<std::size_t>(ex);
  const Amount a = amount(FlowKind::Export, paths.site[site * ns + e].transit);
  if (!paths.site_reachable(site, e)) {  // no path now: copied when the cut ends
    owe(e, country, cls, a.bytes, site, ExitReason::Export);
    return;
  }
  copy(t, country, site, e, cls, FlowKind::Export, subject_eea, a, ExitReason::Export, paths);
}

}  // namespace dcsim::models
