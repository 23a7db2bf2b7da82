// A small JSON reader and quoter for the files dcsim writes itself (manifest.json,
// sweep.json): the writers quote with it, `dcsim merge` and `dcsim report` read with it,
// without a JSON library. Numbers keep their text; objects keep key order. Throws
// JsonError with the byte offset on malformed input.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dcsim::tools {

struct JsonError {
  std::size_t offset = 0;
  std::string message;
};

struct JsonMember;

struct JsonValue {
  enum class Kind { Null, Bool, Number, String, Array, Object };
  Kind kind = Kind::Null;
  std::string text;  ///< string value, number text, "true"/"false"
  std::vector<JsonValue> items;
  /// An object's members. Not std::pair: a pair of a still incomplete JsonValue is
  /// undefined, and clang with libstdc++ (the fuzz build) rejects it.
  std::vector<JsonMember> members;

  /// Member `key` of an object, or nullptr.
  const JsonValue* find(std::string_view key) const;
  /// Member text (string or number) or `fallback` when absent or not a scalar.
  std::string get(std::string_view key, const std::string& fallback = {}) const;
};

struct JsonMember {
  std::string key;
  JsonValue value;
};

JsonValue parse_json(std::string_view text);

/// 1-based line of byte `offset` in `text`, for messages naming file:line.
std::size_t json_line_of(std::string_view text, std::size_t offset);

/// A JSON string literal (with quotes) for `s`.
std::string json_quote(std::string_view s);

}  // namespace dcsim::tools
