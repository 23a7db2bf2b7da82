// `dcsim compare DIR...`: the headline table of several run folders side by side: EEA-exit
// and cross-border shares, dropped share, and p95 time to first byte for the countries with
// the most requests (in the first run). Reads the CSVs only after checking them against the
// SHA-256 the run's manifest lists, so a file changed since the run is named, not shown.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>

#include <fmt/core.h>

#include "tools/cli.hpp"
#include "tools/cli_options.hpp"
#include "tools/csv.hpp"
#include "tools/run_manifest.hpp"

namespace dcsim::tools {

namespace {

struct CompareOptions {
  std::vector<std::string> dirs;
  int countries = 5;
};

struct RunView {
  std::string label;
  std::map<std::string, double> summary;
  std::map<std::string, double> ttfb_p95;   ///< country → ms (all user classes)
  std::map<std::string, double> requests;   ///< country → requests (all user classes)
};

// A CSV of the run, checked against the SHA-256 its manifest lists before it is parsed.
CsvTable read_table(const RunManifest& manifest, const std::string& name) {
  const std::string text = read_verified(manifest, name);
  try {
    return parse_csv(text);
  } catch (const CsvError& e) {
    throw CsvError{e.line, (manifest.dir / name).string() + ":" + std::to_string(e.line) + ": " + e.message};
  }
}

std::size_t column(const CsvTable& t, const std::string& name, const std::filesystem::path& p) {
  const auto it = std::find(t.header.begin(), t.header.end(), name);
  if (it == t.header.end()) throw CsvError{1, p.string() + " has no column " + name};
  return static_cast<std::size_t>(it - t.header.begin());
}

RunView load(const std::string& dir) {
  namespace fs = std::filesystem;
  RunView v;
  const RunManifest manifest = read_run_manifest(dir);
  const CsvTable s = read_table(manifest, "summary.csv");
  const std::size_t metric = column(s, "metric", dir), value = column(s, "value", dir), variant = column(s, "variant", dir),
                    scenario = column(s, "scenario", dir);
  for (const auto& row : s.rows) v.summary[row[metric]] = std::stod(row[value]);
  if (!s.rows.empty()) v.label = s.rows[0][variant] == "base" ? s.rows[0][scenario] : s.rows[0][variant];
  const CsvTable l = read_table(manifest, "latency.csv");
  const std::size_t country = column(l, "origin_country", dir), cls = column(l, "class", dir), measure = column(l, "measure", dir),
                    req = column(l, "requests", dir), p95 = column(l, "p95_ms", dir);
  for (const auto& row : l.rows)
    if (row[cls] == "ALL" && row[measure] == "ttfb" && row[country] != "ALL") {
      v.ttfb_p95[row[country]] = std::stod(row[p95]);
      v.requests[row[country]] = std::stod(row[req]);
    }
  return v;
}

int run_compare(const CompareOptions& o) {
  std::vector<RunView> runs;
  for (const auto& d : o.dirs) {
    try {
      runs.push_back(load(d));
    } catch (const CsvError& e) {
      std::fprintf(stderr, "dcsim compare: %s: %s\n", d.c_str(), e.message.c_str());
      return kExitInvalid;
    } catch (const RunFolderDamage& e) {
      std::fprintf(stderr, "dcsim compare: %s\n", e.what());
      return kExitInvalid;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "dcsim compare: %s: malformed run folder (%s)\n", d.c_str(), e.what());
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
    auto get = [&](const char* k) { return r.summary.count(k) ? r.summary.at(k) : 0.0; };
    fmt::print("{:<24} {:>9.1f}% {:>12.1f}% {:>8.2f}%", r.label, 100 * get("eea_exit_share"), 100 * get("cross_border_share"),
               100 * get("dropped_share"));
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
