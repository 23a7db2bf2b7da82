// Shared pieces of the dcsim command line: exit codes and the registration functions each
// subcommand file provides. Only main.cpp maps exceptions to exit codes.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace dcsim::tools {

/// 3: the run (or every run of a sweep) finished and its folder is written, but a claim of
/// the scenario's `assertions:` section failed (assertions.csv says which).
enum ExitCode : int { kExitOk = 0, kExitInvalid = 1, kExitUsage = 2, kExitClaimFailed = 3 };

/// Each subcommand adds itself to `app`; when it runs, it stores its exit code in `exit_code`.
void add_validate_command(CLI::App& app, int& exit_code);
void add_latency_command(CLI::App& app, int& exit_code);
void add_run_command(CLI::App& app, int& exit_code);
void add_compare_command(CLI::App& app, int& exit_code);
void add_place_command(CLI::App& app, int& exit_code);
void add_resilience_command(CLI::App& app, int& exit_code);
void add_sweep_commands(CLI::App& app, int& exit_code);  ///< sweep and merge (tools/sweep/)
void add_report_command(CLI::App& app, int& exit_code);

/// scenarios/default.yaml from the working directory, else from the source tree.
std::string default_scenario_path();

}  // namespace dcsim::tools
