// `dcsim resilience FILE -o DIR`: N-1 analysis. Fails each backbone link and each
// shared-risk group alone (and, with --n2 K, the worst K two at a time) over the whole run
// at flow fidelity, ranks the failures worst first, and writes DIR/resilience.csv (one
// row per failure, the scenario as it is first). All of DIR is written at once.
#include <memory>

#include <fmt/core.h>

#include "models/plan/resilience.hpp"
#include "models/scenario/scenario_loader.hpp"
#include "tools/assertions.hpp"
#include "tools/cli.hpp"
#include "tools/cli_options.hpp"
#include "tools/csv.hpp"
#include "tools/output_path.hpp"
#include "tools/progress.hpp"
#include "tools/run_folder.hpp"
#include "tools/writers.hpp"

namespace dcsim::tools {

namespace {

struct ResilienceCommandOptions {
  std::string file, out, variant;
  std::vector<std::string> overrides;
  int n2 = 0;
  bool force = false, quiet = false;
};

std::string resilience_csv(const RunIdentity& id, const models::ResilienceOutcome& o) {
  std::string out = "run_id,scenario,variant,seed,rank,failure_kind,failure,links,peak_link_utilisation,peak_link,"
                    "dropped_requests,unreachable_requests,dropped_share,eea_exit_bytes,eea_exit_share,ttfb_p95_ms,"
                    "ttfb_p95_change_ms,routes_changed\n";
  auto row = [&](std::size_t rank, const models::FailureResult& r) {
    std::string links;
    for (const auto& [a, b] : r.failure.links) links += (links.empty() ? "" : " ") + a + "-" + b;
    out += csv_field(id.run_id) + "," + csv_field(id.scenario) + "," + csv_field(id.variant) + "," + std::to_string(id.seed) + "," +
           std::to_string(rank) + "," + r.failure.kind + "," + csv_field(r.failure.name) + "," + csv_field(links) + "," +
           csv_number(r.peak_link_utilisation, 6) + "," + csv_field(r.peak_link) + "," + csv_number(r.dropped_requests, 0) + "," +
           csv_number(r.unreachable_requests, 0) + "," + csv_number(r.dropped_share, 6) + "," + csv_number(r.eea_exit_bytes, 0) + "," +
           csv_number(r.eea_exit_share, 10) + "," + csv_number(r.ttfb_p95_ms, 3) + "," + csv_number(r.ttfb_p95_change_ms, 3) + "," +
           csv_number(r.routes_changed, 0) + "\n";
  };
  row(0, o.baseline);
  for (std::size_t i = 0; i < o.ranked.size(); ++i) row(i + 1, o.ranked[i]);
  return out;
}

int run_resilience(const ResilienceCommandOptions& o) {
  const models::Scenario scenario = load_checked_scenario(o.file, models::LoadOptions{o.overrides, o.variant});
  const std::string dir = o.out.empty() ? "runs/resilience-" + folder_name_part(scenario.meta.name) : o.out;
  RunFolder folder(dir, o.force);  // refuses an existing folder before any work
  Progress progress("dcsim resilience " + scenario.meta.name, o.quiet);
  models::ResilienceOptions ro;
  ro.n2_top = o.n2;
  ro.progress = [&](double f) { progress.update(f); };
  const models::ResilienceOutcome outcome = models::analyse_resilience(scenario, ro);
  progress.finish();
  const RunIdentity id{make_run_id(scenario, scenario_fingerprint(scenario)), scenario.meta.name,
                       scenario.variant.empty() ? "base" : scenario.variant, scenario.meta.seed};
  folder.write("resilience.csv", resilience_csv(id, outcome));
  folder.commit();
  if (!o.quiet) {
    const auto& b = outcome.baseline;
    fmt::print("dcsim resilience {}: {} failures at flow fidelity; as it is: peak link {:.1f} % ({}), p95 TTFB {:.1f} ms\n",
               scenario.meta.name, outcome.ranked.size(), 100 * b.peak_link_utilisation, b.peak_link, b.ttfb_p95_ms);
    fmt::print("  {:<4} {:<28} {:>12} {:>18} {:>10} {:>12} {:>10}\n", "rank", "failure", "dropped", "peak link", "util", "EEA-exit",
               "p95 +ms");
    for (std::size_t i = 0; i < outcome.ranked.size() && i < 10; ++i) {
      const auto& r = outcome.ranked[i];
      fmt::print("  {:<4} {:<28} {:>11.4f}% {:>18} {:>9.1f}% {:>11.3f}% {:>10.1f}\n", i + 1, r.failure.name.substr(0, 28),
                 100 * r.dropped_share, r.peak_link.substr(0, 18), 100 * r.peak_link_utilisation, 100 * r.eea_exit_share,
                 r.ttfb_p95_change_ms);
    }
    fmt::print("  wrote {}/resilience.csv\n", dir);
  }
  return kExitOk;
}

}  // namespace

void add_resilience_command(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<ResilienceCommandOptions>();
  CLI::App* cmd = app.add_subcommand("resilience", "N-1 analysis: fail each link and shared-risk group, rank what each does");
  cmd->add_option("FILE", opts->file, "Scenario YAML file")->required();
  cmd->add_option("-o,--out", opts->out, "Output folder (default: runs/resilience-<name>); parents are created")->check(non_empty_path());
  cmd->add_option("--variant", opts->variant, "Analyse this variant of the scenario");
  cmd->add_option("--set", opts->overrides, "Override a value: key.path=value; repeatable");
  cmd->add_option("--n2", opts->n2, "Also fail the worst N single failures two at a time (N-2)")
      ->check(whole_number(0, 30))
      ->check(CLI::Validator([](const std::string& v) { return v == "1" ? std::string("1 failure makes no pair: give 0 (no N-2) or 2 to 30") : std::string(); },
                             "", "pairs"));
  cmd->add_flag("--force", opts->force, "Replace the folder if it exists and is an output dcsim wrote (nothing else is ever replaced)");
  cmd->add_flag("-q,--quiet", opts->quiet, "Print nothing but errors (no progress, summary or warnings)");
  cmd->callback([opts, &exit_code] { exit_code = run_resilience(*opts); });
}

}  // namespace dcsim::tools
