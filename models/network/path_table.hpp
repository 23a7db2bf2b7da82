// The path table: what the request loop needs about the path between an origin (region,
// staff location, site) and a site (PathProps), precomputed from a backbone: the RTT a user
// sees, the transit countries crossed, and the bandwidth-delay product for TCP's slow
// start. It is recomputed when a link is cut or restored.
#pragma once

#include <algorithm>
#include <bit>
#include <memory>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "models/network/backbone.hpp"
#include "models/network/latency.hpp"
#include "models/network/world.hpp"
#include "sim/time.hpp"

namespace dcsim::models {

/// The RTT of an origin–site pair with no path (a cut left its ends in different parts of
/// the backbone): never a candidate for routing, never served over.
inline constexpr sim::SimDuration kUnreachable = sim::SimDuration::max();

/// Plain data, copied per request: no heap members.
struct PathProps {
  sim::SimDuration rtt{};   ///< RTT (a user's last mile included for user paths)
  double transit = 0;       ///< transit countries crossed
  double bdp_bytes = 0;     ///< bandwidth-delay product of the path
  bool reachable() const { return rtt != kUnreachable; }
};

/// A directed link a pair's bytes cross, and the share of its bytes that do (1 on a single
/// path; under multipath routing the sum of its paths' splits through that link).
struct LinkShare {
  std::uint32_t id = 0;
  double share = 1;
  bool operator==(const LinkShare&) const = default;
};

/// How pairs are routed (network.routing), and for min_max_utilisation the traffic it is
/// engineered for: bytes/s per column (pair p toward its site 2p, back 2p + 1) at the peak
/// interval, measured by a shortest-path flow pass. Kept in the path table, so a cut
/// re-solves the same traffic over what is left.
struct RoutingPlan {
  RoutingParams params;
  std::shared_ptr<const std::vector<double>> demand;
  /// Sites that can carry traffic in the run (built, or brought online by an event): only
  /// pairs whose sites are all among them get several paths; the rest, which nothing is
  /// ever routed over, keep their best path. Empty: every site.
  std::vector<bool> sites;
  static RoutingPlan shortest() { return {}; }
};

struct PathTable {
  std::vector<PathProps> region;                ///< region × site
  std::vector<std::vector<int>> region_hubs;  ///< region × site: the route's hubs (to see what a cut changed)
  std::vector<std::vector<PathProps>> staff;    ///< per class: staff location × site
  std::vector<PathProps> site;                  ///< site × site (replication, export, catch-up)
  std::vector<std::vector<sim::SimDuration>> user_rtt;  ///< region × site, for routing tables (kUnreachable: no path)

  std::size_t sites = 0;                   ///< catalog sites (the stride of the site × site table)

  // Every origin → site pair in one index space, for link loads: regions × sites, then each
  // class's staff locations × sites, then sites × sites. `links[pair]` are the directed
  // links its bytes cross from the origin to the site: backbone links (see Route::links),
  // then site uplinks, numbered after the backbone's: 2E + 2k into site k, 2E + 2k + 1 out
  // of it. Bytes going the other way (a read's response) cross each link's id ^ 1. Under
  // multipath routing a pair's PathProps are its paths' byte-weighted means (RTT, transit
  // countries), and routing tables still rank sites by the best path's RTT (user_rtt).
  std::vector<std::vector<LinkShare>> links;
  /// Paths a pair's bytes are split over (1: one path; 0: unreachable), per pair.
  std::vector<std::uint8_t> path_count;
  RoutingPlan routing;                     ///< what these paths were computed under
  std::vector<std::size_t> staff_base;     ///< per class: its first pair
  std::size_t site_base = 0;
  std::size_t link_ids = 0;                ///< 2 × backbone links + 2 × sites
  std::size_t region_pair(std::size_t r, std::size_t s) const { return r * sites + s; }
  std::size_t staff_pair(std::size_t cls, std::size_t loc, std::size_t s) const { return staff_base[cls] + loc * sites + s; }
  std::size_t site_pair(std::size_t a, std::size_t b) const { return site_base + a * sites + b; }
  std::size_t pairs() const { return links.size(); }
  /// The directed id of site k's uplink, into the site (out: ^ 1).
  std::size_t uplink_into(std::size_t k) const { return link_ids - 2 * sites + 2 * k; }

  /// Whether data can be copied between two sites over the backbone as it is now.
  bool site_reachable(std::size_t from, std::size_t to) const { return from == to || site[from * sites + to].reachable(); }
};

/// All paths of a world on `backbone` (the world's own, or one with links cut), routed by
/// `plan` (min_max_utilisation needs its demand: std::logic_error without).
PathTable compute_paths(const World& world, const Backbone& backbone, const RoutingPlan& plan);

/// Links cut by events still in force, and the paths they leave. Both fidelities apply a
/// link_cut's start and end through this, so they route alike.
class CutLinks {
 public:
  /// Cuts (start) or restores (end) the links between these hub pairs (one link, or a
  /// shared-risk group) and recomputes `paths`; returns how many region × site routes
  /// changed hubs (counted at a cut's start only, 0 at its end).
  int apply(const World& world, const std::vector<std::pair<std::string, std::string>>& links, bool start, PathTable& paths);
  /// Some link is cut now.
  bool any() const { return !links_.empty(); }

 private:
  std::vector<std::pair<std::string, std::string>> links_;
};

/// The edge-cache path: last mile both ways plus the fixed overhead, in the user's metro.
PathProps edge_path(const World& world);

/// A read its site serves by fetching the data from another site (reads:
/// nearest_with_fetch): the user's path lengthened by the fetch leg, as if the user reached
/// the copy through the serving site. Its first byte waits a round trip on each; its
/// slow-start rounds span both (store-and-forward per round: an upper bound on a relay
/// that streams). Transit stays the user path's: the leg's is counted on the fetch.
inline PathProps through(const PathProps& user, const PathProps& leg) {
  return {user.rtt + leg.rtt, user.transit, user.bdp_bytes + leg.bdp_bytes};
}

/// RFC 6928's initial congestion window: 10 segments of 1460 bytes.
inline constexpr double kInitialWindowBytes = 14600;

/// Transfer time of `bytes` over a path: bytes at the access bandwidth plus one RTT per
/// slow-start round until the window covers min(bytes, BDP), starting from the initial
/// window (Cardwell, Savage & Anderson, INFOCOM 2000). Inline: once per request, and its
/// two divisions overlap the caller's work.
inline sim::SimDuration transfer_time(double bytes, const PathProps& path, double bytes_per_ns) {
  const double window_limited = std::min(bytes, path.bdp_bytes);
  const auto segments = static_cast<std::uint64_t>(window_limited / kInitialWindowBytes) + 1;
  const int rounds = std::bit_width(segments);  // ceil(log2(x + 1)) for x = segments - 1 >= 0
  return sim::SimDuration{static_cast<std::int64_t>(bytes / bytes_per_ns + 0.5)} + rounds * path.rtt;
}

}  // namespace dcsim::models
