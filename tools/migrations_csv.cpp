// migrations.csv: each migration wave by day — what it moved, what is left, the rate it
// achieved and what limited it, and the EEA-exit bytes that data not yet moved still caused
// (personal data; a content wave moves uploads, which send no request to where they are).
#include <algorithm>
#include <map>

#include "models/run/link_summary.hpp"
#include "tools/csv.hpp"
#include "tools/writers.hpp"

namespace dcsim::tools {

std::string migrations_csv(const RunIdentity& id, const models::Metrics& m, const models::World& w) {
  const models::Scenario& s = w.scenario();
  std::string out = "run_id,scenario,variant,seed,"
                    "migration,kind,day,day_start_utc,moved_bytes,remaining_bytes,mean_rate_gbps,bottleneck_link,complete,"
                    "eea_exit_legacy_location_bytes\n";
  const auto links = models::link_infos(w);
  const std::string lead = row_lead(id);
  const double iv_s = sim::to_seconds(m.interval());
  const std::size_t nc = m.countries().size();
  for (std::size_t wv = 0; wv < m.migration_waves.size() && wv < m.migration_wave_info.size(); ++wv) {
    const auto& series = m.migration_waves[wv];
    const models::WaveInfo& mig = m.migration_wave_info[wv];
    // The legacy exits the wave's data still causes: at its sources, of its users' countries
    // (the data's: also staff reading it; a re-homing moves data between homes in the EEA:
    // none). Two waves emptying the same site of the same countries' data each show those.
    std::vector<bool> covers(nc, false);
    for (std::size_t c = 0; c < nc; ++c)
      covers[c] = mig.kind == models::DataKind::Personal && !mig.rehoming &&
                  std::find(mig.countries.begin(), mig.countries.end(), m.countries()[c]) != mig.countries.end();
    std::vector<std::size_t> slots;  // the wave's sources among Metrics::legacy_exit_sources
    const auto& sources = m.legacy_exit_sources;
    for (std::size_t k = 0; k < sources.size(); ++k)
      if (std::find(mig.from.begin(), mig.from.end(), sources[k]) != mig.from.end()) slots.push_back(k);
    // Reporting intervals grouped by day since the start.
    std::map<long, std::vector<std::size_t>> days;
    for (std::size_t i = 0; i < series.size(); ++i) days[static_cast<long>(iv_s * static_cast<double>(i) / 86400)].push_back(i);
    for (const auto& [day, ivs] : days) {
      double moved = 0, active_s = 0, exits = 0;
      std::map<int, int> limiting;  // link → intervals it limited the wave
      for (auto i : ivs) {
        moved += series[i].moved_bytes;
        if (series[i].moved_bytes > 0) active_s += models::interval_seconds(m, w, i);
        if (series[i].bottleneck_link >= 0) ++limiting[series[i].bottleneck_link];
        for (auto k : slots)
          for (std::size_t c = 0; c < nc; ++c)
            if (covers[c]) exits += m.legacy_exit_by_interval_source_country[(i * sources.size() + k) * nc + c];
      }
      std::string bottleneck;
      int most = 0;
      for (const auto& [link, n] : limiting)
        if (n > most) {
          most = n;
          bottleneck = links[static_cast<std::size_t>(link)].name;
        }
      const long done = wv < m.migration_completed_in.size() ? m.migration_completed_in[wv] : -1;
      const bool complete = done >= 0 && static_cast<std::size_t>(done) <= ivs.back();
      out += lead + csv_field(mig.id) + "," + (mig.kind == models::DataKind::Personal ? "personal" : "content") + "," +
             std::to_string(day) + "," +
             utc_text(s.meta.start_utc_s + static_cast<std::int64_t>(day) * 86400) + "," + count(moved) + "," +
             count(series[ivs.back()].remaining_bytes) + "," + csv_number(active_s > 0 ? moved * 8 / 1e9 / active_s : 0.0, 3) + "," +
             csv_field(bottleneck) + "," + (complete ? "1" : "0") + "," + count(exits) + "\n";
    }
  }
  return out;
}

}  // namespace dcsim::tools
