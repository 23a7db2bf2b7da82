// Running a sweep's runs: each run writes DIR/runs/<run_id>/ all-or-nothing (a RunFolder),
// so a folder with manifest.json is finished and anything else is redone. Runs are spread
// over worker threads (one simulation thread each); what they write does not depend on
// the number of workers or the order they finish in.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "tools/sweep/sweep_plan.hpp"

namespace dcsim::tools {

/// DIR/runs/<run_id>/manifest.json exists.
bool run_done(const std::filesystem::path& sweep_dir, const std::string& run_id);

/// Removes what an interrupted attempt at a run left: hidden partial folders
/// (".<id>.partial-PID") and a run folder without manifest.json.
void clear_leftovers(const std::filesystem::path& sweep_dir, const std::string& run_id);

/// Simulates one run and writes its folder. Throws (ScenarioError, RunFolderError,
/// SweepError) when the run cannot be done; nothing is left behind then. `progress` gets the
/// share of simulated time done now and then.
void execute_run(const SweepPlan& plan, const PlannedRun& run, const std::filesystem::path& sweep_dir,
                 const std::function<void(double)>& progress = {});

struct ExecOptions {
  int jobs = 1;
  bool quiet = false;
  std::string label = "dcsim sweep";
};

struct ExecResult {
  std::size_t planned = 0;  ///< runs given
  std::size_t skipped = 0;  ///< already finished before this call
  std::size_t ran = 0;      ///< finished now
  std::vector<std::string> failures;  ///< "run <id> (<label>): <message>"
  double wall_s = 0;
};

/// Runs plan.runs[i] for every i in `indices` that is not finished yet, on `jobs` threads,
/// with a progress display on stderr (a bar on a terminal, sparse lines otherwise).
ExecResult execute_runs(const SweepPlan& plan, const std::vector<std::size_t>& indices, const std::filesystem::path& sweep_dir,
                        const ExecOptions& options);

}  // namespace dcsim::tools
