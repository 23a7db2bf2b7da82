// Backbone construction and all-pairs Dijkstra with Boost.Graph (adjacency_list, vecS,
// bundled edge properties). Parallel links are kept: Dijkstra uses the shortest.
#include "models/network/backbone.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <set>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>

#include "models/scenario/diagnostics.hpp"

namespace dcsim::models {

namespace {

struct EdgeProps {
  double cost = 0;  ///< km + hop penalty: what Dijkstra minimises
  int index = -1;
};
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS,
                                    boost::no_property, EdgeProps>;

constexpr double kInf = std::numeric_limits<double>::infinity();

}  // namespace

Backbone::Backbone(const NetworkParams& params, const std::string& scenario_path)
    : hubs_(params.hubs), hop_penalty_km_(sim::to_milliseconds(params.per_hop) * params.fibre_km_per_ms) {
  std::map<std::string, int> ids;
  for (std::size_t i = 0; i < hubs_.size(); ++i) ids.emplace(hubs_[i].id, static_cast<int>(i));
  if (params.mode == NetworkMode::Explicit) {
    for (const auto& l : params.links) {
      BackboneEdge e;
      e.a = ids.at(l.a);
      e.b = ids.at(l.b);
      const double gc = ellipsoidal_km(hub_position(e.a), hub_position(e.b));
      e.length_sourced = l.length_km.has_value();
      e.km = l.length_km ? *l.length_km : gc * params.route_inflation;
      e.kind = l.kind;
      e.via = l.via;
      e.capacity_gbps = l.capacity_gbps;
      e.name = l.name;
      e.srlg = l.srlg;
      edges_.push_back(std::move(e));
    }
  } else {
    // Generated: each hub links to its k nearest hubs within max_link_km (undirected, once).
    std::set<std::pair<int, int>> seen;
    for (int a = 0; a < static_cast<int>(hubs_.size()); ++a) {
      const auto near = nearest_hubs(hub_position(a), static_cast<std::size_t>(params.generate_k_nearest) + 1);
      for (int b : near) {
        if (b == a) continue;
        const double gc = ellipsoidal_km(hub_position(a), hub_position(b));
        if (gc > params.generate_max_link_km) continue;
        if (!seen.insert({std::min(a, b), std::max(a, b)}).second) continue;
        BackboneEdge e;
        e.a = std::min(a, b);
        e.b = std::max(a, b);
        e.km = gc * params.route_inflation;
        e.capacity_gbps = 10000;
        e.name = "generated";
        edges_.push_back(std::move(e));
      }
    }
  }
  solve_all_pairs();
  if (params.mode == NetworkMode::Generated) {
    for (int b = 1; b < static_cast<int>(hubs_.size()); ++b)
      if (!connected(0, b)) {
        Diagnostics d;
        auto file = std::make_shared<const std::string>(scenario_path);
        d.error(SourceLoc{file, 0, 0}, "network.generate",
                "generated links leave hub '" + hubs_[static_cast<std::size_t>(b)].id +
                    "' unreachable from '" + hubs_[0].id +
                    "': raise k_nearest or max_link_km, or use mode: explicit");
        d.throw_if_any();
      }
  }
}

void Backbone::solve_all_pairs() {
  const std::size_t n = hubs_.size();
  Graph g(n);
  for (std::size_t i = 0; i < edges_.size(); ++i)
    if (!edges_[i].cut)
      boost::add_edge(static_cast<std::size_t>(edges_[i].a), static_cast<std::size_t>(edges_[i].b),
                    EdgeProps{edges_[i].km + hop_penalty_km_, static_cast<int>(i)}, g);
  dist_.assign(n * n, kInf);
  pred_edge_.assign(n * n, -1);
  std::vector<std::size_t> pred(n);
  std::vector<double> dist(n);
  for (std::size_t s = 0; s < n; ++s) {
    boost::dijkstra_shortest_paths(
        g, s,
        boost::predecessor_map(boost::make_iterator_property_map(pred.begin(), boost::get(boost::vertex_index, g)))
            .distance_map(boost::make_iterator_property_map(dist.begin(), boost::get(boost::vertex_index, g)))
            .weight_map(boost::get(&EdgeProps::cost, g))
            .distance_inf(kInf));
    for (std::size_t v = 0; v < n; ++v) {
      if (v == s || pred[v] == v) continue;
      // Among parallel links between pred[v] and v, the cheapest carried the path.
      int best = -1;
      double best_cost = kInf;
      for (auto [it, end] = boost::out_edges(pred[v], g); it != end; ++it)
        if (boost::target(*it, g) == v && g[*it].cost < best_cost) {
          best_cost = g[*it].cost;
          best = g[*it].index;
        }
      pred_edge_[s * n + v] = best;
    }
    // Route length in km along each best path (Dijkstra order: predecessors first).
    std::vector<std::size_t> order(n);
    for (std::size_t v = 0; v < n; ++v) order[v] = v;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return dist[a] < dist[b]; });
    for (std::size_t v : order) {
      if (!std::isfinite(dist[v])) continue;
      if (v == s) {
        dist_[s * n + v] = 0;
        continue;
      }
      const int e = pred_edge_[s * n + v];
      dist_[s * n + v] = dist_[s * n + pred[v]] + edges_[static_cast<std::size_t>(e)].km;
    }
  }
}

int Backbone::hub_index(const std::string& id) const {
  for (std::size_t i = 0; i < hubs_.size(); ++i)
    if (hubs_[i].id == id) return static_cast<int>(i);
  return -1;
}

bool Backbone::connected(int a, int b) const { return std::isfinite(dist_[index(a, b)]); }

HubPath Backbone::path(int a, int b) const {
  HubPath p;
  if (!connected(a, b)) {
    p.km = kInf;
    return p;
  }
  p.km = distance_km(a, b);
  int v = b;
  p.hubs.push_back(v);
  while (v != a) {
    const int e = pred_edge_[index(a, v)];
    p.edges.push_back(e);
    const BackboneEdge& edge = edges_[static_cast<std::size_t>(e)];
    v = edge.a == v ? edge.b : edge.a;
    p.hubs.push_back(v);
  }
  std::reverse(p.hubs.begin(), p.hubs.end());
  std::reverse(p.edges.begin(), p.edges.end());
  return p;
}

namespace {

// One Dijkstra for Yen's spur paths: cheapest path from s to t avoiding `banned_edge` and
// `banned_hub`, by cost km + penalty per link. O(V^2) over a few dozen hubs.
struct SpurSearch {
  const std::vector<BackboneEdge>& edges;
  const std::vector<std::vector<int>>& incident;  // per hub: edge indices
  double penalty;
  std::vector<double> dist;
  std::vector<int> via;
  std::vector<bool> done;

  bool run(int s, int t, const std::vector<bool>& banned_edge, const std::vector<bool>& banned_hub, HubPath& out) {
    const std::size_t n = incident.size();
    dist.assign(n, kInf);
    via.assign(n, -1);
    done.assign(n, false);
    dist[static_cast<std::size_t>(s)] = 0;
    for (;;) {
      int u = -1;
      for (std::size_t v = 0; v < n; ++v)
        if (!done[v] && std::isfinite(dist[v]) && (u < 0 || dist[v] < dist[static_cast<std::size_t>(u)])) u = static_cast<int>(v);
      if (u < 0) return false;
      if (u == t) break;
      done[static_cast<std::size_t>(u)] = true;
      for (int e : incident[static_cast<std::size_t>(u)]) {
        if (banned_edge[static_cast<std::size_t>(e)]) continue;
        const BackboneEdge& edge = edges[static_cast<std::size_t>(e)];
        const int v = edge.a == u ? edge.b : edge.a;
        if (banned_hub[static_cast<std::size_t>(v)] || done[static_cast<std::size_t>(v)]) continue;
        const double d = dist[static_cast<std::size_t>(u)] + edge.km + penalty;
        // Strictly better, or as good through a lower link index: the same path every time.
        if (d < dist[static_cast<std::size_t>(v)] || (d == dist[static_cast<std::size_t>(v)] && e < via[static_cast<std::size_t>(v)])) {
          dist[static_cast<std::size_t>(v)] = d;
          via[static_cast<std::size_t>(v)] = e;
        }
      }
    }
    out = {};
    for (int v = t; v != s;) {
      const int e = via[static_cast<std::size_t>(v)];
      out.edges.push_back(e);
      out.hubs.push_back(v);
      const BackboneEdge& edge = edges[static_cast<std::size_t>(e)];
      v = edge.a == v ? edge.b : edge.a;
    }
    out.hubs.push_back(s);
    std::reverse(out.hubs.begin(), out.hubs.end());
    std::reverse(out.edges.begin(), out.edges.end());
    return true;
  }
};

}  // namespace

std::vector<HubPath> Backbone::k_shortest(int a, int b, std::size_t k, double max_cost_km) const {
  std::vector<HubPath> found;
  if (k == 0 || !connected(a, b)) return found;
  found.push_back(path(a, b));
  if (a == b || k == 1) return found;
  std::vector<std::vector<int>> incident(hubs_.size());
  for (std::size_t e = 0; e < edges_.size(); ++e)
    if (!edges_[e].cut) {
      incident[static_cast<std::size_t>(edges_[e].a)].push_back(static_cast<int>(e));
      incident[static_cast<std::size_t>(edges_[e].b)].push_back(static_cast<int>(e));
    }
  SpurSearch search{edges_, incident, hop_penalty_km_, {}, {}, {}};
  auto km_of = [&](const std::vector<int>& es) {
    double km = 0;
    for (int e : es) km += edges_[static_cast<std::size_t>(e)].km;
    return km;
  };
  // Candidates by (cost, links): the cheapest first, ties in link order.
  auto cheaper = [&](const HubPath& x, const HubPath& y) {
    const double cx = cost_km(x), cy = cost_km(y);
    return cx != cy ? cx < cy : x.edges < y.edges;
  };
  std::vector<HubPath> candidates;
  std::vector<bool> banned_edge(edges_.size()), banned_hub(hubs_.size());
  while (found.size() < k) {
    const HubPath& last = found.back();
    for (std::size_t j = 0; j + 1 < last.hubs.size(); ++j) {
      std::fill(banned_edge.begin(), banned_edge.end(), false);
      std::fill(banned_hub.begin(), banned_hub.end(), false);
      for (const HubPath& p : found)
        if (p.edges.size() > j && std::equal(last.edges.begin(), last.edges.begin() + static_cast<long>(j), p.edges.begin()))
          banned_edge[static_cast<std::size_t>(p.edges[j])] = true;
      for (std::size_t i = 0; i < j; ++i) banned_hub[static_cast<std::size_t>(last.hubs[i])] = true;
      HubPath spur;
      if (!search.run(last.hubs[j], b, banned_edge, banned_hub, spur)) continue;
      HubPath total;
      total.hubs.assign(last.hubs.begin(), last.hubs.begin() + static_cast<long>(j));
      total.hubs.insert(total.hubs.end(), spur.hubs.begin(), spur.hubs.end());
      total.edges.assign(last.edges.begin(), last.edges.begin() + static_cast<long>(j));
      total.edges.insert(total.edges.end(), spur.edges.begin(), spur.edges.end());
      total.km = km_of(total.edges);
      if (cost_km(total) > max_cost_km) continue;
      const auto same = [&](const HubPath& p) { return p.edges == total.edges; };
      if (std::none_of(found.begin(), found.end(), same) && std::none_of(candidates.begin(), candidates.end(), same))
        candidates.push_back(std::move(total));
    }
    if (candidates.empty()) break;
    const auto best = std::min_element(candidates.begin(), candidates.end(), cheaper);
    found.push_back(std::move(*best));
    candidates.erase(best);
  }
  return found;
}

std::vector<int> Backbone::nearest_hubs(LatLon p, std::size_t k) const {
  std::vector<std::pair<double, int>> d;
  d.reserve(hubs_.size());
  for (std::size_t i = 0; i < hubs_.size(); ++i)
    d.emplace_back(ellipsoidal_km(p, hub_position(static_cast<int>(i))), static_cast<int>(i));
  k = std::min(k, d.size());
  std::partial_sort(d.begin(), d.begin() + static_cast<long>(k), d.end());
  std::vector<int> out;
  for (std::size_t i = 0; i < k; ++i) out.push_back(d[i].second);
  return out;
}

Backbone Backbone::without_links(const std::vector<std::pair<std::string, std::string>>& cut) const {
  Backbone b;
  b.hubs_ = hubs_;
  b.hop_penalty_km_ = hop_penalty_km_;
  b.edges_ = edges_;
  for (auto& e : b.edges_) {
    const std::string& x = hubs_[static_cast<std::size_t>(e.a)].id;
    const std::string& y = hubs_[static_cast<std::size_t>(e.b)].id;
    e.cut = e.cut || std::any_of(cut.begin(), cut.end(), [&](const auto& c) {
              return (c.first == x && c.second == y) || (c.first == y && c.second == x);
            });
  }
  b.solve_all_pairs();
  return b;
}

}  // namespace dcsim::models
