// Helpers of the sweep tests: shell commands (mpirun, batch scripts), the Clover sweep the
// acceptance tests share, and comparing the merged outputs of two sweep folders.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/run_command.hpp"

namespace dcsim::test {

/// DCSIM_EXE and `args`, quoted, as one shell command.
std::string dcsim_command(const std::vector<std::string>& args);

/// scenarios/sweeps/clover-seeds.yaml (4 build-outs × 10 seeds) and the options that make
/// it quick: --scale 2000, 2 simulated hours.
std::string clover_sweep();
std::vector<std::string> quick_options();

/// Names of the merged files a sweep writes at its top (CSV files and sweep.json).
std::vector<std::string> merged_files(const std::filesystem::path& dir);
/// Checks (doctest CHECKs) that two sweep folders hold the same merged CSV files, byte for byte.
void check_same_csvs(const std::filesystem::path& a, const std::filesystem::path& b);
/// Finished run folders (with manifest.json) in DIR/runs.
std::size_t finished_runs(const std::filesystem::path& dir);
bool contains(const std::string& s, const std::string& part);

}  // namespace dcsim::test
