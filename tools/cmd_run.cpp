// `dcsim run FILE -o DIR`: simulate one scenario (optionally a variant, seed, scale) and
// write its run folder: manifest.json and the tidy CSVs. Nothing is written when the input
// is invalid or the run fails; an existing folder is kept unless --force.
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <variant>

#include <fmt/core.h>

#include "models/run/data_plan.hpp"
#include "models/run/flow_run.hpp"
#include "models/run/run_window.hpp"
#include "models/run/event_run.hpp"
#include "models/run/scale_warnings.hpp"
#include "models/scenario/scenario_loader.hpp"
#include "models/run/summary.hpp"
#include "models/network/world.hpp"
#include "tools/assertions.hpp"
#include "tools/cli.hpp"
#include "tools/cli_options.hpp"
#include "tools/progress.hpp"
#include "tools/run_output.hpp"
#include "tools/run_folder.hpp"
#include "tools/writers.hpp"

namespace dcsim::tools {

namespace {

struct RunCommandOptions {
  std::string file;
  std::string out;
  std::string variant;
  std::vector<std::string> overrides;
  std::int64_t seed = -1;
  std::int64_t scale = 0;
  std::string fidelity;
  std::string window;          ///< --window: the date a window of the run starts
  std::int64_t window_days = 1;
  bool force = false;
  bool quiet = false;
};

// "YYYY-MM-DD" (00:00 UTC) or "YYYY-MM-DDTHH:MM:SSZ" as Unix seconds.
std::optional<std::int64_t> parse_utc(const std::string& text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  char tail = 0;
  const bool date_only = text.size() == 10 && std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &y, &mo, &d, &tail) == 3;
  const bool full = text.size() == 20 && std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2dZ%c", &y, &mo, &d, &h, &mi, &s, &tail) == 6;
  if (!date_only && !full) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 59) return std::nullopt;
  return std::chrono::sys_days{ymd}.time_since_epoch().count() * std::int64_t{86400} + h * 3600 + mi * 60 + s;
}

// The window --window and --window-days ask for, or an error text.
std::variant<models::RunWindow, std::string> window_of(const RunCommandOptions& o, const models::Scenario& s) {
  const auto t = parse_utc(o.window);
  if (!t) return "--window '" + o.window + "': not a date (YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SSZ)";
  const std::int64_t delta = *t - s.meta.start_utc_s;
  if (delta % 86400 != 0)
    return "--window " + o.window + ": a window starts a whole number of days after the run's start (" + utc_text(s.meta.start_utc_s) + ")";
  const models::RunWindow w{delta / 86400, o.window_days};
  if (const std::string why = models::window_problem(s, w); !why.empty()) return "--window " + o.window + ": " + why;
  return w;
}

void print_run_summary(const models::World& world, const RunOutput& out, const std::string& dir) {
  const models::Scenario& s = world.scenario();
  const models::Metrics& m = *out.metrics;
  const models::Headline h = models::compute_headline(m, world);
  fmt::print("{} ({}, {} fidelity, seed {}, scale {}): {:.0f} requests in {:.2f} s wall\n", s.meta.name, out.variant, out.fidelity,
             s.meta.seed, s.meta.scale, m.generated, out.wall_time_s);
  if (!s.meta.window.empty()) fmt::print("  window: {}\n", s.meta.window);
  fmt::print("  EEA-exit share {:.1f} %, cross-border share {:.1f} %, dropped {:.3f} %\n", 100 * h.eea_exit_share,
             100 * h.cross_border_share, 100 * h.dropped_share);
  // The figures the tables (compare, report) lead with: time to first byte, not completion
  // time (which includes transferring a whole video); p95 only when the scenario asks for it.
  const auto p95 = h.ttfb_p(95);
  fmt::print("  time to first byte mean {:.1f} ms{}; site utilisation mean {:.1f} %, peak {:.1f} %\n", h.ttfb_mean_ms,
             p95 ? fmt::format(", p95 {:.1f} ms", *p95) : std::string(), 100 * h.mean_site_utilisation, 100 * h.peak_site_utilisation);
  // With migration waves: what moved, and when the EEA-exit share stayed below 1 % (the
  // figure a planner checks a migration plan against), as a date.
  if (!m.migration_waves.empty()) {
    std::string below = "never below 1 % for good";
    if (h.eea_exit_share_below_1pct_from_h == 0) below = "below 1 % throughout";
    if (h.eea_exit_share_below_1pct_from_h > 0)
      below = fmt::format("below 1 % from {} (hour {:.0f})",
                          utc_text(s.meta.start_utc_s + static_cast<std::int64_t>(h.eea_exit_share_below_1pct_from_h * 3600)),
                          h.eea_exit_share_below_1pct_from_h);
    fmt::print("  migrations: {:.1f} PB moved ({:.1f} PB across the Atlantic), {:.1f} PB left; EEA-exit share {}\n", h.migrated_bytes / 1e15,
               h.migrated_transatlantic_bytes / 1e15, h.migration_remaining_bytes / 1e15, below);
  }
  std::string names;
  for (const auto& [name, content] : out.files) names += (names.empty() ? "" : ", ") + name;
  fmt::print("  wrote {}/ ({})\n", dir, names);
}

int run_command(const RunCommandOptions& o) {
  std::vector<std::string> overrides = o.overrides;
  if (o.seed >= 0) overrides.push_back("meta.seed=" + std::to_string(o.seed));
  if (o.scale > 0) overrides.push_back("meta.scale=" + std::to_string(o.scale));
  if (!o.fidelity.empty()) overrides.push_back("meta.fidelity=" + o.fidelity);
  models::Scenario scenario = load_checked_scenario(o.file, models::LoadOptions{overrides, o.variant});
  // A window: the whole run plans where the data is (flow passes), the window runs alone.
  std::optional<models::RunWindow> window;
  if (!o.window.empty()) {
    const auto w = window_of(o, scenario);
    if (const auto* why = std::get_if<std::string>(&w)) {
      fmt::print(stderr, "dcsim run: {}\n", *why);
      return kExitInvalid;
    }
    window = std::get<models::RunWindow>(w);
  }
  const std::string dir = o.out.empty() ? "runs/" + folder_name_part(scenario.meta.name) + (o.variant.empty() ? "" : "-" + o.variant) +
                                              "-seed" + std::to_string(scenario.meta.seed) + (o.window.empty() ? "" : "-window-" + o.window.substr(0, 10))
                                        : o.out;
  RunFolder folder(dir, o.force);  // checks the path and refuses an existing folder before any work

  std::unique_ptr<models::DataPlan> plan;
  if (window) {
    {
      const models::World whole(scenario);
      if (const auto full = models::plan_data(whole)) plan = std::make_unique<models::DataPlan>(models::window_plan(*full, scenario, *window));
    }
    models::Scenario part = models::window_scenario(scenario, *window);
    part.meta.window = utc_text(part.meta.start_utc_s) + " +" + std::to_string(static_cast<long>(sim::to_seconds(part.meta.duration) / 3600)) +
                       " h of the run from " + utc_text(scenario.meta.start_utc_s);
    scenario = std::move(part);
  }
  // The scenario that runs (a window's, for --window): the warnings the manifest records.
  if (const std::string w = models::scale_warning_text(scenario); !w.empty() && !o.quiet) fmt::print(stderr, "dcsim: warning: {}\n", w);
  const models::World world(std::move(scenario));
  Progress progress("dcsim run " + world.scenario().meta.name, o.quiet);
  const RunOutput out = run_world(world, [&](double f) { progress.update(f); }, 2, plan.get());
  progress.finish();
  for (const auto& [name, content] : out.files) folder.write(name, content);
  folder.commit();
  if (!o.quiet) print_run_summary(world, out, dir);
  if (out.claims_failed > 0) {
    fmt::print(stderr, "dcsim run: {} of {} plan claims failed (assertions.csv in {}):\n", out.claims_failed, out.claims, dir);
    for (const auto& c : out.failed_claims) fmt::print(stderr, "  {}\n", c);
    return kExitClaimFailed;
  }
  return kExitOk;
}

}  // namespace

void add_run_command(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<RunCommandOptions>();
  CLI::App* cmd = app.add_subcommand("run", "Simulate a scenario and write its run folder (manifest.json + CSVs)");
  cmd->add_option("FILE", opts->file, "Scenario YAML file")->required();
  cmd->add_option("-o,--out", opts->out, "Run folder to create (default: runs/<name>[-<variant>]-seed<N>); parents are created")
      ->check(non_empty_path());
  cmd->add_option("--variant", opts->variant, "Run this variant of the scenario");
  cmd->add_option("--seed", opts->seed, "Random seed (overrides meta.seed)")->check(whole_number(0, kMaxSeed));
  cmd->add_option("--scale", opts->scale, "Users per simulated agent (overrides meta.scale)")->check(whole_number(1, kMaxScale));
  cmd->add_option("--fidelity", opts->fidelity, "event (discrete-event simulation) or flow (expected values); overrides meta.fidelity")
      ->check(CLI::IsMember({"event", "flow"}));
  cmd->add_option("--set", opts->overrides, "Override a value: key.path=value; repeatable");
  CLI::Option* window = cmd->add_option("--window", opts->window,
                  "Run only the days from this date (YYYY-MM-DD) of a long run, in the state the whole run reaches by then "
                  "(grown users, events in force, data where the migrations put it); e.g. event fidelity for a day of a timeline");
  cmd->add_option("--window-days", opts->window_days, "Days the window lasts (default 1)")->check(whole_number(1, 3660))->needs(window);
  cmd->add_flag("--force", opts->force, "Replace the folder if it exists and is an output dcsim wrote (nothing else is ever replaced)");
  cmd->add_flag("-q,--quiet", opts->quiet, "Print nothing but errors and failed plan claims (no progress, summary or warnings)");
  cmd->callback([opts, &exit_code] { exit_code = run_command(*opts); });
}

}  // namespace dcsim::tools
