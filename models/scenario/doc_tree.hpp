// A YAML document as plain data: every node remembers the file, line and column it came
// from, so includes, --set overrides and variant patches can be merged while errors still
// point at the text a planner wrote. Only doc_tree.cpp sees yaml-cpp.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dcsim::models {

/// Where a node came from: file path (or "--set" for command-line values), 1-based line/column.
struct SourceLoc {
  std::shared_ptr<const std::string> file;
  int line = 0;
  int column = 0;

  std::string file_name() const { return file ? *file : std::string("<unknown>"); }
};

struct DocEntry;

/// One YAML node. Maps keep their entries in file order.
struct DocNode {
  enum class Kind { Null, Scalar, Sequence, Map };

  Kind kind = Kind::Null;
  std::string scalar;   ///< text of a scalar
  bool quoted = false;  ///< scalar was written in quotes: always a string
  std::vector<DocNode> items;
  std::vector<DocEntry> entries;
  SourceLoc loc;

  bool is_null() const { return kind == Kind::Null; }
  bool is_scalar() const { return kind == Kind::Scalar; }
  bool is_sequence() const { return kind == Kind::Sequence; }
  bool is_map() const { return kind == Kind::Map; }

  /// The value of `key` in a map, or nullptr.
  const DocNode* find(std::string_view key) const;
  DocNode* find(std::string_view key);
};

struct DocEntry {
  std::string key;
  SourceLoc key_loc;
  DocNode value;
};

/// "map", "list", "scalar" or "null": for error messages.
std::string_view kind_name(DocNode::Kind kind);

/// Thrown by parse_yaml for text that is not YAML (syntax error, depth, bad file).
struct YamlSyntaxError {
  SourceLoc loc;
  std::string message;
};

/// Parses YAML text into a DocNode tree. Duplicate keys, aliases to maps and tags are kept
/// as yaml-cpp reads them; the strict checks happen in the scenario reader.
/// Throws YamlSyntaxError.
DocNode parse_yaml(std::string_view text, const std::shared_ptr<const std::string>& file);

}  // namespace dcsim::models
