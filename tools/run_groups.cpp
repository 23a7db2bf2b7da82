// Columns of compare and report: run folders and a sweep's variant × grid points.
#include "tools/run_groups.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "models/run/summary.hpp"
#include "sim/statistics.hpp"
#include "tools/file_io.hpp"

namespace dcsim::tools {

namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& p) {
  try {
    return read_file_text(p);
  } catch (const IoError& e) {
    throw RunFolderDamage(e.what());
  }
}

CsvTable read_csv(const fs::path& p) {
  try {
    return parse_csv(read_text(p));
  } catch (const CsvError& e) {
    throw RunFolderDamage(p.string() + ":" + std::to_string(e.line) + ": " + e.message);
  }
}

std::size_t column(const CsvTable& t, const fs::path& p, const std::string& name) {
  const auto it = std::find(t.header.begin(), t.header.end(), name);
  if (it == t.header.end()) throw RunFolderDamage(p.string() + ":1: no column '" + name + "'");
  return static_cast<std::size_t>(it - t.header.begin());
}

std::optional<double> number(const CsvTable& t, const fs::path& p, std::size_t r, std::size_t c) {
  const std::string& s = t.rows[r][c];
  if (s.empty()) return std::nullopt;
  double d = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(d))
    throw RunFolderDamage(p.string() + ":" + std::to_string(t.row_lines[r]) + ": column " + t.header[c] + ": '" + s + "' is not a number");
  return d;
}

// Per-country p95 TTFB and requests of one run (all user classes).
void read_country_latency(const RunFolderReader& run, std::map<std::string, double>& p95, std::map<std::string, double>& requests) {
  for (const LatencyRow& l : read_latency(run.table("latency.csv")))
    if (l.cls == "ALL" && l.measure == "ttfb" && l.country != "ALL") {
      p95[l.country] = l.p95_ms;
      requests[l.country] = l.requests;
    }
}

std::string label_of(const std::string& scenario, const std::string& variant, const std::vector<std::string>& grid, const std::string& seeds,
                     std::int64_t scale) {
  std::string l = scenario + " · " + (variant.empty() ? "base" : variant);
  for (const auto& g : grid) l += " · " + g;
  return l + " · " + seeds + " · scale " + std::to_string(scale);
}

RunGroup single_run(const fs::path& dir) {
  const RunFolderReader run(dir);
  const RunManifest& m = run.manifest();
  RunGroup g;
  g.scenario = m.scenario;
  g.variant = m.variant;
  g.scale = m.scale;
  g.runs = {dir};
  g.label = label_of(m.scenario, m.variant, {}, "seed " + std::to_string(m.seed), m.scale);
  g.short_label = m.label();
  for (const models::HeadlineRow& row : models::headline_rows(read_headline(run.table("summary.csv"))))
    g.figures[row.name] = Estimate{row.value, std::nan(""), 1};
  std::map<std::string, double> p95;
  read_country_latency(run, p95, g.requests);
  for (const auto& [c, v] : p95) g.ttfb_p95_ms[c] = Estimate{v, std::nan(""), 1};
  return g;
}

std::vector<RunGroup> sweep_groups(const fs::path& dir) {
  const fs::path runs_csv = dir / "runs.csv", summary_csv = dir / "summary.csv";
  std::error_code ec;
  if (!fs::is_regular_file(runs_csv, ec) || !fs::is_regular_file(summary_csv, ec))
    throw RunFolderDamage("'" + dir.string() + "': a sweep folder without runs.csv and summary.csv (not merged yet? run 'dcsim merge " +
                          dir.string() + " -o " + dir.string() + "')");
  const CsvTable runs = read_csv(runs_csv);
  const std::size_t rid = column(runs, runs_csv, "run_id"), rsc = column(runs, runs_csv, "scenario"), rvar = column(runs, runs_csv, "variant"),
                    rseed = column(runs, runs_csv, "seed"), rscale = column(runs, runs_csv, "scale");
  // Grid columns sit between seed and scale.
  if (rscale <= rseed) throw RunFolderDamage(runs_csv.string() + ":1: column scale must come after seed (and the grid columns)");
  std::vector<std::string> grid_keys(runs.header.begin() + static_cast<std::ptrdiff_t>(rseed) + 1,
                                     runs.header.begin() + static_cast<std::ptrdiff_t>(rscale));
  std::vector<RunGroup> groups;
  std::map<std::vector<std::string>, std::size_t> index;  // scenario, variant, grid values → group
  for (std::size_t r = 0; r < runs.rows.size(); ++r) {
    std::vector<std::string> key = {runs.rows[r][rsc], runs.rows[r][rvar]};
    std::vector<std::string> grid;
    for (std::size_t k = 0; k < grid_keys.size(); ++k) {
      key.push_back(runs.rows[r][rseed + 1 + k]);
      grid.push_back(grid_keys[k] + "=" + runs.rows[r][rseed + 1 + k]);
    }
    auto [it, inserted] = index.try_emplace(key, groups.size());
    if (inserted) {
      RunGroup g;
      g.scenario = key[0];
      g.variant = key[1];
      g.grid = grid;
      g.from_sweep = true;
      const double scale = number(runs, runs_csv, r, rscale).value_or(1);
      if (!(scale >= 1 && scale <= 1e9))
        throw RunFolderDamage(runs_csv.string() + ":" + std::to_string(runs.row_lines[r]) + ": column scale: not a scale dcsim runs at");
      g.scale = static_cast<std::int64_t>(scale);
      groups.push_back(std::move(g));
    }
    groups[it->second].runs.push_back(dir / "runs" / runs.rows[r][rid]);
  }
  if (groups.empty()) throw RunFolderDamage(runs_csv.string() + ": no runs");

  const CsvTable summary = read_csv(summary_csv);
  const std::size_t ssc = column(summary, summary_csv, "scenario"), svar = column(summary, summary_csv, "variant"),
                    smetric = column(summary, summary_csv, "metric"), sseeds = column(summary, summary_csv, "seeds"),
                    smean = column(summary, summary_csv, "mean"), shw = column(summary, summary_csv, "ci95_half_width");
  std::vector<std::size_t> sgrid;
  for (const auto& k : grid_keys) sgrid.push_back(column(summary, summary_csv, k));
  for (std::size_t r = 0; r < summary.rows.size(); ++r) {
    std::vector<std::string> key = {summary.rows[r][ssc], summary.rows[r][svar]};
    for (std::size_t c : sgrid) key.push_back(summary.rows[r][c]);
    const auto it = index.find(key);
    if (it == index.end()) throw RunFolderDamage(summary_csv.string() + ":" + std::to_string(summary.row_lines[r]) + ": a point runs.csv does not list");
    Estimate e;
    e.mean = number(summary, summary_csv, r, smean).value_or(std::nan(""));
    e.half_width = number(summary, summary_csv, r, shw).value_or(std::nan(""));
    const double seeds = number(summary, summary_csv, r, sseeds).value_or(0);
    if (!(seeds >= 0 && seeds <= 1e9))
      throw RunFolderDamage(summary_csv.string() + ":" + std::to_string(summary.row_lines[r]) + ": column seeds: not a count of seeds");
    e.n = static_cast<std::size_t>(seeds);
    groups[it->second].figures[summary.rows[r][smetric]] = e;
  }

  for (RunGroup& g : groups) {
    g.label = label_of(g.scenario, g.variant, g.grid, std::to_string(g.runs.size()) + (g.runs.size() == 1 ? " seed" : " seeds"), g.scale);
    g.short_label = g.variant.empty() || g.variant == "base" ? g.scenario : g.variant;
    for (const auto& kv : g.grid) g.short_label += " · " + kv;
    // Per-country latency over the group's runs, each run folder checked against its manifest.
    std::map<std::string, std::vector<double>> p95;
    std::map<std::string, double> requests;
    for (const fs::path& run_dir : g.runs) {
      const RunFolderReader run(run_dir);
      std::map<std::string, double> one_p95, one_requests;
      read_country_latency(run, one_p95, one_requests);
      for (const auto& [c, v] : one_p95) p95[c].push_back(v);
      for (const auto& [c, v] : one_requests) requests[c] += v / static_cast<double>(g.runs.size());
    }
    g.requests = requests;
    for (const auto& [c, values] : p95) {
      const sim::MeanCi ci = sim::mean_ci95(values);
      Estimate e{ci.mean, ci.half_width, ci.n};
      // No interval narrower than the histogram's resolution (as the sweep's summary.csv).
      if (e.n >= 2) e.half_width = std::max(e.half_width, std::fabs(e.mean) * models::kLatencyRelativeError);
      g.ttfb_p95_ms[c] = e;
    }
  }
  return groups;
}

}  // namespace

std::vector<RunGroup> read_run_groups(const std::vector<std::string>& args) {
  std::vector<RunGroup> out;
  std::error_code ec;
  for (const auto& a : args) {
    const fs::path p(a);
    if (fs::is_regular_file(p / "manifest.json", ec)) {
      out.push_back(single_run(p));
    } else if (fs::is_regular_file(p / "sweep.json", ec) || fs::is_directory(p / "runs", ec)) {
      for (RunGroup& g : sweep_groups(p)) out.push_back(std::move(g));
    } else if (!fs::exists(p, ec)) {
      throw RunFolderDamage("'" + a + "': no such run or sweep folder");
    } else {
      throw RunFolderDamage("'" + a + "': not a run folder (no manifest.json) nor a sweep folder (no sweep.json)");
    }
  }
  // Labels name everything that defines a run; two equal labels are the same run twice.
  return out;
}

std::string format_estimate(const Estimate& e, int plain_decimals, double scale) {
  if (!std::isfinite(e.mean)) return "–";
  char buf[96];
  if (!e.has_interval()) {
    std::snprintf(buf, sizeof buf, "%.*f", plain_decimals, e.mean * scale);
    return buf;
  }
  const double hw = e.half_width * scale;
  // Two significant digits of the half width fix the decimals of both numbers.
  int decimals = hw > 0 ? static_cast<int>(std::ceil(-std::log10(hw))) + 1 : plain_decimals;
  decimals = std::clamp(decimals, 0, 9);
  std::snprintf(buf, sizeof buf, "%.*f ± %.*f", decimals, e.mean * scale, decimals, hw);
  return buf;
}

bool separated(const Estimate& a, const Estimate& b) {
  if (!std::isfinite(a.mean) || !std::isfinite(b.mean)) return false;
  return a.high() < b.low() || b.high() < a.low();
}

}  // namespace dcsim::tools
