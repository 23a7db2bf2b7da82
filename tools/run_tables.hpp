// Typed rows of a run folder's files, read through RunFolderReader (so each file is checked
// against its SHA-256 first): the headline figures of summary.csv (through the figure table,
// models/summary.hpp), border.csv, latency.csv, sites.csv, events.csv, and places.csv (where
// the run's countries, regions, sites and staff are). Columns are found by name, so columns
// added by later dcsim versions are ignored. Bytes are real bytes, times seconds from the
// run's start, latencies ms. Every problem is a RunFolderDamage naming file, line, column.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "models/run/summary.hpp"
#include "tools/assertions.hpp"
#include "tools/run_folder_reader.hpp"

namespace dcsim::tools {

/// border.csv: one origin country × site.
struct BorderRow {
  std::string origin_country, site, site_country;
  bool origin_eea = false, site_eea = false, cross_border = false;
  double bytes = 0, eea_exit_bytes = 0;
  std::map<std::string, double> eea_exit_by_reason;  ///< reason → bytes (from eea_exit_<reason>_bytes)
};

/// latency.csv: one origin country × class × measure ("ALL" rows included).
struct LatencyRow {
  std::string country, cls, measure;
  double requests = 0, mean_ms = 0, p50_ms = 0, p90_ms = 0, p95_ms = 0, p99_ms = 0, max_ms = 0;
};

/// sites.csv: one built site × reporting interval.
struct SiteIntervalRow {
  std::string site, site_country, start_utc;
  double start_s = 0, servers = 0, arrivals = 0, accepted = 0, rejected = 0, spilled_in = 0;
  double utilisation = 0, mean_queue = 0, max_queue = 0, mean_wait_ms = 0, bytes = 0;
};

/// events.csv: one what-if event (end_s absent for events that last to the end).
struct EventRow {
  std::string id, kind, target, start_utc;
  double start_s = 0;
  std::optional<double> end_s, time_to_recover_s;
  double requests_lost = 0, requests_retried = 0, requests_failed_over = 0, requests_dropped = 0;
  double eea_exit_bytes = 0, catchup_bytes = 0, routes_changed = 0, ttfb_p95_ms = 0;
};

// places.csv: what the run knew of where things are, so the run folder alone can be drawn.
struct RegionPlace {
  std::string id, name, country;
  double lat = 0, lon = 0, monthly_users = 0;
};
struct SitePlace {
  std::string id, name, country;
  double lat = 0, lon = 0;
  bool built = false, eea = false, adequacy = false;
};
/// A staff location issuing employee-access requests (their country may have no regions).
struct StaffPlace {
  std::string id, country;
  double lat = 0, lon = 0;
};
/// A backbone hub (links.csv names links by their hubs).
struct HubPlace {
  std::string id, name, country;
  double lat = 0, lon = 0;
};
struct RunPlaces {
  bool available = false;
  std::string note;  ///< why there are no places (a run folder from before places.csv)
  std::vector<RegionPlace> regions;
  std::vector<SitePlace> sites;  ///< the whole catalog; `built` marks the build-out
  std::vector<StaffPlace> staff;
  std::vector<HubPlace> hubs;  ///< empty for run folders written before hubs were recorded
  std::set<std::string> eea_countries;
};

/// summary.csv as a Headline: every row's metric must be a figure of kHeadlineFigures, and
/// every single (not per-percentile) figure present once. An empty value reads as NaN.
models::Headline read_headline(const RunTable& summary);
std::vector<BorderRow> read_border(const RunTable& border);
std::vector<LatencyRow> read_latency(const RunTable& latency);
std::vector<SiteIntervalRow> read_sites(const RunTable& sites);
std::vector<EventRow> read_events(const RunTable& events);
/// places.csv, or no places (available false, with a note) when the manifest lists none.
RunPlaces read_places(const RunFolderReader& run);

/// links.csv reduced to what the backbone map draws: each directed link's peak utilisation
/// (offered over capacity, busiest interval) and Gbps offered then; uplinks left out.
struct LinkPeak {
  std::string name, from, to, kind;
  double peak_utilisation = 0, peak_offered_gbps = 0, capacity_gbps = 0;
  bool has_capacity = false;
};
std::vector<LinkPeak> read_link_peaks(const RunTable& links);

/// storage.csv reduced to what the report draws, per day: EEA users' personal data stored
/// at sites outside the EEA (every copy) and in all (primary copies).
struct StorageDayTotals {
  long day = 0;
  std::string start_utc;
  double eea_outside_bytes = 0, eea_primary_bytes = 0;
};
std::vector<StorageDayTotals> read_storage_totals(const RunTable& storage);
/// days.csv reduced to what the report draws: the EEA-exit share per day.
struct DayShare {
  long day = 0;
  double eea_exit_share = 0;
};
std::vector<DayShare> read_day_shares(const RunTable& days);
/// migrations.csv reduced to each personal-data wave's first complete day (absent: not
/// complete in the run, or a content wave).
std::map<std::string, long> read_wave_completion(const RunTable& migrations);

/// What `dcsim report` shows of a run, all from its folder.
struct RunResults {
  std::filesystem::path dir;
  RunManifest manifest;
  std::string label;  ///< manifest.label(), made unique among the runs of a report
  models::Headline headline;
  std::vector<BorderRow> border;
  std::vector<LatencyRow> latency;
  std::vector<SiteIntervalRow> sites;
  std::vector<EventRow> events;
  RunPlaces places;
  std::vector<LinkPeak> links;  ///< backbone links (links.csv), when the run folder has it
  std::vector<StorageDayTotals> storage;  ///< by day (storage.csv), when the run has `data:`
  std::map<std::string, long> waves_done;  ///< wave → day it completed (migrations.csv)
  std::vector<DayShare> days;              ///< by day (days.csv), when the run folder has it
  /// A sweep's variant × grid point shown as one column: how many seeds, and each headline
  /// figure's mean and 95 % half width over them (summary.csv name → (mean, half width)).
  /// The maps and charts show the first seed's run (`dir`).
  std::size_t seeds = 1;
  std::map<std::string, std::pair<double, double>> figure_ci;
  /// Plan claims (assertions.csv): per run, or over a sweep point's seeds. Empty: none stated.
  std::vector<ClaimInterval> claims;

  /// The latency row for (country, class, measure), or nullptr.
  const LatencyRow* latency_row(const std::string& country, const std::string& cls, const std::string& measure) const;
};

/// Reads every file above from the run folder `dir`. Throws RunFolderDamage.
RunResults read_run_results(const std::filesystem::path& dir);

}  // namespace dcsim::tools
