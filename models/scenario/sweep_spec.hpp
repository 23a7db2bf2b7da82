// A sweep: variants × grid points × seeds of one scenario. The description is read from a
// scenario's `sweep:` section or from a separate sweep file (`scenario:` + the same keys),
// strictly (unknown keys, empty grids, unknown variants are errors with file:line:col),
// and expands into a deterministic list of points (variant × grid values), each run for
// every seed. Run ids, execution and merging live in tools/sweep/; this file knows no I/O
// beyond the loader's.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "models/scenario/diagnostics.hpp"
#include "models/scenario/doc_tree.hpp"
#include "models/scenario/scenario.hpp"
#include "sim/statistics.hpp"

namespace dcsim::models {

/// One grid value: the text passed as an override and the text shown in CSV columns.
struct SweepValue {
  std::string yaml;     ///< YAML flow text, e.g. `40`, `[dublin, hamar]`, `"NO"`
  std::string display;  ///< CSV text: the scalar as written (`40`, `NO`), else the YAML
  SourceLoc loc;
};

/// A grid axis: every value of one leaf (`traffic.classes.video_view.rate_per_user_day`).
struct SweepParameter {
  std::string key;
  SourceLoc loc;
  std::vector<SweepValue> values;
};

/// A fixed override applied to every run (from `set:` or the command line's --set).
struct SweepSetting {
  std::string assignment;  ///< "key.path=value"
  SourceLoc loc;           ///< in the sweep file; file "--set #N" for the command line
};

/// What a sweep runs. `variants` holds "base" for the unpatched scenario.
struct SweepSpec {
  std::string source_path;    ///< the file the sweep was read from
  std::string scenario_path;  ///< the scenario it sweeps (== source_path for `sweep:` sections)
  std::string description;
  std::vector<std::string> variants;
  std::vector<SourceLoc> variant_locs;
  std::vector<std::uint64_t> seeds;  ///< empty: the seed each scenario (variant) sets
  SourceLoc seeds_loc;
  std::optional<std::int64_t> scale;
  SourceLoc scale_loc;
  std::vector<SweepSetting> set;
  std::vector<SweepParameter> grid;

  /// Human-readable, canonical definition (one line per item), for sweep.json.
  std::string definition_text() const;
};

/// Command-line additions to a sweep: extra --set overrides and --scale (which wins over
/// the file's `scale:`). They are part of the sweep's definition.
struct SweepCommandLine {
  std::vector<std::string> overrides;
  std::optional<std::int64_t> scale;
};

/// Reads the sweep at `path`: a sweep file (top-level `scenario:`) or a scenario with a
/// `sweep:` section. Checks the description itself (keys, types, empty or duplicate values,
/// variant names against the scenario's `variants:`). Throws ScenarioError with every problem.
SweepSpec read_sweep(const std::string& path, const SweepCommandLine& command_line = {});

/// A variant with one value of each grid parameter.
struct SweepPoint {
  std::string variant;              ///< "base" or a variant name
  std::vector<std::size_t> values;  ///< index into each grid parameter's values
};

/// Variants in the listed order × grid points (the first parameter varies slowest).
std::vector<SweepPoint> sweep_points(const SweepSpec& spec);

/// The overrides of one run, in the order `dcsim run` applies them: the fixed settings,
/// the grid values, meta.seed=N, then meta.scale=K (when the sweep sets a scale). The same
/// run started with `dcsim run FILE --variant V --set ... --seed N --scale K` gets the same id.
std::vector<std::string> run_overrides(const SweepSpec& spec, const SweepPoint& point,
                                       std::optional<std::uint64_t> seed);

/// The loader's variant argument for a point ("" for base).
std::string loader_variant(const SweepPoint& point);

/// Loads every point's scenario once (without a seed override) and calls visit(i, scenario).
/// Problems caused by a `set:`/grid value are reported at that value in the sweep file;
/// all problems of all points are collected and thrown as one ScenarioError.
void load_sweep_points(const SweepSpec& spec, const std::vector<SweepPoint>& points,
                       const std::function<void(std::size_t, const Scenario&)>& visit);

/// YAML flow text of a node (scalars quoted only when they were, or must be).
std::string to_yaml_flow(const DocNode& node);

// The statistics a sweep summary reports live with the engine's (sim/statistics.hpp).
using sim::MeanCi;
using sim::mean_ci95;
using sim::student_t_quantile;

}  // namespace dcsim::models
