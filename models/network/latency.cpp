// Route search over endpoint attachments and the RTT formula.
#include "models/network/latency.hpp"

#include <algorithm>
#include <cmath>

namespace dcsim::models {

std::vector<std::string> Route::transit_countries() const {
  std::vector<std::string> out;
  if (countries.size() < 3) return out;
  for (std::size_t i = 1; i + 1 < countries.size(); ++i)
    if (countries[i] != countries.front() && countries[i] != countries.back() &&
        std::find(out.begin(), out.end(), countries[i]) == out.end())
      out.push_back(countries[i]);
  return out;
}

LatencyModel::LatencyModel(const Backbone& backbone, const NetworkParams& params)
    : backbone_(backbone), params_(params) {
  params_.hubs.clear();  // the backbone holds them; keep the copy small
  params_.links.clear();
}

sim::SimDuration LatencyModel::rtt_of(double path_km, int hubs) const {
  return sim::from_seconds(2.0 * path_km / params_.fibre_km_per_ms * 1e-3) + 2 * hubs * params_.per_hop +
         params_.fixed_rtt;
}

std::vector<int> LatencyModel::attachment_hubs(LatLon p) const {
  // The nearest hub, and the second nearest when it is almost as near: a region centred
  // between two metros reaches both. A farther second hub would let an access segment
  // bypass the metro the endpoint really connects through.
  constexpr double kSecondHubSlackKm = 100;
  std::vector<int> hubs = backbone_.nearest_hubs(p, 2);
  if (hubs.size() == 2 &&
      ellipsoidal_km(p, backbone_.hub_position(hubs[1])) > ellipsoidal_km(p, backbone_.hub_position(hubs[0])) + kSecondHubSlackKm)
    hubs.pop_back();
  return hubs;
}

Route LatencyModel::route(const Endpoint& from, const Endpoint& to) const {
  const std::vector<int> from_hubs = from.hub >= 0 ? std::vector<int>{from.hub} : attachment_hubs(from.pos);
  const std::vector<int> to_hubs = to.hub >= 0 ? std::vector<int>{to.hub} : attachment_hubs(to.pos);
  Route best;
  best.distance_km = ellipsoidal_km(from.pos, to.pos);
  sim::SimDuration best_rtt = sim::SimDuration::max();
  int best_a = -1, best_b = -1;
  for (int a : from_hubs)
    for (int b : to_hubs) {
      if (!backbone_.connected(a, b)) continue;
      const double km = ellipsoidal_km(from.pos, backbone_.hub_position(a)) * params_.access_inflation +
                        backbone_.distance_km(a, b) +
                        ellipsoidal_km(backbone_.hub_position(b), to.pos) * params_.access_inflation;
      const int hubs = a == b ? 1 : static_cast<int>(backbone_.path(a, b).hubs.size());
      // Same criterion as the backbone's paths: RTT, i.e. km plus per-hop delay.
      const sim::SimDuration rtt = rtt_of(km, hubs);
      if (rtt < best_rtt) {
        best_rtt = rtt;
        best_a = a;
        best_b = b;
        best.path_km = km;
      }
    }
  if (best_a < 0) return best;  // unreachable
  Route out = route_over(from, to, backbone_.path(best_a, best_b));
  out.rtt = best_rtt;  // the same sum, as the search computed it
  out.path_km = best.path_km;
  return out;
}

Route LatencyModel::route_over(const Endpoint& from, const Endpoint& to, const HubPath& hp) const {
  Route best;
  best.distance_km = ellipsoidal_km(from.pos, to.pos);
  if (hp.hubs.empty()) return best;
  best.reachable = true;
  best.path_km = ellipsoidal_km(from.pos, backbone_.hub_position(hp.hubs.front())) * params_.access_inflation + hp.km +
                 ellipsoidal_km(backbone_.hub_position(hp.hubs.back()), to.pos) * params_.access_inflation;
  best.rtt = rtt_of(best.path_km, static_cast<int>(hp.hubs.size()));
  best.hubs = hp.hubs;
  for (std::size_t i = 0; i < hp.edges.size(); ++i) {
    const int e = hp.edges[i];
    best.links.push_back(2 * e + (backbone_.edges()[static_cast<std::size_t>(e)].a == hp.hubs[i] ? 0 : 1));
  }
  auto push = [&](const std::string& c) {
    if (!c.empty() && (best.countries.empty() || best.countries.back() != c)) best.countries.push_back(c);
  };
  push(from.country);
  for (std::size_t i = 0; i < hp.hubs.size(); ++i) {
    if (i > 0)
      for (const auto& v : backbone_.edges()[static_cast<std::size_t>(hp.edges[i - 1])].via) push(v);
    push(backbone_.hub(hp.hubs[i]).country);
  }
  push(to.country);
  return best;
}

}  // namespace dcsim::models
