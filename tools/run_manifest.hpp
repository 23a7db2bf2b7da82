// A run folder's manifest.json and the one check of its files against the SHA-256 it
// lists, shared by every command that reads run folders (compare, report, merge, sweep
// resume): a file edited, truncated or deleted since dcsim wrote it is named, never read
// as if it were a result.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace dcsim::tools {

/// A run folder that is incomplete or changed; what() names the file and what is wrong.
struct RunFolderDamage : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// manifest.json, typed: what the run was and the SHA-256 of each file it wrote.
struct RunManifest {
  std::filesystem::path dir;
  std::string dcsim_version, run_id, scenario, scenario_path, scenario_sha256, variant, fidelity;
  std::vector<std::string> input_files, overrides, warnings;
  std::uint64_t seed = 0, events_processed = 0, simulated_requests = 0;
  std::int64_t scale = 1, start_utc_s = 0;
  double duration_h = 0, wall_time_s = 0;
  std::map<std::string, std::string> file_sha;   ///< file name → SHA-256 (hex), from "files"
  std::filesystem::path path() const { return dir / "manifest.json"; }
};

/// Reads DIR/manifest.json. Throws RunFolderDamage when it is missing, not JSON, not
/// dcsim's (no dcsim_version), misses a key or has one of the wrong type (naming its line),
/// lists no files, or a listed name leaves the folder.
RunManifest read_run_manifest(const std::filesystem::path& dir);

/// The text of a file the manifest lists, after checking it against its SHA-256. Throws
/// RunFolderDamage when it is not listed, missing, unreadable or changed.
std::string read_verified(const RunManifest& manifest, const std::string& name);

/// Checks every listed file (read_verified on each, keeping nothing).
void verify_run_files(const RunManifest& manifest);

}  // namespace dcsim::tools
