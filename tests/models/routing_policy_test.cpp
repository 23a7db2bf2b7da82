// Routing that spreads load (network.routing): k-shortest paths on the backbone, equal-cost
// multipath, k-shortest splitting by bottleneck capacity, and traffic engineering by LP.
// A diamond whose answers are known: users at A, their site at D, two equal 400 km routes
// (A-B-D, A-C-D) and a 600 km one (A-E-D).
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <numeric>

#include "models/network/backbone.hpp"
#include "models/network/traffic_engineering.hpp"
#include "models/run/event_run.hpp"
#include "models/run/flow_run.hpp"
#include "models/run/link_summary.hpp"
#include "tests/support/test_files.hpp"

using namespace dcsim;

namespace {

std::string diamond(const std::string& routing, const std::string& c_capacity = "40", const std::string& fidelity = "flow") {
  return "meta: {name: diamond, seed: 4, start_utc: \"2023-01-10T00:00:00Z\", duration_h: 2, report_interval_min: 60, scale: 10, "
         "fidelity: " + fidelity + "}\n"
         "countries:\n"
         "  - {code: FR, name: France, eu: true, eea: true, population: 300000, population_year: 2023, user_share: 1.0}\n"
         "regions:\n"
         "  - {id: R1, name: Ay, country: FR, population: 300000, population_year: 2023, lat: 47.0, lon: 0.0, utc_offset_h: 0}\n"
         "sites:\n"
         "  - {id: dee, name: Dee, country: FR, lat: 47.0, lon: 5.0, hub: D, status: existing, servers: 2000}\n"
         "build_out: [dee]\n"
         "network:\n"
         "  per_hop_ms: 0.1\n"
         "  routing: " + routing + "\n"
         "  hubs:\n"
         "    - {id: A, name: Ay, country: FR, lat: 47.0, lon: 0.0}\n"
         "    - {id: B, name: Bee, country: FR, lat: 48.0, lon: 2.5}\n"
         "    - {id: C, name: Cee, country: FR, lat: 46.0, lon: 2.5}\n"
         "    - {id: E, name: Eee, country: FR, lat: 44.0, lon: 2.5}\n"
         "    - {id: D, name: Dee, country: FR, lat: 47.0, lon: 5.0}\n"
         "  links:\n"
         "    - {a: A, b: B, kind: terrestrial, length_km: 200, capacity_gbps: 40}\n"
         "    - {a: B, b: D, kind: terrestrial, length_km: 200, capacity_gbps: 40}\n"
         "    - {a: A, b: C, kind: terrestrial, length_km: 200, capacity_gbps: 40}\n"
         "    - {a: C, b: D, kind: terrestrial, length_km: 200, capacity_gbps: " + c_capacity + "}\n"
         "    - {a: A, b: E, kind: terrestrial, length_km: 300, capacity_gbps: 40}\n"
         "    - {a: E, b: D, kind: terrestrial, length_km: 300, capacity_gbps: 40}\n"
         "traffic:\n"
         "  daily_active_share: 1.0\n"
         "  diurnal_local_weights: [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]\n"
         "  classes:\n"
         "    get: {kind: read, rate_per_user_day: 100, size: {dist: fixed, mean_bytes: 2000000}, service_time: {dist: exponential, mean_ms: 10}}\n";
}

// Bytes the site sent toward the users over each middle hub's route (its D-side link, D→X).
struct Spread {
  double b = 0, c = 0, e = 0;
  double total() const { return b + c + e; }
};

Spread spread(const models::Metrics& m) {
  // Links in file order: A-B 0, B-D 1, A-C 2, C-D 3, A-E 4, E-D 5; D→X is the b→a direction (2e + 1).
  auto bytes = [&](std::size_t edge) {
    double sum = 0;
    for (std::size_t i = 0; i < m.intervals(); ++i)
      for (std::size_t k = 0; k < models::kLinkTraffic; ++k) sum += m.link_loads->bytes(i, 2 * edge + 1, static_cast<models::LinkTraffic>(k));
    return sum;
  };
  return {bytes(1), bytes(3), bytes(5)};
}

struct Outcome {
  Spread spread;
  double peak_utilisation;
};

Outcome run(const std::string& routing, const std::string& c_capacity = "40") {
  test::TempDir dir;
  const models::World w(models::load_scenario(dir.write("d.yaml", diamond(routing, c_capacity))));
  const auto m = models::run_flow(w);
  return {spread(*m), models::summarize_links(*m, w).peak_utilisation};
}

}  // namespace

TEST_CASE("k shortest paths: cheapest first, loop-free, within the cost limit, parallel links distinct") {
  test::TempDir dir;
  const models::World w(models::load_scenario(dir.write("d.yaml", diamond("shortest"))));
  const models::Backbone& bb = w.backbone();
  const int a = bb.hub_index("A"), d = bb.hub_index("D");
  const auto paths = bb.k_shortest(a, d, 5, std::numeric_limits<double>::infinity());
  REQUIRE(paths.size() == 3);  // A-B-D, A-C-D, A-E-D: no other loop-free path exists
  CHECK(paths[0].edges == bb.path(a, d).edges);
  CHECK(paths[0].km == doctest::Approx(400));
  CHECK(paths[1].km == doctest::Approx(400));
  CHECK(paths[2].km == doctest::Approx(600));
  CHECK(paths[2].hubs == std::vector<int>{a, bb.hub_index("E"), d});
  CHECK(bb.k_shortest(a, d, 2, std::numeric_limits<double>::infinity()).size() == 2);
  // A cost limit between the equal pair and the long one keeps the equal pair only.
  CHECK(bb.k_shortest(a, d, 5, 500 + 2 * bb.hop_penalty_km()).size() == 2);
  CHECK(bb.k_shortest(a, a, 3, 1e9).size() == 1);
  // Cut B-D: two paths are left.
  const models::Backbone cut = bb.without_links({{"B", "D"}});
  CHECK(cut.k_shortest(a, d, 5, std::numeric_limits<double>::infinity()).size() == 2);
}

TEST_CASE("shortest routing puts a pair's bytes on one path, ECMP splits them equally over the equal-cost ones") {
  const Outcome shortest = run("shortest");
  CHECK(shortest.spread.total() > 0);
  CHECK(((shortest.spread.b == shortest.spread.total()) || (shortest.spread.c == shortest.spread.total())));
  const Outcome ecmp = run("{mode: ecmp, k: 4}");
  CHECK(ecmp.spread.total() == doctest::Approx(shortest.spread.total()).epsilon(1e-9));
  CHECK(ecmp.spread.b == doctest::Approx(ecmp.spread.total() / 2).epsilon(1e-9));
  CHECK(ecmp.spread.c == doctest::Approx(ecmp.spread.total() / 2).epsilon(1e-9));
  CHECK(ecmp.spread.e == 0);  // 200 km longer: far outside the 1 ms tolerance
  CHECK(ecmp.peak_utilisation == doctest::Approx(shortest.peak_utilisation / 2).epsilon(1e-6));
  // k = 1 is shortest-path routing.
  const Outcome one = run("{mode: ecmp, k: 1}");
  CHECK(one.spread.b == shortest.spread.b);
  CHECK(one.spread.c == shortest.spread.c);
}

TEST_CASE("k-shortest splitting follows each path's bottleneck capacity and stays within the stretch") {
  const Outcome even = run("{mode: k_shortest, k: 3, max_stretch: 2}");
  CHECK(even.spread.b == doctest::Approx(even.spread.total() / 3).epsilon(1e-9));
  CHECK(even.spread.c == doctest::Approx(even.spread.total() / 3).epsilon(1e-9));
  CHECK(even.spread.e == doctest::Approx(even.spread.total() / 3).epsilon(1e-9));
  // The 600 km path's RTT is 1.2x the 400 km one's: a stretch of 1.1 leaves it out.
  const Outcome tight = run("{mode: k_shortest, k: 3, max_stretch: 1.1}");
  CHECK(tight.spread.e == 0);
  CHECK(tight.spread.b == doctest::Approx(tight.spread.total() / 2).epsilon(1e-9));
}

TEST_CASE("capacity matters: a thinner C-D moves load off it under k_shortest and min_max_utilisation, not under shortest") {
  for (const std::string routing : {"shortest", "{mode: ecmp}"}) {
    const Outcome wide = run(routing, "40"), thin = run(routing, "4");
    CHECK_MESSAGE(thin.spread.b == wide.spread.b, routing);
    CHECK_MESSAGE(thin.spread.c == wide.spread.c, routing);
    CHECK_MESSAGE(thin.spread.e == wide.spread.e, routing);
  }
  for (const std::string routing : {"{mode: k_shortest, k: 3, max_stretch: 2}", "{mode: min_max_utilisation, k: 3, max_stretch: 2}"}) {
    const Outcome wide = run(routing, "40"), thin = run(routing, "4");
    CHECK_MESSAGE(thin.spread.c < wide.spread.c * 0.5, routing);
    CHECK_MESSAGE(thin.spread.b > wide.spread.b, routing);
    CHECK_MESSAGE(thin.spread.total() == doctest::Approx(wide.spread.total()).epsilon(1e-9), routing);
  }
}

TEST_CASE("min_max_utilisation balances the links: the least maximum utilisation, then the shortest paths") {
  const Outcome shortest = run("shortest");
  const Outcome te = run("{mode: min_max_utilisation, k: 3, max_stretch: 2}");
  // Three 40 Gbps routes: the best split carries a third on each (the uplink carries it all,
  // and no split changes that: it is not what the programme minimises).
  CHECK(te.spread.b == doctest::Approx(te.spread.total() / 3).epsilon(1e-6));
  CHECK(te.spread.c == doctest::Approx(te.spread.total() / 3).epsilon(1e-6));
  CHECK(te.spread.e == doctest::Approx(te.spread.total() / 3).epsilon(1e-6));
  CHECK(te.peak_utilisation == doctest::Approx(shortest.peak_utilisation / 3).epsilon(1e-6));
  // A thin C-D (4 of 84 Gbps): shares in proportion to the capacities equalise utilisation.
  const Outcome thin = run("{mode: min_max_utilisation, k: 3, max_stretch: 2}", "4");
  CHECK(thin.spread.c == doctest::Approx(thin.spread.total() * 4 / 84).epsilon(1e-6));
  CHECK(thin.spread.b == doctest::Approx(thin.spread.total() * 40 / 84).epsilon(1e-6));
}

TEST_CASE("the LP keeps pairs on their shortest path when spreading gains nothing") {
  // Two pairs, two candidates each, all links 10 GB/s; link 2 is on both second choices. The
  // first pair (5 GB/s) halves its bytes: 2.5 on link 0 and 2.5 on links 2 and 4, U = 0.25.
  // The second (1 GB/s) would only add to link 2: it stays on its short path (step 2).
  std::vector<models::TeDemand> d(2);
  d[0] = {5e9, 0, {{0}, {2, 4}}, {10, 20}};
  d[1] = {1e9, 0, {{6}, {2, 8}}, {10, 20}};
  std::vector<double> cap(10, 10e9);
  const auto s = models::min_max_utilisation(d, cap);
  CHECK(s.max_utilisation == doctest::Approx(0.25).epsilon(1e-6));
  CHECK(s.split[0][0] == doctest::Approx(0.5).epsilon(1e-6));
  CHECK(s.split[0][0] + s.split[0][1] == doctest::Approx(1));
  CHECK(s.split[1][0] == doctest::Approx(1).epsilon(1e-9));
  CHECK(s.split[1][1] == 0);
  // Without demand nothing is solved: the shortest path.
  d[0].toward = d[1].toward = 0;
  const auto idle = models::min_max_utilisation(d, cap);
  CHECK(idle.split[0] == std::vector<double>{1, 0});
}

TEST_CASE("both fidelities route alike under multipath, and an event run is the same on one thread or two") {
  test::TempDir dir;
  for (const std::string routing : {"{mode: ecmp}", "{mode: min_max_utilisation, k: 3, max_stretch: 2}"}) {
    const models::World w(models::load_scenario(dir.write("e.yaml", diamond(routing, "4", "event"))));
    const auto flow = models::run_flow(w);
    models::RunOptions one, two;
    one.threads = 1;
    two.threads = 2;
    const auto e1 = models::run_event(w, one);
    const auto e2 = models::run_event(w, two);
    const Spread f = spread(*flow), a = spread(*e1), b = spread(*e2);
    CHECK_MESSAGE(a.b == b.b, routing);
    CHECK_MESSAGE(a.c == b.c, routing);
    CHECK_MESSAGE(a.e == b.e, routing);
    CHECK_MESSAGE(std::abs(a.b - f.b) <= 0.02 * f.total(), routing);
    CHECK_MESSAGE(std::abs(a.c - f.c) <= 0.02 * f.total(), routing);
    CHECK_MESSAGE(std::abs(a.e - f.e) <= 0.02 * f.total(), routing);
    CHECK_MESSAGE(a.total() == doctest::Approx(f.total()).epsilon(0.02), routing);
  }
}
