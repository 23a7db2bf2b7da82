// N-1 analysis on a small backbone whose answers are known: a triangle of Irish hubs with a
// pendant hub. Cutting the pendant's only link cuts its users off; cutting a
// triangle link moves traffic onto the other two (their utilisation rises).
#include <doctest/doctest.h>

#include "models/plan/resilience.hpp"
#include "models/run/flow_run.hpp"
#include "tests/support/test_files.hpp"

using namespace dcsim;

namespace {

std::string triangle() {
  return "meta: {name: triangle, seed: 4, start_utc: \"2023-01-10T00:00:00Z\", duration_h: 2, report_interval_min: 60, scale: 10, "
         "fidelity: flow}\n"
         "countries:\n"
         "  - {code: IE, name: Ireland, eu: true, eea: true, population: 300000, population_year: 2023, user_share: 1.0}\n"
         "regions:\n"
         "  - {id: R1, name: Dublin, country: IE, population: 200000, population_year: 2023, lat: 53.35, lon: -6.26, utc_offset_h: 0}\n"
         "  - {id: R2, name: Mayo, country: IE, population: 100000, population_year: 2023, lat: 54.22, lon: -9.99, utc_offset_h: 0}\n"
         "sites:\n"
         "  - {id: cork, name: Cork, country: IE, lat: 51.90, lon: -8.47, hub: ORK, status: existing, servers: 200}\n"
         "build_out: [cork]\n"
         "network:\n"
         "  hubs:\n"
         "    - {id: DUB, name: Dublin, country: IE, lat: 53.35, lon: -6.26}\n"
         "    - {id: ORK, name: Cork, country: IE, lat: 51.90, lon: -8.47}\n"
         "    - {id: LMK, name: Limerick, country: IE, lat: 52.66, lon: -8.63}\n"
         "    - {id: GWY, name: Belmullet, country: IE, lat: 54.22, lon: -9.99}\n"
         "  links:\n"
         "    - {a: DUB, b: ORK, kind: terrestrial, capacity_gbps: 10, srlg: [south]}\n"
         "    - {a: ORK, b: LMK, kind: terrestrial, capacity_gbps: 10, srlg: [south]}\n"
         "    - {a: DUB, b: LMK, kind: terrestrial, capacity_gbps: 10}\n"
         "    - {a: LMK, b: GWY, kind: terrestrial, capacity_gbps: 10}\n"
         "traffic:\n"
         "  daily_active_share: 1.0\n"
         "  diurnal_local_weights: [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]\n"
         "  classes:\n"
         "    get: {kind: read, rate_per_user_day: 50, size: {dist: fixed, mean_bytes: 100000}, service_time: {dist: exponential, mean_ms: 10}}\n";
}

const models::FailureResult& find(const models::ResilienceOutcome& o, const std::string& name) {
  for (const auto& r : o.ranked)
    if (r.failure.name == name) return r;
  FAIL("no failure " << name);
  return o.baseline;
}

}  // namespace

TEST_CASE("N-1 ranks the failure that cuts users off first and sees traffic move onto the other links") {
  test::TempDir dir;
  const models::Scenario s = models::load_scenario(dir.write("t.yaml", triangle()));
  const auto o = models::analyse_resilience(s, {});
  REQUIRE(o.ranked.size() == 5);  // four links and one shared-risk group
  CHECK(o.baseline.dropped_requests == 0);
  // Worst first: the group that cuts Cork off from everyone, then the link that cuts Galway off.
  CHECK(o.ranked[0].failure.name == "south");
  CHECK(o.ranked[1].failure.name == "LMK-GWY");
  CHECK(o.ranked[1].dropped_requests > 0);
  CHECK(o.ranked[1].dropped_requests < o.ranked[0].dropped_requests);
  CHECK(o.ranked[1].unreachable_requests == doctest::Approx(o.ranked[1].dropped_requests));
  // Dublin's users reach Cork directly; without DUB-ORK they go round by Limerick, and
  // that path's busiest link carries Galway's and Dublin's traffic together.
  const auto& direct = find(o, "DUB-ORK");
  CHECK(direct.dropped_requests == 0);
  CHECK(direct.peak_link_utilisation > o.baseline.peak_link_utilisation * 1.5);
  CHECK(direct.routes_changed > 0);
  // The shared-risk group fails DUB-ORK and ORK-LMK together: Cork is cut off from all.
  const auto& south = find(o, "south");
  CHECK(south.failure.kind == "srlg");
  CHECK(south.failure.links.size() == 2);
  CHECK(south.dropped_share == doctest::Approx(1.0));
}

TEST_CASE("a shared-risk group's failure counts each route it moves once, as a srlg_cut in a run does") {
  test::TempDir dir;
  const models::Scenario s = models::load_scenario(dir.write("t.yaml", triangle()));
  const auto o = models::analyse_resilience(s, {});
  // Without DUB-ORK and ORK-LMK neither region reaches Cork: two routes move. Cut one link
  // after the other, Dublin's route moved twice (round by Limerick, then nowhere): 3.
  CHECK(find(o, "south").routes_changed == 2);
  const models::World cut(models::load_scenario(dir.write("c.yaml", triangle() + "events:\n  - {id: s, kind: srlg_cut, group: south, at_offset_h: 0}\n")));
  CHECK(models::run_flow(cut)->events.at(0).routes_changed == 2);
}

TEST_CASE("failures rank on their figures as printed: equal-looking figures go by name") {
  models::FailureResult a, b;
  a.failure.name = "b-link";
  b.failure.name = "a-link";
  a.peak_link_utilisation = 0.0751850000001;  // prints as 0.075185, as b's does
  b.peak_link_utilisation = 0.075185;
  CHECK(models::ranks_before(b, a));
  CHECK_FALSE(models::ranks_before(a, b));
  a.peak_link_utilisation = b.peak_link_utilisation;
  a.eea_exit_bytes = 37906383024.3;  // prints as 37906383024, as b's does
  b.eea_exit_bytes = 37906383024;
  CHECK(models::ranks_before(b, a));
  CHECK_FALSE(models::ranks_before(a, b));
  // A difference that shows still decides: p95 change +1.536 ms before +0.000 ms.
  a.ttfb_p95_change_ms = 1.536;
  CHECK(models::ranks_before(a, b));
  b.dropped_requests = 1;  // dropped requests first of all
  CHECK(models::ranks_before(b, a));
  // Beyond 2^63 (a long run's bytes): still told apart.
  models::FailureResult big, bigger;
  big.failure.name = "a";
  bigger.failure.name = "b";
  big.eea_exit_bytes = 3e19;
  bigger.eea_exit_bytes = 4e19;
  CHECK(models::ranks_before(bigger, big));
}

TEST_CASE("N-2 takes the worst single failures two at a time") {
  test::TempDir dir;
  const models::Scenario s = models::load_scenario(dir.write("t.yaml", triangle()));
  models::ResilienceOptions o;
  o.n2_top = 3;
  const auto out = models::analyse_resilience(s, o);
  int pairs = 0;
  for (const auto& r : out.ranked) pairs += r.failure.kind == "pair";
  CHECK(pairs == 3);
  CHECK(out.ranked.size() == 5 + 3);
}
