// Typed, range-checked reads from DocNode maps, with did-you-mean for unknown keys.
#include "models/scenario/doc_reader.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace dcsim::models {

namespace {

std::string describe(const DocNode& n) {
  if (n.is_scalar()) {
    std::string s = n.scalar.size() > 40 ? n.scalar.substr(0, 40) + "…" : n.scalar;
    return n.quoted ? "the text \"" + s + "\"" : "'" + s + "'";
  }
  return "a " + std::string(kind_name(n.kind));
}

std::string number_text(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

std::string range_text(const Range& r) {
  const bool has_min = r.min > -std::numeric_limits<double>::max();
  const bool has_max = r.max < std::numeric_limits<double>::max();
  if (has_min && has_max)
    return (r.min_exclusive ? "in (" : "in [") + number_text(r.min) + ", " + number_text(r.max) +
           "]";
  if (has_min) return (r.min_exclusive ? "> " : ">= ") + number_text(r.min);
  if (has_max) return "<= " + number_text(r.max);
  return "finite";
}

bool in_range(double v, const Range& r) {
  if (r.min_exclusive ? !(v > r.min) : !(v >= r.min)) return false;
  return v <= r.max;
}

bool parse_double(std::string_view s, double& out) {
  if (s.empty()) return false;
  // from_chars rejects a leading '+', YAML allows it.
  if (s.front() == '+') s.remove_prefix(1);
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && p == end && std::isfinite(out);
}

// Optimal string alignment distance: Levenshtein plus adjacent transpositions.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i)
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[n][m];
}

// An English plural reduced to its singular, for comparing keys: "countries" → "country",
// "classes" → "class", "sites" → "site"; other words as they are.
std::string singular(std::string_view w) {
  auto ends = [&](std::string_view tail) { return w.size() > tail.size() + 1 && w.substr(w.size() - tail.size()) == tail; };
  if (ends("ies")) return std::string(w.substr(0, w.size() - 3)) + "y";
  if (ends("sses") || ends("xes") || ends("ches") || ends("shes")) return std::string(w.substr(0, w.size() - 2));
  if (ends("s") && !ends("ss")) return std::string(w.substr(0, w.size() - 1));
  return std::string(w);
}

}  // namespace

std::string join_path(const std::string& parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return parent + "." + std::string(key);
}

std::string index_path(const std::string& parent, std::size_t i) {
  return parent + "[" + std::to_string(i) + "]";
}

std::optional<std::string> did_you_mean(std::string_view word,
                                        const std::vector<std::string>& known) {
  if (word.size() > 200) return std::nullopt;
  std::optional<std::string> best;
  std::size_t best_d = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& k : known) {
    const std::size_t d = edit_distance(word, k);
    if (d < best_d) {
      best_d = d;
      best = k;
    }
  }
  if (best) return best;
  // Too many edits for a typo, but the same word in another number (country / countries,
  // class / classes) or cut short (serv / servers): still what was meant.
  const std::string stem = singular(word);
  for (const auto& k : known)
    if (stem.size() >= 3 && singular(k) == stem) return k;
  for (const auto& k : known)
    if (word.size() >= 4 && k.size() > word.size() && std::string_view(k).substr(0, word.size()) == word) return k;
  return std::nullopt;
}

std::optional<double> to_number(const DocNode& n, const std::string& path, Diagnostics& diags,
                                const Range& range) {
  double v = 0;
  if (!n.is_scalar() || n.quoted || !parse_double(n.scalar, v)) {
    diags.error(n.loc, path, "expected a number, got " + describe(n));
    return std::nullopt;
  }
  if (!in_range(v, range)) {
    diags.error(n.loc, path, "must be " + range_text(range) + " (got " + n.scalar + ")");
    return std::nullopt;
  }
  return v;
}

std::optional<std::int64_t> to_integer(const DocNode& n, const std::string& path,
                                       Diagnostics& diags, const Range& range) {
  if (!n.is_scalar() || n.quoted) {
    diags.error(n.loc, path, "expected a whole number, got " + describe(n));
    return std::nullopt;
  }
  std::string_view s = n.scalar;
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  std::int64_t v = 0;
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, v);
  if (ec != std::errc() || p != end) {
    // Accept 1.5e6-style integers planners write for populations and budgets.
    double d = 0;
    if (!parse_double(n.scalar, d) || d != std::floor(d) || std::fabs(d) > 9.0e15) {
      diags.error(n.loc, path, "expected a whole number, got " + describe(n));
      return std::nullopt;
    }
    v = static_cast<std::int64_t>(d);
  }
  if (!in_range(static_cast<double>(v), range)) {
    diags.error(n.loc, path, "must be " + range_text(range) + " (got " + n.scalar + ")");
    return std::nullopt;
  }
  return v;
}

std::optional<bool> to_boolean(const DocNode& n, const std::string& path, Diagnostics& diags) {
  if (n.is_scalar() && !n.quoted) {
    if (n.scalar == "true" || n.scalar == "True") return true;
    if (n.scalar == "false" || n.scalar == "False") return false;
    if (n.scalar == "yes" || n.scalar == "no" || n.scalar == "on" || n.scalar == "off") {
      diags.error(n.loc, path, "write true or false, not '" + n.scalar + "'");
      return std::nullopt;
    }
  }
  diags.error(n.loc, path, "expected true or false, got " + describe(n));
  return std::nullopt;
}

std::optional<std::string> to_text(const DocNode& n, const std::string& path,
                                   Diagnostics& diags) {
  if (!n.is_scalar()) {
    diags.error(n.loc, path, "expected text, got " + describe(n));
    return std::nullopt;
  }
  if (n.scalar.size() > 4096) {
    diags.error(n.loc, path, "text longer than 4096 characters");
    return std::nullopt;
  }
  return n.scalar;
}

std::optional<std::string> to_id(const DocNode& n, const std::string& path, Diagnostics& diags) {
  auto t = to_text(n, path, diags);
  if (!t) return std::nullopt;
  const bool shape_ok =
      !t->empty() && t->size() <= 64 && std::all_of(t->begin(), t->end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_';
      });
  if (!shape_ok) {
    diags.error(n.loc, path,
                "an id is 1-64 letters, digits, '-' or '_', got " + describe(n));
    return std::nullopt;
  }
  return t;
}

std::optional<std::string> to_country_code(const DocNode& n, const std::string& path,
                                           Diagnostics& diags) {
  auto t = to_text(n, path, diags);
  if (!t) return std::nullopt;
  if (t->size() != 2 || !std::isupper(static_cast<unsigned char>((*t)[0])) ||
      !std::isupper(static_cast<unsigned char>((*t)[1]))) {
    diags.error(n.loc, path,
                "expected an ISO 3166-1 alpha-2 country code like IE or NO, got " + describe(n));
    return std::nullopt;
  }
  return t;
}

std::optional<std::int64_t> to_utc_seconds(const DocNode& n, const std::string& path,
                                           Diagnostics& diags) {
  auto t = to_text(n, path, diags);
  if (!t) return std::nullopt;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, oh = 0, om = 0;
  char tail[16] = {0};
  const std::string& str = *t;
  int consumed = 0;
  bool ok = false;
  if (std::sscanf(str.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &consumed) == 3) {
    std::string rest = str.substr(static_cast<std::size_t>(consumed));
    if (rest.empty()) {
      ok = true;
    } else if (std::sscanf(rest.c_str(), "T%2d:%2d:%2d%15s", &h, &mi, &s, tail) == 4 ||
               std::sscanf(rest.c_str(), "T%2d:%2d%15s", &h, &mi, tail) == 3) {
      std::string tz = tail;
      if (tz.size() > 0 && tz[0] == ':') tz.clear();  // "T18:00:00" parsed by the 2nd pattern
      if (tz == "Z") {
        ok = true;
      } else if (tz.size() == 6 && (tz[0] == '+' || tz[0] == '-') &&
                 std::sscanf(tz.c_str() + 1, "%2d:%2d", &oh, &om) == 2) {
        ok = true;
        if (tz[0] == '-') {
          oh = -oh;
          om = -om;
        }
      }
    }
  }
  using namespace std::chrono;
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                           day{static_cast<unsigned>(d)}};
  if (!ok || !ymd.ok() || y < 1970 || y > 2200 || h > 23 || mi > 59 || s > 60 || oh > 14 ||
      oh < -14) {
    diags.error(n.loc, path,
                "expected a UTC timestamp like 2023-06-14T18:00:00Z (or a date 2023-06-14), "
                "got " + describe(n));
    return std::nullopt;
  }
  const auto days_since_epoch = sys_days{ymd}.time_since_epoch().count();
  return static_cast<std::int64_t>(days_since_epoch) * 86400 + h * 3600 + mi * 60 + s -
         (oh * 3600 + om * 60);
}

std::string where(const SourceLoc& loc) {
  if (loc.line <= 0) return loc.file_name();
  return loc.file_name() + ":" + std::to_string(loc.line) + ":" + std::to_string(loc.column);
}

void reject_duplicate_and_merge_keys(DocNode& node, const std::string& path, Diagnostics& diags) {
  if (node.is_sequence()) {
    for (std::size_t i = 0; i < node.items.size(); ++i) reject_duplicate_and_merge_keys(node.items[i], index_path(path, i), diags);
    return;
  }
  if (!node.is_map()) return;
  std::vector<DocEntry> kept;
  kept.reserve(node.entries.size());
  for (auto& e : node.entries) {
    if (e.key == "<<") {
      diags.error(e.key_loc, join_path(path, e.key),
                  "YAML merge keys ('<<: *anchor') are not supported; write the keys out (an include: file can share them)");
      continue;
    }
    const auto first = std::find_if(kept.begin(), kept.end(), [&](const DocEntry& k) { return k.key == e.key; });
    if (first != kept.end()) {
      diags.error(e.key_loc, join_path(path, e.key), "duplicate key '" + e.key + "' (first at " + where(first->key_loc) + ")");
      continue;
    }
    kept.push_back(std::move(e));
  }
  node.entries = std::move(kept);
  for (auto& e : node.entries) reject_duplicate_and_merge_keys(e.value, join_path(path, e.key), diags);
}

MapReader::MapReader(const DocNode& node, std::string path, Diagnostics& diags)
    : node_(node), path_(std::move(path)), diags_(diags) {
  if (node.is_null()) {
    is_map_ = false;  // absent section: reads find nothing, required keys are reported
    return;
  }
  if (!node.is_map()) {
    diags_.error(node.loc, path_, "expected a map of keys, got " + describe(node));
    finished_ = true;
    return;
  }
  is_map_ = true;
  for (std::size_t i = 0; i < node.entries.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (node.entries[i].key == node.entries[j].key) {
        diags_.error(node.entries[i].key_loc, path_of(node.entries[i].key),
                     "duplicate key '" + node.entries[i].key + "' (first at " + where(node.entries[j].key_loc) + ")");
        break;
      }
}

const DocNode* MapReader::take(std::string_view key) {
  known_.emplace_back(key);
  if (!is_map_) return nullptr;
  return node_.find(key);
}

const DocNode* MapReader::take_required(std::string_view key) {
  const DocNode* n = take(key);
  if (!n && !finished_) diags_.error(node_.loc, path_of(key), "missing required key");
  return n;
}

bool MapReader::has(std::string_view key) const { return is_map_ && node_.find(key); }

void MapReader::required(std::string_view key, double& out, const Range& r) {
  if (const DocNode* n = take_required(key))
    if (auto v = to_number(*n, path_of(key), diags_, r)) out = *v;
}
void MapReader::required(std::string_view key, std::int64_t& out, const Range& r) {
  if (const DocNode* n = take_required(key))
    if (auto v = to_integer(*n, path_of(key), diags_, r)) out = *v;
}
void MapReader::required(std::string_view key, bool& out) {
  if (const DocNode* n = take_required(key))
    if (auto v = to_boolean(*n, path_of(key), diags_)) out = *v;
}
void MapReader::required(std::string_view key, std::string& out) {
  if (const DocNode* n = take_required(key))
    if (auto v = to_text(*n, path_of(key), diags_)) out = *v;
}
void MapReader::required_id(std::string_view key, std::string& out) {
  if (const DocNode* n = take_required(key))
    if (auto v = to_id(*n, path_of(key), diags_)) out = *v;
}
void MapReader::required_country(std::string_view key, std::string& out) {
  if (const DocNode* n = take_required(key))
    if (auto v = to_country_code(*n, path_of(key), diags_)) out = *v;
}

void MapReader::optional(std::string_view key, double& out, const Range& r) {
  if (const DocNode* n = take(key))
    if (auto v = to_number(*n, path_of(key), diags_, r)) out = *v;
}
void MapReader::optional(std::string_view key, std::optional<double>& out, const Range& r) {
  if (const DocNode* n = take(key))
    if (auto v = to_number(*n, path_of(key), diags_, r)) out = *v;
}
void MapReader::optional(std::string_view key, std::int64_t& out, const Range& r) {
  if (const DocNode* n = take(key))
    if (auto v = to_integer(*n, path_of(key), diags_, r)) out = *v;
}
void MapReader::optional(std::string_view key, std::optional<std::int64_t>& out,
                         const Range& r) {
  if (const DocNode* n = take(key))
    if (auto v = to_integer(*n, path_of(key), diags_, r)) out = *v;
}
void MapReader::optional(std::string_view key, bool& out) {
  if (const DocNode* n = take(key))
    if (auto v = to_boolean(*n, path_of(key), diags_)) out = *v;
}
void MapReader::optional(std::string_view key, std::string& out) {
  if (const DocNode* n = take(key))
    if (auto v = to_text(*n, path_of(key), diags_)) out = *v;
}
void MapReader::optional_id(std::string_view key, std::string& out) {
  if (const DocNode* n = take(key))
    if (auto v = to_id(*n, path_of(key), diags_)) out = *v;
}

void MapReader::report_bad_choice(const DocNode& n, std::string_view key, const std::string& got,
                                  const std::vector<std::string>& allowed) {
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  std::string msg = "unknown value '" + got + "' (allowed: " + list + ")";
  if (auto s = did_you_mean(got, allowed)) msg += "; did you mean '" + *s + "'?";
  diags_.error(n.loc, path_of(key), msg);
}

void MapReader::finish() {
  if (finished_) return;
  finished_ = true;
  if (!is_map_) return;
  for (const auto& e : node_.entries) {
    if (std::find(known_.begin(), known_.end(), e.key) != known_.end()) continue;
    std::string msg = "unknown key '" + e.key + "'";
    if (auto s = did_you_mean(e.key, known_)) msg += "; did you mean '" + *s + "'?";
    diags_.error(e.key_loc, path_of(e.key), msg);
  }
}

}  // namespace dcsim::models
