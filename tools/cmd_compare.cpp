// `dcsim compare DIR...`: the headline table of several run folders side by side: EEA-exit
// and cross-border shares, dropped share, and p95 time to first byte for the countries with
// the most requests (in the first run). Reads the folders through tools/run_folder_reader.hpp,
// which checks each file against the SHA-256 the run's manifest lists, so a file changed
// since the run is named, not shown.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>

#include <fmt/core.h>

#include "tools/cli.hpp"
#include "tools/cli_options.hpp"
#include "tools/run_tables.hpp"

namespace dcsim::tools {

namespace {

struct CompareOptions {
  std::vector<std::string> dirs;
  int countries = 5;
};

struct RunView {
  std::string label;
  models::Headline headline;
  std::map<std::string, double> ttfb_p95;   ///< country → ms (all user classes)
  std::map<std::string, double> requests;   ///< country → requests (all user classes)
};

// The run's headline figures and per-country TTFB, each file checked against the manifest.
RunView load(const std::string& dir) {
  const RunFolderReader run(dir);
  RunView v;
  v.label = run.manifest().label();
  v.headline = read_headline(run.table("summary.csv"));
  for (const LatencyRow& l : read_latency(run.table("latency.csv")))
    if (l.cls == "ALL" && l.measure == "ttfb" && l.country != "ALL") {
      v.ttfb_p95[l.country] = l.p95_ms;
      v.requests[l.country] = l.requests;
    }
  return v;
}

int run_compare(const CompareOptions& o) {
  std::vector<RunView> runs;
  for (const auto& d : o.dirs) {
    try {
      runs.push_back(load(d));
    } catch (const RunFolderDamage& e) {
      std::fprintf(stderr, "dcsim compare: %s\n", e.what());
      return kExitInvalid;
    }
  }
  std::vector<std::pair<double, std::string>> by_size;
  for (const auto& [c, n] : runs.front().requests) by_size.emplace_back(-n, c);
  std::sort(by_size.begin(), by_size.end());
  std::vector<std::string> countries;
  for (std::size_t i = 0; i < by_size.size() && static_cast<int>(i) < o.countries; ++i) countries.push_back(by_size[i].second);

  fmt::print("{:<24} {:>10} {:>13} {:>9}", "build-out", "EEA-exit", "cross-border", "dropped");
  for (const auto& c : countries) fmt::print(" {:>9}", c + " p95");
  fmt::print("\n{:<24} {:>10} {:>13} {:>9}", "", "share", "share", "share");
  for (std::size_t i = 0; i < countries.size(); ++i) fmt::print(" {:>9}", "ttfb ms");
  fmt::print("\n");
  for (const auto& r : runs) {
    const models::Headline& h = r.headline;
    fmt::print("{:<24} {:>9.1f}% {:>12.1f}% {:>8.2f}%", r.label, 100 * h.eea_exit_share, 100 * h.cross_border_share, 100 * h.dropped_share);
    for (const auto& c : countries) fmt::print(" {:>9.1f}", r.ttfb_p95.count(c) ? r.ttfb_p95.at(c) : 0.0);
    fmt::print("\n");
  }
  return kExitOk;
}

}  // namespace

void add_compare_command(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<CompareOptions>();
  CLI::App* cmd = app.add_subcommand("compare", "Headline figures of several run folders side by side");
  cmd->add_option("DIRS", opts->dirs, "Run folders (written by dcsim run); each file is checked against its manifest's SHA-256")->required();
  cmd->add_option("--countries", opts->countries, "How many of the largest countries to show (default 5)")->check(whole_number(0, 40));
  cmd->callback([opts, &exit_code] { exit_code = run_compare(*opts); });
}

}  // namespace dcsim::tools
