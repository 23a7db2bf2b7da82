// The path table computed over a backbone, and link cuts.
#include "models/network/path_table.hpp"

#include <algorithm>
#include <bit>

namespace dcsim::models {

namespace {

double bytes_per_ns(const World& w) { return w.scenario().network.access_bandwidth_mbps * 1e6 / 8.0 / 1e9; }

PathProps make_lane(sim::SimDuration rtt, const Route& route, double bpn) {
  if (!route.reachable) return {kUnreachable, 0, 0};
  return {rtt, static_cast<double>(route.transit_countries().size()), bpn * static_cast<double>(rtt.count())};
}

}  // namespace

int CutLinks::apply(const World& world, const std::string& a, const std::string& b, bool start, PathTable& paths) {
  const std::pair<std::string, std::string> link{a, b};
  if (start) {
    links_.push_back(link);
  } else if (const auto it = std::find(links_.begin(), links_.end(), link); it != links_.end()) {
    links_.erase(it);
  }
  const PathTable before = std::move(paths);
  paths = links_.empty() ? compute_paths(world, world.backbone()) : compute_paths(world, world.backbone().without_links(links_));
  int changed = 0;
  if (start)
    for (std::size_t i = 0; i < paths.region.size(); ++i) changed += paths.region_hubs[i] != before.region_hubs[i];
  return changed;
}

PathTable compute_paths(const World& world, const Backbone& backbone) {
  const LatencyModel latency(backbone, world.scenario().network);
  const std::size_t nr = world.regions().size(), ns = world.sites().size();
  const double bpn = bytes_per_ns(world);
  PathTable l;
  l.sites = ns;
  l.region.resize(nr * ns);
  l.region_hubs.resize(nr * ns);
  l.user_rtt.assign(nr, std::vector<sim::SimDuration>(ns));
  for (std::size_t r = 0; r < nr; ++r)
    for (std::size_t k = 0; k < ns; ++k) {
      const Route route = &backbone == &world.backbone() ? world.route(r, k)
                                                         : latency.route(world.region_endpoint(r), world.site_endpoint(k));
      l.region[r * ns + k] = make_lane(latency.user_rtt(route), route, bpn);
      l.region_hubs[r * ns + k] = route.hubs;
      l.user_rtt[r][k] = l.region[r * ns + k].rtt;
    }
  for (const auto& cls : world.scenario().traffic.classes) {
    l.staff.emplace_back();
    for (const auto& st : cls.staff)
      for (std::size_t k = 0; k < ns; ++k) {
        const Route route = latency.route({{st.lat, st.lon}, st.country, -1}, world.site_endpoint(k));
        l.staff.back().push_back(make_lane(latency.user_rtt(route), route, bpn));
      }
  }
  l.site.resize(ns * ns);
  for (std::size_t a = 0; a < ns; ++a)
    for (std::size_t b = 0; b < ns; ++b)
      if (a != b) {
        const Route route = latency.route(world.site_endpoint(a), world.site_endpoint(b));
        l.site[a * ns + b] = make_lane(route.rtt, route, bpn);
      }
  return l;
}

PathProps edge_path(const World& world) {
  const auto& n = world.scenario().network;
  const sim::SimDuration rtt = 2 * n.access + n.fixed_rtt;
  return {rtt, 0, bytes_per_ns(world) * static_cast<double>(rtt.count())};
}

}  // namespace dcsim::models
