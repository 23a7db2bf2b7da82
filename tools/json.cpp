// JSON reading through nlohmann::json, with positions and keys in every error.
#include "tools/json.hpp"

#include <algorithm>
#include <limits>

#include "models/scenario/quoting.hpp"

namespace dcsim::tools {

namespace {

// Length of the well-formed UTF-8 sequence at the start of `s` (Unicode Table 3-7: no
// overlong forms, no surrogates, nothing above U+10FFFF), or 0 when there is none.
std::size_t utf8_sequence(std::string_view s) {
  auto at = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  auto cont = [&](std::size_t i, unsigned lo = 0x80, unsigned hi = 0xBF) { return i < s.size() && at(i) >= lo && at(i) <= hi; };
  const unsigned b = at(0);
  if (b < 0x80) return 1;
  if (b >= 0xC2 && b <= 0xDF) return cont(1) ? 2 : 0;
  if (b == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
  if (b == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
  if (b >= 0xE1 && b <= 0xEF) return cont(1) && cont(2) ? 3 : 0;
  if (b == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
  if (b >= 0xF1 && b <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

// `text` with every byte outside a well-formed UTF-8 sequence replaced by the UTF-8 of the
// Latin-1 character of that value (unchanged when `text` is UTF-8).
std::string as_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (const std::size_t n = utf8_sequence(text.substr(i)); n > 0) {
      out.append(text.substr(i, n));
      i += n;
      continue;
    }
    const auto b = static_cast<unsigned char>(text[i++]);
    out += static_cast<char>(0xC0 | (b >> 6));
    out += static_cast<char>(0x80 | (b & 0x3F));
  }
  return out;
}

std::size_t line_at(std::string_view text, std::size_t offset) {
  return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<long>(std::min(offset, text.size())), '\n'));
}

// nlohmann's message without its "[json.exception.parse_error.101] parse error at line L,
// column C: " prefix (the caller names the line itself).
std::string plain_message(const char* what) {
  std::string m = what;
  if (const std::size_t close = m.find("] "); m.rfind("[json.exception.", 0) == 0 && close != std::string::npos) m.erase(0, close + 2);
  if (m.rfind("parse error at line ", 0) == 0)
    if (const std::size_t colon = m.find(": "); colon != std::string::npos) m.erase(0, colon + 2);
  return m;
}

// 1-based line of the first `"key"` followed by a colon, or 0.
std::size_t line_of_key(std::string_view text, const char* key) {
  const std::string quoted = json_quote(key);
  for (std::size_t at = text.find(quoted); at != std::string_view::npos; at = text.find(quoted, at + 1)) {
    std::size_t after = at + quoted.size();
    while (after < text.size() && (text[after] == ' ' || text[after] == '\t' || text[after] == '\n' || text[after] == '\r')) ++after;
    if (after < text.size() && text[after] == ':') return line_at(text, at);
  }
  return 0;
}

// A value as a message shows it: its JSON, cut short.
std::string shown(const nlohmann::json& v) {
  std::string s = v.dump();
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}

}  // namespace

nlohmann::json parse_json(std::string_view text) {
  const std::string utf8 = as_utf8(text);
  try {
    return nlohmann::json::parse(utf8);
  } catch (const nlohmann::json::parse_error& e) {
    throw JsonError{line_at(utf8, e.byte > 0 ? e.byte - 1 : 0), plain_message(e.what())};
  } catch (const nlohmann::json::exception& e) {
    // A number too large for a double: nlohmann gives no position.
    throw JsonError{0, plain_message(e.what())};
  }
}

std::string json_quote(std::string_view s) { return models::double_quoted(s, models::ControlEscape::JsonUnicode); }

JsonError JsonFields::error(const char* key, const std::string& what) const {
  return JsonError{text_.empty() ? 0 : line_of_key(text_, key), path_ + key + ": " + what};
}

const nlohmann::json& JsonFields::member(const char* key) const {
  if (!object_.is_object()) throw JsonError{text_.empty() ? 0u : 1u, path_.empty() ? "not a JSON object" : path_.substr(0, path_.size() - 1) + " is not an object"};
  const auto it = object_.find(key);
  if (it == object_.end()) throw JsonError{0, path_ + key + ": missing"};
  return *it;
}

std::string JsonFields::text(const char* key) const {
  const nlohmann::json& v = member(key);
  if (!v.is_string()) throw error(key, "must be a string (got " + shown(v) + ")");
  return v.get<std::string>();
}

std::uint64_t JsonFields::whole_number(const char* key) const {
  const nlohmann::json& v = member(key);
  if (!v.is_number_unsigned()) throw error(key, "must be a whole number from 0 (got " + shown(v) + ")");
  return v.get<std::uint64_t>();
}

std::int64_t JsonFields::signed_number(const char* key) const {
  const nlohmann::json& v = member(key);
  if (!v.is_number_integer() || (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())))
    throw error(key, "must be a whole number (got " + shown(v) + ")");
  return v.get<std::int64_t>();
}

double JsonFields::number(const char* key) const {
  const nlohmann::json& v = member(key);
  if (!v.is_number()) throw error(key, "must be a number (got " + shown(v) + ")");
  return v.get<double>();
}

std::vector<std::string> JsonFields::texts(const char* key) const {
  const nlohmann::json& v = array(key);
  std::vector<std::string> out;
  for (const auto& item : v) {
    if (!item.is_string()) throw error(key, "must hold strings only (got " + shown(item) + ")");
    out.push_back(item.get<std::string>());
  }
  return out;
}

const nlohmann::json& JsonFields::object(const char* key) const {
  const nlohmann::json& v = member(key);
  if (!v.is_object()) throw error(key, "must be an object");
  return v;
}

const nlohmann::json& JsonFields::array(const char* key) const {
  const nlohmann::json& v = member(key);
  if (!v.is_array()) throw error(key, "must be a list");
  return v;
}

}  // namespace dcsim::tools
