// Link names, capacities and the headline figures of link loads.
#include "models/run/link_summary.hpp"

#include <algorithm>

namespace dcsim::models {

namespace {
bool north_american(const std::string& country) { return country == "US" || country == "CA"; }
// The European end of an Atlantic crossing: a hub of the service area (the countries with
// a population, and users, in the scenario) east of the mid-Atlantic (30° W: the Azores and
// Iceland are in, the French Caribbean and Guiana are not). Without the longitude, the
// cables from Miami to Martinique and Guadeloupe counted as transatlantic and every byte
// to them was counted twice in transatlantic_peak_gbps, there and on the Atlantic.
bool european(const Scenario& s, const Hub& hub) {
  const Country* c = s.find_country(hub.country);
  return c != nullptr && c->population.has_value() && hub.lon > -30;
}
}  // namespace

std::vector<LinkInfo> link_infos(const World& w) {
  std::vector<LinkInfo> out;
  const Backbone& bb = w.backbone();
  for (std::size_t e = 0; e < bb.edges().size(); ++e) {
    const BackboneEdge& edge = bb.edges()[e];
    const Hub& a = bb.hub(edge.a);
    const Hub& b = bb.hub(edge.b);
    std::string groups;
    for (const auto& g : edge.srlg) groups += (groups.empty() ? "" : " ") + g;
    const bool atlantic = (north_american(a.country) && european(w.scenario(), b)) ||
                          (north_american(b.country) && european(w.scenario(), a));
    const char* kind = edge.kind == LinkKind::Submarine ? "submarine" : "terrestrial";
    out.push_back({2 * e, a.id + ">" + b.id, a.id, b.id, kind, groups, edge.capacity_gbps, atlantic});
    out.push_back({2 * e + 1, b.id + ">" + a.id, b.id, a.id, kind, groups, edge.capacity_gbps, atlantic});
  }
  for (const auto& ws : w.sites()) {
    const std::string& id = ws.site->id;
    out.push_back({out.size(), "uplink>" + id, "uplink", id, "uplink", "", ws.site->uplink_gbps, false});
    out.push_back({out.size(), id + ">uplink", id, "uplink", "uplink", "", ws.site->uplink_gbps, false});
  }
  return out;
}

double interval_seconds(const Metrics& m, const World& w, std::size_t interval) {
  const double iv = sim::to_seconds(m.interval());
  return std::min(iv, sim::to_seconds(w.scenario().meta.duration) - iv * static_cast<double>(interval));
}

double offered_gbps(const Metrics& m, const World& w, std::size_t interval, std::size_t id) {
  double bytes = 0;
  for (std::size_t k = 0; k < kLinkTraffic; ++k) bytes += m.link_loads->bytes(interval, id, static_cast<LinkTraffic>(k));
  const double seconds = interval_seconds(m, w, interval);
  return seconds > 0 ? bytes * 8 / seconds / 1e9 : 0.0;
}

std::vector<std::optional<double>> peak_utilisations(const Metrics& m, const World& w) {
  std::vector<std::optional<double>> out(m.link_loads ? m.link_loads->link_ids() : 0);
  for (const auto& link : link_infos(w)) {
    if (link.id >= out.size() || !link.capacity_gbps || *link.capacity_gbps <= 0) continue;
    double peak = 0;
    for (std::size_t i = 0; i < m.intervals(); ++i) peak = std::max(peak, offered_gbps(m, w, i, link.id) / *link.capacity_gbps);
    out[link.id] = peak;
  }
  return out;
}

std::optional<std::size_t> bottleneck_link(const Metrics& m, std::size_t pair, const std::vector<std::optional<double>>& peaks) {
  std::optional<std::size_t> best;
  auto consider = [&](std::size_t id) {
    if (id >= peaks.size() || !peaks[id]) return;
    if (!best || *peaks[id] > *peaks[*best] || (*peaks[id] == *peaks[*best] && id < *best)) best = id;
  };
  for (const LinkShare& l : m.link_loads->start_links()[pair]) {
    consider(l.id);
    consider(l.id ^ 1U);
  }
  return best;
}

LinkHeadline summarize_links(const Metrics& m, const World& w) {
  LinkHeadline h;
  const auto infos = link_infos(w);
  std::vector<std::pair<double, std::string>> peaks;
  std::vector<double> atlantic(m.intervals(), 0.0);
  for (const auto& link : infos) {
    double peak = 0;
    for (std::size_t i = 0; i < m.intervals(); ++i) {
      const double gbps = offered_gbps(m, w, i, link.id);
      if (link.kind == "submarine") h.submarine_bytes += gbps * 1e9 / 8 * interval_seconds(m, w, i);
      if (link.transatlantic) atlantic[i] += gbps;
      if (!link.capacity_gbps || *link.capacity_gbps <= 0) continue;
      const double u = gbps / *link.capacity_gbps;
      peak = std::max(peak, u);
      if (u > 0.8) h.hours_above_80pct += interval_seconds(m, w, i) / 3600;
    }
    if (peak > h.peak_utilisation) {
      h.peak_utilisation = peak;
      h.peak_link = link.name;
    }
    if (peak > 0) peaks.emplace_back(peak, link.name);
  }
  for (double g : atlantic) h.transatlantic_peak_gbps = std::max(h.transatlantic_peak_gbps, g);
  std::stable_sort(peaks.begin(), peaks.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t i = 0; i < peaks.size() && i < 5; ++i) h.hottest.emplace_back(peaks[i].second, peaks[i].first);
  return h;
}

}  // namespace dcsim::models
