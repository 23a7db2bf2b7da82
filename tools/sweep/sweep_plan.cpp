// Building, writing and reading a sweep's plan.
#include "tools/sweep/sweep_plan.hpp"

#include <algorithm>

#include "dcsim/version.hpp"
#include "tools/assertions.hpp"
#include "tools/sha256.hpp"
#include "tools/json.hpp"
#include "tools/writers.hpp"

namespace dcsim::tools {

std::string PlannedRun::label() const {
  std::string out = variant + ", seed " + std::to_string(seed);
  for (const auto& v : grid_values) out += ", " + v;
  return out;
}

std::vector<std::size_t> SweepPlan::shard(std::size_t i, std::size_t n) const {
  std::vector<std::size_t> out;
  for (std::size_t k = i - 1; k < runs.size(); k += n) out.push_back(k);
  return out;
}

SweepPlan make_plan(const std::string& path, const models::SweepCommandLine& command_line) {
  const models::SweepSpec spec = models::read_sweep(path, command_line);
  const std::vector<models::SweepPoint> points = models::sweep_points(spec);

  SweepPlan plan;
  plan.dcsim_version = kVersion;
  plan.scenario_path = spec.scenario_path;
  plan.sweep_file = spec.source_path;
  plan.definition = spec.definition_text();
  for (const auto& p : spec.grid) plan.grid_keys.push_back(p.key);

  std::vector<std::vector<PlannedRun>> by_point(points.size());
  models::Diagnostics problems;
  models::load_sweep_points(spec, points, [&](std::size_t i, const models::Scenario& s) {
    check_assertions(s);  // a bad claim is reported with the point's other problems
    if (plan.scenario_sha256.empty()) plan.scenario_sha256 = scenario_fingerprint(s);
    const models::SweepPoint& p = points[i];
    const std::vector<std::uint64_t> seeds = spec.seeds.empty() ? std::vector<std::uint64_t>{s.meta.seed} : spec.seeds;
    for (const std::uint64_t seed : seeds) {
      PlannedRun r;
      r.scenario = s.meta.name;
      r.variant = p.variant;
      r.seed = seed;
      r.point = i;
      for (std::size_t k = 0; k < spec.grid.size(); ++k) r.grid_values.push_back(spec.grid[k].values[p.values[k]].display);
      r.overrides = models::run_overrides(spec, p, seed);
      // The id of the scenario this run will load: the point's, with its seed.
      models::Scenario id_of;
      id_of.variant = s.variant;
      id_of.meta = s.meta;
      id_of.meta.seed = seed;
      id_of.overrides = r.overrides;
      r.run_id = make_run_id(id_of, plan.scenario_sha256);
      by_point[i].push_back(std::move(r));
    }
  });
  std::string ids;
  for (auto& runs : by_point)
    for (auto& r : runs) {
      ids += r.run_id + "\n";
      plan.runs.push_back(std::move(r));
    }
  plan.definition_sha256 = sha256_hex(plan.definition + "\n" + ids);
  return plan;
}

std::string plan_json(const SweepPlan& plan) {
  std::string j = "{\n";
  j += "  \"dcsim_version\": " + json_quote(plan.dcsim_version) + ",\n";
  j += "  \"scenario_path\": " + json_quote(plan.scenario_path) + ",\n";
  j += "  \"scenario_sha256\": " + json_quote(plan.scenario_sha256) + ",\n";
  j += "  \"sweep_file\": " + json_quote(plan.sweep_file) + ",\n";
  j += "  \"definition\": " + json_quote(plan.definition) + ",\n";
  j += "  \"definition_sha256\": " + json_quote(plan.definition_sha256) + ",\n";
  j += "  \"grid\": [";
  for (std::size_t i = 0; i < plan.grid_keys.size(); ++i) j += (i ? ", " : "") + json_quote(plan.grid_keys[i]);
  j += "],\n  \"runs\": [\n";
  for (std::size_t i = 0; i < plan.runs.size(); ++i) {
    const PlannedRun& r = plan.runs[i];
    j += "    {\"run_id\": " + json_quote(r.run_id) + ", \"scenario\": " + json_quote(r.scenario) + ", \"variant\": " + json_quote(r.variant) +
         ", \"seed\": " + std::to_string(r.seed) + ", \"point\": " + std::to_string(r.point) + ", \"grid\": [";
    for (std::size_t k = 0; k < r.grid_values.size(); ++k) j += (k ? ", " : "") + json_quote(r.grid_values[k]);
    j += "], \"overrides\": [";
    for (std::size_t k = 0; k < r.overrides.size(); ++k) j += (k ? ", " : "") + json_quote(r.overrides[k]);
    j += "]}";
    j += i + 1 < plan.runs.size() ? ",\n" : "\n";
  }
  j += "  ]\n}\n";
  return j;
}

SweepPlan parse_plan_json(const std::string& text, const std::string& where) {
  auto bad = [&](const JsonError& e) {
    return SweepError(where + (e.line > 0 ? ":" + std::to_string(e.line) : "") + ": not a sweep plan (" + e.message + ")");
  };
  try {
    const nlohmann::json root = parse_json(text);
    const JsonFields j(root, text);
    SweepPlan plan;
    plan.dcsim_version = j.text("dcsim_version");
    plan.scenario_path = j.text("scenario_path");
    plan.scenario_sha256 = j.text("scenario_sha256");
    plan.sweep_file = j.text("sweep_file");
    plan.definition = j.text("definition");
    plan.definition_sha256 = j.text("definition_sha256");
    if (plan.dcsim_version.empty() || plan.scenario_sha256.empty() || plan.definition_sha256.empty())
      throw JsonError{0, "identity fields empty"};
    plan.grid_keys = j.texts("grid");
    const nlohmann::json& runs = j.array("runs");
    for (std::size_t i = 0; i < runs.size(); ++i) {
      // Runs are written one per line, so the keys' lines would repeat: name the run instead.
      const JsonFields r(runs[i], {}, "runs[" + std::to_string(i) + "].");
      PlannedRun p;
      p.run_id = r.text("run_id");
      p.scenario = r.text("scenario");
      p.variant = r.text("variant");
      p.seed = r.whole_number("seed");
      p.point = r.whole_number("point");
      p.grid_values = r.texts("grid");
      p.overrides = r.texts("overrides");
      if (p.run_id.empty()) throw r.error("run_id", "empty");
      if (p.grid_values.size() != plan.grid_keys.size())
        throw r.error("grid", std::to_string(p.grid_values.size()) + " values for " + std::to_string(plan.grid_keys.size()) + " grid keys");
      plan.runs.push_back(std::move(p));
    }
    return plan;
  } catch (const JsonError& e) {
    throw bad(e);
  }
}

std::string plan_mismatch(const SweepPlan& plan, const SweepPlan& other, const std::string& plan_name, const std::string& other_name) {
  if (plan.scenario_sha256 != other.scenario_sha256)
    return "a different scenario (SHA-256 " + other.scenario_sha256.substr(0, 12) + "… in " + other_name + ", " +
           plan.scenario_sha256.substr(0, 12) + "… in " + plan_name + ")";
  if (plan.dcsim_version != other.dcsim_version)
    return "a different dcsim version (" + other.dcsim_version + " in " + other_name + ", " + plan.dcsim_version + " in " + plan_name + ")";
  if (plan.definition_sha256 != other.definition_sha256) {
    auto lines = [](const std::string& text) {
      std::vector<std::string> out;
      std::size_t start = 0;
      for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) out.push_back(text.substr(start, end - start));
      if (start < text.size()) out.push_back(text.substr(start));
      return out;
    };
    const auto mine = lines(plan.definition), theirs = lines(other.definition);
    std::string diff;
    for (const auto& l : theirs)
      if (std::find(mine.begin(), mine.end(), l) == mine.end()) diff += "\n  " + other_name + ": " + l;
    for (const auto& l : mine)
      if (std::find(theirs.begin(), theirs.end(), l) == theirs.end()) diff += "\n  " + plan_name + ": " + l;
    if (diff.empty()) diff = "\n  (the same settings, but the runs differ: a changed --set or scale)";
    return "a different sweep definition (variants, seeds, scale, set or grid):" + diff;
  }
  return {};
}

}  // namespace dcsim::tools
