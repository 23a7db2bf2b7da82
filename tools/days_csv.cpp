// days.csv: the run day by day (days since the start), for long horizons where the
// per-interval tables are too fine to read: what sites served, the EEA-exit share and what
// data not yet moved still causes, migrated bytes, EEA users' data still stored outside
// the EEA, and the day's busiest site and link (highest interval utilisation).
#include <algorithm>
#include <cmath>

#include "models/run/link_summary.hpp"
#include "tools/csv.hpp"
#include "tools/writers.hpp"

namespace dcsim::tools {

std::string days_csv(const RunIdentity& id, const models::Metrics& m, const models::World& w) {
  const models::Scenario& s = w.scenario();
  std::string out = "run_id,scenario,variant,seed,day,day_start_utc,site_served_requests,site_served_bytes,eea_data_bytes,"
                    "eea_exit_bytes,eea_exit_share,eea_exit_legacy_location_bytes,migrated_bytes,"
                    "eea_users_stored_outside_eea_bytes,peak_site_utilisation,peak_site,peak_link_utilisation,peak_link\n";
  const std::string lead = row_lead(id);
  const double iv_s = sim::to_seconds(m.interval());
  const std::size_t nc = m.countries().size(), ns = w.sites().size();
  const auto links = models::link_infos(w);
  std::vector<double> migrated(m.intervals(), 0.0);
  for (const auto& tr : m.migration_transfers) migrated[tr.interval] += tr.bytes;
  const std::size_t days = m.intervals() == 0 ? 0 : static_cast<std::size_t>(iv_s * static_cast<double>(m.intervals() - 1) / 86400) + 1;
  std::size_t iv = 0;
  for (std::size_t day = 0; day < days; ++day) {
    double served = 0, bytes = 0, data = 0, exits = 0, legacy = 0, moved = 0, site_peak = -1, link_peak = -1;
    std::string site_name, link_name;
    for (; iv < m.intervals() && static_cast<std::size_t>(iv_s * static_cast<double>(iv) / 86400) == day; ++iv) {
      data += m.eea_data_by_interval[iv];
      exits += m.eea_exit_by_interval[iv];
      for (std::size_t c = 0; c < nc; ++c) legacy += m.legacy_exit_by_interval_country[iv * nc + c];
      moved += migrated[iv];
      for (std::size_t k = 0; k < ns; ++k) {
        if (!w.sites()[k].built) continue;
        const models::SiteInterval& v = m.site_interval(k, iv);
        served += v.accepted;
        bytes += v.bytes;
        const double u = v.capacity_ns > 0 ? v.busy_ns / v.capacity_ns : 0;
        if (u > site_peak) {
          site_peak = u;
          site_name = m.sites()[k];
        }
      }
      if (!m.link_loads) continue;
      for (const auto& l : links) {
        if (!l.capacity_gbps || *l.capacity_gbps <= 0) continue;
        const double u = models::offered_gbps(m, w, iv, l.id) / *l.capacity_gbps;
        if (u > link_peak) {
          link_peak = u;
          link_name = l.name;
        }
      }
    }
    // EEA users' personal data (primary copies) at sites outside the EEA at the day's end.
    std::string outside;
    const std::size_t per_day = ns * models::kStorageCells;
    if (!m.storage.empty() && (day + 1) * per_day <= m.storage.size()) {
      double b = 0;
      for (std::size_t k = 0; k < ns; ++k)
        if (!w.sites()[k].eea) b += m.storage[models::storage_index(day, ns, k, models::StoredKind::Personal, 0)].eea_users_bytes;
      outside = count(b);
    }
    out += lead + std::to_string(day) + "," + utc_text(s.meta.start_utc_s + static_cast<std::int64_t>(day) * 86400) + "," +
           count(served) + "," + count(bytes) + "," + count(data) + "," + count(exits) + "," +
           csv_number(data > 0 ? exits / data : 0.0, 6) + "," + count(legacy) + "," + count(moved) + "," + outside + "," +
           csv_number(std::max(site_peak, 0.0), 6) + "," + csv_field(site_name) + "," +
           (link_peak >= 0 ? csv_number(link_peak, 6) : std::string()) + "," + csv_field(link_name) + "\n";
  }
  return out;
}

}  // namespace dcsim::tools
