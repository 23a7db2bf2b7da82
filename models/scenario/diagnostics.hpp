// Scenario problems as data: each Diagnostic names file, line, column and key path. The
// loader collects them all and throws one ScenarioError, so a planner sees every mistake
// in one go; only the CLI turns it into an exit code.
#pragma once

#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "models/scenario/doc_tree.hpp"

namespace dcsim::models {

struct Diagnostic {
  SourceLoc loc;
  std::string key_path;  ///< e.g. "sites[3].servers"; empty for whole-file problems
  std::string message;
};

/// "file:line:col: key.path: message"
std::string format(const Diagnostic& d);

class Diagnostics {
 public:
  /// Reports at `key_path`, spelled as the user wrote it when a patch named it (see below).
  void error(const SourceLoc& loc, std::string key_path, std::string message);
  /// A patch (--set, a variant) addressed a list item by its id: errors later found under
  /// `indexed` ("sites[19].servers", as the reader names it) are reported under `written`
  /// ("sites.warsaw.servers"), the path the user can find in what they wrote.
  void name_path(std::string indexed, std::string written);
  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }
  const std::vector<Diagnostic>& items() const { return items_; }
  /// Throws ScenarioError if any error was recorded.
  void throw_if_any() const;

 private:
  std::vector<Diagnostic> items_;
  std::vector<std::pair<std::string, std::string>> path_names_;  ///< indexed → as written
};

/// Every problem found in a scenario, sorted by file and line.
class ScenarioError : public std::exception {
 public:
  explicit ScenarioError(std::vector<Diagnostic> diags);
  const char* what() const noexcept override { return text_.c_str(); }
  const std::vector<Diagnostic>& diagnostics() const { return diags_; }

 private:
  std::vector<Diagnostic> diags_;
  std::string text_;
};

}  // namespace dcsim::models
