// CSV parsing and formatting.
#include "tools/csv.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace dcsim::tools {

CsvTable parse_csv(std::string_view text) {
  // Spreadsheets save "CSV UTF-8" with a byte-order mark; it is not part of the first field.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  CsvTable t;
  std::vector<std::string> row;
  std::string field;
  int line = 1, row_line = 1;
  bool in_quotes = false, field_started = false, any = false;
  auto end_field = [&] {
    row.push_back(std::move(field));
    field.clear();
    field_started = false;
  };
  auto end_row = [&] {
    end_field();
    if (row.size() == 1 && row[0].empty() && !any) {  // blank line
      row.clear();
      return;
    }
    if (t.header.empty()) {
      t.header = std::move(row);
    } else {
      if (row.size() != t.header.size())
        throw CsvError{row_line, "expected " + std::to_string(t.header.size()) + " fields like the header, got " +
                                     std::to_string(row.size())};
      t.rows.push_back(std::move(row));
      t.row_lines.push_back(row_line);
    }
    row.clear();
    any = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    switch (c) {
      case '"':
        if (field_started) throw CsvError{line, "a quote inside an unquoted field"};
        in_quotes = true;
        field_started = any = true;
        break;
      case ',':
        end_field();
        any = true;
        break;
      case '\r':
        break;
      case '\n':
        end_row();
        row_line = ++line;
        break;
      default:
        field += c;
        field_started = any = true;
    }
  }
  if (in_quotes) throw CsvError{row_line, "a quoted field is not closed"};
  if (any || !field.empty()) end_row();
  if (t.header.empty()) throw CsvError{1, "empty file: no header row"};
  return t;
}

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string csv_number(double v, int decimals) {
  if (!std::isfinite(v)) return {};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s.find_first_not_of("-0.") == std::string::npos && s[0] == '-') s.erase(0, 1);
  return s;
}

std::string csv_exact(double v) {
  if (!std::isfinite(v)) return {};
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);  // shortest round trip, locale-free
  return ec == std::errc() ? std::string(buf, end) : std::string();
}

std::string csv_line(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    out += fields[i];
  }
  return out + "\n";
}

std::string utc_text(std::int64_t unix_s) {
  char buf[32];
  const std::time_t tt = static_cast<std::time_t>(unix_s);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace dcsim::tools
