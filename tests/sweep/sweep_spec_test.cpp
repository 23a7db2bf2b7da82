// The sweep description: reading it (from a sweep file or a scenario's sweep: section),
// the deterministic run list, run ids that follow the parameters, and every problem
// reported with the sweep file's line.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "models/scenario/doc_tree.hpp"
#include "models/scenario/scenario_loader.hpp"
#include "models/scenario/sweep_spec.hpp"
#include "tests/support/test_files.hpp"
#include "tests/sweep/sweep_support.hpp"
#include "tools/sweep/sweep_plan.hpp"
#include "tools/writers.hpp"

using namespace dcsim;

namespace {

std::string clover() { return test::source_path("scenarios/clover.yaml"); }

// A sweep file of the Clover scenario with `body` after the scenario: line.
std::string sweep_file(const test::TempDir& dir, const std::string& body, const std::string& name = "sweep.yaml") {
  return dir.write(name, "scenario: " + clover() + "\n" + body);
}

// The diagnostics read_sweep (or make_plan) throws; empty when it accepts the sweep.
std::vector<models::Diagnostic> sweep_errors(const std::string& path, const models::SweepCommandLine& cl = {}) {
  try {
    tools::make_plan(path, cl);
  } catch (const models::ScenarioError& e) {
    return e.diagnostics();
  }
  return {};
}

bool has_error(const std::vector<models::Diagnostic>& ds, const std::string& file, int line, const std::string& text) {
  return std::any_of(ds.begin(), ds.end(), [&](const models::Diagnostic& d) {
    return d.loc.file_name() == file && d.loc.line == line && test::contains(models::format(d), text);
  });
}

}  // namespace

TEST_CASE("a sweep file expands into variants × grid points × seeds in a fixed order") {
  test::TempDir dir;
  const std::string f = sweep_file(dir,
                                   "variants: [clover-full, base]\n"
                                   "seeds: {count: 2, from: 7}\n"
                                   "scale: 5000\n"
                                   "set: {meta.duration_h: 1}\n"
                                   "grid:\n"
                                   "  traffic.classes.video_view.rate_per_user_day: [18, 36]\n"
                                   "  policies.routing.spill_outside_eea: [true, false]\n");
  const models::SweepSpec spec = models::read_sweep(f);
  CHECK(spec.scenario_path == clover());
  CHECK(spec.variants == std::vector<std::string>{"clover-full", "base"});
  CHECK(spec.seeds == std::vector<std::uint64_t>{7, 8});
  const auto points = models::sweep_points(spec);
  REQUIRE(points.size() == 8);
  // The first parameter varies slowest, the last fastest, within each variant.
  CHECK(points[0].variant == "clover-full");
  CHECK(points[0].values == std::vector<std::size_t>{0, 0});
  CHECK(points[1].values == std::vector<std::size_t>{0, 1});
  CHECK(points[2].values == std::vector<std::size_t>{1, 0});
  CHECK(points[4].variant == "base");
  CHECK(models::loader_variant(points[4]).empty());
  CHECK(models::run_overrides(spec, points[3], 8) ==
        std::vector<std::string>{"meta.duration_h=1", "traffic.classes.video_view.rate_per_user_day=36",
                                 "policies.routing.spill_outside_eea=false", "meta.seed=8", "meta.scale=5000"});

  const tools::SweepPlan plan = tools::make_plan(f, {});
  REQUIRE(plan.runs.size() == 16);
  CHECK(plan.grid_keys == std::vector<std::string>{"traffic.classes.video_view.rate_per_user_day", "policies.routing.spill_outside_eea"});
  CHECK(plan.runs[0].variant == "clover-full");
  CHECK(plan.runs[0].seed == 7);
  CHECK(plan.runs[1].seed == 8);
  CHECK(plan.runs[1].grid_values == std::vector<std::string>{"18", "true"});
  CHECK(plan.runs[15].grid_values == std::vector<std::string>{"36", "false"});
  std::set<std::string> ids;
  for (const auto& r : plan.runs) ids.insert(r.run_id);
  CHECK(ids.size() == 16);
  // Shards are every N-th run, together exactly the plan.
  std::vector<std::size_t> all;
  for (std::size_t i = 1; i <= 3; ++i)
    for (std::size_t k : plan.shard(i, 3)) all.push_back(k);
  std::sort(all.begin(), all.end());
  CHECK(all.size() == 16);
  CHECK(std::adjacent_find(all.begin(), all.end()) == all.end());
  CHECK(plan.shard(2, 3).front() == 1);
}

TEST_CASE("run ids follow a run's parameters, not its place in the list") {
  test::TempDir dir;
  const std::string a = sweep_file(dir,
                                   "variants: [clover-2023, clover-full]\nseeds: [1, 2, 3]\nset: {meta.duration_h: 1}\n"
                                   "grid: {traffic.classes.video_view.rate_per_user_day: [18, 36]}\n",
                                   "a.yaml");
  const std::string b = sweep_file(dir,
                                   "variants: [clover-full, clover-2023, baseline-2022]\nseeds: [3, 1]\nset: {meta.duration_h: 1}\n"
                                   "grid: {traffic.classes.video_view.rate_per_user_day: [27, 36, 18]}\n",
                                   "b.yaml");
  const tools::SweepPlan pa = tools::make_plan(a, {}), pb = tools::make_plan(b, {});
  auto key = [](const tools::PlannedRun& r) { return r.variant + "|" + std::to_string(r.seed) + "|" + r.grid_values[0]; };
  std::size_t common = 0;
  for (const auto& ra : pa.runs)
    for (const auto& rb : pb.runs)
      if (key(ra) == key(rb)) {
        CHECK_MESSAGE(ra.run_id == rb.run_id, key(ra));
        ++common;
      } else {
        CHECK(ra.run_id != rb.run_id);
      }
  CHECK(common == 2 * 2 * 2);  // two variants × seeds {1, 3} × rates {18, 36}
  CHECK(pa.definition_sha256 != pb.definition_sha256);
  CHECK(pa.scenario_sha256 == pb.scenario_sha256);
}

TEST_CASE("a sweep's run id is the id dcsim run gives the same scenario, variant, overrides and seed") {
  test::TempDir dir;
  const std::string f = sweep_file(dir, "variants: [clover-full]\nseeds: [4]\nscale: 3000\nset: {meta.duration_h: 1}\n");
  const tools::SweepPlan plan = tools::make_plan(f, {});
  REQUIRE(plan.runs.size() == 1);
  const tools::PlannedRun& r = plan.runs[0];
  // What `dcsim run clover.yaml --variant clover-full --set meta.duration_h=1 --seed 4 --scale 3000` loads.
  const models::Scenario s = models::load_scenario(clover(), models::LoadOptions{{"meta.duration_h=1", "meta.seed=4", "meta.scale=3000"}, "clover-full"});
  CHECK(r.overrides == s.overrides);
  CHECK(tools::make_run_id(s, tools::scenario_fingerprint(s)) == r.run_id);
  CHECK(s.meta.seed == 4);
}

TEST_CASE("a scenario's sweep: section is read like a sweep file and variants default to all of them") {
  test::TempDir dir;
  const std::string f = dir.write("scenario.yaml", "include: [" + clover() +
                                                       "]\n"
                                                       "sweep:\n"
                                                       "  seeds: [1, 2]\n"
                                                       "  set: {meta.duration_h: 1}\n");
  const models::SweepSpec spec = models::read_sweep(f);
  CHECK(spec.scenario_path == f);
  CHECK(spec.variants == std::vector<std::string>{"baseline-2022", "clover-2023", "clover-full", "clover-full-frankfurt"});
  const tools::SweepPlan plan = tools::make_plan(f, {});
  CHECK(plan.runs.size() == 8);
  CHECK(plan.runs[0].scenario == "clover");
}

TEST_CASE("seeds default to the scenario's seed and the command line's --set and --scale join the definition") {
  test::TempDir dir;
  const std::string f = sweep_file(dir, "variants: [base]\n");
  const tools::SweepPlan plain = tools::make_plan(f, {});
  REQUIRE(plain.runs.size() == 1);
  CHECK(plain.runs[0].seed == 2023);  // meta.seed of the common file clover.yaml includes
  const tools::SweepPlan scaled = tools::make_plan(f, models::SweepCommandLine{{"meta.duration_h=3"}, 500});
  CHECK(scaled.runs[0].overrides == std::vector<std::string>{"meta.duration_h=3", "meta.seed=2023", "meta.scale=500"});
  CHECK(scaled.runs[0].run_id != plain.runs[0].run_id);
  CHECK(scaled.definition_sha256 != plain.definition_sha256);
  CHECK(!tools::plan_mismatch(plain, scaled, "a", "b").empty());
  CHECK(tools::plan_mismatch(plain, tools::make_plan(f, {}), "a", "b").empty());
}

TEST_CASE("bad sweep descriptions are reported together, each at its file, line and column") {
  test::TempDir dir;
  const std::string text =
      "variants: [clover-full, clover-ful, clover-full]\n"  // 2: unknown variant, then listed twice
      "seed: [1, 2]\n"                                      // 3: unknown key
      "grid:\n"
      "  meta.duration_h: []\n"                             // 5: empty grid
      "  meta.seed: [1, 2]\n"                               // 6: the seed is not a grid parameter
      "  policies.routing.spill_outside_eea: true\n";       // 7: not a list
  const std::string f = sweep_file(dir, text);
  const auto ds = sweep_errors(f);
  INFO(test::describe(ds));
  CHECK(has_error(ds, f, 2, "no variant named 'clover-ful'"));
  CHECK(has_error(ds, f, 2, "did you mean 'clover-full'?"));
  CHECK(has_error(ds, f, 2, "listed twice"));
  CHECK(has_error(ds, f, 3, "unknown key 'seed'; did you mean 'seeds'?"));
  CHECK(has_error(ds, f, 5, "empty grid"));
  CHECK(has_error(ds, f, 6, "seeds:"));
  CHECK(has_error(ds, f, 7, "expected a list of values"));
  CHECK(ds.size() == 6);
}

TEST_CASE("a grid value the scenario rejects is reported at that value in the sweep file") {
  test::TempDir dir;
  const std::string f = sweep_file(dir,
                                   "variants: [clover-2023, clover-full]\n"
                                   "grid:\n"
                                   "  traffic.classes.video_view.rate_per_user_dya: [18, 36]\n"  // 4: typo in the leaf
                                   "  meta.duration_h:\n"
                                   "    - 2\n"
                                   "    - -1\n");  // 7: out of range
  const auto ds = sweep_errors(f);
  INFO(test::describe(ds));
  CHECK(has_error(ds, f, 4, "did you mean 'rate_per_user_day'?"));
  CHECK(has_error(ds, f, 7, "meta.duration_h"));
  CHECK(has_error(ds, f, 7, "grid value meta.duration_h=-1"));
  // Once per problem, not once per variant and grid point.
  CHECK(ds.size() == 2);
}

TEST_CASE("sweep files with other problems: missing scenario, bad seeds, a scenario without a sweep: section") {
  test::TempDir dir;
  SUBCASE("missing scenario file") {
    const std::string f = dir.write("s.yaml", "scenario: nowhere.yaml\nseeds: [1]\n");
    const auto ds = sweep_errors(f);
    CHECK(has_error(ds, f, 1, "cannot open"));
  }
  SUBCASE("seeds as a bare number, and seeds listed twice") {
    const std::string f = sweep_file(dir, "seeds: 5\n");
    CHECK(has_error(sweep_errors(f), f, 2, "expected a list of seeds or {count: N, from: S}"));
    const std::string g = sweep_file(dir, "seeds: [1, 2, 1]\n", "g.yaml");
    CHECK(has_error(sweep_errors(g), g, 2, "seed 1 is listed twice"));
  }
  SUBCASE("scale given twice") {
    const std::string f = sweep_file(dir, "scale: 10\nset: {meta.scale: 20}\n");
    CHECK(has_error(sweep_errors(f), f, 3, "the scale is given twice"));
  }
  SUBCASE("an empty grid map") {
    const std::string f = sweep_file(dir, "grid: {}\n");
    CHECK(has_error(sweep_errors(f), f, 2, "empty grid"));
  }
  SUBCASE("a scenario without a sweep: section") {
    const auto ds = sweep_errors(clover());
    REQUIRE(ds.size() == 1);
    CHECK(test::contains(ds[0].message, "no sweep: section"));
  }
  SUBCASE("a --set override of the seed") {
    const std::string f = sweep_file(dir, "seeds: [1]\n");
    const auto ds = sweep_errors(f, models::SweepCommandLine{{"meta.seed=3"}, std::nullopt});
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].loc.file_name() == "--set #1");
  }
}

TEST_CASE("a sweep of more than a million runs is refused when read, before its runs are listed (found by fuzzing)") {
  // Seven grid parameters of 20 values each (1.28e9 points) used to take all memory while
  // sweep_points listed them.
  test::TempDir dir;
  std::string values = "[";
  for (int v = 1; v <= 20; ++v) values += (v > 1 ? ", " : "") + std::to_string(v);
  values += "]";
  std::string body = "variants: [base]\ngrid:\n";
  for (char k = 'a'; k < 'h'; ++k) body += std::string("  traffic.classes.video_view.") + k + ": " + values + "\n";
  const std::string f = sweep_file(dir, body);
  CHECK(has_error(sweep_errors(f), f, 4, "more than 1000000 runs"));
  // The limit itself is allowed: one variant × a million seeds; one more variant is not.
  const std::string most = sweep_file(dir, "variants: [base]\nseeds: {count: 1000000}\n", "most.yaml");
  CHECK(models::read_sweep(most).seeds.size() == 1000000);
  const std::string over = sweep_file(dir, "variants: [base, clover-full]\nseeds: {count: 1000000}\n", "over.yaml");
  try {
    models::read_sweep(over);
    FAIL("a sweep of two million runs was accepted");
  } catch (const models::ScenarioError& e) {
    CHECK(has_error(e.diagnostics(), over, 3, "more than 1000000 runs"));
  }
}

TEST_CASE("grid values become YAML overrides that keep their type") {
  test::TempDir dir;
  const std::string f = dir.write("v.yaml",
                                  "a:\n  - 1\n  - \"NO\"\n  - a, b: c\n  - [x, y]\n  - {k: v, l: [1, 2]}\n  - ~\n  - 'it''s'\n  - -3\n");
  models::Diagnostics diags;
  const models::DocNode tree = models::load_tree(f, diags);
  REQUIRE(diags.empty());
  const models::DocNode& a = *tree.find("a");
  REQUIRE(a.items.size() == 8);
  CHECK(models::to_yaml_flow(a.items[0]) == "1");
  CHECK(models::to_yaml_flow(a.items[1]) == "\"NO\"");
  CHECK(models::to_yaml_flow(a.items[2]) == "{\"a, b\": c}");  // a plain key that needs quotes in flow style
  CHECK(models::to_yaml_flow(a.items[3]) == "[x, y]");
  CHECK(models::to_yaml_flow(a.items[4]) == "{k: v, l: [1, 2]}");
  CHECK(models::to_yaml_flow(a.items[5]) == "null");
  CHECK(models::to_yaml_flow(a.items[6]) == "\"it's\"");
  CHECK(models::to_yaml_flow(a.items[7]) == "-3");
  // And they read back as the same YAML.
  const std::string back = dir.write("back.yaml", "a: " + models::to_yaml_flow(a) + "\n");
  const models::DocNode again = models::load_tree(back, diags);
  REQUIRE(diags.empty());
  CHECK(models::to_yaml_flow(*again.find("a")) == models::to_yaml_flow(a));
}
