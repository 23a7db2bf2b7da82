// A sweep's plan: every run with its stable id (the id `dcsim run` would give the same
// variant, overrides, seed and scale), and the sweep's identity (dcsim version, scenario
// SHA-256, definition). The plan is written to DIR/sweep.json when a sweep starts, so
// shards, resumed sweeps and `dcsim merge` can check they belong to the same sweep.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/scenario/sweep_spec.hpp"

namespace dcsim::tools {

/// A sweep folder problem (missing, mismatched or damaged files); the CLI exits 1.
struct SweepError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct PlannedRun {
  std::string run_id;
  std::string scenario;  ///< meta.name
  std::string variant;   ///< "base" or the variant's name
  std::uint64_t seed = 0;
  std::size_t point = 0;                 ///< variant × grid point, in plan order
  std::vector<std::string> grid_values;  ///< display text, one per grid parameter
  std::vector<std::string> overrides;    ///< as passed to the loader
  std::string label() const;             ///< "clover-full, seed 3, a=1" for messages
};

struct SweepPlan {
  std::string dcsim_version;
  std::string scenario_path;
  std::string scenario_sha256;
  std::string sweep_file;
  std::string definition;         ///< models::SweepSpec::definition_text()
  std::string definition_sha256;  ///< over the definition and every run id
  std::vector<std::string> grid_keys;
  std::vector<PlannedRun> runs;

  /// Indices of the runs in shard i of n (1-based i): every n-th run from the i-th, so a
  /// shard gets a share of every variant.
  std::vector<std::size_t> shard(std::size_t i, std::size_t n) const;
};

/// Reads the sweep (models::read_sweep), loads every point, and assigns run ids.
/// Throws models::ScenarioError on any problem with the sweep or the scenario.
SweepPlan make_plan(const std::string& path, const models::SweepCommandLine& command_line);

/// sweep.json text; identical for every shard and rank of the same sweep.
std::string plan_json(const SweepPlan& plan);
/// Reads sweep.json text; `where` names the file in errors. Throws SweepError.
SweepPlan parse_plan_json(const std::string& text, const std::string& where);

/// Why `other` is not the same sweep as `plan` (empty when it is): a different scenario,
/// dcsim version or sweep definition (with the lines that differ, labelled by the names).
std::string plan_mismatch(const SweepPlan& plan, const SweepPlan& other, const std::string& plan_name, const std::string& other_name);

}  // namespace dcsim::tools
