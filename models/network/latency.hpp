// The physical latency model. A route runs from an endpoint to its nearest hubs (an access
// segment of great-circle × access_inflation), across the backbone's shortest path, to the
// other endpoint's hub and out to it. Its round-trip time is
//   RTT = 2 × path_km / fibre_km_per_ms + 2 × hubs_traversed × per_hop + fixed_rtt
//         (+ 2 × access for a user's last mile),
// with fibre at c / 1.468 ≈ 204 km/ms. Defaults and their sources: scenarios/data/README.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "models/network/backbone.hpp"
#include "models/network/geo.hpp"
#include "models/scenario/scenario.hpp"
#include "sim/time.hpp"

namespace dcsim::models {

/// An endpoint of a route: where it is, which country it is in (may be empty when
/// unknown), and the hub it is wired to (-1: attach to the nearest hubs).
struct Endpoint {
  LatLon pos;
  std::string country;
  int hub = -1;
};

struct Route {
  bool reachable = false;
  double distance_km = 0;  ///< geodesic, endpoint to endpoint
  double path_km = 0;      ///< access + backbone + access
  std::vector<int> hubs;   ///< hubs traversed, in order
  /// Backbone links traversed, in order, as directed ids: 2 × edge index for a link crossed
  /// from its `a` hub to its `b` hub, + 1 the other way (so id ^ 1 is the way back).
  std::vector<int> links;
  /// Countries along the route, consecutive repeats collapsed: origin first, destination last.
  std::vector<std::string> countries;
  sim::SimDuration rtt{};  ///< network round trip without any last mile

  int hops() const { return static_cast<int>(hubs.size()); }
  /// National borders crossed one way (transit crossings count).
  int border_crossings() const { return countries.empty() ? 0 : static_cast<int>(countries.size()) - 1; }
  /// Countries passed through that are neither origin nor destination, in order.
  std::vector<std::string> transit_countries() const;
};

class LatencyModel {
 public:
  /// Keeps a reference to `backbone`, which must outlive the model.
  LatencyModel(const Backbone& backbone, const NetworkParams& params);

  /// Best route by RTT over the attachment hubs of each endpoint without a fixed hub.
  Route route(const Endpoint& from, const Endpoint& to) const;
  /// The route from `from` to `to` over a given backbone path between hubs (one of the
  /// path's end hubs is where each endpoint attaches): what multipath routing spreads over.
  Route route_over(const Endpoint& from, const Endpoint& to, const HubPath& path) const;
  /// The hubs an endpoint at p attaches to: the nearest, plus the second nearest if it is
  /// within 100 km of the nearest's distance.
  std::vector<int> attachment_hubs(LatLon p) const;
  /// RTT a user sees on this route: the network RTT plus the last mile both ways.
  sim::SimDuration user_rtt(const Route& r) const { return r.rtt + 2 * params_.access; }
  const NetworkParams& params() const { return params_; }
  const Backbone& backbone() const { return backbone_; }

 private:
  sim::SimDuration rtt_of(double path_km, int hubs) const;

  const Backbone& backbone_;
  NetworkParams params_;
};

}  // namespace dcsim::models
