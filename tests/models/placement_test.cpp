// Placement search: the heuristic finds the exhaustive optimum on small cases, constraints
// hold, and the placement: section is read strictly.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include "models/plan/placement.hpp"
#include "tests/support/test_files.hpp"

using namespace dcsim;

namespace {

struct Setup {
  models::Scenario scenario;
  std::unique_ptr<models::World> world;
  models::PlacementSpec spec;
};

Setup setup(const std::vector<std::string>& overrides = {}) {
  Setup s;
  const std::string path = test::source_path("scenarios/placement-europe.yaml");
  std::vector<std::string> o{"meta.duration_h=6", "meta.start_utc=\"2023-06-14T15:00:00Z\""};
  o.insert(o.end(), overrides.begin(), overrides.end());
  s.scenario = models::load_scenario(path, models::LoadOptions{o, ""});
  s.world = std::make_unique<models::World>(s.scenario);
  s.spec = s.scenario.placement;
  return s;
}

const std::vector<std::string> kTen{"frankfurt", "amsterdam", "paris", "london", "madrid",
                                    "milan",     "warsaw",    "vienna", "lisbon", "stockholm"};

}  // namespace

TEST_CASE("greedy plus swap finds the exhaustive optimum on ten candidates") {
  auto s = setup();
  s.spec.candidates = kTen;
  for (int k : {2, 3}) {
    INFO("k = " << k);
    s.spec.exhaustive_limit = 1000000;
    const auto exact = models::search_placement(*s.world, s.scenario.build_out, s.spec, k);
    s.spec.exhaustive_limit = 0;
    const auto heuristic = models::search_placement(*s.world, s.scenario.build_out, s.spec, k);
    REQUIRE(exact.method == "exhaustive");
    REQUIRE(heuristic.method == "greedy+swap");
    CHECK(exact.evaluations >= 45);  // C(10, 2) = 45, plus the bound's evaluation
    CHECK(heuristic.ranked.front().sites == exact.ranked.front().sites);
    CHECK(heuristic.ranked.front().objective == doctest::Approx(exact.ranked.front().objective));
    CHECK(heuristic.evaluations < exact.evaluations + 30);
    // The bound is a lower bound on what enumeration found.
    CHECK(exact.bound <= exact.ranked.front().objective + 1e-9);
  }
}

TEST_CASE("the heuristic also matches enumeration when cost dominates the objective") {
  auto s = setup();
  s.spec.candidates = kTen;
  s.spec.objective.capex_meur = 0.2;
  s.spec.objective.carbon_kt_per_year = 0.5;
  s.spec.exhaustive_limit = 1000000;
  const auto exact = models::search_placement(*s.world, s.scenario.build_out, s.spec, 2);
  s.spec.exhaustive_limit = 0;
  const auto heuristic = models::search_placement(*s.world, s.scenario.build_out, s.spec, 2);
  CHECK(heuristic.ranked.front().sites == exact.ranked.front().sites);
}

TEST_CASE("required and excluded countries and the budget are respected") {
  auto s = setup();
  s.spec.candidates = kTen;
  s.spec.require_countries = {"PL"};
  s.spec.exclude_countries = {"DE"};
  const auto out = models::search_placement(*s.world, s.scenario.build_out, s.spec, 2);
  REQUIRE(!out.ranked.empty());
  const auto& best = out.ranked.front();
  CHECK(best.feasible);
  CHECK(std::find(best.sites.begin(), best.sites.end(), std::string("warsaw")) != best.sites.end());
  for (const auto& r : out.ranked) CHECK(std::find(r.sites.begin(), r.sites.end(), std::string("frankfurt")) == r.sites.end());
  s.spec.require_countries.clear();
  s.spec.budget_meur = 1;  // no site costs so little
  const auto broke = models::search_placement(*s.world, s.scenario.build_out, s.spec, 1);
  for (const auto& r : broke.ranked) {
    CHECK(!r.feasible);
    CHECK(r.infeasible_why.find("budget") != std::string::npos);
  }
}

TEST_CASE("more sites never make users' mean time to first byte worse here") {
  auto s = setup();
  s.spec.candidates = kTen;
  const auto one = models::search_placement(*s.world, s.scenario.build_out, s.spec, 1);
  const auto three = models::search_placement(*s.world, s.scenario.build_out, s.spec, 3);
  CHECK(three.ranked.front().terms.front().second <= one.ranked.front().terms.front().second);
}

TEST_CASE("a misspelled placement key or an unknown candidate is a scenario error with its line") {
  test::TempDir dir;
  std::string base = test::read_file(test::source_path("scenarios/placement-europe.yaml"));
  base = test::replace_once(base, "include:\n  - clover-full.yaml", "include:\n  - " + test::source_path("scenarios/clover-full.yaml"));
  std::string bad = test::replace_once(base, "    cross_border_pb: 2.0", "    cross_border_pbb: 2.0");
  bad = test::replace_once(bad, "  constraints:", "  candidates: [frankfurtt]\n  constraints:");
  const std::string path = dir.write("p.yaml", bad);
  try {
    (void)models::load_scenario(path);
    FAIL("expected a ScenarioError");
  } catch (const models::ScenarioError& e) {
    const std::string text = e.what();
    CHECK(text.find("placement.objective.cross_border_pbb: unknown key 'cross_border_pbb'; did you mean 'cross_border_pb'?") != std::string::npos);
    CHECK(text.find("did you mean 'frankfurt'?") != std::string::npos);
    CHECK(text.find(path + ":" + std::to_string(test::line_of(bad, "cross_border_pbb"))) != std::string::npos);
  }
}

TEST_CASE("the p95 term is computed only when the objective weighs it, and is never a made-up zero") {
  auto s = setup();
  s.spec.candidates = {"frankfurt", "madrid", "warsaw"};
  auto p95 = [](const models::PlacementResult& r) {
    for (const auto& [name, v] : r.terms)
      if (name == "ttfb_p95_ms") return v;
    FAIL("no ttfb_p95_ms term");
    return 0.0;
  };
  const auto unweighted = models::search_placement(*s.world, s.scenario.build_out, s.spec, 1);
  REQUIRE(!unweighted.ranked.empty());
  CHECK(std::isnan(p95(unweighted.ranked.front())));
  CHECK(std::isfinite(unweighted.ranked.front().objective));
  CHECK(std::isfinite(unweighted.bound));

  s.spec.objective.ttfb_p95_ms = 0.5;
  const auto weighted = models::search_placement(*s.world, s.scenario.build_out, s.spec, 1);
  REQUIRE(!weighted.ranked.empty());
  const double v = p95(weighted.ranked.front());
  CHECK(v > 20.0);   // a European p95 time to first byte is tens of ms, not zero
  CHECK(v < 1000.0);
  CHECK(weighted.ranked.front().objective > unweighted.ranked.front().objective);
}

TEST_CASE("placement: is part of the scenario: --set and variants reach it, and a bad override is an error") {
  const std::string path = test::source_path("scenarios/placement-europe.yaml");
  const auto patched = models::load_scenario(
      path, models::LoadOptions{{"placement.candidates=[madrid, warsaw]", "placement.constraints.budget_meur=1500"}, ""});
  CHECK(patched.placement.candidates == std::vector<std::string>{"madrid", "warsaw"});
  CHECK(patched.placement.budget_meur == 1500);
  const auto errors = test::load_errors(path, models::LoadOptions{{"placement.constraints.budget_meur=oops"}, ""});
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].key_path == "placement.constraints.budget_meur");

  test::TempDir dir;
  std::string text = test::read_file(path);
  text = test::replace_once(text, "include:\n  - clover-full.yaml", "include:\n  - " + test::source_path("scenarios/clover-full.yaml"));
  text += "variants:\n  - {name: south, set: {placement.candidates: [madrid, lisbon, milan]}}\n";
  const auto south = models::load_scenario(dir.write("v.yaml", text), models::LoadOptions{{}, "south"});
  CHECK(south.placement.candidates == std::vector<std::string>{"madrid", "lisbon", "milan"});
}
