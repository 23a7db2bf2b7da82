// JSON for the files dcsim writes itself (manifest.json, sweep.json): reading is Debian's
// nlohmann::json (nlohmann-json3-dev); quoting is dcsim's own json_quote, kept byte for byte
// as it has always been, since sweep definitions and run folders are compared by hash.
// Field readers throw JsonError naming the line of the key and what is wrong with it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace dcsim::tools {

/// Malformed JSON, or a key that is missing or of the wrong type. `line` is 1-based (0 when
/// unknown); `message` names the key when there is one.
struct JsonError {
  std::size_t line = 0;
  std::string message;
};

/// Parses `text`. Bytes that are not UTF-8 are read as the Latin-1 characters of the same
/// value: json_quote passes bytes through as they are, and a Linux path may hold any byte.
/// Throws JsonError.
nlohmann::json parse_json(std::string_view text);

/// A JSON string literal (with quotes) for `s`: `"` and `\` escaped, \n \r \t, other control
/// characters as \u00XX, everything else (UTF-8 included) as it is.
std::string json_quote(std::string_view s);

/// Typed members of a parsed JSON object. Each throws JsonError naming the key (after
/// `path`, e.g. "runs[3].") and, for a top-level object (`text` the document it was parsed
/// from), the line where the key is written.
class JsonFields {
 public:
  JsonFields(const nlohmann::json& object, std::string_view text, std::string path = {})
      : object_(object), text_(text), path_(std::move(path)) {}
  std::string text(const char* key) const;
  std::uint64_t whole_number(const char* key) const;
  std::int64_t signed_number(const char* key) const;
  double number(const char* key) const;
  std::vector<std::string> texts(const char* key) const;
  const nlohmann::json& object(const char* key) const;
  const nlohmann::json& array(const char* key) const;
  /// A JsonError at `key`'s line saying `what`.
  JsonError error(const char* key, const std::string& what) const;

 private:
  const nlohmann::json& member(const char* key) const;
  const nlohmann::json& object_;
  std::string_view text_;
  std::string path_;
};

}  // namespace dcsim::tools
