// links.csv: traffic on every directed backbone link and site uplink, per interval.
#include "models/run/link_summary.hpp"
#include "tools/csv.hpp"
#include "tools/writers.hpp"

namespace dcsim::tools {


// One row per directed link × interval, for the links that carry anything in the run:
// offered traffic (all, and by kind), utilisation (offered / capacity), what the link
// carried once it was shared max-min fairly (<= capacity), and its mean queueing delay.
std::string links_csv(const RunIdentity& id, const models::Metrics& m, const models::World& w) {
  std::string out = "run_id,scenario,variant,seed,link,from,to,kind,srlg,interval,interval_start_s,interval_start_utc,"
                    "capacity_gbps,offered_gbps";
  for (std::size_t k = 0; k < models::kLinkTraffic; ++k)
    out += std::string(",") + models::name(static_cast<models::LinkTraffic>(k)) + "_gbps";
  out += ",utilisation,carried_gbps,queueing_delay_ms\n";
  const std::string lead = csv_field(id.run_id) + "," + csv_field(id.scenario) + "," + csv_field(id.variant) + "," + std::to_string(id.seed) + ",";
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
      out += "," + (shared ? csv_number(m.link_loads->carried_bytes(i, link.id) * 8 / seconds / 1e9, 6) : "") + "," +
             (shared ? csv_number(m.link_loads->delay_s(i, link.id) * 1e3, 6) : "") + "\n";
    }
  }
  return out;
}

}  // namespace dcsim::tools
