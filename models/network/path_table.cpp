// The path table computed over a backbone, and link cuts.
#include "models/network/path_table.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>

#include "models/network/link_loads.hpp"
#include "models/network/traffic_engineering.hpp"

namespace dcsim::models {

namespace {

constexpr double kUnlimitedKm = std::numeric_limits<double>::infinity();

double bytes_per_ns(const World& w) { return w.scenario().network.access_bandwidth_mbps * 1e6 / 8.0 / 1e9; }

PathProps make_path(sim::SimDuration rtt, const Route& route, double bpn) {
  if (!route.reachable) return {kUnreachable, 0, 0};
  return {rtt, static_cast<double>(route.transit_countries().size()), bpn * static_cast<double>(rtt.count())};
}

}  // namespace

int CutLinks::apply(const World& world, const std::vector<std::pair<std::string, std::string>>& links, bool start,
                    PathTable& paths) {
  for (const auto& link : links) {
    if (start) {
      links_.push_back(link);
    } else if (const auto it = std::find(links_.begin(), links_.end(), link); it != links_.end()) {
      links_.erase(it);
    }
  }
  const PathTable before = std::move(paths);
  paths = links_.empty() ? compute_paths(world, world.backbone(), before.routing)
                         : compute_paths(world, world.backbone().without_links(links_), before.routing);
  int changed = 0;
  if (start)
    for (std::size_t i = 0; i < paths.region.size(); ++i) changed += paths.region_hubs[i] != before.region_hubs[i];
  return changed;
}

namespace {

// One pair's candidate routes, best first, and the share of its bytes each carries.
struct PairRoutes {
  std::vector<Route> routes;
  std::vector<double> split;
  int from_site = -1;
  std::size_t to_site = 0;
};

}  // namespace

PathTable compute_paths(const World& world, const Backbone& backbone, const RoutingPlan& plan) {
  const LatencyModel latency(backbone, world.scenario().network);
  const std::size_t nr = world.regions().size(), ns = world.sites().size();
  const double bpn = bytes_per_ns(world);
  const RoutingParams& rp = plan.params;
  if (rp.mode == RoutingMode::MinMaxUtilisation && !plan.demand)
    throw std::logic_error("compute_paths: min_max_utilisation needs the traffic it is engineered for");
  PathTable l;
  l.sites = ns;
  l.link_ids = 2 * backbone.edges().size() + 2 * ns;
  l.routing = plan;
  // Candidate backbone paths between two hubs, computed once per hub pair (k of them, the
  // stretch filter applies per pair: it depends on the endpoints' access segments).
  std::map<std::pair<int, int>, std::vector<HubPath>> k_paths;
  auto active = [&](std::size_t site) { return plan.sites.empty() || (site < plan.sites.size() && plan.sites[site]); };
  auto candidates = [&](const Endpoint& from, const Endpoint& to, const Route& best, bool carries) {
    PairRoutes pr;
    pr.routes.push_back(best);
    if (rp.mode == RoutingMode::Shortest || !carries || !best.reachable || best.hubs.size() < 2) return pr;
    const std::pair<int, int> ends{best.hubs.front(), best.hubs.back()};
    auto it = k_paths.find(ends);
    if (it == k_paths.end())
      it = k_paths.emplace(ends, backbone.k_shortest(ends.first, ends.second, static_cast<std::size_t>(rp.k), kUnlimitedKm)).first;
    const double best_ms = sim::to_milliseconds(best.rtt);
    const double limit_ms = rp.mode == RoutingMode::Ecmp ? best_ms + rp.ecmp_tolerance_ms : best_ms * rp.max_stretch;
    for (std::size_t i = 1; i < it->second.size(); ++i) {
      Route r = latency.route_over(from, to, it->second[i]);
      if (sim::to_milliseconds(r.rtt) <= limit_ms) pr.routes.push_back(std::move(r));
    }
    return pr;
  };
  auto pair_links = [&](const Route& route, int from_site, std::size_t to_site) {
    std::vector<std::uint32_t> out;
    if (!route.reachable) return out;
    if (from_site >= 0) out.push_back(static_cast<std::uint32_t>(l.uplink_into(static_cast<std::size_t>(from_site)) ^ 1));
    for (int id : route.links) out.push_back(static_cast<std::uint32_t>(id));
    out.push_back(static_cast<std::uint32_t>(l.uplink_into(to_site)));
    return out;
  };
  // Every pair's candidates, in pair order (regions × sites, staff × sites, sites × sites).
  std::vector<PairRoutes> pairs;
  pairs.reserve(nr * ns + ns * ns);
  for (std::size_t r = 0; r < nr; ++r)
    for (std::size_t k = 0; k < ns; ++k) {
      const Route route = &backbone == &world.backbone() ? world.route(r, k)
                                                         : latency.route(world.region_endpoint(r), world.site_endpoint(k));
      pairs.push_back(candidates(world.region_endpoint(r), world.site_endpoint(k), route, active(k)));
      pairs.back().to_site = k;
    }
  for (const auto& cls : world.scenario().traffic.classes) {
    l.staff_base.push_back(pairs.size());
    for (const auto& st : cls.staff)
      for (std::size_t k = 0; k < ns; ++k) {
        const Endpoint from{{st.lat, st.lon}, st.country, -1};
        pairs.push_back(candidates(from, world.site_endpoint(k), latency.route(from, world.site_endpoint(k)), active(k)));
        pairs.back().to_site = k;
      }
  }
  l.site_base = pairs.size();
  for (std::size_t a = 0; a < ns; ++a)
    for (std::size_t b = 0; b < ns; ++b) {
      PairRoutes pr;
      if (a != b)
        pr = candidates(world.site_endpoint(a), world.site_endpoint(b), latency.route(world.site_endpoint(a), world.site_endpoint(b)),
                        active(a) && active(b));
      else pr.routes.emplace_back();  // no pair: unreachable, carries nothing
      pr.from_site = static_cast<int>(a);
      pr.to_site = b;
      pairs.push_back(std::move(pr));
    }
  // Splits: ECMP equal; k-shortest in proportion to each path's bottleneck (its thinnest
  // backbone link's capacity, as weighted-cost multipath does); traffic engineering by LP.
  for (auto& pr : pairs) {
    pr.split.assign(pr.routes.size(), 1.0 / static_cast<double>(pr.routes.size()));
    if (rp.mode != RoutingMode::KShortest || pr.routes.size() < 2) continue;
    double sum = 0;
    for (std::size_t i = 0; i < pr.routes.size(); ++i) {
      double thinnest = std::numeric_limits<double>::infinity();
      for (int id : pr.routes[i].links) thinnest = std::min(thinnest, backbone.edges()[static_cast<std::size_t>(id / 2)].capacity_gbps);
      pr.split[i] = thinnest;
      sum += thinnest;
    }
    if (std::isfinite(sum) && sum > 0) {
      for (double& x : pr.split) x /= sum;
    } else {
      pr.split.assign(pr.routes.size(), 1.0 / static_cast<double>(pr.routes.size()));
    }
  }
  if (rp.mode == RoutingMode::MinMaxUtilisation) {
    std::vector<TeDemand> demands(pairs.size());
    const std::vector<double>& bytes = *plan.demand;
    for (std::size_t p = 0; p < pairs.size(); ++p) {
      if (!pairs[p].routes.front().reachable) continue;
      TeDemand& d = demands[p];
      d.toward = 2 * p < bytes.size() ? bytes[2 * p] : 0.0;
      d.back = 2 * p + 1 < bytes.size() ? bytes[2 * p + 1] : 0.0;
      for (const Route& r : pairs[p].routes) {
        d.paths.push_back(pair_links(r, pairs[p].from_site, pairs[p].to_site));
        d.rtt_ms.push_back(sim::to_milliseconds(r.rtt));
      }
    }
    const TeSolution te = min_max_utilisation(demands, link_capacities(world, l));
    for (std::size_t p = 0; p < pairs.size(); ++p)
      if (pairs[p].routes.front().reachable) pairs[p].split = te.split[p];
  }
  // The table: byte-weighted path properties, links with their shares.
  l.links.resize(pairs.size());
  l.path_count.assign(pairs.size(), 0);
  auto props = [&](const PairRoutes& pr, bool user) {
    const Route& best = pr.routes.front();
    if (pr.routes.size() == 1 || !best.reachable)
      return make_path(user ? latency.user_rtt(best) : best.rtt, best, bpn);
    double rtt_ns = 0, transit = 0;
    for (std::size_t i = 0; i < pr.routes.size(); ++i) {
      const Route& r = pr.routes[i];
      rtt_ns += pr.split[i] * static_cast<double>((user ? latency.user_rtt(r) : r.rtt).count());
      transit += pr.split[i] * static_cast<double>(r.transit_countries().size());
    }
    const sim::SimDuration rtt{static_cast<std::int64_t>(std::llround(rtt_ns))};
    return PathProps{rtt, transit, bpn * static_cast<double>(rtt.count())};
  };
  for (std::size_t p = 0; p < pairs.size(); ++p) {
    const PairRoutes& pr = pairs[p];
    if (!pr.routes.front().reachable) continue;
    std::map<std::uint32_t, double> shares;
    std::vector<std::uint32_t> order;  // first crossing order: the best path's links first
    for (std::size_t i = 0; i < pr.routes.size(); ++i) {
      if (!(pr.split[i] > 0)) continue;
      ++l.path_count[p];
      for (std::uint32_t id : pair_links(pr.routes[i], pr.from_site, pr.to_site)) {
        if (!shares.count(id)) order.push_back(id);
        shares[id] += pr.split[i];
      }
    }
    for (std::uint32_t id : order) l.links[p].push_back({id, std::min(1.0, shares[id])});
  }
  l.region.resize(nr * ns);
  l.region_hubs.resize(nr * ns);
  l.user_rtt.assign(nr, std::vector<sim::SimDuration>(ns));
  for (std::size_t r = 0; r < nr; ++r)
    for (std::size_t k = 0; k < ns; ++k) {
      const PairRoutes& pr = pairs[l.region_pair(r, k)];
      l.region[r * ns + k] = props(pr, true);
      l.region_hubs[r * ns + k] = pr.routes.front().hubs;
      // Routing tables rank sites by the best path (where a site is, not how it is reached).
      l.user_rtt[r][k] = pr.routes.front().reachable ? latency.user_rtt(pr.routes.front()) : kUnreachable;
    }
  for (std::size_t c = 0; c < l.staff_base.size(); ++c) {
    l.staff.emplace_back();
    const std::size_t n = world.scenario().traffic.classes[c].staff.size() * ns;
    for (std::size_t i = 0; i < n; ++i) l.staff.back().push_back(props(pairs[l.staff_base[c] + i], true));
  }
  l.site.resize(ns * ns);
  for (std::size_t a = 0; a < ns; ++a)
    for (std::size_t b = 0; b < ns; ++b)
      if (a != b) l.site[a * ns + b] = props(pairs[l.site_pair(a, b)], false);
  return l;
}

PathProps edge_path(const World& world) {
  const auto& n = world.scenario().network;
  const sim::SimDuration rtt = 2 * n.access + n.fixed_rtt;
  return {rtt, 0, bytes_per_ns(world) * static_cast<double>(rtt.count())};
}

}  // namespace dcsim::models
