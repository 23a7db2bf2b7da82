// Reading a run folder for the report: manifest.json and each CSV through
// tools/run_manifest.hpp (so every file is checked against its SHA-256), then typed views of
// the tables (tools/csv.hpp parses them). Columns are found by name, so extra columns
// written by later dcsim versions are ignored.
#include "tools/report/run_data.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "tools/csv.hpp"
#include "tools/file_io.hpp"
#include "tools/run_manifest.hpp"

namespace dcsim::tools::report {

namespace fs = std::filesystem;

namespace {

Manifest read_manifest(const RunManifest& j) {
  Manifest m;
  m.dcsim_version = j.dcsim_version;
  m.run_id = j.run_id;
  m.scenario = j.scenario;
  m.scenario_path = j.scenario_path;
  m.scenario_sha256 = j.scenario_sha256;
  m.variant = j.variant;
  m.fidelity = j.fidelity;
  m.input_files = j.input_files;
  m.overrides = j.overrides;
  m.seed = static_cast<double>(j.seed);
  m.scale = static_cast<double>(j.scale);
  m.start_utc_s = static_cast<double>(j.start_utc_s);
  m.duration_h = j.duration_h;
  m.wall_time_s = j.wall_time_s;
  return m;
}

// ---- CSV tables ----

/// A parsed CSV with columns looked up by name and fields converted with file:line context.
class Table {
 public:
  Table(const fs::path& p, const std::string& text) : file_(p.string()) {
    try {
      t_ = parse_csv(text);
    } catch (const CsvError& e) {
      throw ReportError{file_ + ":" + std::to_string(e.line) + ": " + e.message};
    }
    static const char* const kLead[] = {"run_id", "scenario", "variant", "seed"};
    for (std::size_t i = 0; i < 4; ++i)
      if (t_.header.size() <= i || t_.header[i] != kLead[i])
        throw ReportError{file_ + ":1: not a dcsim CSV (its header must start with run_id,scenario,variant,seed)"};
  }
  std::size_t rows() const { return t_.rows.size(); }
  std::size_t col(const std::string& name) const {
    const auto it = std::find(t_.header.begin(), t_.header.end(), name);
    if (it == t_.header.end()) throw ReportError{file_ + ":1: no column '" + name + "'"};
    return static_cast<std::size_t>(it - t_.header.begin());
  }
  bool has(const std::string& name) const { return std::find(t_.header.begin(), t_.header.end(), name) != t_.header.end(); }
  const std::vector<std::string>& header() const { return t_.header; }
  const std::string& text(std::size_t row, std::size_t c) const { return t_.rows[row][c]; }
  double number(std::size_t row, std::size_t c) const {
    const auto v = optional_number(row, c);
    if (!v) fail(row, c, "empty");
    return *v;
  }
  std::optional<double> optional_number(std::size_t row, std::size_t c) const {
    const std::string& s = t_.rows[row][c];
    if (s.empty()) return std::nullopt;
    double d = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(d)) fail(row, c, "'" + s + "' is not a number");
    return d;
  }
  bool flag(std::size_t row, std::size_t c) const {
    const std::string& s = t_.rows[row][c];
    if (s == "1" || s == "true") return true;
    if (s == "0" || s == "false") return false;
    fail(row, c, "'" + s + "' is not 0 or 1");
  }

 private:
  [[noreturn]] void fail(std::size_t row, std::size_t c, const std::string& what) const {
    throw ReportError{file_ + ":" + std::to_string(t_.row_lines[row]) + ": column " + t_.header[c] + ": " + what};
  }
  std::string file_;
  CsvTable t_;
};

}  // namespace

std::optional<double> RunData::metric(const std::string& name) const {
  for (const auto& [k, v] : summary)
    if (k == name) return v;
  return std::nullopt;
}

const LatencyRow* RunData::latency_row(const std::string& country, const std::string& cls, const std::string& measure) const {
  for (const auto& r : latency)
    if (r.country == country && r.cls == cls && r.measure == measure) return &r;
  return nullptr;
}

RunData load_run(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw ReportError{dir.string() + ": not a run folder (no such directory)"};
  RunData r;
  r.dir = dir;
  RunManifest manifest;
  try {
    manifest = read_run_manifest(dir);
  } catch (const RunFolderDamage& e) {
    throw ReportError{e.what()};
  }
  r.manifest = read_manifest(manifest);
  // Every table is read through the manifest's SHA-256: a changed file is named, not drawn.
  auto table = [&](const std::string& name) {
    try {
      return Table(dir / name, read_verified(manifest, name));
    } catch (const RunFolderDamage& e) {
      throw ReportError{e.what()};
    }
  };

  {
    const Table t = table("summary.csv");
    const std::size_t metric = t.col("metric"), value = t.col("value");
    for (std::size_t i = 0; i < t.rows(); ++i) r.summary.emplace_back(t.text(i, metric), t.number(i, value));
    if (t.rows() == 0) throw ReportError{(dir / "summary.csv").string() + ": no rows"};
    const std::string variant = t.text(0, t.col("variant")), scenario = t.text(0, t.col("scenario"));
    r.label = variant.empty() || variant == "base" ? scenario : variant;
  }
  {
    const Table t = table("border.csv");
    const std::size_t oc = t.col("origin_country"), oe = t.col("origin_eea"), site = t.col("site"), sc = t.col("site_country"),
                      se = t.col("site_eea"), cb = t.col("cross_border"), bytes = t.col("bytes"), exit = t.col("eea_exit_bytes");
    std::vector<std::pair<std::string, std::size_t>> reasons;
    for (std::size_t c = 0; c < t.header().size(); ++c) {
      const std::string& h = t.header()[c];
      const std::string pre = "eea_exit_", post = "_bytes";
      if (h.size() > pre.size() + post.size() && h.starts_with(pre) && h.ends_with(post))
        reasons.emplace_back(h.substr(pre.size(), h.size() - pre.size() - post.size()), c);
    }
    for (std::size_t i = 0; i < t.rows(); ++i) {
      BorderRow b;
      b.origin_country = t.text(i, oc);
      b.site = t.text(i, site);
      b.site_country = t.text(i, sc);
      b.origin_eea = t.flag(i, oe);
      b.site_eea = t.flag(i, se);
      b.cross_border = t.flag(i, cb);
      b.bytes = t.number(i, bytes);
      b.eea_exit_bytes = t.number(i, exit);
      for (const auto& [reason, c] : reasons) b.eea_exit_by_reason[reason] = t.number(i, c);
      r.border.push_back(std::move(b));
    }
  }
  {
    const Table t = table("latency.csv");
    const std::size_t country = t.col("origin_country"), cls = t.col("class"), measure = t.col("measure"), req = t.col("requests"),
                      mean = t.col("mean_ms"), p50 = t.col("p50_ms"), p90 = t.col("p90_ms"), p95 = t.col("p95_ms"),
                      p99 = t.col("p99_ms"), mx = t.col("max_ms");
    for (std::size_t i = 0; i < t.rows(); ++i) {
      LatencyRow l;
      l.country = t.text(i, country);
      l.cls = t.text(i, cls);
      l.measure = t.text(i, measure);
      l.requests = t.number(i, req);
      // A country × class with no requests has empty percentiles: keep it at zero.
      l.mean_ms = t.optional_number(i, mean).value_or(0);
      l.p50_ms = t.optional_number(i, p50).value_or(0);
      l.p90_ms = t.optional_number(i, p90).value_or(0);
      l.p95_ms = t.optional_number(i, p95).value_or(0);
      l.p99_ms = t.optional_number(i, p99).value_or(0);
      l.max_ms = t.optional_number(i, mx).value_or(0);
      r.latency.push_back(std::move(l));
    }
  }
  {
    const Table t = table("sites.csv");
    const std::size_t site = t.col("site"), sc = t.col("site_country"), start = t.col("interval_start_s"), utc = t.col("interval_start_utc"),
                      servers = t.col("servers"), arrivals = t.col("arrivals"), accepted = t.col("accepted"), rejected = t.col("rejected"),
                      spilled = t.col("spilled_in"), util = t.col("utilisation"), mq = t.col("mean_queue"), xq = t.col("max_queue"),
                      wait = t.col("mean_wait_ms"), bytes = t.col("bytes");
    for (std::size_t i = 0; i < t.rows(); ++i) {
      SiteInterval s;
      s.site = t.text(i, site);
      s.site_country = t.text(i, sc);
      s.start_utc = t.text(i, utc);
      s.start_s = t.number(i, start);
      s.servers = t.number(i, servers);
      s.arrivals = t.number(i, arrivals);
      s.accepted = t.number(i, accepted);
      s.rejected = t.number(i, rejected);
      s.spilled_in = t.number(i, spilled);
      s.utilisation = t.number(i, util);
      s.mean_queue = t.number(i, mq);
      s.max_queue = t.number(i, xq);
      s.mean_wait_ms = t.number(i, wait);
      s.bytes = t.number(i, bytes);
      r.sites.push_back(std::move(s));
    }
  }
  {
    const Table t = table("events.csv");
    const std::size_t id = t.col("event_id"), kind = t.col("kind"), target = t.col("target"), start = t.col("start_s"), end = t.col("end_s"),
                      utc = t.col("start_utc"), lost = t.col("requests_lost"), retried = t.col("requests_retried"),
                      fo = t.col("requests_failed_over"), dropped = t.col("requests_dropped"), exit = t.col("eea_exit_bytes"),
                      catchup = t.col("catchup_bytes"), routes = t.col("routes_changed"), ttr = t.col("time_to_recover_s"),
                      p95 = t.col("ttfb_p95_ms");
    for (std::size_t i = 0; i < t.rows(); ++i) {
      EventRow e;
      e.id = t.text(i, id);
      e.kind = t.text(i, kind);
      e.target = t.text(i, target);
      e.start_utc = t.text(i, utc);
      e.start_s = t.number(i, start);
      e.end_s = t.optional_number(i, end);
      e.time_to_recover_s = t.optional_number(i, ttr);
      e.requests_lost = t.number(i, lost);
      e.requests_retried = t.number(i, retried);
      e.requests_failed_over = t.number(i, fo);
      e.requests_dropped = t.number(i, dropped);
      e.eea_exit_bytes = t.number(i, exit);
      e.catchup_bytes = t.number(i, catchup);
      e.routes_changed = t.number(i, routes);
      e.ttfb_p95_ms = t.optional_number(i, p95).value_or(0);
      r.events.push_back(std::move(e));
    }
  }
  return r;
}

std::vector<fs::path> expand_run_dirs(const std::vector<std::string>& args) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& a : args) {
    const fs::path p(a);
    if (fs::is_regular_file(p / "manifest.json", ec)) {
      out.push_back(p);
      continue;
    }
    if (fs::is_directory(p / "runs", ec)) {
      // A sweep: its runs in the order runs.csv lists them (variants, grid, seeds), else by name.
      std::vector<fs::path> runs;
      if (fs::is_regular_file(p / "runs.csv", ec)) {
        std::string text;
        try {
          text = read_file_text(p / "runs.csv");
        } catch (const IoError& e) {
          throw ReportError{e.what()};
        }
        const Table t(p / "runs.csv", text);
        const std::size_t id = t.col("run_id");
        for (std::size_t i = 0; i < t.rows(); ++i)
          if (fs::is_regular_file(p / "runs" / t.text(i, id) / "manifest.json", ec)) runs.push_back(p / "runs" / t.text(i, id));
      } else {
        for (const auto& e : fs::directory_iterator(p / "runs", ec))
          if (e.is_directory() && fs::is_regular_file(e.path() / "manifest.json", ec)) runs.push_back(e.path());
        std::sort(runs.begin(), runs.end());
      }
      if (runs.empty()) throw ReportError{a + ": a sweep folder with no finished runs in runs/"};
      out.insert(out.end(), runs.begin(), runs.end());
      continue;
    }
    if (!fs::exists(p, ec)) throw ReportError{a + ": no such run folder"};
    if (fs::is_regular_file(p / "summary.csv", ec)) throw ReportError{(p / "manifest.json").string() + ": missing (not a complete run folder?)"};
    throw ReportError{a + ": not a run folder (no manifest.json) nor a sweep folder (no runs/)"};
  }
  return out;
}

void disambiguate_labels(std::vector<RunData*> runs) {
  auto duplicated = [&](const RunData* r) {
    return std::count_if(runs.begin(), runs.end(), [&](const RunData* o) { return o->label == r->label; }) > 1;
  };
  std::vector<RunData*> dup;
  for (RunData* r : runs)
    if (duplicated(r)) dup.push_back(r);
  for (RunData* r : dup) r->label += " · seed " + std::to_string(static_cast<long long>(r->manifest.seed));
  dup.clear();
  for (RunData* r : runs)
    if (duplicated(r)) dup.push_back(r);
  for (RunData* r : dup) r->label += " · " + (r->manifest.run_id.empty() ? r->dir.filename().string() : r->manifest.run_id);
}

}  // namespace dcsim::tools::report
