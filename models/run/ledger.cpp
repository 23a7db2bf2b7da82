// Recording what both fidelities measure.
#include "models/run/ledger.hpp"

#include <algorithm>

namespace dcsim::models {

Ledger::Ledger(Metrics& metrics, const World& world) : m_(metrics), world_(world) {
  for (const auto& c : m_.countries()) country_eea_.push_back(world.scenario().in_eea(c));
  for (const auto& site : world.sites()) site_country_.push_back(world.scenario().find_country(site.site->country));
  for (const auto& c : m_.countries()) country_.push_back(world.scenario().find_country(c));
  for (const auto& r : world.regions()) region_country_.push_back(m_.country_index(r.region->country));
  certified_ = world.scenario().policies.transfers_certified;
  // The sites whose legacy-location exits migrations.csv gives per wave: those a wave of
  // personal data empties, outside the EEA (only there does data held cause that exit).
  for (const Migration& mig : world.scenario().migrations) {
    if (mig.kind != DataKind::Personal) continue;
    for (const auto& id : mig.from) {
      const auto site = static_cast<std::size_t>(world.site_index(id));
      auto& sources = m_.legacy_exit_sources;
      if (!world.sites()[site].eea && std::find(sources.begin(), sources.end(), site) == sources.end()) sources.push_back(site);
    }
  }
  m_.legacy_exit_by_interval_source_country.assign(m_.intervals() * m_.legacy_exit_sources.size() * m_.countries().size(), 0.0);
}

void Ledger::add_legacy_exit_at_source(std::size_t interval, std::size_t subject_region, std::size_t site, double bytes) {
  const auto& sources = m_.legacy_exit_sources;
  const auto at = std::find(sources.begin(), sources.end(), site);
  if (at == sources.end()) return;
  const std::size_t k = interval * sources.size() + static_cast<std::size_t>(at - sources.begin());
  m_.legacy_exit_by_interval_source_country[k * m_.countries().size() + region_country_[subject_region]] += bytes;
}

LegalBasis Ledger::basis(const Country* c, sim::SimTime t) const {
  if (c == nullptr || !c->adequacy) return LegalBasis::ThirdCountry;
  const auto unix_s = world_.scenario().meta.start_utc_s + static_cast<std::int64_t>(sim::to_seconds(t));
  if (c->adequacy_from_utc_s && unix_s < *c->adequacy_from_utc_s) return LegalBasis::ThirdCountry;
  if (c->adequacy_basis == AdequacyBasis::Decision) return LegalBasis::Adequacy;
  return certified_ ? LegalBasis::AdequacyCertified : LegalBasis::ThirdCountry;
}

void Ledger::release_owed(std::size_t site, EventEffect& effect, sim::SimTime t, const PathTable& paths) {
  // Copies released when the run ends (an outage lasting to the end) cross the links after
  // it: on no interval's links (the flow model counts them undelivered), not crammed into
  // the last interval.
  const std::size_t on_links = t < sim::at(world_.scenario().meta.duration) ? m_.interval_of(t) : m_.intervals();
  // A source a cut still keeps from `site` goes on owing (released at a later cut's end).
  if (const auto from = owed_from_.find(site); from != owed_from_.end()) {
    for (auto b = from->second.begin(); b != from->second.end();) {
      if (!paths.site_reachable(b->first, site)) {
        ++b;
        continue;
      }
      m_.link_loads->add(on_links, LinkTraffic::Catchup, paths.site_pair(b->first, site), true, b->second);
      b = from->second.erase(b);
    }
    if (from->second.empty()) owed_from_.erase(from);
  }
  const auto it = owed_.find(site);
  if (it == owed_.end()) return;
  for (auto e = it->second.begin(); e != it->second.end();) {
    const auto [source, country, cls, reason] = e->first;
    if (!paths.site_reachable(source, site)) {
      ++e;
      continue;
    }
    const double bytes = e->second;
    m_.flow(country, site, cls, FlowKind::Catchup).bytes += bytes;
    if (country_eea_[country]) add_eea_data(t, bytes);  // users' own writes: their country is the subject's
    // A copy landing outside the EEA leaves it, as the copy would have when it was made.
    if (country_eea_[country] && !world_.sites()[site].eea) add_exit(t, country, site, reason, bytes);
    effect.catchup_bytes += bytes;
    e = it->second.erase(e);
  }
  if (it->second.empty()) owed_.erase(it);
}

void Ledger::add_exit(sim::SimTime t, std::size_t country, std::size_t site, ExitReason reason, double bytes) {
  m_.exit_bytes(country, site, reason) += bytes;
  const std::size_t iv = m_.interval_of(t);
  m_.eea_exit_by_interval[iv] += bytes;
  if (reason == ExitReason::LegacyLocation) m_.legacy_exit_by_interval_country[iv * m_.countries().size() + country] += bytes;
  // Where the data went: the staff's country for staff reading it in the EEA (the request's
  // origin country), else the site holding it.
  const Country* destination = reason == ExitReason::EmployeeAccess ? country_[country]
                               : site < site_country_.size()        ? site_country_[site]
                                                                    : nullptr;
  m_.exit_basis_bytes(country, site, basis(destination, t)) += bytes;
  at_events(t, [&](EventEffect& e) {
    e.eea_exit_bytes += bytes;
    if (reason == ExitReason::Failover) e.failover_exit_bytes += bytes;
  });
}

}  // namespace dcsim::models
