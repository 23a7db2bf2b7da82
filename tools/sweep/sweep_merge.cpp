// Checking sweep folders against their plan and writing the merged CSVs. Run folders are
// read through tools/run_folder_reader.hpp, the reader compare and report use too.
#include "tools/sweep/sweep_merge.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <map>
#include <memory>
#include <set>
#include <unistd.h>

#include "models/scenario/sweep_spec.hpp"
#include "tools/assertions.hpp"
#include "tools/csv.hpp"
#include "tools/file_io.hpp"
#include "models/run/summary.hpp"
#include "tools/run_folder_reader.hpp"

namespace dcsim::tools {

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kLead = {"run_id", "scenario", "variant", "seed"};

// A run's damaged file, named with what to do about it.
SweepError redo(const fs::path& folder, const RunFolderDamage& e) {
  return SweepError(std::string(e.what()) + "; remove '" + folder.string() + "' and rerun the sweep to redo that run");
}

// Files written into the output folder under a temporary name and renamed together; a
// failed write names the OS reason (IoError).
class Outputs {
 public:
  explicit Outputs(fs::path dir) : dir_(std::move(dir)) {}
  ~Outputs() {
    std::error_code ec;
    for (const auto& [name, tmp] : pending_) fs::remove(tmp, ec);
  }
  FileWriter& open(const std::string& name) {
    const fs::path tmp = dir_ / ("." + name + ".merge-" + std::to_string(::getpid()));
    pending_.emplace_back(name, tmp);
    writer_ = std::make_unique<FileWriter>(tmp);
    return *writer_;
  }
  void close() {
    writer_->close();
    writer_.reset();
  }
  std::vector<std::string> commit() {
    std::vector<std::string> names;
    for (const auto& [name, tmp] : pending_) {
      std::error_code ec;
      fs::rename(tmp, dir_ / name, ec);
      if (ec) throw io_error("write", dir_ / name, ec.value());
      names.push_back(name);
    }
    pending_.clear();
    std::sort(names.begin(), names.end());
    return names;
  }

 private:
  fs::path dir_;
  std::vector<std::pair<std::string, fs::path>> pending_;
  std::unique_ptr<FileWriter> writer_;
};

struct RunSource {
  RunFolderReader run;
  std::map<std::string, std::vector<std::string>> columns;  ///< CSV name → its header, noted while verifying
};

RunSource check_run(const SweepPlan& plan, const PlannedRun& r, const fs::path& folder) {
  auto refuse = [&](const std::string& why) {
    return SweepError("'" + folder.string() + "' does not match the sweep: " + why +
                      "; remove the folder and rerun the sweep to redo that run");
  };
  std::optional<RunFolderReader> run;
  try {
    run.emplace(folder);
  } catch (const RunFolderDamage& e) {
    throw refuse(e.what());
  }
  const RunManifest& m = run->manifest();
  if (m.run_id != r.run_id) throw refuse("its manifest is for run '" + m.run_id + "'");
  if (m.dcsim_version != plan.dcsim_version) throw refuse("made by dcsim " + m.dcsim_version + ", the sweep by dcsim " + plan.dcsim_version);
  if (m.scenario_sha256 != plan.scenario_sha256)
    throw refuse("scenario SHA-256 " + m.scenario_sha256.substr(0, 12) + "… differs from the sweep's " + plan.scenario_sha256.substr(0, 12) + "…");
  if (m.variant != r.variant || m.seed != r.seed)
    throw refuse("variant/seed " + m.variant + "/" + std::to_string(m.seed) + ", expected " + r.variant + "/" + std::to_string(r.seed));
  RunSource src{std::move(*run), {}};
  // Every file checked before anything is written, so a damaged run fails the merge up
  // front; each CSV's columns are noted on the way (the merged header is their union).
  try {
    for (const auto& [name, sha] : src.run.manifest().file_sha) {
      const std::string text = src.run.verified_text(name);
      if (!name.ends_with(".csv")) continue;
      const std::size_t eol = text.find('\n');
      src.columns[name] = RunTable(folder / name, eol == std::string::npos ? text : text.substr(0, eol + 1)).header();
    }
  } catch (const RunFolderDamage& e) {
    throw redo(folder, e);
  }
  return src;
}

// Values of one variant × grid point, for the cross-seed summary.
struct PointStats {
  const PlannedRun* first = nullptr;
  std::vector<std::string> metrics;  ///< in the order the first run lists them
  std::map<std::string, std::vector<double>> values;
  std::vector<ClaimRow> claims;  ///< assertions.csv rows of the point's seeds
};

// One row of a run's summary.csv into the statistics of its grid point. The metric must be a
// figure of kHeadlineFigures (that is where its decimals come from); an empty value (a
// figure with nothing to measure) is left out of the mean.
void add_figure(const RunTable& t, std::size_t row, std::size_t metric_col, std::size_t value_col, PointStats& stats) {
  const std::string& metric = t.text(row, metric_col);
  if (!models::find_figure(metric)) t.fail(row, metric_col, "'" + metric + "' is not a headline figure dcsim writes");
  auto [it, inserted] = stats.values.try_emplace(metric);
  if (inserted) stats.metrics.push_back(metric);
  if (const auto v = t.optional_number(row, value_col)) it->second.push_back(*v);
}

// One CSV of every run into the output (summary.csv's into summary_by_run.csv), the grid
// columns after the leading four and the union of the runs' other columns after those; each
// figure of summary.csv also into its grid point's statistics.
void merge_csv(const std::string& name, const SweepPlan& plan, const std::vector<RunSource>& sources, Outputs& outputs,
               std::map<std::size_t, PointStats>& points) {
  // The union of the runs' columns after the four leading ones, in first-seen order.
  std::vector<std::string> rest;
  std::set<std::string> seen;
  for (const auto& s : sources) {
    const auto columns = s.columns.find(name);
    if (columns == s.columns.end()) continue;
    for (std::size_t c = 4; c < columns->second.size(); ++c)
      if (seen.insert(columns->second[c]).second) rest.push_back(columns->second[c]);
  }
  const bool is_summary = name == "summary.csv";
  const bool is_claims = name == "assertions.csv";
  const std::string out_name = is_summary ? "summary_by_run.csv" : name;
  FileWriter& o = outputs.open(out_name);
  std::vector<std::string> header = kLead;
  header.insert(header.end(), plan.grid_keys.begin(), plan.grid_keys.end());
  header.insert(header.end(), rest.begin(), rest.end());
  std::vector<std::string> quoted;
  for (const auto& h : header) quoted.push_back(csv_field(h));
  o.write(csv_line(quoted));

  for (std::size_t i = 0; i < sources.size(); ++i) {
    const RunSource& s = sources[i];
    const PlannedRun& r = plan.runs[i];
    if (!s.columns.count(name)) continue;
    try {
      const RunTable t = s.run.table(name);
      std::vector<std::size_t> column(t.header().size(), 0);  // input column → output column
      for (std::size_t c = 4; c < t.header().size(); ++c)
        column[c] = 4 + plan.grid_keys.size() + static_cast<std::size_t>(std::find(rest.begin(), rest.end(), t.header()[c]) - rest.begin());
      PointStats* stats = nullptr;
      std::size_t metric_col = 0, value_col = 0;
      if (is_claims) {
        PointStats& p = points[r.point];
        if (!p.first) p.first = &r;
        for (ClaimRow& c : read_claims(t)) p.claims.push_back(std::move(c));
      }
      if (is_summary) {
        metric_col = t.col("metric");
        value_col = t.col("value");
        stats = &points[r.point];
        if (!stats->first) stats->first = &r;
      }
      for (std::size_t row = 0; row < t.rows(); ++row) {
        const std::vector<std::string>& in = t.row(row);
        std::vector<std::string> fields(header.size());
        for (std::size_t c = 0; c < 4; ++c) fields[c] = csv_field(in[c]);
        for (std::size_t k = 0; k < plan.grid_keys.size(); ++k) fields[4 + k] = csv_field(r.grid_values[k]);
        for (std::size_t c = 4; c < in.size(); ++c) fields[column[c]] = csv_field(in[c]);
        o.write(csv_line(fields));
        if (stats) add_figure(t, row, metric_col, value_col, *stats);
      }
    } catch (const RunFolderDamage& e) {
      throw redo(s.run.dir(), e);
    }
  }
  outputs.close();
}

std::string join_values(const std::vector<std::string>& values) {
  std::string s;
  for (const auto& v : values) s += (s.empty() ? "" : ", ") + v;
  return "(" + s + ")";
}

}  // namespace

SweepPlan read_plan(const fs::path& sweep_dir) {
  const fs::path p = sweep_dir / "sweep.json";
  std::error_code ec;
  if (!fs::is_regular_file(p, ec))
    throw SweepError("'" + sweep_dir.string() + "' is not a sweep folder (no sweep.json; 'dcsim sweep FILE -o DIR' writes one)");
  return parse_plan_json(read_file_text(p), p.string());
}

MergeResult merge_sweep(const std::vector<fs::path>& inputs, const fs::path& out) {
  if (inputs.empty()) throw SweepError("no sweep folders to merge");
  std::vector<SweepPlan> plans;
  for (const auto& in : inputs) plans.push_back(read_plan(in));
  const SweepPlan& plan = plans.front();
  for (std::size_t i = 1; i < plans.size(); ++i)
    if (const std::string why = plan_mismatch(plan, plans[i], inputs[0].string(), inputs[i].string()); !why.empty())
      throw SweepError("'" + inputs[i].string() + "' holds another sweep than '" + inputs[0].string() + "': " + why + "\nnothing merged");
  std::error_code ec;
  if (fs::exists(out / "sweep.json", ec))
    if (const std::string why = plan_mismatch(plan, read_plan(out), inputs[0].string(), out.string()); !why.empty())
      throw SweepError("'" + out.string() + "' holds another sweep: " + why + "\nnothing merged; choose another -o folder");

  // Every run, from the first input that has it finished.
  std::vector<RunSource> sources;
  std::vector<std::string> missing;
  for (const PlannedRun& r : plan.runs) {
    const fs::path* found = nullptr;
    for (const auto& in : inputs)
      if (fs::is_regular_file(in / "runs" / r.run_id / "manifest.json", ec)) {
        found = &in;
        break;
      }
    if (!found) {
      missing.push_back(r.run_id + " (" + r.label() + ")");
      continue;
    }
    sources.push_back(check_run(plan, r, *found / "runs" / r.run_id));
  }
  if (!missing.empty()) {
    std::string msg = std::to_string(missing.size()) + " of " + std::to_string(plan.runs.size()) + " runs are not finished in ";
    for (std::size_t i = 0; i < inputs.size(); ++i) msg += (i ? ", '" : "'") + inputs[i].string() + "'";
    msg += ":";
    for (std::size_t i = 0; i < missing.size() && i < 5; ++i) msg += "\n  " + missing[i];
    if (missing.size() > 5) msg += "\n  …";
    msg += "\nfinish every shard first (rerunning the same 'dcsim sweep' command resumes it)";
    throw SweepError(msg);
  }

  fs::create_directories(out, ec);
  if (ec) throw SweepError("cannot create '" + out.string() + "': " + ec.message());
  Outputs outputs(out);

  std::set<std::string> names;
  for (const auto& s : sources)
    for (const auto& [name, columns] : s.columns) names.insert(name);

  std::map<std::size_t, PointStats> points;
  std::size_t result_claims = 0, result_failed = 0;
  std::vector<std::string> failed_claims;
  for (const std::string& name : names) merge_csv(name, plan, sources, outputs, points);

  // Across seeds: per variant × grid point × headline figure.
  {
    FileWriter& o = outputs.open("summary.csv");
    std::vector<std::string> header = {"scenario", "variant"};
    header.insert(header.end(), plan.grid_keys.begin(), plan.grid_keys.end());
    for (const char* h : {"metric", "seeds", "mean", "ci95_low", "ci95_high", "ci95_half_width", "stddev"}) header.push_back(h);
    std::vector<std::string> quoted;
    for (const auto& h : header) quoted.push_back(csv_field(h));
    o.write(csv_line(quoted));
    for (const auto& [point, stats] : points) {
      for (const auto& metric : stats.metrics) {
        models::MeanCi ci = models::mean_ci95(stats.values.at(metric));
        // Each metric was found in the figure table as it was read (add_figure).
        const models::HeadlineFigure* figure = models::find_figure(metric);
        const int d = models::figure_decimals(figure->unit);
        // A percentile is read off a histogram: no interval is narrower than its resolution.
        if (figure->is_family() && ci.n >= 2) ci.half_width = std::max(ci.half_width, std::fabs(ci.mean) * models::kLatencyRelativeError);
        std::vector<std::string> f = {csv_field(stats.first->scenario), csv_field(stats.first->variant)};
        for (const auto& v : stats.first->grid_values) f.push_back(csv_field(v));
        f.push_back(csv_field(metric));
        f.push_back(std::to_string(ci.n));
        f.push_back(csv_number(ci.mean, d));
        f.push_back(csv_number(ci.mean - ci.half_width, d));
        f.push_back(csv_number(ci.mean + ci.half_width, d));
        f.push_back(csv_number(ci.half_width, d));
        f.push_back(csv_number(ci.n >= 2 ? ci.stddev : std::nan(""), d));
        o.write(csv_line(f));
      }
    }
    outputs.close();
  }

  // Plan claims over the seeds of each point: per seed and on the 95 % interval of the mean.
  bool any_claims = false;
  for (const auto& [point, stats] : points) any_claims = any_claims || !stats.claims.empty();
  if (any_claims) {
    FileWriter& o = outputs.open("assertions_summary.csv");
    std::vector<std::string> header = {"scenario", "variant"};
    header.insert(header.end(), plan.grid_keys.begin(), plan.grid_keys.end());
    for (const char* h : {"assertion", "metric", "country", "site", "min", "max", "unit", "seeds", "seeds_passed", "mean", "ci95_low",
                          "ci95_high", "interval_result", "result"})
      header.push_back(h);
    std::vector<std::string> quoted;
    for (const auto& h : header) quoted.push_back(csv_field(h));
    o.write(csv_line(quoted));
    for (const auto& [point, stats] : points) {
      std::vector<std::string> order;
      std::map<std::string, std::vector<ClaimRow>> by_claim;
      for (const ClaimRow& c : stats.claims) {
        if (!by_claim.count(c.assertion)) order.push_back(c.assertion);
        by_claim[c.assertion].push_back(c);
      }
      for (const std::string& id : order) {
        const ClaimInterval ci = claim_interval(by_claim[id]);
        const ClaimRow& c = ci.claim;
        std::vector<std::string> f = {csv_field(stats.first->scenario), csv_field(stats.first->variant)};
        for (const auto& v : stats.first->grid_values) f.push_back(csv_field(v));
        const bool has_ci = ci.ci.n >= 2 && std::isfinite(ci.ci.half_width);
        for (const std::string& v :
             {c.assertion, c.metric, c.country, c.site, c.min ? csv_number(*c.min, 6) : std::string(), c.max ? csv_number(*c.max, 6) : std::string(), c.unit,
              std::to_string(ci.seeds), std::to_string(ci.seeds_passed), ci.ci.n ? csv_number(ci.ci.mean, 6) : std::string(),
              has_ci ? csv_number(ci.ci.mean - ci.ci.half_width, 6) : std::string(), has_ci ? csv_number(ci.ci.mean + ci.ci.half_width, 6) : std::string(),
              std::string(ci.interval_pass ? "pass" : "fail"), std::string(ci.pass() ? "pass" : "fail")})
          f.push_back(csv_field(v));
        o.write(csv_line(f));
        ++result_claims;
        if (!ci.pass()) {
          ++result_failed;
          failed_claims.push_back(stats.first->variant + (stats.first->grid_values.empty() ? "" : " " + join_values(stats.first->grid_values)) + ": " + id +
                                  " (" + std::to_string(ci.seeds_passed) + " of " + std::to_string(ci.seeds) + " seeds pass, interval " +
                                  (ci.interval_pass ? "passes" : "does not") + ")");
        }
      }
    }
    outputs.close();
  }

  // One row per run.
  {
    FileWriter& o = outputs.open("runs.csv");
    std::vector<std::string> header = kLead;
    header.insert(header.end(), plan.grid_keys.begin(), plan.grid_keys.end());
    for (const char* h : {"scale", "fidelity", "events_processed", "simulated_requests", "overrides"}) header.push_back(h);
    std::vector<std::string> quoted;
    for (const auto& h : header) quoted.push_back(csv_field(h));
    o.write(csv_line(quoted));
    for (std::size_t i = 0; i < sources.size(); ++i) {
      const PlannedRun& r = plan.runs[i];
      std::vector<std::string> f = {csv_field(r.run_id), csv_field(r.scenario), csv_field(r.variant), std::to_string(r.seed)};
      for (const auto& v : r.grid_values) f.push_back(csv_field(v));
      std::string overrides;
      for (const auto& ov : r.overrides) overrides += (overrides.empty() ? "" : "; ") + ov;
      const RunManifest& m = sources[i].run.manifest();
      for (const std::string& v : {std::to_string(m.scale), m.fidelity, std::to_string(m.events_processed), std::to_string(m.simulated_requests), overrides})
        f.push_back(csv_field(v));
      o.write(csv_line(f));
    }
    outputs.close();
  }

  // The plan itself, so the merged folder can be checked and merged again.
  if (!fs::exists(out / "sweep.json", ec) || !fs::equivalent(out / "sweep.json", inputs.front() / "sweep.json", ec)) {
    FileWriter& o = outputs.open("sweep.json");
    o.write(read_file_text(inputs.front() / "sweep.json"));
    outputs.close();
  }

  MergeResult result;
  result.claims = result_claims;
  result.claims_failed = result_failed;
  result.failed_claims = failed_claims;
  result.runs = sources.size();
  result.files = outputs.commit();
  return result;
}

}  // namespace dcsim::tools
