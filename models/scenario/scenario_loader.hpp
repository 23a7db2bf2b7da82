// Loading a scenario: files and includes → one DocNode tree → variant patch → --set
// overrides → typed, validated Scenario. Every problem in every file is collected and
// thrown together as one ScenarioError; nothing is written anywhere.
#pragma once

#include <string>
#include <vector>

#include "models/scenario/diagnostics.hpp"
#include "models/scenario/doc_tree.hpp"
#include "models/scenario/scenario.hpp"

namespace dcsim::models {

struct LoadOptions {
  std::vector<std::string> overrides;  ///< "a.b.c=value", applied after the variant
  std::string variant;                 ///< empty: the base scenario
};

/// Reads `path` and its includes into one tree (include: lists resolved relative to the
/// including file; maps merge, lists of records concatenate, the including file wins on
/// single values and on lists of plain values such as build_out).
/// Problems go to diags; the result is then partial.
DocNode load_tree(const std::string& path, Diagnostics& diags, std::vector<std::string>* files_read = nullptr);

/// The whole pipeline. Throws ScenarioError listing every problem.
Scenario load_scenario(const std::string& path, const LoadOptions& options = {});

/// Loads the base and every variant, as `dcsim validate` does; throws one ScenarioError
/// with all problems of all of them. Returns the base followed by each variant.
std::vector<Scenario> load_all_variants(const std::string& path,
                                        const std::vector<std::string>& overrides = {});

/// Typed reading and cross-checking of an already merged and patched tree.
Scenario read_scenario(const DocNode& root, Diagnostics& diags);

}  // namespace dcsim::models
