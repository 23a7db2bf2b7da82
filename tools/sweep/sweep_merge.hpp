// Merging a sweep's run folders into one set of CSVs, from one sweep folder or from the
// folders of its shards. Every input must hold the same sweep (sweep.json: dcsim version,
// scenario SHA-256, definition); every run's manifest must match it and every CSV its
// SHA-256 in the manifest. The output does not depend on how the runs were spread, so an
// unsharded sweep, merged shards and an MPI sweep give byte-identical files:
//   <file>.csv          each run CSV's rows, in plan order, with the grid columns after
//                       run_id,scenario,variant,seed (summary.csv's go to summary_by_run.csv)
//   summary.csv         per variant × grid point × headline figure: mean and Student-t 95 %
//                       confidence interval over the seeds
//   assertions_summary.csv  per point × plan claim (when the scenario has assertions:):
//                       seeds passing, mean and 95 % interval, and the verdict
//   runs.csv            one row per run: its parameters, scale, fidelity and event counts
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "tools/sweep/sweep_plan.hpp"

namespace dcsim::tools {

/// Reads DIR/sweep.json. Throws SweepError when it is missing or malformed.
SweepPlan read_plan(const std::filesystem::path& sweep_dir);

struct MergeResult {
  std::size_t runs = 0;
  std::vector<std::string> files;  ///< written into the output folder, sorted
  std::size_t claims = 0, claims_failed = 0;  ///< plan claims × points (assertions_summary.csv), failed
  std::vector<std::string> failed_claims;     ///< one line per failed claim × point
};

/// Checks the inputs and writes the merged files into `out` (each complete or not at all).
/// Throws SweepError naming the folder and what does not match, or which runs are missing.
MergeResult merge_sweep(const std::vector<std::filesystem::path>& inputs, const std::filesystem::path& out);

}  // namespace dcsim::tools
