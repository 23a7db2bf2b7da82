// The one reader of run folders, shared by `dcsim compare`, `dcsim report`, `dcsim merge`
// and a resumed sweep: it reads manifest.json into a typed RunManifest and checks every file
// it hands out against the SHA-256 the manifest lists, so a file edited, truncated or
// deleted since dcsim wrote it is named, never read as if it were a result. CSVs come back
// as RunTables: columns found by name, fields converted with file:line:column messages.
// Every problem is a RunFolderDamage whose message names the file (and line, and key).
// Typed rows of each file: tools/run_tables.hpp.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "tools/csv.hpp"

namespace dcsim::tools {

/// A run folder that is incomplete, changed or malformed; what() names the file and what
/// is wrong.
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
  std::map<std::string, std::string> file_sha;  ///< file name → SHA-256 (hex), from "files"
  std::filesystem::path path() const { return dir / "manifest.json"; }
  /// The build-out a planner calls it: the variant, or the scenario's name for its base.
  std::string label() const { return variant.empty() || variant == "base" ? scenario : variant; }
};

/// A CSV dcsim wrote (its header starts with run_id,scenario,variant,seed), parsed.
class RunTable {
 public:
  /// Parses `text` read from `file`. Throws RunFolderDamage naming file:line.
  RunTable(std::filesystem::path file, std::string_view text);

  const std::filesystem::path& file() const { return file_; }
  const std::vector<std::string>& header() const { return t_.header; }
  std::size_t rows() const { return t_.rows.size(); }
  const std::vector<std::string>& row(std::size_t r) const { return t_.rows[r]; }
  /// The column called `name`; throws "file:1: no column 'name'".
  std::size_t col(std::string_view name) const;
  std::optional<std::size_t> find_col(std::string_view name) const;

  const std::string& text(std::size_t r, std::size_t c) const { return t_.rows[r][c]; }
  double number(std::size_t r, std::size_t c) const;                 ///< finite; throws when empty or not a number
  std::optional<double> optional_number(std::size_t r, std::size_t c) const;  ///< nullopt when empty
  bool flag(std::size_t r, std::size_t c) const;                     ///< 0/1 (or false/true)
  /// Throws "file:line: column <name>: what" for row r.
  [[noreturn]] void fail(std::size_t r, std::size_t c, const std::string& what) const;
  /// Throws "file:line: what" for row r.
  [[noreturn]] void fail_row(std::size_t r, const std::string& what) const;

 private:
  std::filesystem::path file_;
  CsvTable t_;
};

class RunFolderReader {
 public:
  /// Reads DIR/manifest.json. Throws RunFolderDamage when the folder or manifest is
  /// missing, the manifest is not JSON, not dcsim's (no dcsim_version), misses a key or has
  /// one of the wrong type (naming its line), lists no files, or lists a name that would
  /// leave the folder.
  explicit RunFolderReader(const std::filesystem::path& dir);

  const RunManifest& manifest() const { return m_; }
  const std::filesystem::path& dir() const { return m_.dir; }
  bool lists(const std::string& name) const { return m_.file_sha.count(name) > 0; }

  /// The text of a listed file, after checking it against its SHA-256. Throws
  /// RunFolderDamage when it is not listed, missing, not a regular file, unreadable or changed.
  std::string verified_text(const std::string& name) const;
  /// verified_text, parsed as a RunTable.
  RunTable table(const std::string& name) const;
  /// Checks every listed file (verified_text on each, keeping nothing).
  void verify_all() const;

 private:
  RunManifest m_;
};

}  // namespace dcsim::tools
