// Flow fidelity: agreement with the event simulation on the Clover build-outs (bytes by
// country pair, EEA-exit share, site utilisation within 2 %, mean latency within 10 %),
// exact conservation of expected values, and no randomness.
#include <doctest/doctest.h>

#include <map>

#include "models/flow_run.hpp"
#include "models/run.hpp"
#include "models/summary.hpp"
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

}  // namespace

TEST_CASE("flow and event fidelity agree on the Clover build-outs") {
  for (const char* variant : {"baseline-2022", "clover-full"}) {
    INFO(variant);
    const models::World w(models::load_scenario(test::source_path("scenarios/clover.yaml"), {{"meta.scale=100"}, variant}));
    const auto ev = models::run_event(w);
    const auto fl = models::run_flow(w);
    const auto he = models::compute_headline(*ev, w), hf = models::compute_headline(*fl, w);
    CHECK(hf.get("eea_exit_share") == doctest::Approx(he.get("eea_exit_share")).epsilon(0.02));
    CHECK(hf.get("mean_site_utilisation") == doctest::Approx(he.get("mean_site_utilisation")).epsilon(0.02));
    CHECK(hf.get("latency_mean_ms") == doctest::Approx(he.get("latency_mean_ms")).epsilon(0.10));
    CHECK(hf.get("ttfb_mean_ms") == doctest::Approx(he.get("ttfb_mean_ms")).epsilon(0.10));
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
