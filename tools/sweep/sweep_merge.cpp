// Checking sweep folders against their plan and writing the merged CSVs. Run folders are
// read through tools/run_manifest.hpp, the check compare and report use too.
#include "tools/sweep/sweep_merge.hpp"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <unistd.h>

#include "models/sweep.hpp"
#include "tools/csv.hpp"
#include "tools/file_io.hpp"
#include "tools/run_manifest.hpp"

namespace dcsim::tools {

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kLead = {"run_id", "scenario", "variant", "seed"};

std::string first_line(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::string line;
  if (!in || !std::getline(in, line)) throw SweepError("cannot read the first line of '" + p.string() + "'");
  return line;
}

// Shares, utilisation and error ratios get 6 decimals, everything else 3 (as the run writers).
int decimals_for(const std::string& metric) {
  return metric.find("share") != std::string::npos || metric.find("utilisation") != std::string::npos ||
                 metric.find("error") != std::string::npos
             ? 6
             : 3;
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
  RunManifest manifest;
  fs::path folder;
  std::map<std::string, std::string> file_sha;  ///< CSV name → SHA-256 from the manifest
  std::string scale, fidelity, events, requests;
};

RunSource check_run(const SweepPlan& plan, const PlannedRun& r, const fs::path& folder) {
  auto refuse = [&](const std::string& why) {
    return SweepError("'" + folder.string() + "' does not match the sweep: " + why +
                      "; remove the folder and rerun the sweep to redo that run");
  };
  RunSource src;
  try {
    src.manifest = read_run_manifest(folder);
  } catch (const RunFolderDamage& e) {
    throw refuse(e.what());
  }
  const RunManifest& m = src.manifest;
  if (m.run_id != r.run_id) throw refuse("its manifest is for run '" + m.run_id + "'");
  if (m.dcsim_version != plan.dcsim_version) throw refuse("made by dcsim " + m.dcsim_version + ", the sweep by dcsim " + plan.dcsim_version);
  if (m.scenario_sha256 != plan.scenario_sha256)
    throw refuse("scenario SHA-256 " + m.scenario_sha256.substr(0, 12) + "… differs from the sweep's " + plan.scenario_sha256.substr(0, 12) + "…");
  if (m.variant != r.variant || m.seed != r.seed)
    throw refuse("variant/seed " + m.variant + "/" + std::to_string(m.seed) + ", expected " + r.variant + "/" + std::to_string(r.seed));
  // Every file checked before anything is written: a damaged run fails the merge up front.
  try {
    verify_run_files(src.manifest);
  } catch (const RunFolderDamage& e) {
    throw SweepError(std::string(e.what()) + "; remove '" + folder.string() + "' and rerun the sweep to redo that run");
  }
  src.folder = folder;
  src.file_sha = src.manifest.file_sha;
  src.scale = std::to_string(m.scale);
  src.fidelity = m.fidelity;
  src.events = std::to_string(m.events_processed);
  src.requests = std::to_string(m.simulated_requests);
  return src;
}

// Values of one variant × grid point, for the cross-seed summary.
struct PointStats {
  const PlannedRun* first = nullptr;
  std::vector<std::string> metrics;  ///< in the order the first run lists them
  std::map<std::string, std::vector<double>> values;
};

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
    for (const auto& [name, sha] : s.file_sha) names.insert(name);

  std::map<std::size_t, PointStats> points;
  for (const std::string& name : names) {
    if (name.size() < 5 || name.substr(name.size() - 4) != ".csv") continue;
    // The union of the runs' columns after the four leading ones, in first-seen order.
    std::vector<std::string> rest;
    std::set<std::string> seen;
    for (const auto& s : sources) {
      if (!s.file_sha.count(name)) continue;
      CsvTable h;
      try {
        h = parse_csv(first_line(s.folder / name) + "\n");
      } catch (const CsvError& e) {
        throw SweepError("'" + (s.folder / name).string() + "': " + e.message);
      }
      if (h.header.size() < 4 || !std::equal(kLead.begin(), kLead.end(), h.header.begin()))
        throw SweepError("'" + (s.folder / name).string() + "' does not start with run_id,scenario,variant,seed");
      for (std::size_t c = 4; c < h.header.size(); ++c)
        if (seen.insert(h.header[c]).second) rest.push_back(h.header[c]);
    }
    const bool is_summary = name == "summary.csv";
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
      const auto sha = s.file_sha.find(name);
      if (sha == s.file_sha.end()) continue;
      const fs::path p = s.folder / name;
      std::string text;
      try {
        text = read_verified(s.manifest, name);
      } catch (const RunFolderDamage& e) {
        throw SweepError(std::string(e.what()) + "; remove '" + s.folder.string() + "' and rerun the sweep to redo that run");
      }
      CsvTable t;
      try {
        t = parse_csv(text);
      } catch (const CsvError& e) {
        throw SweepError("'" + p.string() + "':" + std::to_string(e.line) + ": " + e.message);
      }
      std::vector<int> column(t.header.size(), -1);  // input column → output column
      for (std::size_t c = 4; c < t.header.size(); ++c)
        column[c] = static_cast<int>(4 + plan.grid_keys.size() + static_cast<std::size_t>(std::find(rest.begin(), rest.end(), t.header[c]) - rest.begin()));
      int metric_col = -1, value_col = -1;
      for (std::size_t c = 0; c < t.header.size(); ++c) {
        if (t.header[c] == "metric") metric_col = static_cast<int>(c);
        if (t.header[c] == "value") value_col = static_cast<int>(c);
      }
      PointStats* stats = nullptr;
      if (is_summary && metric_col >= 0 && value_col >= 0) {
        stats = &points[r.point];
        if (!stats->first) stats->first = &r;
      }
      for (const auto& row : t.rows) {
        std::vector<std::string> fields(header.size());
        for (std::size_t c = 0; c < 4; ++c) fields[c] = csv_field(row[c]);
        for (std::size_t k = 0; k < plan.grid_keys.size(); ++k) fields[4 + k] = csv_field(r.grid_values[k]);
        for (std::size_t c = 4; c < row.size(); ++c) fields[static_cast<std::size_t>(column[c])] = csv_field(row[c]);
        o.write(csv_line(fields));
        if (stats) {
          const std::string& metric = row[static_cast<std::size_t>(metric_col)];
          const std::string& value = row[static_cast<std::size_t>(value_col)];
          auto [it, inserted] = stats->values.try_emplace(metric);
          if (inserted) stats->metrics.push_back(metric);
          char* end = nullptr;
          const double v = std::strtod(value.c_str(), &end);
          if (!value.empty() && end && *end == '\0' && std::isfinite(v)) it->second.push_back(v);
        }
      }
    }
    outputs.close();
  }

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
        const models::MeanCi ci = models::mean_ci95(stats.values.at(metric));
        const int d = decimals_for(metric);
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
      for (const std::string* v : {&sources[i].scale, &sources[i].fidelity, &sources[i].events, &sources[i].requests, &overrides})
        f.push_back(csv_field(*v));
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
  result.runs = sources.size();
  result.files = outputs.commit();
  return result;
}

}  // namespace dcsim::tools
