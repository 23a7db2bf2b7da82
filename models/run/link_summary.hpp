// What a planner reads off the link loads: each directed link's (and site uplink's)
// offered traffic per interval against its capacity, and the figures the headline shows:
// the peak utilisation and where, the link-hours above 80 %, bytes on submarine cables and
// the transatlantic Gbps at the busiest interval.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "models/network/world.hpp"
#include "models/run/metrics.hpp"

namespace dcsim::models {

/// One directed link or uplink, as the outputs name it.
struct LinkInfo {
  std::size_t id = 0;              ///< directed id (PathTable numbering)
  std::string name;                ///< "DUB>LON" for a backbone link, "uplink>dublin" / "dublin>uplink"
  std::string from, to;            ///< hub ids, or a site id and "uplink"
  std::string kind;                ///< terrestrial, submarine, uplink
  std::string srlg;                ///< groups, space-separated
  std::optional<double> capacity_gbps;  ///< none: an uplink without uplink_gbps
  bool transatlantic = false;      ///< one end in North America (US, CA), the other in Europe (east of 30° W)
};

/// Every directed link and uplink of the world, in id order.
std::vector<LinkInfo> link_infos(const World& w);

/// Offered Gbps of a directed link in an interval (all kinds of traffic).
double offered_gbps(const Metrics& m, const World& w, std::size_t interval, std::size_t id);
/// Length of an interval in seconds (the last may be shorter than the others).
double interval_seconds(const Metrics& m, const World& w, std::size_t interval);

/// Per directed link id: its highest utilisation over the run's intervals (offered /
/// capacity); nullopt for a link without a capacity.
std::vector<std::optional<double>> peak_utilisations(const Metrics& m, const World& w);

/// A pair's bottleneck under the routing the run started with: of the directed links its
/// bytes crossed either way, the one with the highest peak utilisation (the first in id
/// order among equals); nullopt when none has a capacity.
std::optional<std::size_t> bottleneck_link(const Metrics& m, std::size_t pair, const std::vector<std::optional<double>>& peaks);

struct LinkHeadline {
  double peak_utilisation = 0;      ///< over directed links and intervals (links with a capacity)
  std::string peak_link;            ///< its name
  double hours_above_80pct = 0;     ///< directed-link hours with utilisation above 0.8
  double submarine_bytes = 0;       ///< bytes crossing submarine links, both directions
  double transatlantic_peak_gbps = 0;  ///< both directions, at the busiest interval
  std::vector<std::pair<std::string, double>> hottest;  ///< the five highest peak utilisations
};
LinkHeadline summarize_links(const Metrics& m, const World& w);

}  // namespace dcsim::models
