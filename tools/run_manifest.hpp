// A run folder's manifest.json and the one check of its files against the SHA-256 it
// lists, shared by every command that reads run folders (compare, report, merge, sweep
// resume): a file edited, truncated or deleted since dcsim wrote it is named, never read
// as if it were a result.
#pragma once

#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>

#include "tools/json.hpp"

namespace dcsim::tools {

/// A run folder that is incomplete or changed; what() names the file and what is wrong.
struct RunFolderDamage : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct RunManifest {
  std::filesystem::path dir;
  JsonValue json;                                ///< the whole manifest (an object)
  std::map<std::string, std::string> file_sha;   ///< file name → SHA-256 (hex), from "files"
  std::filesystem::path path() const { return dir / "manifest.json"; }
};

/// Reads DIR/manifest.json. Throws RunFolderDamage when it is missing, not JSON, not
/// dcsim's (no dcsim_version) or lists no files, or a listed name leaves the folder.
RunManifest read_run_manifest(const std::filesystem::path& dir);

/// The text of a file the manifest lists, after checking it against its SHA-256. Throws
/// RunFolderDamage when it is not listed, missing, unreadable or changed.
std::string read_verified(const RunManifest& manifest, const std::string& name);

/// Checks every listed file (read_verified on each, keeping nothing).
void verify_run_files(const RunManifest& manifest);

}  // namespace dcsim::tools
