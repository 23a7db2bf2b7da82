// Recording what both fidelities measure.
#include "models/run/ledger.hpp"

namespace dcsim::models {

Ledger::Ledger(Metrics& metrics, const World& world) : m_(metrics), world_(world) {
  for (const auto& c : m_.countries()) country_eea_.push_back(world.scenario().in_eea(c));
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
