// `dcsim compare DIR...`: the headline table of run and sweep folders side by side: EEA-exit
// and cross-border shares, dropped share, and p95 time to first byte for the countries with
// the most requests (in the first column) or those --country names. A sweep folder gives one
// row per variant × grid point: mean ± 95 % interval over its seeds (tools/run_groups.hpp). Reads the folders through tools/run_folder_reader.hpp,
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
#include "tools/run_groups.hpp"
#include "tools/run_tables.hpp"

namespace dcsim::tools {

namespace {

struct CompareOptions {
  std::vector<std::string> dirs;
  int countries = 5;
  std::string country;  ///< "PL,PT": these countries instead of the largest
};

// Unicode-aware width of a cell (the ± and · are one column each, several bytes).
std::size_t width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string pad_left(const std::string& s, std::size_t w) { return std::string(w > width(s) ? w - width(s) : 0, ' ') + s; }
std::string pad_right(const std::string& s, std::size_t w) { return s + std::string(w > width(s) ? w - width(s) : 0, ' '); }

int run_compare(const CompareOptions& o) {
  std::vector<RunGroup> groups;
  try {
    groups = read_run_groups(o.dirs);
  } catch (const RunFolderDamage& e) {
    std::fprintf(stderr, "dcsim compare: %s\n", e.what());
    return kExitInvalid;
  }
  std::vector<std::string> countries;
  if (!o.country.empty()) {
    std::string rest = o.country;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const std::string c = rest.substr(0, comma);
      rest = comma == std::string::npos ? "" : rest.substr(comma + 1);
      if (c.empty() || std::find(countries.begin(), countries.end(), c) != countries.end()) continue;  // named twice: one column
      bool known = false;
      for (const auto& g : groups) known = known || g.requests.count(c);
      if (!known) {
        std::string have;
        for (const auto& [code, n] : groups.front().requests) have += (have.empty() ? "" : ",") + code;
        std::fprintf(stderr, "dcsim compare: --country: no run has users in '%s' (countries with requests: %s)\n", c.c_str(), have.c_str());
        return kExitUsage;
      }
      countries.push_back(c);
    }
  } else {
    std::vector<std::pair<double, std::string>> by_size;
    for (const auto& [c, n] : groups.front().requests) by_size.emplace_back(-n, c);
    std::sort(by_size.begin(), by_size.end());
    for (std::size_t i = 0; i < by_size.size() && static_cast<int>(i) < o.countries; ++i) countries.push_back(by_size[i].second);
  }

  // Rows of cells: label, three shares in %, then p95 TTFB per country in ms.
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"build-out", "EEA-exit", "cross-border", "dropped"});
  rows.push_back({"", "share %", "share %", "share %"});
  for (const auto& c : countries) {
    rows[0].push_back(c + " p95");
    rows[1].push_back("ttfb ms");
  }
  bool any_interval = false;
  for (const auto& g : groups) {
    std::vector<std::string> r = {g.label};
    for (const char* f : {"eea_exit_share", "cross_border_share", "dropped_share"}) {
      const auto it = g.figures.find(f);
      const Estimate e = it == g.figures.end() ? Estimate{} : it->second;
      any_interval = any_interval || e.has_interval();
      r.push_back(format_estimate(e, std::string(f) == "dropped_share" ? 2 : 1, 100.0));
    }
    for (const auto& c : countries) {
      const auto it = g.ttfb_p95_ms.find(c);
      r.push_back(it == g.ttfb_p95_ms.end() ? "–" : format_estimate(it->second, 1));
    }
    rows.push_back(std::move(r));
  }
  std::vector<std::size_t> w(rows.front().size(), 0);
  for (const auto& r : rows)
    for (std::size_t i = 0; i < r.size(); ++i) w[i] = std::max(w[i], width(r[i]));
  for (const auto& r : rows) {
    std::string line = pad_right(r[0], w[0]);
    for (std::size_t i = 1; i < r.size(); ++i) line += "  " + pad_left(r[i], w[i]);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    fmt::print("{}\n", line);
  }
  if (any_interval)
    fmt::print("sweeps: mean ± half width of the 95 % confidence interval over the seeds (Student t; latency intervals never narrower than "
               "the histogram's {:.3f} % resolution)\n", 100 * models::kLatencyRelativeError);
  return kExitOk;
}

}  // namespace

void add_compare_command(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<CompareOptions>();
  CLI::App* cmd = app.add_subcommand("compare", "Headline figures of run and sweep folders side by side (sweeps: mean ± 95 % interval)");
  cmd->add_option("DIRS", opts->dirs,
                  "Run folders (dcsim run) or sweep folders (dcsim sweep: one row per variant × grid point); each file is checked against its manifest's SHA-256")
      ->required();
  cmd->add_option("--countries", opts->countries, "How many of the largest countries to show (default 5)")->check(whole_number(0, 40));
  cmd->add_option("--country", opts->country, "These countries instead, comma-separated ISO codes (e.g. PL,PT)");
  cmd->callback([opts, &exit_code] { exit_code = run_compare(*opts); });
}

}  // namespace dcsim::tools
