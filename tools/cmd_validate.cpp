// `dcsim validate FILE`: loads the scenario, its includes and every variant with all
// checks, and prints a short summary of what it describes. Writes nothing.
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "models/run/scale_warnings.hpp"
#include "models/scenario/scenario_loader.hpp"
#include "tools/assertions.hpp"
#include "tools/cli.hpp"
#include "tools/csv.hpp"

namespace dcsim::tools {

namespace {

struct ValidateOptions {
  std::string file;
  std::vector<std::string> overrides;
  std::string variant;
  bool quiet = false;
};

std::string millions(double x) { return fmt::format("{:.1f} M", x / 1e6); }

void print_summary(const std::vector<models::Scenario>& all) {
  const models::Scenario& s = all.front();
  std::set<std::string> region_countries;
  double population = 0, users = 0;
  for (const auto& g : s.regions) {
    region_countries.insert(g.country);
    population += static_cast<double>(g.population);
    if (const auto* c = s.find_country(g.country); c && c->user_share)
      users += static_cast<double>(g.population) * *c->user_share;
  }
  int built_eea = 0, built_other = 0;
  for (const auto& id : s.build_out) (s.in_eea(s.find_site(id)->country) ? built_eea : built_other)++;
  int terrestrial = 0, submarine = 0;
  for (const auto& l : s.network.links)
    (l.kind == models::LinkKind::Submarine ? submarine : terrestrial)++;
  std::string classes;
  for (const auto& c : s.traffic.classes) classes += (classes.empty() ? "" : ", ") + c.name;
  std::string variants;
  for (const auto& v : s.variant_names) variants += (variants.empty() ? "" : ", ") + v;

  fmt::print("{}: valid\n", s.source_path);
  fmt::print("  scenario   {}{}\n", s.meta.name,
             variants.empty() ? std::string(" (no variants)")
                              : fmt::format(" + {} variants: {}", s.variant_names.size(), variants));
  fmt::print("  regions    {} in {} countries; population {}, monthly users {}, daily active {}\n",
             s.regions.size(), region_countries.size(), millions(population), millions(users),
             millions(users * s.traffic.daily_active_share));
  fmt::print("  sites      {} built (EEA {}, outside EEA {}), {} more in the catalog\n",
             s.build_out.size(), built_eea, built_other, s.sites.size() - s.build_out.size());
  fmt::print("  backbone   {} hubs, {} links ({} terrestrial, {} submarine), {}\n",
             s.network.hubs.size(), s.network.links.size(), terrestrial, submarine,
             s.network.mode == models::NetworkMode::Explicit ? "explicit" : "generated");
  fmt::print("  traffic    {} request classes: {}\n", s.traffic.classes.size(), classes);
  fmt::print("  events     {}\n", s.events.size());
  // Hours to 6 significant digits: 72 h, not the 72.00000000000001 of a ns round trip.
  fmt::print("  run        {:.6g} h from {} ({} s Unix), {} fidelity, scale {}\n",
             sim::to_seconds(s.meta.duration) / 3600.0, utc_text(s.meta.start_utc_s), s.meta.start_utc_s,
             s.meta.fidelity == models::Fidelity::Event ? "event" : "flow", s.meta.scale);
}

int run_validate(const ValidateOptions& o) {
  std::vector<models::Scenario> all;
  if (o.variant.empty()) {
    all = models::load_all_variants(o.file, o.overrides);
  } else {
    all.push_back(models::load_scenario(o.file, models::LoadOptions{o.overrides, o.variant}));
  }
  for (const auto& s : all) check_assertions(s);
  if (!o.quiet) {
    print_summary(all);
    for (const auto& s : all)
      if (const std::string w = models::scale_warning_text(s); !w.empty())
        fmt::print("  warning    {}{}\n", s.variant.empty() ? "" : s.variant + ": ", w);
  }
  return kExitOk;
}

}  // namespace

void add_validate_command(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<ValidateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "validate", "Check a scenario (its includes and every variant) and summarise it");
  cmd->add_option("FILE", opts->file, "Scenario YAML file")->required();
  cmd->add_option("--set", opts->overrides,
                  "Override a value: key.path=value (e.g. meta.seed=7); repeatable");
  cmd->add_option("--variant", opts->variant, "Check only this variant (default: base and all)");
  cmd->add_flag("-q,--quiet", opts->quiet, "Print nothing but errors (no progress, summary or warnings)");
  cmd->callback([opts, &exit_code] { exit_code = run_validate(*opts); });
}

}  // namespace dcsim::tools
