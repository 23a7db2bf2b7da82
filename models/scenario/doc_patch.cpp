// Key-path navigation and replacement in DocNode trees.
#include "models/scenario/doc_patch.hpp"

#include <algorithm>
#include <memory>

#include "models/scenario/doc_reader.hpp"

namespace dcsim::models {

namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && s.size() < 10 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string item_label(const DocNode& item) {
  if (!item.is_map()) return {};
  for (const char* k : {"id", "name"})
    if (const DocNode* v = item.find(k); v && v->is_scalar()) return v->scalar;
  return {};
}

// Command-line values have no line: messages then name just "--set #N".
void clear_positions(DocNode& n) {
  n.loc.line = n.loc.column = 0;
  for (auto& item : n.items) clear_positions(item);
  for (auto& e : n.entries) {
    e.key_loc.line = e.key_loc.column = 0;
    clear_positions(e.value);
  }
}

}  // namespace

std::vector<std::string> split_key_path(std::string_view path, const SourceLoc& loc,
                                        Diagnostics& diags) {
  std::vector<std::string> out;
  std::string cur;
  bool ok = true;
  for (std::size_t i = 0; i < path.size() && ok; ++i) {
    const char c = path[i];
    if (c == '.') {
      if (cur.empty() && !(i > 0 && path[i - 1] == ']')) ok = false;
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else if (c == '[') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
      const std::size_t close = path.find(']', i);
      if (close == std::string_view::npos || close == i + 1) {
        ok = false;
        break;
      }
      out.emplace_back(path.substr(i + 1, close - i - 1));
      i = close;
    } else if (c == ']') {
      ok = false;
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  if (path.empty() || path.back() == '.') ok = false;
  if (!ok || out.empty()) {
    diags.error(loc, std::string(path),
                "not a key path (write it like sites.dublin.servers or sites[0].servers)");
    return {};
  }
  return out;
}

bool apply_patch(DocNode& root, std::string_view path, const DocNode& value, const SourceLoc& loc,
                 Diagnostics& diags) {
  const std::vector<std::string> segs = split_key_path(path, loc, diags);
  if (segs.empty()) return false;
  DocNode* cur = &root;
  std::string walked;
  std::string indexed;  // the same path with list items by position, as the reader names them
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const std::string& seg = segs[i];
    const bool last = i + 1 == segs.size();
    if (cur->is_null()) {
      cur->kind = DocNode::Kind::Map;
      cur->loc = loc;
    }
    if (cur->is_map()) {
      DocNode* next = cur->find(seg);
      if (!next) {
        DocEntry e;
        e.key = seg;
        e.key_loc = loc;
        e.value.loc = loc;
        cur->entries.push_back(std::move(e));
        next = &cur->entries.back().value;
      }
      walked = join_path(walked, seg);
      indexed = join_path(indexed, seg);
      cur = next;
    } else if (cur->is_sequence()) {
      DocNode* next = nullptr;
      std::size_t idx = 0;
      if (all_digits(seg)) {
        idx = std::stoul(seg);
        if (idx < cur->items.size()) next = &cur->items[idx];
      } else {
        for (idx = 0; idx < cur->items.size(); ++idx)
          if (item_label(cur->items[idx]) == seg) {
            next = &cur->items[idx];
            break;
          }
      }
      if (!next) {
        std::vector<std::string> labels;
        for (const auto& item : cur->items)
          if (auto l = item_label(item); !l.empty()) labels.push_back(l);
        std::string msg = "no item '" + seg + "' in " + (walked.empty() ? "the list" : walked) +
                          " (" + std::to_string(cur->items.size()) + " items)";
        if (auto s = did_you_mean(seg, labels)) msg += "; did you mean '" + *s + "'?";
        diags.error(loc, std::string(path), msg);
        return false;
      }
      walked += "[" + seg + "]";
      indexed = index_path(indexed, idx);
      cur = next;
    } else {
      diags.error(loc, std::string(path),
                  "'" + walked + "' is a single value, not a section; cannot set '" + seg + "'");
      return false;
    }
    if (last) {
      *cur = value;
      diags.name_path(indexed, std::string(path));
      return true;
    }
  }
  return false;
}

bool apply_override(DocNode& root, std::string_view assignment, int index, Diagnostics& diags) {
  auto file = std::make_shared<const std::string>("--set #" + std::to_string(index));
  const SourceLoc loc{file, 0, 0};
  const std::size_t eq = assignment.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    diags.error(loc, std::string(assignment), "expected key.path=value");
    return false;
  }
  const std::string_view path = assignment.substr(0, eq);
  const std::string_view text = assignment.substr(eq + 1);
  // Variants and includes are part of reading the file, done before overrides apply: a
  // patched `variants` list would not be the one --variant chose from, nor `include` read.
  const std::string_view head = path.substr(0, path.find_first_of(".["));
  if (head == "variants") {
    diags.error(loc, std::string(path),
                "variants cannot be set with --set: they are defined in the scenario file; pick one with --variant NAME "
                "(or set the values it would change with --set)");
    return false;
  }
  if (head == "include") {
    diags.error(loc, std::string(path),
                "include cannot be set with --set: included files are read before overrides apply; edit the scenario file "
                "(or set the values themselves with --set)");
    return false;
  }
  DocNode value;
  try {
    value = parse_yaml(text, file);
  } catch (const YamlSyntaxError& e) {
    diags.error(loc, std::string(path), "value is not valid YAML: " + e.message);
    return false;
  }
  clear_positions(value);
  value.loc = loc;
  {
    // A map value with a key twice (`meta={seed: 1, seed: 2}`) is an error, as in a file.
    Diagnostics dup;
    reject_duplicate_and_merge_keys(value, std::string(path), dup);
    for (const auto& d : dup.items()) diags.error(loc, d.key_path, d.message);
    if (!dup.empty()) return false;
  }
  if (value.is_null() && text.empty()) {
    diags.error(loc, std::string(path), "empty value (write key=value)");
    return false;
  }
  // YAML folds the line breaks of an unquoted value into spaces: "a<newline>b" would
  // silently become "a b". A value meant to hold one must be quoted ("a\nb").
  const std::size_t first = text.find_first_not_of(" \t\r\n"), last = text.find_last_not_of(" \t\r\n");
  const std::string_view inner = first == std::string_view::npos ? std::string_view() : text.substr(first, last - first + 1);
  if (value.is_scalar() && !value.quoted && inner.find_first_of("\r\n") != std::string_view::npos) {
    diags.error(loc, std::string(path), "the value spans lines (a line break in it, which YAML would fold into a space); write it on one line");
    return false;
  }
  return apply_patch(root, path, value, loc, diags);
}

}  // namespace dcsim::models
