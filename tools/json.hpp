// A small JSON reader and quoter for the files dcsim writes itself (manifest.json,
// sweep.json): the writers quote with it, `dcsim merge` and `dcsim report` read with it,
// without a JSON library. Numbers keep their text; objects keep key order. Throws
// JsonError with the byte offset on malformed input.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dcsim::tools {

struct JsonError {
  std::size_t offset = 0;
  std::string message;
};

struct JsonValue {
  enum class Kind { Null, Bool, Number, String, Array, Object };
  Kind kind = Kind::Null;
  std::string text;  ///< string value, number text, "true"/"false"
  std::vector<JsonValue> items;
  std::vector<std::pair<std::string, JsonValue>> members;

  /// Member `key` of an object, or nullptr.
  const JsonValue* find(std::string_view key) const;
  /// Member text (string or number) or `fallback` when absent or not a scalar.
  std::string get(std::string_view key, const std::string& fallback = {}) const;
};

JsonValue parse_json(std::string_view text);

/// 1-based line of byte `offset` in `text`, for messages naming file:line.
std::size_t json_line_of(std::string_view text, std::size_t offset);

/// A JSON string literal (with quotes) for `s`.
std::string json_quote(std::string_view s);

}  // namespace dcsim::tools
