// The World: everything a run reads and nobody changes. Regions with their users, sites
// (built and candidate) with their hubs, the backbone and latency model, and the route from
// every region to every site. Built once from a validated Scenario.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/network/backbone.hpp"
#include "models/network/latency.hpp"
#include "models/scenario/scenario.hpp"

namespace dcsim::models {

struct WorldRegion {
  const Region* region = nullptr;
  LatLon pos;
  double monthly_users = 0;       ///< population × the country's user_share
  double daily_active_users = 0;  ///< monthly_users × traffic.daily_active_share
  bool eu = false, eea = false, adequacy = false;
};

struct WorldSite {
  const Site* site = nullptr;
  LatLon pos;
  int hub = -1;
  bool built = false;  ///< in the scenario's build_out
  bool eea = false;
};

class World {
 public:
  /// Throws ScenarioError when the generated backbone is disconnected.
  explicit World(Scenario scenario);
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  const Scenario& scenario() const { return scenario_; }
  const std::vector<WorldRegion>& regions() const { return regions_; }
  const std::vector<WorldSite>& sites() const { return sites_; }
  /// regions()[i].eea and sites()[k].eea, packed: asked for every request served.
  bool region_eea(std::size_t i) const { return region_eea_[i] != 0; }
  bool site_eea(std::size_t k) const { return site_eea_[k] != 0; }
  const Backbone& backbone() const { return *backbone_; }
  const LatencyModel& latency() const { return *latency_; }

  /// Route from a region's population centre to a site (every catalog site).
  const Route& route(std::size_t region, std::size_t site) const {
    return routes_[region * sites_.size() + site];
  }
  Endpoint region_endpoint(std::size_t region) const;
  Endpoint site_endpoint(std::size_t site) const;

  /// -1 when absent.
  int site_index(const std::string& id) const;
  int region_index(const std::string& id) const;
  double total_monthly_users() const;

 private:
  Scenario scenario_;
  std::vector<WorldRegion> regions_;
  std::vector<WorldSite> sites_;
  std::vector<std::uint8_t> region_eea_, site_eea_;
  std::unique_ptr<Backbone> backbone_;
  std::unique_ptr<LatencyModel> latency_;
  std::vector<Route> routes_;  ///< regions × sites
};

}  // namespace dcsim::models
