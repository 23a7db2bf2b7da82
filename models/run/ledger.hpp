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

class Ledger {
 public:
  Ledger(Metrics& metrics, const World& world);

  Metrics& metrics() { return m_; }

  /// Requests served by `site` (completed, or still in flight at the horizon) whose data
  /// is `subject_eea`'s, with the EEA exit they cause, if any.
  void serve(sim::SimTime t, std::size_t country, std::size_t site, std::size_t cls, bool subject_eea, const Amount& a,
             std::optional<ExitReason> exit, bool in_flight = false);
  /// Requests served by an edge cache in the user's country.
  void serve_edge(std::size_t country, std::size_t cls, double requests, double bytes);
  /// Replicas and exports of a write taken by `site`, where the state sends them;
  /// `amount(kind, transit)` gives the copy's amounts (kind Replica or Export; transit: the
  /// countries its path crosses). Copies owed to sites down or cut off wait as catch-up.
  template <class AmountOf>
  void copy_write(const RunState& state, sim::SimTime t, std::size_t country, std::size_t cls, std::size_t site,
                  bool subject_eea, AmountOf&& amount);
  /// Bytes a site will receive when it is back (down) or reachable again (cut off).
  void owe(std::size_t site, std::size_t country, std::size_t cls, double bytes) { owed_[site][{country, cls}] += bytes; }
  /// Records what is owed to `site` as catch-up, in `effect` too.
  void release_owed(std::size_t site, EventEffect& effect);
  void add_exit(sim::SimTime t, std::size_t country, std::size_t site, ExitReason reason, double bytes);

  /// Runs fn on every event whose window holds t.
  template <class Fn>
  void at_events(sim::SimTime t, Fn&& fn) {
    for (auto& e : m_.events)
      if (t >= e.start && t < e.end) fn(e);
  }

 private:
  void copy(sim::SimTime t, std::size_t country, std::size_t to, std::size_t cls, FlowKind kind, bool subject_eea, const Amount& a,
            ExitReason reason);

  Metrics& m_;
  const World& world_;
  std::vector<bool> country_eea_;  ///< per Metrics country
  std::map<std::size_t, std::map<std::pair<std::size_t, std::size_t>, double>> owed_;  ///< site → (country, class) → bytes
};

}  // namespace dcsim::models

#include "models/run/run_state.hpp"

namespace dcsim::models {

inline void Ledger::serve(sim::SimTime t, std::size_t country, std::size_t site, std::size_t cls, bool subject_eea, const Amount& a,
                   std::optional<ExitReason> exit, bool in_flight) {
  (in_flight ? m_.in_flight : m_.served) += a.requests;
  FlowCell& f = m_.flow(country, site, cls, FlowKind::Serve);
  f.requests += a.requests;
  f.bytes += a.bytes;
  f.transit_bytes += a.transit_bytes;
  if (subject_eea) m_.eea_data_bytes += a.bytes;
  if (exit) add_exit(t, country, site, *exit, a.bytes);
}

inline void Ledger::serve_edge(std::size_t country, std::size_t cls, double requests, double bytes) {
  FlowCell& f = m_.flow(country, m_.edge_site(), cls, FlowKind::Edge);
  f.requests += requests;
  f.bytes += bytes;
  m_.served += requests;
}

inline void Ledger::copy(sim::SimTime t, std::size_t country, std::size_t to, std::size_t cls, FlowKind kind, bool subject_eea,
                  const Amount& a, ExitReason reason) {
  FlowCell& f = m_.flow(country, to, cls, kind);
  f.requests += a.requests;
  f.bytes += a.bytes;
  f.transit_bytes += a.transit_bytes;
  if (subject_eea) m_.eea_data_bytes += a.bytes;
  if (subject_eea && !world_.sites()[to].eea) add_exit(t, country, to, reason, a.bytes);
}

template <class AmountOf>
void Ledger::copy_write(const RunState& state, sim::SimTime t, std::size_t country, std::size_t cls, std::size_t site,
                        bool subject_eea, AmountOf&& amount) {
  const PathTable& paths = state.paths();
  const std::size_t ns = paths.sites;
  for (auto rep : state.tables().replicas(static_cast<int>(site)))
    copy(t, country, rep, cls, FlowKind::Replica, subject_eea, amount(FlowKind::Replica, paths.site[site * ns + rep].transit),
         ExitReason::Replication);
  if (state.any_outage())  // replicas owed to sites that are down: copied when they return
    for (auto rep : state.nominal().replicas(static_cast<int>(site)))
      if (state.down(rep)) owe(rep, country, cls, amount(FlowKind::Replica, 0.0).bytes);
  const int ex = state.export_site(cls);
  if (ex < 0 || static_cast<std::size_t>(ex) == site || !(world_.scenario().traffic.classes[cls].export_share > 0)) return;
  const auto e = static_cast<std::size_t>(ex);
  const Amount a = amount(FlowKind::Export, paths.site[site * ns + e].transit);
  if (!paths.site_reachable(site, e)) {  // no path now: copied when the cut ends
    owe(e, country, cls, a.bytes);
    return;
  }
  copy(t, country, e, cls, FlowKind::Export, subject_eea, a, ExitReason::Export);
}

}  // namespace dcsim::models
