// The HTML report: one self-contained page (inline CSS and SVG, no scripts, nothing
// fetched) comparing one or more runs. Each part is built by its own function so tests can
// check it alone; `build_report` puts them together. Elements carry stable classes that
// tests and the browser test count: `region` circles, `site` markers, `flow` lines
// (`flow eea-exit` for EEA-exit ones), `lat-bar`, `util-line`, `event-band`, `event-lane`.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "tools/report/geography.hpp"
#include "tools/run_tables.hpp"

namespace dcsim::tools::report {

struct ReportOptions {
  std::string title;              ///< empty: made from the runs' scenario names
  double flow_min_share = 0.001;  ///< flows below this share of a run's site bytes are not drawn (unless they leave the EEA)
};

/// What one run's map drew.
struct MapCounts {
  int regions = 0, regions_off_map = 0, sites = 0, flows = 0, eea_exit_flows = 0, flows_hidden = 0;
};

/// Scales shared by all maps of a report so line widths and circle sizes compare across runs.
struct MapScales {
  double max_flow_bytes = 0;
  double max_region_users = 0;
};
MapScales map_scales(const std::vector<RunResults>& runs);

/// True when the map draws this border.csv row as a line: bytes > 0 and either at least
/// `min_share` of the run's site bytes (the sum of border.csv bytes) or EEA-exit bytes > 0.
bool flow_drawn(const BorderRow& row, double run_bytes, double min_share);

/// The shared basemap (`<svg>` holding `<defs>` with every outline, EEA countries shaded):
/// emitted once per page and referenced by each map with `<use>`.
std::string basemap_defs(const std::vector<RunResults>& runs);
/// One run's map (regions, sites, flows, legend) as an `<svg>` element.
std::string map_svg(const RunResults& run, const MapScales& scales, const ReportOptions& options, MapCounts* counts = nullptr);

/// The headline-figures table, one column per run.
std::string compare_table(const std::vector<RunResults>& runs);
/// Per-country time-to-first-byte percentile bars (p50 tick, p95 bar, p99 whisker), runs side by side.
std::string latency_country_chart(const std::vector<RunResults>& runs);
/// Per-class completion-time percentile bars (all countries), runs side by side.
std::string latency_class_chart(const std::vector<RunResults>& runs);
/// Site utilisation over the run (one line per built site) with the run's events as lanes
/// above the plot and bands across it.
std::string utilisation_chart(const RunResults& run, const std::vector<std::string>& site_order);
/// EEA users' personal data stored outside the EEA by day (storage.csv), with the day each
/// migration wave completed marked; empty when the run has no storage.csv.
std::string storage_chart(const RunResults& run);
/// The EEA-exit share by day (days.csv) with the day each migration wave completed marked;
/// empty when the run has no days.csv.
std::string exit_share_chart(const RunResults& run);
/// The table of what-if events and what each changed (empty string when the run has none).
std::string events_table(const RunResults& run);
/// The largest country → site flows and every EEA-exit flow, as a table.
std::string flows_table(const RunResults& run, std::size_t top);

/// The backbone of one run coloured by each link's peak utilisation (links.csv), the
/// hottest links labelled, with a table of the ten hottest; empty when the run folder has no
/// hub positions or no links.csv.
std::string backbone_svg(const RunResults& run, std::size_t labelled = 5);

/// One row of resilience.csv (dcsim resilience): a failure and what it does.
struct FailureRow {
  std::string kind, failure, peak_link;
  double peak_link_utilisation = 0, dropped_requests = 0, unreachable_requests = 0, eea_exit_share = 0, ttfb_p95_ms = 0,
         ttfb_p95_change_ms = 0;
  int rank = 0;
};
/// resilience.csv of a resilience folder. Throws RunFolderDamage naming file:line.
std::vector<FailureRow> read_resilience(const std::filesystem::path& csv);
/// The N-1 table: the scenario as it is, then the worst `top` failures.
std::string resilience_table(const std::string& title, const std::vector<FailureRow>& rows, std::size_t top = 15);

/// The plan claims (assertions:) of every run, pass or fail per column, with a verdict line;
/// empty when no run states any.
std::string claims_section(const std::vector<RunResults>& runs);

/// A resilience folder named on the command line: its title and rows.
struct ResilienceInput {
  std::string title;
  std::vector<FailureRow> rows;
};

/// The whole page.
std::string build_report(const std::vector<RunResults>& runs, const ReportOptions& options = {},
                         const std::vector<ResilienceInput>& resilience = {});

}  // namespace dcsim::tools::report
