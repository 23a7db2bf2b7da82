// World construction: derived per-region users, site attachments, region × site routes.
#include "models/network/world.hpp"

#include <algorithm>

namespace dcsim::models {

World::World(Scenario scenario) : scenario_(std::move(scenario)) {
  const Scenario& s = scenario_;
  backbone_ = std::make_unique<Backbone>(s.network, s.source_path);
  latency_ = std::make_unique<LatencyModel>(*backbone_, s.network);
  for (const auto& g : s.regions) {
    WorldRegion w;
    w.region = &g;
    w.pos = {g.lat, g.lon};
    const Country* c = s.find_country(g.country);
    const double share = c && c->user_share ? *c->user_share : 0.0;
    w.monthly_users = static_cast<double>(g.population) * share;
    w.daily_active_users = w.monthly_users * s.traffic.daily_active_share;
    if (c) {
      w.eu = c->eu;
      w.eea = c->eea;
      w.adequacy = c->adequacy;
    }
    regions_.push_back(w);
  }
  for (const auto& st : s.sites) {
    WorldSite w;
    w.site = &st;
    w.pos = {st.lat, st.lon};
    w.hub = backbone_->hub_index(st.hub);
    w.built = std::find(s.build_out.begin(), s.build_out.end(), st.id) != s.build_out.end();
    w.eea = s.in_eea(st.country);
    sites_.push_back(w);
  }
  for (const auto& r : regions_) region_eea_.push_back(r.eea);
  for (const auto& k : sites_) site_eea_.push_back(k.eea);
  routes_.reserve(regions_.size() * sites_.size());
  for (std::size_t r = 0; r < regions_.size(); ++r)
    for (std::size_t k = 0; k < sites_.size(); ++k)
      routes_.push_back(latency_->route(region_endpoint(r), site_endpoint(k)));
}

Endpoint World::region_endpoint(std::size_t region) const {
  return Endpoint{regions_[region].pos, regions_[region].region->country, -1};
}

Endpoint World::site_endpoint(std::size_t site) const {
  return Endpoint{sites_[site].pos, sites_[site].site->country, sites_[site].hub};
}

int World::site_index(const std::string& id) const {
  for (std::size_t i = 0; i < sites_.size(); ++i)
    if (sites_[i].site->id == id) return static_cast<int>(i);
  return -1;
}

int World::region_index(const std::string& id) const {
  for (std::size_t i = 0; i < regions_.size(); ++i)
    if (regions_[i].region->id == id) return static_cast<int>(i);
  return -1;
}

double World::total_monthly_users() const {
  double sum = 0;
  for (const auto& r : regions_) sum += r.monthly_users;
  return sum;
}

}  // namespace dcsim::models
