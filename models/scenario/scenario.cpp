// Look-ups on a loaded scenario.
#include "models/scenario/scenario.hpp"

namespace dcsim::models {

const Country* Scenario::find_country(const std::string& code) const {
  for (const auto& c : countries)
    if (c.code == code) return &c;
  return nullptr;
}

const Site* Scenario::find_site(const std::string& id) const {
  for (const auto& s : sites)
    if (s.id == id) return &s;
  return nullptr;
}

bool Scenario::in_eea(const std::string& country_code) const {
  const Country* c = find_country(country_code);
  return c && c->eea;
}

bool Scenario::adequate_at(const std::string& country_code, std::int64_t unix_s, const Policies& p) const {
  const Country* c = find_country(country_code);
  if (c == nullptr || c->eea || !c->adequacy) return false;
  if (c->adequacy_from_utc_s && unix_s < *c->adequacy_from_utc_s) return false;
  return c->adequacy_basis == AdequacyBasis::Decision || p.transfers_certified;
}

}  // namespace dcsim::models
