// Test helpers: temporary directories, reading and mutating scenario text, and loading a
// scenario while capturing its diagnostics instead of throwing.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "models/scenario/diagnostics.hpp"
#include "models/network/world.hpp"
#include "models/scenario/scenario_loader.hpp"

namespace dcsim::test {

/// Absolute path of a file in the source tree.
std::string source_path(const std::string& relative);
std::string read_file(const std::string& path);

/// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  /// Writes `text` to `name` (creating subdirectories) and returns its path.
  std::string write(const std::string& name, const std::string& text) const;

 private:
  std::filesystem::path path_;
};

/// 1-based line of the first occurrence of `needle`; 0 when absent.
int line_of(const std::string& text, const std::string& needle);
/// Replaces the only occurrence of `from` (fails the test if there is not exactly one).
std::string replace_once(const std::string& text, const std::string& from, const std::string& to);

/// Loads and returns the diagnostics (empty when the scenario is valid).
std::vector<models::Diagnostic> load_errors(const std::string& path,
                                            const models::LoadOptions& options = {});
/// Same, for load_all_variants.
std::vector<models::Diagnostic> validate_errors(const std::string& path,
                                                const std::vector<std::string>& overrides = {});

/// Writes `text` as `name`.yaml in `dir` and builds its World (throws on bad input).
std::unique_ptr<models::World> load_world(const TempDir& dir, const std::string& name, const std::string& text,
                                          const std::vector<std::string>& overrides = {});

/// Every diagnostic on one line each, for failure messages.
std::string describe(const std::vector<models::Diagnostic>& diags);

}  // namespace dcsim::test
