// Reading a sweep description strictly, expanding it into points, checking every point's
// scenario.
#include "models/scenario/sweep_spec.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "models/scenario/doc_patch.hpp"
#include "models/scenario/doc_reader.hpp"
#include "models/scenario/quoting.hpp"
#include "models/scenario/scenario_loader.hpp"

namespace dcsim::models {

namespace fs = std::filesystem;

namespace {

constexpr double kMaxSeed = 9.0e18;  // as meta.seed
constexpr double kMaxSeedCount = 1.0e6;
// A sweep's runs are planned in memory, one record each; a sweep of more runs than the
// largest seed count is refused up front rather than running out of memory.
constexpr std::size_t kMaxRuns = 1'000'000;

SourceLoc command_line_loc(const std::string& what) { return SourceLoc{std::make_shared<const std::string>(what), 0, 0}; }

bool needs_quotes(const std::string& s) {
  if (s.empty()) return true;
  if (std::isspace(static_cast<unsigned char>(s.front())) || std::isspace(static_cast<unsigned char>(s.back()))) return true;
  if (std::string_view("!&*|>'\"%@`#?").find(s.front()) != std::string_view::npos) return true;
  if (s.size() >= 2 && s[0] == '-' && s[1] == ' ') return true;
  if (s.back() == ':') return true;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == ',' || c == '[' || c == ']' || c == '{' || c == '}' || c == '\n' || c == '\r' || c == '\t') return true;
    if (c == ':' && i + 1 < s.size() && s[i + 1] == ' ') return true;
    if (c == '#' && i > 0 && s[i - 1] == ' ') return true;
  }
  return false;
}

std::string scalar_flow(const std::string& text, bool quoted) {
  return quoted || needs_quotes(text) ? double_quoted(text, ControlEscape::YamlHex) : text;
}

// Checks a key path's shape, and that it is not one the sweep sets itself.
bool check_key(const std::string& key, const SourceLoc& loc, const std::string& path, Diagnostics& diags) {
  Diagnostics local;
  const auto parts = split_key_path(key, loc, local);
  if (!local.empty() || parts.empty()) {
    diags.error(loc, path, "'" + key + "' is not a key path (write a.b.c, list items by id or [index])");
    return false;
  }
  if (parts.size() == 2 && parts[0] == "meta" && parts[1] == "seed") {
    diags.error(loc, path, "the seed is set by the sweep's seeds: (a list, or {count: N, from: S})");
    return false;
  }
  return true;
}

void read_variants(const DocNode* variants, const std::string& path, SweepSpec& spec, Diagnostics& diags) {
  if (!variants) return;
  if (variants->is_scalar() && !variants->quoted && variants->scalar == "all") return;  // expanded once the scenario is known
  if (!variants->is_sequence()) {
    diags.error(variants->loc, path, "expected a list of variant names, or 'all'");
    return;
  }
  if (variants->items.empty()) diags.error(variants->loc, path, "list at least one variant ('base' is the unpatched scenario)");
  for_each_item(variants, path, diags, [&](const DocNode& item, const std::string& item_path) {
    auto name = to_id(item, item_path, diags);
    if (!name) return;
    if (std::find(spec.variants.begin(), spec.variants.end(), *name) != spec.variants.end()) {
      diags.error(item.loc, item_path, "variant '" + *name + "' is listed twice");
      return;
    }
    spec.variants.push_back(*name);
    spec.variant_locs.push_back(item.loc);
  });
}

// Variants × grid points × seeds must stay within kMaxRuns. Saturating: each factor is at
// most the file's size, so checking before each product keeps it far from overflow.
void check_run_count(const SweepSpec& spec, Diagnostics& diags) {
  std::size_t runs = spec.variants.size() * std::max<std::size_t>(1, spec.seeds.size());
  for (const auto& p : spec.grid)
    if (runs <= kMaxRuns) runs *= p.values.size();
  if (runs > kMaxRuns)
    diags.error(spec.grid.empty() ? spec.seeds_loc : spec.grid.front().loc, spec.grid.empty() ? "seeds" : "grid",
                "more than " + std::to_string(kMaxRuns) + " runs (variants × grid values × seeds); split the sweep");
}

void read_seeds(const DocNode* seeds, const std::string& path, SweepSpec& spec, Diagnostics& diags) {
  if (!seeds) return;
  spec.seeds_loc = seeds->loc;
  if (seeds->is_sequence()) {
    if (seeds->items.empty()) diags.error(seeds->loc, path, "list at least one seed");
    std::set<std::int64_t> seen;
    for_each_item(seeds, path, diags, [&](const DocNode& item, const std::string& item_path) {
      auto v = to_integer(item, item_path, diags, Range{0, kMaxSeed});
      if (!v) return;
      if (!seen.insert(*v).second) {
        diags.error(item.loc, item_path, "seed " + std::to_string(*v) + " is listed twice");
        return;
      }
      spec.seeds.push_back(static_cast<std::uint64_t>(*v));
    });
  } else if (seeds->is_map()) {
    MapReader sr(*seeds, path, diags);
    std::int64_t count = 0, from = 1;
    sr.required("count", count, Range{1, kMaxSeedCount});
    sr.optional("from", from, Range{0, kMaxSeed - kMaxSeedCount});
    sr.finish();
    for (std::int64_t i = 0; i < count; ++i) spec.seeds.push_back(static_cast<std::uint64_t>(from + i));
  } else {
    diags.error(seeds->loc, path, "expected a list of seeds or {count: N, from: S}");
  }
}

void read_settings(const DocNode* set, const std::string& path, SweepSpec& spec, Diagnostics& diags) {
  if (!set) return;
  if (!set->is_map()) {
    diags.error(set->loc, path, "expected a map of key.path: value");
    return;
  }
  for (const auto& e : set->entries) {
    const std::string key_path = join_path(path, e.key);
    if (!check_key(e.key, e.key_loc, key_path, diags)) continue;
    if (e.value.is_null()) {
      diags.error(e.key_loc, key_path, "empty value");
      continue;
    }
    spec.set.push_back(SweepSetting{e.key + "=" + to_yaml_flow(e.value), e.value.loc});
  }
}

// One grid parameter's values, each once; nullopt (reported) when the entry is unusable.
std::optional<SweepParameter> read_grid_parameter(const DocEntry& e, const std::string& key_path, Diagnostics& diags) {
  if (!e.value.is_sequence()) {
    diags.error(e.value.is_null() ? e.key_loc : e.value.loc, key_path,
                "expected a list of values, got a " + std::string(kind_name(e.value.kind)));
    return std::nullopt;
  }
  if (e.value.items.empty()) {
    diags.error(e.key_loc, key_path, "empty grid: list at least one value");
    return std::nullopt;
  }
  SweepParameter p{e.key, e.key_loc, {}};
  std::set<std::string> seen;
  for (std::size_t i = 0; i < e.value.items.size(); ++i) {
    const DocNode& v = e.value.items[i];
    SweepValue sv{to_yaml_flow(v), v.is_scalar() ? v.scalar : to_yaml_flow(v), v.loc};
    if (!seen.insert(sv.yaml).second) {
      diags.error(v.loc, index_path(key_path, i), "value " + sv.yaml + " is listed twice");
      continue;
    }
    p.values.push_back(std::move(sv));
  }
  return p;
}

void read_grid(const DocNode* grid, const std::string& path, SweepSpec& spec, Diagnostics& diags) {
  if (!grid) return;
  if (!grid->is_map()) {
    diags.error(grid->loc, path, "expected a map of key.path: [values]");
    return;
  }
  if (grid->entries.empty()) {
    diags.error(grid->loc, path, "empty grid: list at least one parameter, or leave grid: out");
    return;
  }
  std::set<std::string> keys;
  for (const auto& e : grid->entries) {
    const std::string key_path = join_path(path, e.key);
    if (!check_key(e.key, e.key_loc, key_path, diags)) continue;
    if (!keys.insert(e.key).second) {
      diags.error(e.key_loc, key_path, "parameter listed twice");
      continue;
    }
    if (auto p = read_grid_parameter(e, key_path, diags)) spec.grid.push_back(std::move(*p));
  }
}

// The keys common to a sweep file and a scenario's sweep: section. `variants_node` is
// returned for checking against the scenario once it is known.
const DocNode* read_body(MapReader& r, SweepSpec& spec, Diagnostics& diags) {
  r.optional("description", spec.description);
  const DocNode* variants = r.take("variants");
  read_variants(variants, r.path_of("variants"), spec, diags);
  read_seeds(r.take("seeds"), r.path_of("seeds"), spec, diags);
  if (const DocNode* scale = r.take("scale")) {
    if (auto v = to_integer(*scale, r.path_of("scale"), diags, Range{1, 1.0e6})) {
      spec.scale = *v;
      spec.scale_loc = scale->loc;
    }
  }
  read_settings(r.take("set"), r.path_of("set"), spec, diags);
  read_grid(r.take("grid"), r.path_of("grid"), spec, diags);
  return variants;
}

std::string setting_key(const std::string& assignment) { return assignment.substr(0, assignment.find('=')); }

// Variant names a scenario tree declares, in file order.
std::vector<std::string> declared_variants(const DocNode& tree) {
  std::vector<std::string> names;
  const DocNode* v = tree.find("variants");
  if (!v || !v->is_sequence()) return names;
  for (const auto& item : v->items)
    if (const DocNode* n = item.is_map() ? item.find("name") : nullptr; n && n->is_scalar()) names.push_back(n->scalar);
  return names;
}

void resolve_variants(SweepSpec& spec, const DocNode* variants_node, const std::string& variants_path, const DocNode& scenario_tree,
                      Diagnostics& diags) {
  const std::vector<std::string> declared = declared_variants(scenario_tree);
  const bool all = !variants_node || (variants_node->is_scalar() && variants_node->scalar == "all");
  if (all) {
    if (declared.empty()) {
      if (variants_node)
        diags.error(variants_node->loc, variants_path, "'all': the scenario defines no variants (list [base] to sweep the scenario itself)");
      spec.variants = {"base"};
      spec.variant_locs = {scenario_tree.loc};
      return;
    }
    spec.variants = declared;
    spec.variant_locs.assign(declared.size(), variants_node ? variants_node->loc : scenario_tree.loc);
    return;
  }
  for (std::size_t i = 0; i < spec.variants.size(); ++i) {
    const std::string& name = spec.variants[i];
    if (name == "base" || std::find(declared.begin(), declared.end(), name) != declared.end()) continue;
    std::string msg = "no variant named '" + name + "'";
    if (declared.empty()) {
      msg += " (the scenario defines no variants; 'base' is the scenario itself)";
    } else {
      std::string list;
      for (const auto& n : declared) list += (list.empty() ? "" : ", ") + n;
      msg += " (variants: base, " + list + ")";
      if (auto s = did_you_mean(name, declared)) msg += "; did you mean '" + *s + "'?";
    }
    diags.error(spec.variant_locs[i], index_path(variants_path, i), msg);
  }
}

// Where a loader diagnostic about override #k came from, for re-reporting it there.
struct OverrideOrigin {
  SourceLoc loc;
  std::string label;
  std::size_t group = 0;  ///< same group: same setting or grid parameter (for de-duplication)
};

std::string strip_variant_prefix(const std::string& message) {
  if (message.rfind("in variant '", 0) != 0) return message;
  const std::size_t end = message.find("': ");
  return end == std::string::npos ? message : message.substr(end + 3);
}

}  // namespace

std::string to_yaml_flow(const DocNode& node) {
  switch (node.kind) {
    case DocNode::Kind::Null: return "null";
    case DocNode::Kind::Scalar: return scalar_flow(node.scalar, node.quoted);
    case DocNode::Kind::Sequence: {
      std::string out = "[";
      for (std::size_t i = 0; i < node.items.size(); ++i) out += (i ? ", " : "") + to_yaml_flow(node.items[i]);
      return out + "]";
    }
    case DocNode::Kind::Map: {
      std::string out = "{";
      for (std::size_t i = 0; i < node.entries.size(); ++i)
        out += (i ? ", " : "") + scalar_flow(node.entries[i].key, false) + ": " + to_yaml_flow(node.entries[i].value);
      return out + "}";
    }
  }
  return "null";
}

std::string SweepSpec::definition_text() const {
  std::string out = "variants:";
  for (const auto& v : variants) out += " " + v;
  out += "\nseeds:";
  if (seeds.empty()) out += " (the scenario's)";
  for (auto s : seeds) out += " " + std::to_string(s);
  out += "\nscale: " + (scale ? std::to_string(*scale) : std::string("(the scenario's)")) + "\n";
  for (const auto& s : set) out += "set: " + s.assignment + "\n";
  for (const auto& p : grid) {
    out += "grid: " + p.key + " =";
    for (const auto& v : p.values) out += " " + v.yaml;
    out += "\n";
  }
  return out;
}

SweepSpec read_sweep(const std::string& path, const SweepCommandLine& command_line) {
  Diagnostics diags;
  const DocNode tree = load_tree(path, diags);
  diags.throw_if_any();

  SweepSpec spec;
  spec.source_path = path;
  const DocNode* variants_node = nullptr;
  std::string variants_path;
  const DocNode* scenario_node = tree.find("scenario");
  if (scenario_node) {
    // A sweep file: the sweep's keys at the top, plus the scenario it sweeps.
    MapReader top(tree, "", diags);
    std::string scenario;
    top.required("scenario", scenario);
    if (!scenario.empty()) spec.scenario_path = (fs::path(path).parent_path() / scenario).lexically_normal().string();
    variants_node = read_body(top, spec, diags);
    variants_path = top.path_of("variants");
    top.finish();
  } else {
    const DocNode* sweep = tree.find("sweep");
    if (!sweep) {
      diags.error(tree.loc, "sweep",
                  "no sweep: section; add one (variants:, seeds:, grid:) or write a sweep file whose scenario: names this file");
      diags.throw_if_any();
    }
    spec.scenario_path = path;
    MapReader r(*sweep, "sweep", diags);
    variants_node = read_body(r, spec, diags);
    variants_path = r.path_of("variants");
    r.finish();
  }

  // The command line's additions.
  for (std::size_t i = 0; i < command_line.overrides.size(); ++i) {
    const std::string& o = command_line.overrides[i];
    const SourceLoc loc = command_line_loc("--set #" + std::to_string(i + 1));
    const std::size_t eq = o.find('=');
    if (eq == std::string::npos || eq == 0) {
      diags.error(loc, o, "expected key.path=value");
      continue;
    }
    if (!check_key(o.substr(0, eq), loc, o.substr(0, eq), diags)) continue;
    spec.set.push_back(SweepSetting{o, loc});
  }
  if (command_line.scale) {
    spec.scale = command_line.scale;
    spec.scale_loc = command_line_loc("--scale");
  }

  // A leaf set twice would make a run's parameters ambiguous.
  std::map<std::string, SourceLoc> fixed;
  for (const auto& s : spec.set) fixed.emplace(setting_key(s.assignment), s.loc);
  for (const auto& p : spec.grid)
    if (fixed.count(p.key)) diags.error(p.loc, "grid." + p.key, "also given in set:; a leaf is either fixed or swept");
  if (spec.scale) {
    if (fixed.count("meta.scale")) diags.error(fixed["meta.scale"], "meta.scale", "the scale is given twice (scale: or --scale, and set:)");
    for (const auto& p : spec.grid)
      if (p.key == "meta.scale") diags.error(p.loc, "grid.meta.scale", "the scale is given twice (scale: or --scale, and grid:)");
  }

  // The scenario: it must exist, and its variants must include the listed ones.
  if (!spec.scenario_path.empty()) {
    std::error_code ec;
    if (scenario_node && !fs::is_regular_file(spec.scenario_path, ec)) {
      diags.error(scenario_node->loc, "scenario", "cannot open '" + spec.scenario_path + "': no such file");
    } else if (scenario_node) {
      Diagnostics scenario_diags;
      const DocNode scenario_tree = load_tree(spec.scenario_path, scenario_diags);
      for (const auto& d : scenario_diags.items()) diags.error(d.loc, d.key_path, d.message);
      if (scenario_diags.empty()) resolve_variants(spec, variants_node, variants_path, scenario_tree, diags);
    } else {
      resolve_variants(spec, variants_node, variants_path, tree, diags);
    }
  }
  check_run_count(spec, diags);
  diags.throw_if_any();
  return spec;
}

std::vector<SweepPoint> sweep_points(const SweepSpec& spec) {
  std::vector<SweepPoint> out;
  for (const auto& v : spec.variants) {
    std::vector<std::size_t> idx(spec.grid.size(), 0);
    for (;;) {
      out.push_back(SweepPoint{v, idx});
      // Odometer: the last parameter varies fastest.
      std::size_t k = idx.size();
      while (k > 0 && ++idx[k - 1] == spec.grid[k - 1].values.size()) idx[--k] = 0;
      if (k == 0) break;
    }
  }
  return out;
}

std::string loader_variant(const SweepPoint& point) { return point.variant == "base" ? std::string() : point.variant; }

std::vector<std::string> run_overrides(const SweepSpec& spec, const SweepPoint& point, std::optional<std::uint64_t> seed) {
  std::vector<std::string> out;
  for (const auto& s : spec.set) out.push_back(s.assignment);
  for (std::size_t k = 0; k < spec.grid.size(); ++k) out.push_back(spec.grid[k].key + "=" + spec.grid[k].values[point.values[k]].yaml);
  if (seed) out.push_back("meta.seed=" + std::to_string(*seed));
  if (spec.scale) out.push_back("meta.scale=" + std::to_string(*spec.scale));
  return out;
}

void load_sweep_points(const SweepSpec& spec, const std::vector<SweepPoint>& points,
                       const std::function<void(std::size_t, const Scenario&)>& visit) {
  Diagnostics diags;
  std::set<std::tuple<std::size_t, std::string, std::string>> reported;  // (origin group, key path, message)
  for (std::size_t i = 0; i < points.size(); ++i) {
    const SweepPoint& p = points[i];
    std::vector<OverrideOrigin> origins;
    for (std::size_t k = 0; k < spec.set.size(); ++k)
      origins.push_back({spec.set[k].loc, "set " + spec.set[k].assignment, k});
    for (std::size_t k = 0; k < spec.grid.size(); ++k) {
      const SweepValue& v = spec.grid[k].values[p.values[k]];
      origins.push_back({v.loc, "grid value " + spec.grid[k].key + "=" + v.display, spec.set.size() + k});
    }
    if (spec.scale) origins.push_back({spec.scale_loc, "scale " + std::to_string(*spec.scale), spec.set.size() + spec.grid.size()});

    try {
      const Scenario s = load_scenario(spec.scenario_path, LoadOptions{run_overrides(spec, p, std::nullopt), loader_variant(p)});
      visit(i, s);
    } catch (const ScenarioError& e) {
      std::string point_label;
      for (std::size_t k = 0; k < spec.grid.size(); ++k)
        point_label += (point_label.empty() ? "" : ", ") + spec.grid[k].key + "=" + spec.grid[k].values[p.values[k]].display;
      for (const Diagnostic& d : e.diagnostics()) {
        const std::string file = d.loc.file_name();
        std::size_t k = 0;
        if (file.rfind("--set #", 0) == 0) k = static_cast<std::size_t>(std::atoi(file.c_str() + 7));
        if (k >= 1 && k <= origins.size()) {
          // A problem with one of the sweep's own values: report it there, once.
          const OverrideOrigin& o = origins[k - 1];
          const std::string message = strip_variant_prefix(d.message);
          if (!reported.insert({o.group, d.key_path, message}).second) continue;
          diags.error(o.loc, d.key_path, message + " (" + o.label + ")");
        } else {
          diags.error(d.loc, d.key_path, point_label.empty() ? d.message : "at grid point " + point_label + ": " + d.message);
        }
      }
    }
  }
  diags.throw_if_any();
}

}  // namespace dcsim::models
