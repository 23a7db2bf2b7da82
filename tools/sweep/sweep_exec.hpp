// Running a sweep's runs: each run writes DIR/runs/<run_id>/ all-or-nothing (a RunFolder),
// so a folder with manifest.json is finished and anything else is redone; a finished
// folder is kept only when every file still matches its manifest. Runs are spread
// over worker threads (one simulation thread each); what they write does not depend on
// the number of workers or the order they finish in.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "tools/sweep/sweep_plan.hpp"

namespace dcsim::tools {

/// DIR/runs/<run_id>/manifest.json exists (the run finished, intact or not).
bool run_done(const std::filesystem::path& sweep_dir, const std::string& run_id);

/// Why a finished run's folder cannot be kept (empty when it can): its manifest is not
/// this run's, or a file it lists is missing or does not match its SHA-256.
std::string run_damage(const std::filesystem::path& sweep_dir, const std::string& run_id);

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
  std::size_t skipped = 0;  ///< already finished (and intact) before this call
  std::size_t ran = 0;      ///< finished now
  std::size_t not_started = 0;        ///< left when an I/O failure stopped the sweep
  int workers = 0;                    ///< worker threads used: --jobs, at most the runs to do
  std::vector<std::string> failures;  ///< "run <id> (<label>): <message>"
  std::string io_failure;             ///< the first I/O failure, which stops the sweep
  double wall_s = 0;
};

/// Runs plan.runs[i] for every i in `indices` that is not finished yet (or is finished but
/// damaged: its folder is removed and the run redone, saying why on stderr), on `jobs`
/// threads, with a progress display on stderr (a bar on a terminal, sparse lines
/// otherwise). A failed write or read (IoError: a full disk) stops it: runs not started
/// yet are left for the next attempt, since each would fail the same way.
ExecResult execute_runs(const SweepPlan& plan, const std::vector<std::size_t>& indices, const std::filesystem::path& sweep_dir,
                        const ExecOptions& options);

}  // namespace dcsim::tools
