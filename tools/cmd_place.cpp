// `dcsim place FILE -k N -o DIR`: choose N sites to build from the scenario's candidates
// (on top of its build-out) for the objective and constraints under `placement:`, write
// DIR/placement.csv ranking the best alternatives found, and re-run the winner at event
// fidelity into DIR/winner/ (a full run folder). All of DIR is written at once.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>

#include <fmt/core.h>

#include "models/plan/placement.hpp"
#include "models/scenario/scenario_loader.hpp"
#include "tools/assertions.hpp"
#include "tools/cli.hpp"
#include "tools/cli_options.hpp"
#include "tools/csv.hpp"
#include "tools/output_path.hpp"
#include "tools/run_folder.hpp"
#include "tools/run_output.hpp"
#include "tools/writers.hpp"

namespace dcsim::tools {

namespace {

struct PlaceOptions {
  std::string file, out, variant;
  std::vector<std::string> overrides;
  int k = 1;
  std::int64_t winner_scale = 0;
  bool force = false, quiet = false;
};

// The terms some alternative has a value for (a term the search does not compute, such as
// p95 when the scenario computes no p95, would be an empty column).
std::vector<std::size_t> measured_terms(const models::PlacementOutcome& o) {
  std::vector<std::size_t> out;
  for (std::size_t t = 0; t < o.ranked.front().terms.size(); ++t)
    for (const auto& r : o.ranked)
      if (std::isfinite(r.terms[t].second)) {
        out.push_back(t);
        break;
      }
  return out;
}

// An exhaustive search proves its best is the optimum: its bound is that objective, gap 0.
double proven_bound(const models::PlacementOutcome& o) { return o.method == "exhaustive" ? o.ranked.front().objective : o.bound; }

std::string placement_csv(const RunIdentity& id, const models::PlacementOutcome& o) {
  std::string out = "run_id,scenario,variant,seed,rank,sites,feasible,infeasible_reason,objective";
  const auto& first = o.ranked.front();
  const std::vector<std::size_t> terms = measured_terms(o);
  for (std::size_t t : terms) out += "," + first.terms[t].first;
  out += ",method,evaluations,bound,gap\n";
  for (std::size_t i = 0; i < o.ranked.size(); ++i) {
    const auto& r = o.ranked[i];
    std::string sites;
    for (const auto& s : r.sites) sites += (sites.empty() ? "" : " ") + s;
    out += csv_field(id.run_id) + "," + csv_field(id.scenario) + "," + csv_field(id.variant) + "," + std::to_string(id.seed) + "," +
           std::to_string(i + 1) + "," + csv_field(sites) + "," + (r.feasible ? "1" : "0") + "," +
           csv_field(r.feasible ? std::string("none") : r.infeasible_why) + "," + csv_number(r.objective, 6);
    for (std::size_t t : terms) out += "," + csv_number(r.terms[t].second, 6);
    out += "," + o.method + "," + std::to_string(o.evaluations) + "," + csv_number(proven_bound(o), 6) + "," +
           csv_number(o.method == "exhaustive" ? 0.0 : o.gap, 6) + "\n";
  }
  return out;
}

// How the screen names a term: a short title with its unit.
std::string term_title(const std::string& name) {
  static const std::pair<const char*, const char*> titles[] = {
      {"ttfb_mean_ms", "TTFB mean ms"},        {"ttfb_p95_ms", "TTFB p95 ms"},         {"cross_border_pb_per_day", "cross-border PB/day"},
      {"eea_exit_pb_per_day", "EEA-exit PB/day"}, {"capex_meur", "capex M€"},          {"opex_meur_per_year", "opex M€/year"},
      {"carbon_kt_per_year", "carbon kt CO2/year"}, {"peak_site_utilisation", "peak site util. %"}, {"dropped_share", "dropped %"}};
  for (const auto& [n, t] : titles)
    if (name == n) return t;
  return name;
}

int run_place(const PlaceOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  const models::Scenario scenario = load_checked_scenario(o.file, models::LoadOptions{o.overrides, o.variant});
  const models::PlacementSpec& spec = scenario.placement;
  const std::string dir = o.out.empty() ? "runs/place-" + folder_name_part(scenario.meta.name) + "-k" + std::to_string(o.k) : o.out;
  RunFolder folder(dir, o.force);
  const std::vector<std::string> existing = scenario.build_out;
  const models::World world(scenario);
  // Problems no choice can solve are refused before the search (exit 1, nothing written).
  for (std::size_t i = 0; i < spec.candidates.size(); ++i)
    if (std::find(existing.begin(), existing.end(), spec.candidates[i]) != existing.end()) {
      std::fprintf(stderr, "dcsim place: placement.candidates[%zu]: '%s' is already built (in build_out): a candidate is a site to add\n", i,
                   spec.candidates[i].c_str());
      return kExitInvalid;
    }
  const std::vector<std::string> pool = models::placement_pool(world, existing, spec);
  if (static_cast<std::size_t>(o.k) > pool.size()) {
    std::string names;
    for (const auto& p : pool) names += (names.empty() ? "" : ", ") + p;
    std::fprintf(stderr, "dcsim place: -k %d, but placement.candidates leaves %zu site%s to choose from%s%s%s\n", o.k, pool.size(),
                 pool.size() == 1 ? "" : "s", pool.empty() ? "" : " (", names.c_str(), pool.empty() ? "" : ")");
    std::fprintf(stderr, "  (%s, less the sites in build_out and in placement.constraints.exclude_countries)\n",
                 spec.candidates.empty() ? "every site with status candidate" : "the sites placement.candidates lists");
    return kExitInvalid;
  }
  std::vector<std::string> required = spec.require_countries;  // a country named twice needs one site
  std::sort(required.begin(), required.end());
  required.erase(std::unique(required.begin(), required.end()), required.end());
  if (required.size() > static_cast<std::size_t>(o.k)) {
    std::fprintf(stderr, "dcsim place: placement.constraints.require_countries asks for a new site in %zu countries, but -k %d adds only %d\n",
                 required.size(), o.k, o.k);
    return kExitInvalid;
  }
  const models::PlacementOutcome outcome = models::search_placement(world, existing, spec, o.k);
  if (outcome.ranked.empty()) {
    std::fprintf(stderr, "dcsim place: no candidate sites to choose from\n");
    return kExitInvalid;
  }
  if (!outcome.ranked.front().feasible) {
    // Feasible choices rank first: none was found, so there is no winner to run.
    std::fprintf(stderr, "dcsim place: no choice of %d site%s meeting placement.constraints was found (%lld evaluations, %s); the best fails: %s\n",
                 o.k, o.k == 1 ? "" : "s", static_cast<long long>(outcome.evaluations),
                 outcome.method == "exhaustive" ? "every combination" : "greedy + swaps, not every combination: placement.exhaustive_limit",
                 outcome.ranked.front().infeasible_why.c_str());
    return kExitInvalid;
  }
  const double search_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const models::PlacementResult& best = outcome.ranked.front();

  // The winner in detail: the same scenario with the chosen sites built, at event fidelity.
  std::vector<std::string> overrides = o.overrides;
  std::string build = "build_out=[";
  for (std::size_t i = 0; i < existing.size(); ++i) build += (i ? ", " : "") + existing[i];
  for (const auto& s : best.sites) build += ", " + s;
  overrides.push_back(build + "]");
  overrides.push_back("meta.fidelity=event");
  if (o.winner_scale > 0) overrides.push_back("meta.scale=" + std::to_string(o.winner_scale));
  const models::World winner_world(models::load_scenario(o.file, models::LoadOptions{overrides, o.variant}));
  const RunOutput winner = run_world(winner_world);
  const RunIdentity id{winner.run_id, scenario.meta.name, winner.variant, scenario.meta.seed};
  folder.write("placement.csv", placement_csv(id, outcome));
  for (const auto& [name, content] : winner.files) folder.write("winner/" + name, content);
  folder.commit();

  if (!o.quiet) {
    fmt::print("dcsim place {} -k {}: {} evaluations in {:.1f} s; ", scenario.meta.name, o.k, outcome.evaluations, search_s);
    if (outcome.method == "exhaustive")
      fmt::print("every combination evaluated (exhaustive), so the first is the optimum for this objective\n");
    else
      fmt::print("greedy + pairwise swaps; no choice can score below {:.3f} (a relaxation bound), so the best is within {:.1f} % of the optimum\n",
                 outcome.bound, 100 * outcome.gap);
    // The objective and each term in its unit, for the top alternatives.
    const std::vector<std::size_t> terms = measured_terms(outcome);
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> head = {"#", "new sites", "objective"};
    for (std::size_t t : terms) head.push_back(term_title(best.terms[t].first));
    rows.push_back(head);
    for (std::size_t i = 0; i < outcome.ranked.size() && i < 5; ++i) {
      const auto& r = outcome.ranked[i];
      std::string sites;
      for (const auto& s : r.sites) sites += (sites.empty() ? "" : " + ") + s;
      std::vector<std::string> row = {std::to_string(i + 1) + ".", sites + (r.feasible ? "" : " (infeasible: " + r.infeasible_why + ")"),
                                      fmt::format("{:.3f}", r.objective)};
      for (std::size_t t : terms) {
        const double v = r.terms[t].second;
        const std::string& n = r.terms[t].first;
        const bool fraction = n.find("utilisation") != std::string::npos || n.find("share") != std::string::npos;
        row.push_back(!std::isfinite(v)                             ? "–"
                      : fraction                                    ? fmt::format("{:.2f} %", 100 * v)
                      : n.find("pb_per_day") != std::string::npos ? fmt::format("{:.3g}", v)
                                                                    : fmt::format("{:.1f}", v));
      }
      rows.push_back(row);
    }
    std::vector<std::size_t> w(head.size(), 0);
    for (const auto& r : rows)
      for (std::size_t c = 0; c < r.size(); ++c) w[c] = std::max(w[c], r[c].size());
    for (const auto& r : rows) {
      std::string line = "  ";
      for (std::size_t c = 0; c < r.size(); ++c)
        line += c == 1 ? fmt::format("{:<{}}  ", r[c], w[c]) : fmt::format("{:>{}}  ", r[c], w[c]);
      while (!line.empty() && line.back() == ' ') line.pop_back();
      fmt::print("{}\n", line);
    }
    fmt::print("  objective = Σ weight × term (placement.objective; terms not weighted still shown); all {} ranked in {}/placement.csv,\n"
               "  the winner's event run in {}/winner/\n", outcome.ranked.size(), dir, dir);
  }
  return kExitOk;
}

}  // namespace

void add_place_command(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<PlaceOptions>();
  CLI::App* cmd = app.add_subcommand("place", "Choose where to build the next k sites (objective and constraints under placement:)");
  cmd->add_option("FILE", opts->file, "Scenario YAML file (its build_out is what already exists)")->required();
  cmd->add_option("-k", opts->k, "How many new sites to choose")->required()->check(whole_number(1, 20));
  cmd->add_option("-o,--out", opts->out, "Output folder (default: runs/place-<name>-k<N>); parents are created")->check(non_empty_path());
  cmd->add_option("--variant", opts->variant, "Start from this variant of the scenario");
  cmd->add_option("--set", opts->overrides, "Override a value: key.path=value; repeatable");
  cmd->add_option("--winner-scale", opts->winner_scale, "Scale of the winner's event run (default: meta.scale)")->check(whole_number(1, kMaxScale));
  cmd->add_flag("--force", opts->force, "Replace the folder if it exists and is an output dcsim wrote (nothing else is ever replaced)");
  cmd->add_flag("-q,--quiet", opts->quiet, "Print nothing but errors (no progress, summary or warnings)");
  cmd->callback([opts, &exit_code] { exit_code = run_place(*opts); });
}

}  // namespace dcsim::tools
