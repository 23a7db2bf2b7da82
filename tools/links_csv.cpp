// links.csv: traffic on every directed backbone link and site uplink, per interval.
#include <algorithm>

#include "models/run/link_summary.hpp"
#include "tools/csv.hpp"
#include "tools/writers.hpp"

namespace dcsim::tools {


// One row per directed link × interval, for the links that carry anything in the run:
// offered traffic (all, and by kind), utilisation (offered / capacity), what the link
// carried once it was shared max-min fairly (<= capacity), and its mean queueing delay.
// Migration waves are planned into the links (background: the room the other traffic
// leaves; reserved: the capacity) rather than shared, so they are carried as planned.
std::string links_csv(const RunIdentity& id, const models::Metrics& m, const models::World& w) {
  std::string out = "run_id,scenario,variant,seed,link,from,to,kind,srlg,interval,interval_start_s,interval_start_utc,"
                    "capacity_gbps,offered_gbps";
  for (std::size_t k = 0; k < models::kLinkTraffic; ++k)
    out += std::string(",") + models::name(static_cast<models::LinkTraffic>(k)) + "_gbps";
  out += ",utilisation,carried_gbps,queueing_delay_ms\n";
  const std::string lead = row_lead(id);
  const double iv_s = sim::to_seconds(m.interval());
  for (const auto& link : models::link_infos(w)) {
    double total = 0;
    for (std::size_t i = 0; i < m.intervals(); ++i)
      for (std::size_t k = 0; k < models::kLinkTraffic; ++k) total += m.link_loads->bytes(i, link.id, static_cast<models::LinkTraffic>(k));
    if (total == 0) continue;
    for (std::size_t i = 0; i < m.intervals(); ++i) {
      const double seconds = models::interval_seconds(m, w, i);
      const double start_s = iv_s * static_cast<double>(i);
      const double offered = models::offered_gbps(m, w, i, link.id);
      out += lead + csv_field(link.name) + "," + csv_field(link.from) + "," + csv_field(link.to) + "," + link.kind + "," +
             csv_field(link.srlg) + "," + std::to_string(i) + "," + csv_number(start_s, 0) + "," +
             utc_text(w.scenario().meta.start_utc_s + static_cast<std::int64_t>(start_s)) + "," +
             (link.capacity_gbps ? csv_number(*link.capacity_gbps, 3) : "") + "," + csv_number(offered, 6);
      for (std::size_t k = 0; k < models::kLinkTraffic; ++k)
        out += "," + csv_number(seconds > 0 ? m.link_loads->bytes(i, link.id, static_cast<models::LinkTraffic>(k)) * 8 / seconds / 1e9 : 0.0, 6);
      out += "," + (link.capacity_gbps && *link.capacity_gbps > 0 ? csv_number(offered / *link.capacity_gbps, 6) : "");
      const bool shared = m.link_loads->shared() && seconds > 0;
      double carried = 0;
      if (shared) {
        carried = (m.link_loads->carried_bytes(i, link.id) + m.link_loads->bytes(i, link.id, models::LinkTraffic::Migration)) * 8 / seconds / 1e9;
        if (link.capacity_gbps) carried = std::min(carried, *link.capacity_gbps);
      }
      out += "," + (shared ? csv_number(carried, 6) : "") + "," +
             (shared ? csv_number(m.link_loads->delay_s(i, link.id) * 1e3, 6) : "") + "\n";
    }
  }
  return out;
}

// The five hottest links: per directed link or uplink with a capacity, its busiest interval
// (the first of equals) and how long it ran above 80 %; ranked by peak utilisation, then
// link order (as summary.csv's peak link). The same links as summary.csv's
// peak_link_utilisation and link_hours_above_80pct_h.
std::string hottest_links_csv(const RunIdentity& id, const models::Metrics& m, const models::World& w) {
  struct Hot {
    const models::LinkInfo* link;
    double utilisation, gbps, hours_above_80pct;
    std::size_t interval;
  };
  const auto infos = models::link_infos(w);
  std::vector<Hot> hot;
  for (const auto& link : infos) {
    if (!link.capacity_gbps || *link.capacity_gbps <= 0) continue;
    Hot h{&link, 0, 0, 0, 0};
    for (std::size_t i = 0; i < m.intervals(); ++i) {
      const double gbps = models::offered_gbps(m, w, i, link.id);
      const double u = gbps / *link.capacity_gbps;
      if (u > 0.8) h.hours_above_80pct += models::interval_seconds(m, w, i) / 3600;
      if (u > h.utilisation) h = {&link, u, gbps, h.hours_above_80pct, i};
    }
    if (h.utilisation > 0) hot.push_back(h);
  }
  // Ties in link order, as summary.csv's and days.csv's peak link (Dublin's and Dublin-2's
  // uplinks can tie exactly).
  std::stable_sort(hot.begin(), hot.end(), [](const Hot& a, const Hot& b) { return a.utilisation > b.utilisation; });
  std::string out = "run_id,scenario,variant,seed,rank,link,from,to,kind,srlg,capacity_gbps,peak_offered_gbps,peak_utilisation,"
                    "peak_interval,peak_interval_start_utc,hours_above_80pct_h\n";
  const std::string lead = row_lead(id);
  const double iv_s = sim::to_seconds(m.interval());
  for (std::size_t r = 0; r < hot.size() && r < 5; ++r) {
    const Hot& h = hot[r];
    out += lead + std::to_string(r + 1) + "," + csv_field(h.link->name) + "," + csv_field(h.link->from) + "," + csv_field(h.link->to) + "," +
           h.link->kind + "," + csv_field(h.link->srlg) + "," + csv_number(*h.link->capacity_gbps, 3) + "," + csv_number(h.gbps, 6) + "," +
           csv_number(h.utilisation, 6) + "," + std::to_string(h.interval) + "," +
           utc_text(w.scenario().meta.start_utc_s + static_cast<std::int64_t>(iv_s * static_cast<double>(h.interval))) + "," +
           csv_number(h.hours_above_80pct, 3) + "\n";
  }
  return out;
}

}  // namespace dcsim::tools
