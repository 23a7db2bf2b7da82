// Link loads: every byte that crosses the backbone loads the links of its path, in the
// direction it flows, at both fidelities; the fidelities agree per link; a cut link carries
// nothing while it is cut.
#include <doctest/doctest.h>

#include <cmath>
#include <map>

#include "models/run/event_run.hpp"
#include "models/run/flow_run.hpp"
#include "models/run/link_summary.hpp"
#include "tests/support/test_files.hpp"

using namespace dcsim;

namespace {

// Users in Dublin (hub DUB) served by one site in Cork (hub ORK, one link DUB-ORK) that
// replicates every write to a second site in Limerick (hub LMK, link ORK-LMK).
std::string chain(const std::string& fidelity) {
  return "meta: {name: chain, seed: 4, start_utc: \"2023-01-10T00:00:00Z\", duration_h: 2, report_interval_min: 60, scale: 10, "
         "fidelity: " + fidelity + "}\n"
         "countries:\n"
         "  - {code: IE, name: Ireland, eu: true, eea: true, population: 200000, population_year: 2023, user_share: 1.0}\n"
         "regions:\n"
         "  - {id: R1, name: Dublin, country: IE, population: 200000, population_year: 2023, lat: 53.35, lon: -6.26, utc_offset_h: 0}\n"
         "sites:\n"
         "  - {id: cork, name: Cork, country: IE, lat: 51.90, lon: -8.47, hub: ORK, status: existing, servers: 100}\n"
         "  - {id: limerick, name: Limerick, country: IE, lat: 52.66, lon: -8.63, hub: LMK, status: existing, servers: 100}\n"
         "build_out: [cork, limerick]\n"
         "network:\n"
         "  hubs:\n"
         "    - {id: DUB, name: Dublin, country: IE, lat: 53.35, lon: -6.26}\n"
         "    - {id: ORK, name: Cork, country: IE, lat: 51.90, lon: -8.47}\n"
         "    - {id: LMK, name: Limerick, country: IE, lat: 52.66, lon: -8.63}\n"
         "  links:\n"
         "    - {a: DUB, b: ORK, kind: terrestrial, capacity_gbps: 100}\n"
         "    - {a: ORK, b: LMK, kind: terrestrial, capacity_gbps: 100}\n"
         "traffic:\n"
         "  daily_active_share: 1.0\n"
         "  diurnal_local_weights: [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]\n"
         "  classes:\n"
         "    get: {kind: read, rate_per_user_day: 50, size: {dist: fixed, mean_bytes: 10000}, service_time: {dist: exponential, mean_ms: 10}}\n"
         "    put: {kind: write, rate_per_user_day: 10, size: {dist: fixed, mean_bytes: 3000}, service_time: {dist: exponential, mean_ms: 10}}\n"
         "policies:\n"
         "  residency: {mode: map, map: {IE: cork}}\n"
         "  routing: {reads: home_only}\n"
         "  replication: {copies: 1, scope: any}\n";
}

std::unique_ptr<models::Metrics> run(const models::World& w) {
  return w.scenario().meta.fidelity == models::Fidelity::Flow ? models::run_flow(w) : models::run_event(w);
}

// Bytes on a directed link over the run, of one kind of traffic or all.
double link_bytes(const models::Metrics& m, std::size_t id, int kind = -1) {
  double b = 0;
  for (std::size_t i = 0; i < m.intervals(); ++i)
    for (std::size_t k = 0; k < models::kLinkTraffic; ++k)
      if (kind < 0 || static_cast<int>(k) == kind) b += m.link_loads->bytes(i, id, static_cast<models::LinkTraffic>(k));
  return b;
}

double class_bytes(const models::Metrics& m, std::size_t cls, models::FlowKind kind) {
  double b = 0;
  for (std::size_t c = 0; c < m.countries().size(); ++c)
    for (std::size_t s = 0; s < m.sites().size(); ++s) b += m.flow(c, s, cls, kind).bytes;
  return b;
}

}  // namespace

TEST_CASE("every byte crosses the links of its path in the direction it flows") {
  for (const std::string fidelity : {"event", "flow"}) {
    CAPTURE(fidelity);
    test::TempDir dir;
    const models::World w(models::load_scenario(dir.write("c.yaml", chain(fidelity))));
    const auto m = run(w);
    // Directed ids: link 0 (DUB-ORK) 0 = DUB>ORK, 1 = ORK>DUB; link 1 (ORK-LMK) 2, 3;
    // uplinks after them: cork 4 (in), 5 (out); limerick 6 (in), 7 (out).
    const double reads = class_bytes(*m, 0, models::FlowKind::Serve), writes = class_bytes(*m, 1, models::FlowKind::Serve);
    const double replicas = class_bytes(*m, 1, models::FlowKind::Replica);
    REQUIRE(reads > 0);
    REQUIRE(writes > 0);
    REQUIRE(replicas == doctest::Approx(writes));
    const auto user = static_cast<int>(models::LinkTraffic::User), replica = static_cast<int>(models::LinkTraffic::Replica);
    CHECK(link_bytes(*m, 1, user) == doctest::Approx(reads));   // responses: Cork to Dublin
    CHECK(link_bytes(*m, 0, user) == doctest::Approx(writes));  // uploads: Dublin to Cork
    CHECK(link_bytes(*m, 5, user) == doctest::Approx(reads));   // out of Cork's uplink
    CHECK(link_bytes(*m, 4, user) == doctest::Approx(writes));  // into it
    CHECK(link_bytes(*m, 2, replica) == doctest::Approx(replicas));  // Cork to Limerick
    CHECK(link_bytes(*m, 5, replica) == doctest::Approx(replicas));
    CHECK(link_bytes(*m, 6, replica) == doctest::Approx(replicas));
    CHECK(link_bytes(*m, 3) == 0);  // nothing goes from Limerick to Cork
    CHECK(link_bytes(*m, 7) == 0);
  }
}

TEST_CASE("event and flow fidelity agree on the bytes each link carries") {
  const models::World w(models::load_scenario(test::source_path("scenarios/clover-full.yaml"), {{"meta.scale=100"}, ""}));
  const auto ev = models::run_event(w), fl = models::run_flow(w);
  // The event run samples sizes and arrivals: a link's bytes have a relative standard error
  // of about sqrt((1 + cv²) / n) for n simulated requests of the heaviest class on it. Links
  // with enough of them for 4 standard errors to be within 2 % are compared at 2 %.
  const models::TrafficClass* heaviest = &w.scenario().traffic.classes.front();
  for (const auto& c : w.scenario().traffic.classes)
    if (c.size.mean_bytes > heaviest->size.mean_bytes) heaviest = &c;
  const double n = (4 / 0.02) * (4 / 0.02) * (1 + heaviest->size.cv * heaviest->size.cv);
  const double enough = n * heaviest->size.mean_bytes * static_cast<double>(w.scenario().meta.scale);
  const auto links = models::link_infos(w);
  int compared = 0;
  for (const auto& l : links) {
    const double e = link_bytes(*ev, l.id);
    if (e < enough) continue;
    ++compared;
    CHECK_MESSAGE(link_bytes(*fl, l.id) == doctest::Approx(e).epsilon(0.02), l.name);
  }
  CHECK(compared >= 10);  // the busy core of the backbone
}

TEST_CASE("a cut link carries nothing while it is cut, and traffic goes around it") {
  test::TempDir dir;
  const std::string text = "include: [" + test::source_path("scenarios/clover-full.yaml") +
                           "]\nmeta: {name: cut, scale: 1000, duration_h: 3}\n"
                           "events:\n  - {id: cut, kind: link_cut, between: [DUB, LON], at_offset_h: 1, duration_h: 1}\n";
  for (const std::string fidelity : {"event", "flow"}) {
    CAPTURE(fidelity);
    const models::World w(models::load_scenario(dir.write(fidelity + ".yaml", text), {{"meta.fidelity=" + fidelity}, ""}));
    const auto m = run(w);
    std::size_t dub_lon = 0;
    for (const auto& l : models::link_infos(w))
      if (l.name == "LON>DUB") dub_lon = l.id;
    auto on = [&](std::size_t id, std::size_t interval) {
      double b = 0;
      for (std::size_t k = 0; k < models::kLinkTraffic; ++k) b += m->link_loads->bytes(interval, id, static_cast<models::LinkTraffic>(k));
      return b;
    };
    CHECK(on(dub_lon, 0) > 0);
    CHECK(on(dub_lon, 1) < 1e-6 * on(dub_lon, 0));  // only requests accepted before the cut and served after it
    CHECK(on(dub_lon, 2) > 0);
  }
}

TEST_CASE("transatlantic links are the North Atlantic crossings, not the cables from Miami to the French Caribbean") {
  test::TempDir dir;
  const auto w = test::load_world(dir, "atlantic", "include: [" + test::source_path("scenarios/clover-full.yaml") + "]\n");
  std::map<std::string, bool> atlantic;
  for (const auto& l : models::link_infos(*w)) atlantic[l.name] = l.transatlantic;
  CHECK(atlantic.at("NYC>DUB"));
  CHECK(atlantic.at("DUB>NYC"));
  CHECK(atlantic.at("NYC>LON"));
  CHECK_FALSE(atlantic.at("FDF>MIA"));  // Martinique is French, and in the Caribbean
  CHECK_FALSE(atlantic.at("PTP>MIA"));
  CHECK_FALSE(atlantic.at("NYC>MIA"));
}
