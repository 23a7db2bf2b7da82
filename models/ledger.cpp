// Recording what both fidelities measure.
#include "models/ledger.hpp"

namespace dcsim::models {

Ledger::Ledger(Metrics& metrics, const World& world) : m_(metrics), world_(world) {
  for (const auto& c : m_.countries()) country_eea_.push_back(world.scenario().in_eea(c));
}

void Ledger::serve(sim::SimTime t, std::size_t country, std::size_t site, std::size_t cls, bool subject_eea, const Amount& a,
                   std::optional<ExitReason> exit, bool in_flight) {
  (in_flight ? m_.in_flight : m_.served) += a.requests;
  FlowCell& f = m_.flow(country, site, cls, FlowKind::Serve);
  f.requests += a.requests;
  f.bytes += a.bytes;
  f.transit_bytes += a.transit_bytes;
  if (subject_eea) m_.eea_data_bytes += a.bytes;
  if (exit) add_exit(t, country, site, *exit, a.bytes);
}

void Ledger::serve_edge(std::size_t country, std::size_t cls, double requests, double bytes) {
  FlowCell& f = m_.flow(country, m_.edge_site(), cls, FlowKind::Edge);
  f.requests += requests;
  f.bytes += bytes;
  m_.served += requests;
}

void Ledger::copy(sim::SimTime t, std::size_t country, std::size_t to, std::size_t cls, FlowKind kind, bool subject_eea,
                  const Amount& a, ExitReason reason) {
  FlowCell& f = m_.flow(country, to, cls, kind);
  f.requests += a.requests;
  f.bytes += a.bytes;
  f.transit_bytes += a.transit_bytes;
  if (subject_eea) m_.eea_data_bytes += a.bytes;
  if (subject_eea && !world_.sites()[to].eea) add_exit(t, country, to, reason, a.bytes);
}

void Ledger::release_owed(std::size_t site, EventEffect& effect) {
  const auto it = owed_.find(site);
  if (it == owed_.end()) return;
  for (const auto& [key, bytes] : it->second) {
    const auto [country, cls] = key;
    m_.flow(country, site, cls, FlowKind::Catchup).bytes += bytes;
    if (country_eea_[country]) m_.eea_data_bytes += bytes;  // users' own writes: their country is the subject's
    effect.catchup_bytes += bytes;
  }
  owed_.erase(it);
}

void Ledger::add_exit(sim::SimTime t, std::size_t country, std::size_t site, ExitReason reason, double bytes) {
  m_.exit_bytes(country, site, reason) += bytes;
  at_events(t, [&](EventEffect& e) {
    e.eea_exit_bytes += bytes;
    if (reason == ExitReason::Failover) e.failover_exit_bytes += bytes;
  });
}

}  // namespace dcsim::models
