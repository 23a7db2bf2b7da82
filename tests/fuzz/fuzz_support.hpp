// What the fuzz targets share: the source tree's files, a scratch folder for targets whose
// parser reads folders (sweep files, run and sweep folders), and the "bundle" format that
// packs several named files into one fuzz input:
//   === manifest.json
//   {...}
//   === summary.csv
//   run_id,scenario,...
// A bundle's names are kept to plain file names, so no input can write outside scratch.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dcsim::fuzz {

/// Absolute path of a file in the source tree.
std::string source_path(const std::string& relative);
std::string read_file(const std::filesystem::path& p);
void write_file(const std::filesystem::path& p, std::string_view text);

/// This process's scratch folder, dcsim-fuzz-PID (in /dev/shm when it can be written, so
/// the per-input file writes stay in memory). Removed at a normal exit; folders of dead
/// processes (a crash, a kill) are removed by the next target that makes one, and by
/// tools/fuzz.sh at its end.
const std::filesystem::path& scratch_dir();
/// Empties `dir` (creating it when absent).
void reset_dir(const std::filesystem::path& dir);

/// The named files of a bundle, in input order; text before the first "=== " line and
/// sections with unsafe names are dropped.
std::vector<std::pair<std::string, std::string>> split_bundle(std::string_view data);

/// Sends stdout to /dev/null: commands that print tables would flood libFuzzer's log.
void silence_stdout();

}  // namespace dcsim::fuzz
