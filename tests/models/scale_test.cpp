// meta.scale changes how many agents are simulated, never what the planner reads: a site's
// capacity is the same at every scale (rate-scaled servers when servers / scale is not
// whole), site queues are reported in real requests, and sites simulated with too few
// servers are named with the scale that avoids it.
#include <doctest/doctest.h>

#include <cmath>

#include "models/run/event_run.hpp"
#include "models/run/scale_warnings.hpp"
#include "models/run/site_queue.hpp"
#include "tests/support/test_files.hpp"

using namespace dcsim;

namespace {

// One Irish region and one site under flat demand: `rate` requests per user and day from a
// million users, exponential service of 200 ms.
std::string one_site(std::int64_t servers, double rate, std::int64_t scale, const std::string& extra = "") {
  return "meta: {name: scale, seed: 5, start_utc: \"2023-01-10T00:00:00Z\", duration_h: 1, report_interval_min: 30, scale: " +
         std::to_string(scale) +
         "}\n"
         "countries:\n"
         "  - {code: IE, name: Ireland, eu: true, eea: true, population: 1000000, population_year: 2023, user_share: 1.0}\n"
         "regions:\n"
         "  - {id: R1, name: One, country: IE, population: 1000000, population_year: 2023, lat: 53.35, lon: -6.26, utc_offset_h: 0}\n"
         "sites:\n"
         "  - {id: s1, name: Site, country: IE, lat: 53.35, lon: -6.26, hub: DUB, status: existing, servers: " +
         std::to_string(servers) +
         "}\n"
         "build_out: [s1]\n"
         "network:\n"
         "  hubs:\n"
         "    - {id: DUB, name: Dublin, country: IE, lat: 53.35, lon: -6.26}\n"
         "    - {id: ORK, name: Cork, country: IE, lat: 51.90, lon: -8.47}\n"
         "  links:\n"
         "    - {a: DUB, b: ORK, kind: terrestrial, capacity_gbps: 100}\n"
         "traffic:\n"
         "  daily_active_share: 1.0\n"
         "  diurnal_local_weights: [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]\n"
         "  classes:\n"
         "    get: {kind: read, rate_per_user_day: " +
         std::to_string(rate) +
         ", size: {dist: fixed, mean_bytes: 1000}, service_time: {dist: exponential, mean_ms: 200}}\n"
         "policies:\n"
         "  routing: {on_queue_full: drop, queue_limit_per_server: 4}\n" +
         extra;
}

std::unique_ptr<models::World> world_of(const test::TempDir& dir, const std::string& text) {
  static int n = 0;
  return std::make_unique<models::World>(models::load_scenario(dir.write("s" + std::to_string(++n) + ".yaml", text)));
}

// Requests per user and day that load `servers` to utilisation rho (service 200 ms).
double rate_for(double rho, double servers) { return rho * servers / 0.2 * 86400 / 1e6; }

}  // namespace

TEST_CASE("a capacity that is not a whole number of simulated servers is simulated exactly by rate-scaled servers") {
  const auto whole = models::scale_servers(24);
  CHECK(whole.servers == 24);
  CHECK(whole.occupancy == 1);
  CHECK(models::scale_servers(2400.0 / 100 * 0.5).occupancy == 1);  // 12, a few ulps off in floating point or not
  const auto part = models::scale_servers(2.4);
  CHECK(part.servers == 3);
  CHECK(part.occupancy == doctest::Approx(3 / 2.4));
  CHECK(part.servers / part.occupancy == doctest::Approx(2.4));  // capacity: servers × speed
  const auto below_one = models::scale_servers(0.6);
  CHECK(below_one.servers == 1);
  CHECK(below_one.servers / below_one.occupancy == doctest::Approx(0.6));
  CHECK(models::scale_servers(0).servers == 0);
}

TEST_CASE("a site's capacity and utilisation are the same at every scale") {
  // 2400 servers at scales that do not divide it: 2.4, 1.6, 0.8 and 0.48 simulated servers
  // (rounding made them 2000, 3000, 3000 and 5000 real servers).
  test::TempDir dir;
  const double rate = rate_for(0.5, 2400);
  double utilisation_at_1000 = 0;
  for (const std::int64_t scale : {1000, 1500, 3000, 5000}) {
    CAPTURE(scale);
    const auto w = world_of(dir, one_site(2400, rate, scale));
    const auto m = models::run_event(*w);
    double busy = 0, capacity = 0;
    for (std::size_t i = 0; i < m->intervals(); ++i) {
      const auto& iv = m->site_interval(0, i);
      CHECK(iv.capacity_ns / static_cast<double>(m->interval().count()) == doctest::Approx(2400).epsilon(1e-12));
      busy += iv.busy_ns;
      capacity += iv.capacity_ns;
    }
    const double utilisation = busy / capacity;
    if (scale == 1000) utilisation_at_1000 = utilisation;
    // A few simulated servers block more (a tiny waiting room), so utilisation may fall a
    // little; a capacity rounded to 3000 or 5000 servers would show 0.4 or 0.24.
    CHECK(utilisation == doctest::Approx(0.5).epsilon(0.12));
    CHECK(utilisation == doctest::Approx(utilisation_at_1000).epsilon(0.12));
  }
}

TEST_CASE("a site's mean queue is in real requests: Little's law holds at scale 10") {
  test::TempDir dir;
  const auto w = world_of(dir, one_site(200, rate_for(0.95, 200), 10));
  const auto m = models::run_event(*w);
  double queue_sum = 0, arrivals = 0, wait_ns = 0;
  for (std::size_t i = 0; i < m->intervals(); ++i) {
    const auto& iv = m->site_interval(0, i);
    queue_sum += iv.queue_sum;
    arrivals += iv.arrivals;
    wait_ns += iv.wait_ns_sum;
  }
  const double mean_queue = queue_sum / arrivals;  // what sites.csv prints, arrivals seeing (PASTA)
  const double littles = wait_ns / static_cast<double>(w->scenario().meta.duration.count());  // time-average waiting, λ W
  REQUIRE(littles > 10);  // a loaded site: 20 simulated servers at 95 %
  CHECK(mean_queue == doctest::Approx(littles).epsilon(0.1));
}

TEST_CASE("sites simulated with fewer than ten servers are named, with the largest scale that avoids it") {
  test::TempDir dir;
  CHECK(models::scale_warnings(models::load_scenario(dir.write("a.yaml", one_site(2400, 1, 100)))).empty());  // 24 servers
  const auto warned = models::scale_warnings(models::load_scenario(dir.write("b.yaml", one_site(2400, 1, 1000))));
  REQUIRE(warned.size() == 1);
  CHECK(warned[0].site == "s1");
  CHECK(warned[0].simulated_servers == doctest::Approx(2.4));
  CHECK(warned[0].largest_scale == 240);
  const std::string text = models::scale_warning_text(models::load_scenario(dir.write("b2.yaml", one_site(2400, 1, 1000))));
  CHECK(text.find("s1 2.40") != std::string::npos);
  CHECK(text.find("scale 240 or less") != std::string::npos);
  // A capacity change that halves the site counts: 12 simulated servers become 6.
  const auto halved = models::scale_warnings(models::load_scenario(dir.write(
      "c.yaml", one_site(1200, 1, 100, "events:\n  - {id: half, kind: capacity_change, site: s1, capacity_factor: 0.5, at_offset_h: 0.5}\n"))));
  REQUIRE(halved.size() == 1);
  CHECK(halved[0].simulated_servers == doctest::Approx(6));
  CHECK(halved[0].largest_scale == 60);
  // Flow fidelity uses the real server counts: nothing to warn about.
  CHECK(models::scale_warnings(models::load_scenario(dir.write("d.yaml", one_site(2400, 1, 1000)), models::LoadOptions{{"meta.fidelity=flow"}, ""})).empty());
}

TEST_CASE("an event run with too few simulated requests is warned about, with the scale that simulates a million") {
  test::TempDir dir;
  // 10^6 daily users × 240 requests a day × 1 h = 10^7 requests: 10^5 at scale 100.
  const auto few = models::load_scenario(dir.write("few.yaml", one_site(240000, 240, 100)));
  CHECK(models::simulated_requests_estimate(few) == doctest::Approx(1e5));
  const std::string text = models::scale_warning_text(few);
  CHECK_MESSAGE(text.find("simulates about 1e+05 requests") != std::string::npos, text);
  CHECK_MESSAGE(text.find("scale 10 or less simulates 10^6") != std::string::npos, text);
  CHECK(text.find("fewer than 10 servers") == std::string::npos);  // 2,400 simulated servers
  // Enough at scale 10; none at flow fidelity (expected values, no sampling).
  CHECK(models::scale_warning_text(models::load_scenario(dir.write("enough.yaml", one_site(240000, 240, 10)))).empty());
  CHECK(models::scale_warning_text(models::load_scenario(dir.write("flow.yaml", one_site(240000, 240, 100)), models::LoadOptions{{"meta.fidelity=flow"}, ""}))
            .empty());
}
