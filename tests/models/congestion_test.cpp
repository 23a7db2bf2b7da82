// Links with capacity: a congested link carries no more than its capacity, the transfers
// crossing it slow to their fair share and wait in its queue, what it has not carried by
// the end is reported as undelivered, and both fidelities see it.
#include <doctest/doctest.h>

#include "models/run/event_run.hpp"
#include "models/run/flow_run.hpp"
#include "models/run/summary.hpp"
#include "tests/support/test_files.hpp"

using namespace dcsim;

namespace {

// Users in Dublin read 1 MB objects from a site in Cork across one link of `gbps`.
std::string cork(const std::string& gbps, const std::string& fidelity) {
  return "meta: {name: cork, seed: 6, start_utc: \"2023-01-10T00:00:00Z\", duration_h: 2, report_interval_min: 60, scale: 10, "
         "fidelity: " + fidelity + "}\n"
         "countries:\n"
         "  - {code: IE, name: Ireland, eu: true, eea: true, population: 200000, population_year: 2023, user_share: 1.0}\n"
         "regions:\n"
         "  - {id: R1, name: Dublin, country: IE, population: 200000, population_year: 2023, lat: 53.35, lon: -6.26, utc_offset_h: 0}\n"
         "sites:\n"
         "  - {id: cork, name: Cork, country: IE, lat: 51.90, lon: -8.47, hub: ORK, status: existing, servers: 400}\n"
         "build_out: [cork]\n"
         "network:\n"
         "  access_bandwidth_mbps: 50\n"
         "  hubs:\n"
         "    - {id: DUB, name: Dublin, country: IE, lat: 53.35, lon: -6.26}\n"
         "    - {id: ORK, name: Cork, country: IE, lat: 51.90, lon: -8.47}\n"
         "  links:\n"
         "    - {a: DUB, b: ORK, kind: terrestrial, capacity_gbps: " + gbps + "}\n"
         "traffic:\n"
         "  daily_active_share: 1.0\n"
         "  diurnal_local_weights: [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]\n"
         "  classes:\n"
         "    get: {kind: read, rate_per_user_day: 100, size: {dist: fixed, mean_bytes: 1000000}, service_time: {dist: exponential, mean_ms: 20}}\n"
         "policies:\n"
         "  replication: {copies: 0}\n";
}

// 200,000 users × 100 reads a day × 1 MB = 1.85 Gbit/s offered from Cork to Dublin.
constexpr double kOfferedGbps = 200000.0 * 100 * 1e6 * 8 / 86400 / 1e9;

std::unique_ptr<models::Metrics> run(const models::World& w) {
  return w.scenario().meta.fidelity == models::Fidelity::Flow ? models::run_flow(w) : models::run_event(w);
}

}  // namespace

TEST_CASE("a link with less capacity than it is offered carries its capacity, and what crosses it slows and waits") {
  for (const std::string fidelity : {"flow", "event"}) {
    CAPTURE(fidelity);
    test::TempDir dir;
    const models::World roomy(models::load_scenario(dir.write("r.yaml", cork("100", fidelity))));
    const models::World tight(models::load_scenario(dir.write("t.yaml", cork("1", fidelity))));
    const auto mr = run(roomy), mt = run(tight);
    const std::size_t back = 1;  // ORK>DUB: the responses
    for (std::size_t i = 0; i < mt->intervals(); ++i) {
      const double offered_gbps = (mt->link_loads->bytes(i, back, models::LinkTraffic::User)) * 8 / 3600 / 1e9;
      CHECK(offered_gbps == doctest::Approx(kOfferedGbps).epsilon(0.05));
      REQUIRE(mt->link_loads->shared());
      CHECK(mt->link_loads->carried_bytes(i, back) * 8 / 3600 / 1e9 <= 1.0 * (1 + 1e-9));
      CHECK(mt->link_loads->carried_bytes(i, back) * 8 / 3600 / 1e9 == doctest::Approx(1.0).epsilon(0.01));
      CHECK(mt->link_loads->delay_s(i, back) == doctest::Approx(0.05));  // a full buffer: 50 ms
      CHECK(mr->link_loads->carried_bytes(i, back) == doctest::Approx(mr->link_loads->bytes(i, back, models::LinkTraffic::User)));
      CHECK(mr->link_loads->delay_s(i, back) < 1e-4);
    }
    const auto hr = models::compute_headline(*mr, roomy), ht = models::compute_headline(*mt, tight);
    // Time to first byte gains the queue (50 ms); completion gains the slower transfer: a
    // 1 MB object at a 1.85x smaller share of 50 Mbit/s takes about 0.14 s longer.
    CHECK(ht.get("ttfb_mean_ms") - hr.get("ttfb_mean_ms") == doctest::Approx(50).epsilon(0.05));
    CHECK(ht.get("latency_mean_ms") - ht.get("ttfb_mean_ms") > 1.5 * (hr.get("latency_mean_ms") - hr.get("ttfb_mean_ms")));
    // What the link could not carry is still queued when the run ends: counted as served,
    // and said (0.85 Gbit/s over 2 hours, ~765 GB); nothing when the link is roomy.
    double offered = 0, carried = 0;
    for (std::size_t i = 0; i < mt->intervals(); ++i) {
      offered += mt->link_loads->bytes(i, back, models::LinkTraffic::User);
      carried += mt->link_loads->carried_bytes(i, back);
    }
    CHECK(offered - carried == doctest::Approx((kOfferedGbps - 1) * 1e9 / 8 * 7200).epsilon(0.05));
    CHECK(ht.get("undelivered_bytes") == doctest::Approx(offered - carried).epsilon(0.02));
    CHECK(hr.get("undelivered_bytes") == 0);
  }
}

TEST_CASE("event and flow fidelity agree on the time to first byte across a congested link") {
  test::TempDir dir;
  const models::World e(models::load_scenario(dir.write("e.yaml", cork("1", "event"))));
  const models::World f(models::load_scenario(dir.write("f.yaml", cork("1", "flow"))));
  const auto he = models::compute_headline(*models::run_event(e), e), hf = models::compute_headline(*models::run_flow(f), f);
  CHECK(hf.get("ttfb_mean_ms") == doctest::Approx(he.get("ttfb_mean_ms")).epsilon(0.10));
  CHECK(hf.get("latency_mean_ms") == doctest::Approx(he.get("latency_mean_ms")).epsilon(0.10));
}
