// Files, includes, variants and overrides; the typed reading is in scenario_reader.cpp.
#include "models/scenario/scenario_loader.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "models/scenario/doc_patch.hpp"
#include "models/scenario/doc_reader.hpp"

namespace dcsim::models {

namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kMaxFileBytes = 64ull << 20;
constexpr std::size_t kMaxIncludeDepth = 16;

// What a path that is not a regular file is, for the message.
std::string not_regular_kind(const fs::file_status& st) {
  switch (st.type()) {
    case fs::file_type::directory: return "a directory";
    case fs::file_type::fifo: return "a FIFO (named pipe)";
    case fs::file_type::character: return "a character device";
    case fs::file_type::block: return "a block device";
    case fs::file_type::socket: return "a socket";
    default: return "not a file";
  }
}

// Reads a whole file, reporting problems at `from` (the include line, or the file itself).
std::optional<std::string> read_text(const std::string& path, const SourceLoc& from,
                                     const std::string& key_path, Diagnostics& diags) {
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) {
    diags.error(from, key_path, "cannot open '" + path + "': no such file");
    return std::nullopt;
  }
  // Checked before opening: opening a FIFO for reading waits for a writer (forever), and a
  // device may never end.
  if (!fs::is_regular_file(st)) {
    diags.error(from, key_path, "'" + path + "' is " + not_regular_kind(st) + ", not a regular file; give a scenario file");
    return std::nullopt;
  }
  const std::uintmax_t size = fs::file_size(path, ec);
  if (!ec && size > kMaxFileBytes) {
    diags.error(from, key_path, "'" + path + "' is larger than 64 MiB");
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diags.error(from, key_path, "cannot open '" + path + "': permission denied or unreadable");
    return std::nullopt;
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) {
    diags.error(from, key_path, "error while reading '" + path + "'");
    return std::nullopt;
  }
  return std::move(buf).str();
}

// A list of records (maps: regions, sites, links) is a table that includes extend; a list
// of plain values (build_out, percentiles, weights) is one setting the includer replaces.
bool is_table(const DocNode& list) {
  return !list.items.empty() && std::all_of(list.items.begin(), list.items.end(), [](const DocNode& n) { return n.is_map(); });
}

void merge_into(DocNode& base, DocNode&& overlay) {
  if (base.is_map() && overlay.is_map()) {
    for (auto& e : overlay.entries) {
      DocNode* existing = base.find(e.key);
      if (!existing) {
        base.entries.push_back(std::move(e));
      } else if (existing->is_map() && e.value.is_map()) {
        merge_into(*existing, std::move(e.value));
      } else if (existing->is_sequence() && e.value.is_sequence() && is_table(*existing) &&
                 (is_table(e.value) || e.value.items.empty())) {
        // An empty list extends a table by nothing: `sites: []` keeps the included sites.
        for (auto& item : e.value.items) existing->items.push_back(std::move(item));
      } else {
        *existing = std::move(e.value);
      }
    }
    return;
  }
  base = std::move(overlay);
}

DocNode load_recursive(const std::string& path, const SourceLoc& from, const std::string& key_path,
                       std::vector<std::string>& stack, Diagnostics& diags, std::vector<std::string>* files) {
  DocNode empty_map;
  empty_map.kind = DocNode::Kind::Map;
  std::error_code ec;
  const std::string canonical = fs::weakly_canonical(path, ec).string();
  if (std::find(stack.begin(), stack.end(), canonical) != stack.end()) {
    std::string chain;
    for (const auto& s : stack) chain += fs::path(s).filename().string() + " → ";
    diags.error(from, key_path,
                "include cycle: " + chain + fs::path(canonical).filename().string());
    return empty_map;
  }
  if (stack.size() >= kMaxIncludeDepth) {
    diags.error(from, key_path, "includes nested deeper than 16 files");
    return empty_map;
  }
  auto text = read_text(path, from, key_path, diags);
  if (!text) return empty_map;
  if (files) files->push_back(path);
  auto file = std::make_shared<const std::string>(path);
  const SourceLoc top{file, 1, 1};
  if (text->find('\0') != std::string::npos) {
    diags.error(top, "", "binary file (contains NUL bytes), not YAML text");
    return empty_map;
  }
  DocNode doc;
  try {
    doc = parse_yaml(*text, file);
  } catch (const YamlSyntaxError& e) {
    diags.error(e.loc, "", "YAML syntax error: " + e.message);
    return empty_map;
  }
  if (doc.is_null()) {
    diags.error(top, "", "file is empty");
    return empty_map;
  }
  if (!doc.is_map()) {
    diags.error(doc.loc, "",
                "the top level must be a map of sections (meta:, regions:, ...), got a " +
                    std::string(kind_name(doc.kind)));
    return empty_map;
  }
  // Before includes merge: merging would silently fold a file's second `meta:` into its
  // first, and a second `include:` would be read as an unknown key.
  reject_duplicate_and_merge_keys(doc, "", diags);

  DocNode result = empty_map;
  result.loc = doc.loc;
  auto inc = std::find_if(doc.entries.begin(), doc.entries.end(),
                          [](const DocEntry& e) { return e.key == "include"; });
  if (inc != doc.entries.end()) {
    std::vector<const DocNode*> names;
    if (inc->value.is_scalar()) {
      names.push_back(&inc->value);
    } else if (inc->value.is_sequence()) {
      for (const auto& item : inc->value.items) names.push_back(&item);
    } else {
      diags.error(inc->value.loc, "include", "expected a file name or a list of file names");
    }
    stack.push_back(canonical);
    const fs::path dir = fs::path(path).parent_path();
    for (std::size_t i = 0; i < names.size(); ++i) {
      const std::string inc_path = inc->value.is_sequence() ? index_path("include", i) : "include";
      auto name = to_text(*names[i], inc_path, diags);
      if (!name) continue;
      if (name->empty()) {
        diags.error(names[i]->loc, inc_path, "empty file name");
        continue;
      }
      const std::string resolved = (dir / *name).lexically_normal().string();
      merge_into(result, load_recursive(resolved, names[i]->loc, inc_path, stack, diags, files));
    }
    stack.pop_back();
    doc.entries.erase(inc);
  }
  merge_into(result, std::move(doc));
  return result;
}

// Applies the `set:` map of the named variant. Unknown names are reported with the list.
void apply_variant(DocNode& root, const std::string& name, Diagnostics& diags) {
  const DocNode* variants = root.find("variants");
  std::vector<std::string> names;
  if (variants && variants->is_sequence()) {
    for (std::size_t i = 0; i < variants->items.size(); ++i) {
      const DocNode& v = variants->items[i];
      const DocNode* n = v.is_map() ? v.find("name") : nullptr;
      if (!n || !n->is_scalar()) continue;
      names.push_back(n->scalar);
      if (n->scalar != name) continue;
      const DocNode* set = v.find("set");
      if (!set || !set->is_map()) return;  // shape errors are reported by the typed reader
      const DocNode patches = *set;        // copy: patching may reallocate `root`'s storage
      for (const auto& e : patches.entries) apply_patch(root, e.key, e.value, e.key_loc, diags);
      return;
    }
  }
  std::string msg = "no variant named '" + name + "'";
  if (names.empty()) {
    msg += " (the scenario defines no variants)";
  } else {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    msg += " (variants: " + list + ")";
    if (auto s = did_you_mean(name, names)) msg += "; did you mean '" + *s + "'?";
  }
  diags.error(variants ? variants->loc : root.loc, "variants", msg);
}

Scenario load_one(const DocNode& tree, const std::string& path, const LoadOptions& options,
                  const std::vector<std::string>& files, Diagnostics& diags) {
  DocNode root = tree;
  Diagnostics local;
  if (!options.variant.empty()) apply_variant(root, options.variant, local);
  int index = 1;
  for (const auto& o : options.overrides) apply_override(root, o, index++, local);
  Scenario s = read_scenario(root, local);
  s.source_path = path;
  s.source_files = files;
  s.overrides = options.overrides;
  s.variant = options.variant;
  // A variant's problem may sit in the base file (e.g. a check its patch made fail).
  const std::string prefix = options.variant.empty() ? "" : "in variant '" + options.variant + "': ";
  for (const auto& d : local.items()) diags.error(d.loc, d.key_path, prefix + d.message);
  return s;
}

}  // namespace

DocNode load_tree(const std::string& path, Diagnostics& diags, std::vector<std::string>* files_read) {
  std::vector<std::string> stack;
  auto file = std::make_shared<const std::string>(path);
  return load_recursive(path, SourceLoc{file, 0, 0}, "", stack, diags, files_read);
}

Scenario load_scenario(const std::string& path, const LoadOptions& options) {
  Diagnostics diags;
  std::vector<std::string> files;
  DocNode tree = load_tree(path, diags, &files);
  diags.throw_if_any();
  Scenario s = load_one(tree, path, options, files, diags);
  diags.throw_if_any();
  return s;
}

std::vector<Scenario> load_all_variants(const std::string& path,
                                        const std::vector<std::string>& overrides) {
  Diagnostics diags;
  std::vector<std::string> files;
  DocNode tree = load_tree(path, diags, &files);
  diags.throw_if_any();
  std::vector<Scenario> out;
  out.push_back(load_one(tree, path, LoadOptions{overrides, ""}, files, diags));
  // A broken base makes every variant repeat its errors; report the base alone.
  if (!diags.empty()) diags.throw_if_any();
  for (const auto& v : out.front().variant_names)
    out.push_back(load_one(tree, path, LoadOptions{overrides, v}, files, diags));
  diags.throw_if_any();
  return out;
}

}  // namespace dcsim::models
