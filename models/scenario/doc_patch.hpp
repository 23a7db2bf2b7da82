// Patching a DocNode tree by key path: the one mechanism behind `--set a.b.c=value`,
// variant patches and policy-switch events. Paths walk maps by key and lists by index or by
// the `id`/`name` of an item: `sites.dublin.servers`, `sites[0].servers`,
// `traffic.classes.video_view.rate_per_user_day`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "models/scenario/diagnostics.hpp"
#include "models/scenario/doc_tree.hpp"

namespace dcsim::models {

/// Splits "a.b[c].d" into {"a","b","c","d"}; empty segments are reported and yield {}.
std::vector<std::string> split_key_path(std::string_view path, const SourceLoc& loc,
                                        Diagnostics& diags);

/// Replaces (or creates) the node at `path` with `value`. Problems (no such list item, a
/// path through a scalar) go to diags at `loc`. Returns true on success.
bool apply_patch(DocNode& root, std::string_view path, const DocNode& value, const SourceLoc& loc,
                 Diagnostics& diags);

/// Parses a command-line override "a.b.c=value" (value is YAML: 5, text, [a, b], {k: v})
/// and applies it. `index` numbers the override in messages ("--set #2").
bool apply_override(DocNode& root, std::string_view assignment, int index, Diagnostics& diags);

}  // namespace dcsim::models
