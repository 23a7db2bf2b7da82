// Strict, typed reading of a DocNode map into plain structs. Every key a section may hold
// is declared by the call that reads it (required or optional); keys nobody asked for are
// reported by finish() with a did-you-mean. Values are range-checked where read, and all
// problems go to a shared Diagnostics instead of stopping at the first.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/scenario/diagnostics.hpp"
#include "models/scenario/doc_tree.hpp"

namespace dcsim::models {

/// Closed interval [min, max] for numbers; min_exclusive turns it into (min, max].
struct Range {
  double min = -std::numeric_limits<double>::max();
  double max = std::numeric_limits<double>::max();
  bool min_exclusive = false;
};

/// Allowed text values of an enumerated key and what they map to.
template <class E>
using Choices = std::vector<std::pair<std::string_view, E>>;

// Scalar conversions: report into diags and return nullopt on failure.
std::optional<double> to_number(const DocNode& n, const std::string& path, Diagnostics& diags,
                                const Range& range = {});
std::optional<std::int64_t> to_integer(const DocNode& n, const std::string& path,
                                       Diagnostics& diags, const Range& range = {});
std::optional<bool> to_boolean(const DocNode& n, const std::string& path, Diagnostics& diags);
std::optional<std::string> to_text(const DocNode& n, const std::string& path, Diagnostics& diags);
/// An identifier: letters, digits, '-', '_'; 1..64 characters (no '.', which --set paths use).
std::optional<std::string> to_id(const DocNode& n, const std::string& path, Diagnostics& diags);
/// ISO 3166-1 alpha-2 shape: two upper-case letters.
std::optional<std::string> to_country_code(const DocNode& n, const std::string& path,
                                           Diagnostics& diags);
/// "2023-06-14T18:00:00Z" (or "+HH:MM" offset, or a date alone) → Unix seconds.
std::optional<std::int64_t> to_utc_seconds(const DocNode& n, const std::string& path,
                                           Diagnostics& diags);

/// "a.b" + "c" → "a.b.c"; "" + "c" → "c".
std::string join_path(const std::string& parent, std::string_view key);
std::string index_path(const std::string& parent, std::size_t i);

/// The closest of `known` to `word` by edit distance, if close enough to be a typo; else
/// the same word in the other number ("country" → "countries") or a known key `word`
/// begins (at least 4 characters: "serv" → "servers").
std::optional<std::string> did_you_mean(std::string_view word,
                                        const std::vector<std::string>& known);

/// "file:line:column" of a node, or just the name of a command-line value ("--set #2").
std::string where(const SourceLoc& loc);

/// Walks a freshly parsed tree: a key a map holds twice is reported at the second
/// occurrence (`duplicate key 'k' (first at file:line:column)`) and every later occurrence is
/// dropped, so the rest is read once; a YAML merge key (`<<: *anchor`) is reported as not
/// supported and dropped. `path` is the tree's own key path ("" for a file's top level).
void reject_duplicate_and_merge_keys(DocNode& node, const std::string& path, Diagnostics& diags);

class MapReader {
 public:
  /// A null node reads as an empty map (so optional sections can be absent or empty).
  MapReader(const DocNode& node, std::string path, Diagnostics& diags);
  MapReader(const MapReader&) = delete;
  MapReader& operator=(const MapReader&) = delete;

  bool is_map() const { return is_map_; }
  const std::string& path() const { return path_; }
  const SourceLoc& loc() const { return node_.loc; }
  Diagnostics& diags() { return diags_; }
  std::string path_of(std::string_view key) const { return join_path(path_, key); }

  /// Declares `key` and returns its node (nullptr when absent); a missing required key is
  /// reported at the map's own location.
  const DocNode* take(std::string_view key);
  const DocNode* take_required(std::string_view key);
  bool has(std::string_view key) const;

  // Required values: on a problem `out` keeps its value and an error is recorded.
  void required(std::string_view key, double& out, const Range& r = {});
  void required(std::string_view key, std::int64_t& out, const Range& r = {});
  void required(std::string_view key, bool& out);
  void required(std::string_view key, std::string& out);
  void required_id(std::string_view key, std::string& out);
  void required_country(std::string_view key, std::string& out);

  // Optional values: absent keys leave `out` (its default) untouched.
  void optional(std::string_view key, double& out, const Range& r = {});
  void optional(std::string_view key, std::optional<double>& out, const Range& r = {});
  void optional(std::string_view key, std::int64_t& out, const Range& r = {});
  void optional(std::string_view key, std::optional<std::int64_t>& out, const Range& r = {});
  void optional(std::string_view key, bool& out);
  void optional(std::string_view key, std::string& out);
  void optional_id(std::string_view key, std::string& out);

  template <class E>
  void choice(std::string_view key, E& out, const Choices<E>& choices, bool is_required) {
    const DocNode* n = is_required ? take_required(key) : take(key);
    if (!n) return;
    auto text = to_text(*n, path_of(key), diags_);
    if (!text) return;
    for (const auto& [name, value] : choices)
      if (name == *text) {
        out = value;
        return;
      }
    report_bad_choice(*n, key, *text, names_of(choices));
  }

  /// Reports every key that no call declared. Call once, after all reads.
  void finish();

 private:
  template <class E>
  static std::vector<std::string> names_of(const Choices<E>& choices) {
    std::vector<std::string> names;
    for (const auto& c : choices) names.emplace_back(c.first);
    return names;
  }
  void report_bad_choice(const DocNode& n, std::string_view key, const std::string& got,
                         const std::vector<std::string>& allowed);

  const DocNode& node_;
  std::string path_;
  Diagnostics& diags_;
  bool is_map_ = false;
  bool finished_ = false;
  std::vector<std::string> known_;
};

/// Reads a list node: calls fn(item, item_path) for each item. A null node is an empty list;
/// a non-list is reported.
template <class Fn>
void for_each_item(const DocNode* n, const std::string& path, Diagnostics& diags, Fn&& fn) {
  if (!n || n->is_null()) return;
  if (!n->is_sequence()) {
    diags.error(n->loc, path, "expected a list, got a " + std::string(kind_name(n->kind)));
    return;
  }
  for (std::size_t i = 0; i < n->items.size(); ++i) fn(n->items[i], index_path(path, i));
}

}  // namespace dcsim::models
