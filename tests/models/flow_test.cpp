// Flow fidelity: agreement with the event simulation on the Clover build-outs (bytes by
// country pair, EEA-exit share, site utilisation within 2 %, mean latency within 10 %),
// exact conservation of expected values, and no randomness.
#include <doctest/doctest.h>

#include <cmath>
#include <map>

#include "models/run/flow_run.hpp"
#include "models/run/event_run.hpp"
#include "models/run/summary.hpp"
#include "tests/support/test_files.hpp"

using namespace dcsim;

namespace {

std::map<std::pair<std::string, std::string>, double> bytes_by_country_pair(const models::Metrics& m, const models::World& w) {
  std::map<std::pair<std::string, std::string>, double> out;
  for (std::size_t c = 0; c < m.countries().size(); ++c)
    for (std::size_t s = 0; s <= m.sites().size(); ++s)
      for (std::size_t k = 0; k < m.classes().size(); ++k)
        for (std::size_t f = 0; f < models::kFlowKinds; ++f) {
          const double b = m.flow(c, s, k, static_cast<models::FlowKind>(f)).bytes;
          if (b == 0) continue;
          const std::string to = s == m.sites().size() ? m.countries()[c] : w.scenario().find_site(m.sites()[s])->country;
          out[{m.countries()[c], to}] += b;
        }
  return out;
}

// Two sites of 50 servers; the Irish region offers its site `load` times what it can serve,
// with a service mix of 10 ms and 500 ms requests (squared coefficient of variation ~6), and
// `full` says what a full site does (spill to the other site, or drop).
std::string overloaded(double load, const std::string& full, const std::string& fidelity) {
  const double mean_s = 0.9 * 0.010 + 0.1 * 0.5;
  const double per_user_day = load * 50 / mean_s * 86400 / 200000;
  return "meta: {name: overload, seed: 9, start_utc: \"2023-01-10T12:00:00Z\", duration_h: 1, report_interval_min: 60, scale: 1, "
         "fidelity: " + fidelity + "}\n"
         "countries:\n"
         "  - {code: IE, name: Ireland, eu: true, eea: true, population: 200000, population_year: 2023, user_share: 1.0}\n"
         "  - {code: PT, name: Portugal, eu: true, eea: true, population: 200000, population_year: 2023, user_share: 1.0}\n"
         "regions:\n"
         "  - {id: R1, name: One, country: IE, population: 200000, population_year: 2023, lat: 53.35, lon: -6.26, utc_offset_h: 0}\n"
         "  - {id: R2, name: Two, country: PT, population: 100000, population_year: 2023, lat: 38.72, lon: -9.14, utc_offset_h: 0}\n"
         "sites:\n"
         "  - {id: s1, name: Dublin, country: IE, lat: 53.35, lon: -6.26, hub: DUB, status: existing, servers: 50}\n"
         "  - {id: s2, name: Lisbon, country: PT, lat: 38.72, lon: -9.14, hub: LIS, status: existing, servers: 50}\n"
         "build_out: [s1, s2]\n"
         "network:\n"
         "  hubs:\n"
         "    - {id: DUB, name: Dublin, country: IE, lat: 53.35, lon: -6.26}\n"
         "    - {id: LIS, name: Lisbon, country: PT, lat: 38.72, lon: -9.14}\n"
         "  links:\n"
         "    - {a: DUB, b: LIS, kind: submarine, capacity_gbps: 100}\n"
         "traffic:\n"
         "  daily_active_share: 1.0\n"
         "  diurnal_local_weights: [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]\n"
         "  classes:\n"
         "    quick: {kind: read, rate_per_user_day: " + std::to_string(0.9 * per_user_day) +
         ", size: {dist: fixed, mean_bytes: 1000}, service_time: {dist: exponential, mean_ms: 10}}\n"
         "    slow: {kind: read, rate_per_user_day: " + std::to_string(0.1 * per_user_day) +
         ", size: {dist: fixed, mean_bytes: 1000}, service_time: {dist: exponential, mean_ms: 500}}\n"
         "policies:\n"
         "  routing: {on_queue_full: " + full + ", queue_limit_per_server: 4}\n"
         "  replication: {copies: 0}\n";
}

}  // namespace

TEST_CASE("near and above saturation, flow fidelity tracks the event simulation and no queue outgrows its room") {
  // Scale 1: the event run has the real server counts the flow model uses.
  for (const double load : {0.95, 1.15, 1.4})
    for (const std::string full : {"spill", "drop"}) {
      CAPTURE(load);
      CAPTURE(full);
      test::TempDir dir;
      const models::World we(models::load_scenario(dir.write("e.yaml", overloaded(load, full, "event"))));
      const models::World wf(models::load_scenario(dir.write("f.yaml", overloaded(load, full, "flow"))));
      const auto ev = models::run_event(we);
      const auto fl = models::run_flow(wf);
      const auto he = models::compute_headline(*ev, we), hf = models::compute_headline(*fl, wf);
      CHECK(hf.ttfb_mean_ms == doctest::Approx(he.ttfb_mean_ms).epsilon(0.10));
      CHECK(hf.ttfb_p(95).value() == doctest::Approx(he.ttfb_p(95).value()).epsilon(0.15));
      // Dropped shares of a few per mille differ by sampling noise: 15 % or 0.3 points.
      CHECK(std::fabs(hf.dropped_share - he.dropped_share) <= 0.15 * he.dropped_share + 0.003);
      for (std::size_t s = 0; s < 2; ++s) {
        const auto& iv = fl->site_interval(s, 0);
        CHECK(iv.queue_max <= 200 + 1e-9);  // 50 servers × 4
        CHECK(iv.queue_sum / iv.arrivals <= 200 + 1e-9);
      }
    }
}

TEST_CASE("flow and event fidelity agree on the Clover build-outs") {
  for (const char* variant : {"baseline-2022", "clover-full"}) {
    INFO(variant);
    const models::World w(models::load_scenario(test::source_path("scenarios/clover.yaml"), {{"meta.scale=100"}, variant}));
    const auto ev = models::run_event(w);
    const auto fl = models::run_flow(w);
    const auto he = models::compute_headline(*ev, w), hf = models::compute_headline(*fl, w);
    CHECK(hf.eea_exit_share == doctest::Approx(he.eea_exit_share).epsilon(0.02));
    CHECK(hf.mean_site_utilisation == doctest::Approx(he.mean_site_utilisation).epsilon(0.02));
    CHECK(hf.latency_mean_ms == doctest::Approx(he.latency_mean_ms).epsilon(0.10));
    CHECK(hf.ttfb_mean_ms == doctest::Approx(he.ttfb_mean_ms).epsilon(0.10));
    // Every country pair carrying at least 1 % of the bytes agrees within 2 %.
    const auto pe = bytes_by_country_pair(*ev, w), pf = bytes_by_country_pair(*fl, w);
    double total = 0;
    for (const auto& [k, v] : pe) total += v;
    int compared = 0;
    for (const auto& [k, v] : pe) {
      if (v < 0.01 * total) continue;
      ++compared;
      REQUIRE(pf.count(k) == 1);
      CHECK_MESSAGE(pf.at(k) == doctest::Approx(v).epsilon(0.02), k.first << "→" << k.second);
    }
    CHECK(compared >= 5);
  }
}

TEST_CASE("flow fidelity conserves expected requests and repeats itself exactly") {
  const models::World w(models::load_scenario(test::source_path("scenarios/what-if/dublin-outage.yaml"), {{}, "hamar-phase1"}));
  const auto a = models::run_flow(w), b = models::run_flow(w);
  CHECK(a->conservation_error() < 1e-12);
  CHECK(a->dropped_total > 0);  // the phase-1 Hamar cannot take the Dublin metro's evening peak
  CHECK(a->generated == b->generated);
  CHECK(a->served == b->served);
  CHECK(a->latency(0, 0) == b->latency(0, 0));
  CHECK(a->events.at(0).failed_over > 0);
  CHECK(a->events.at(0).catchup_bytes > 0);
}

// The flow model's quantile points: each marginal is the midpoint rule over its strata, so a
// service time's mean over them is its mean. A quiet one-site world (waiting ~0): the mean
// time to first byte is the RTT plus the service time's mean whatever its distribution.
TEST_CASE("flow fidelity keeps a service time's mean: exponential and deterministic services give the same mean TTFB") {
  test::TempDir dir;
  auto mean_ttfb = [&](const std::string& dist) {
    const std::string text = test::replace_once(overloaded(0.05, "drop", "flow"), "service_time: {dist: exponential, mean_ms: 500}",
                                                "service_time: {dist: " + dist + ", mean_ms: 500}");
    const auto w = test::load_world(dir, dist, text);
    const auto m = models::run_flow(*w);
    double sum = 0, n = 0;
    for (std::size_t c = 0; c < m->countries().size(); ++c) {
      const auto& h = m->ttfb(c, 1);  // the 500 ms class
      sum += h.mean() * static_cast<double>(h.count());
      n += static_cast<double>(h.count());
    }
    REQUIRE(n > 0);
    return sum / n / 1000;  // ms
  };
  const double exponential = mean_ttfb("exponential"), deterministic = mean_ttfb("deterministic");
  // Over the plastic-number sequence's own points the exponential came out 3.9 % (19 ms) long.
  CHECK(exponential == doctest::Approx(deterministic).epsilon(0.005 * 500 / deterministic));
}
