// A run folder as the report reads it: the manifest's provenance and the CSV tables the
// report draws from, typed. Reads files only (never the engine or the models), so it works
// on any run folder dcsim wrote; every problem is a ReportError naming the file, the line
// and the column. Bytes are real bytes, times seconds from the run's start, latencies ms.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dcsim::tools::report {

/// A run folder that cannot be read; the message names the file and what is wrong.
struct ReportError {
  std::string message;
};

struct Manifest {
  std::string dcsim_version, run_id, scenario, scenario_path, scenario_sha256, variant, fidelity;
  std::vector<std::string> input_files, overrides;
  double seed = 0, scale = 1, start_utc_s = 0, duration_h = 0, wall_time_s = 0;
};

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
struct SiteInterval {
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

struct RunData {
  std::filesystem::path dir;
  Manifest manifest;
  std::string label;  ///< the variant, or the scenario name for a run of the base
  std::vector<std::pair<std::string, double>> summary;  ///< summary.csv in file order
  std::vector<BorderRow> border;
  std::vector<LatencyRow> latency;
  std::vector<SiteInterval> sites;
  std::vector<EventRow> events;

  /// A summary.csv metric; nullopt when the run does not report it.
  std::optional<double> metric(const std::string& name) const;
  /// The latency row for (country, class, measure), or nullptr.
  const LatencyRow* latency_row(const std::string& country, const std::string& cls, const std::string& measure) const;
};

/// Reads manifest.json, summary.csv, border.csv, latency.csv, sites.csv and events.csv of
/// a run folder. Throws ReportError when a file is missing or malformed.
RunData load_run(const std::filesystem::path& dir);

/// The run folders named on the command line: a run folder (it has manifest.json) stands
/// for itself; a sweep folder (runs/<run_id>/ inside) for each of its finished runs, in the
/// order of its runs.csv. Throws ReportError for a path that is neither.
std::vector<std::filesystem::path> expand_run_dirs(const std::vector<std::string>& args);

/// Makes labels unique for the page: runs sharing a label get " · seed N", and if that is
/// not enough (a sweep's grid points), " · <run id>".
void disambiguate_labels(std::vector<RunData*> runs);

}  // namespace dcsim::tools::report
