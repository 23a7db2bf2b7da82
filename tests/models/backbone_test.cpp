// The backbone graph and routes on a synthetic network whose answers are known by hand,
// and on the shipped Europe data.
#include <doctest/doctest.h>

#include "models/network/backbone.hpp"
#include "models/network/latency.hpp"
#include "models/network/world.hpp"
#include "tests/support/test_files.hpp"

using namespace dcsim;
using namespace dcsim::models;

namespace {

// Lisbon (PT) – Madrid (ES) – Paris (FR) – London (GB) – Dublin (IE), the Madrid–Paris
// link crossing Andorra, and a long direct Lisbon–Dublin submarine link that is worse.
NetworkParams iberia_to_ireland() {
  NetworkParams p;
  p.route_inflation = 1.0;
  p.access_inflation = 1.0;
  p.per_hop = sim::milliseconds(1);
  p.fixed_rtt = sim::SimDuration{0};
  p.hubs = {{"LIS", "Lisbon", "PT", 38.72, -9.14}, {"MAD", "Madrid", "ES", 40.42, -3.70},
            {"PAR", "Paris", "FR", 48.86, 2.35},   {"LON", "London", "GB", 51.51, -0.13},
            {"DUB", "Dublin", "IE", 53.35, -6.26}};
  p.links = {{"LIS", "MAD", LinkKind::Terrestrial, 600.0, 100, {}, ""},
             {"MAD", "PAR", LinkKind::Terrestrial, 1300.0, 100, {"AD"}, ""},
             {"PAR", "LON", LinkKind::Submarine, 450.0, 100, {}, ""},
             {"LON", "DUB", LinkKind::Submarine, 550.0, 100, {}, ""},
             {"LIS", "DUB", LinkKind::Submarine, 5000.0, 100, {}, ""}};
  return p;
}

}  // namespace

TEST_CASE("shortest paths follow the shortest route and list every hub") {
  const Backbone b(iberia_to_ireland(), "test");
  const HubPath p = b.path(b.hub_index("LIS"), b.hub_index("DUB"));
  CHECK(p.km == doctest::Approx(600 + 1300 + 450 + 550));
  REQUIRE(p.hubs.size() == 5);
  CHECK(b.hub(p.hubs[2]).id == "PAR");
  CHECK(b.distance_km(b.hub_index("DUB"), b.hub_index("LIS")) == doctest::Approx(2900));
}

TEST_CASE("a route lists origin, transit (including countries a link crosses) and destination") {
  const NetworkParams params = iberia_to_ireland();
  const Backbone b(params, "test");
  const LatencyModel m(b, params);
  const Route r = m.route({{38.72, -9.14}, "PT", -1}, {{53.35, -6.26}, "IE", b.hub_index("DUB")});
  REQUIRE(r.reachable);
  CHECK(r.countries == std::vector<std::string>{"PT", "ES", "AD", "FR", "GB", "IE"});
  CHECK(r.transit_countries() == std::vector<std::string>{"ES", "AD", "FR", "GB"});
  CHECK(r.border_crossings() == 5);
  // RTT by hand: 2 × 2900 km / 204.19 km/ms + 2 × 5 hubs × 1 ms (access segments are 0 km).
  CHECK(sim::to_milliseconds(r.rtt) == doctest::Approx(2 * 2900 / 204.19 + 10).epsilon(1e-6));
  CHECK(m.user_rtt(r) == r.rtt + 2 * params.access);
}

TEST_CASE("cutting a link reroutes the paths that used it and only those") {
  const NetworkParams params = iberia_to_ireland();
  const Backbone b(params, "test");
  const Backbone cut = b.without_links({{"PAR", "LON"}});
  const int lis = b.hub_index("LIS"), dub = b.hub_index("DUB"), mad = b.hub_index("MAD"), par = b.hub_index("PAR");
  CHECK(cut.distance_km(lis, dub) == doctest::Approx(5000));  // now the direct submarine link
  CHECK(cut.distance_km(lis, mad) == doctest::Approx(b.distance_km(lis, mad)));  // untouched
  CHECK(cut.distance_km(mad, par) == doctest::Approx(b.distance_km(mad, par)));
  const Backbone isolated = b.without_links({{"LON", "DUB"}, {"LIS", "DUB"}});
  CHECK(!isolated.connected(lis, dub));
}

TEST_CASE("a generated backbone that leaves a hub unreachable is a scenario error") {
  NetworkParams p = iberia_to_ireland();
  p.mode = NetworkMode::Generated;
  p.generate_k_nearest = 1;
  p.generate_max_link_km = 300;  // every hub here is farther than that from the next
  CHECK_THROWS_AS(Backbone(p, "s.yaml"), ScenarioError);
  p.generate_max_link_km = 2000;
  p.generate_k_nearest = 2;
  const Backbone ok(p, "s.yaml");
  CHECK(ok.connected(ok.hub_index("LIS"), ok.hub_index("DUB")));
}

TEST_CASE("in the Europe data, Lisbon reaches Dublin across the countries the graph says") {
  const World w(load_scenario(test::source_path("scenarios/default.yaml")));
  const int pt17 = w.region_index("PT17"), dublin = w.site_index("dublin");
  REQUIRE(pt17 >= 0);
  REQUIRE(dublin >= 0);
  const Route& r = w.route(static_cast<std::size_t>(pt17), static_cast<std::size_t>(dublin));
  REQUIRE(r.reachable);
  CHECK(r.countries.front() == "PT");
  CHECK(r.countries.back() == "IE");
  // Recompute the country list independently from the hubs and the links between them.
  std::vector<std::string> expect{"PT"};
  auto push = [&](const std::string& c) { if (expect.back() != c) expect.push_back(c); };
  for (std::size_t i = 0; i < r.hubs.size(); ++i) {
    if (i > 0) {
      const auto a = r.hubs[i - 1], b = r.hubs[i];
      const BackboneEdge* best = nullptr;
      for (const auto& e : w.backbone().edges())
        if (((e.a == a && e.b == b) || (e.a == b && e.b == a)) && (!best || e.km < best->km)) best = &e;
      REQUIRE(best != nullptr);  // consecutive hubs are joined by a link
      for (const auto& v : best->via) push(v);
    }
    push(w.backbone().hub(r.hubs[i]).country);
  }
  push("IE");
  CHECK(r.countries == expect);
  CHECK(r.transit_countries().size() >= 1);  // no direct Portugal–Ireland link in the data
  const double rtt_ms = sim::to_milliseconds(w.latency().user_rtt(r));
  CHECK(rtt_ms > 30);
  CHECK(rtt_ms < 120);
}

TEST_CASE("every region reaches every site in the Europe data") {
  const World w(load_scenario(test::source_path("scenarios/default.yaml")));
  for (std::size_t r = 0; r < w.regions().size(); ++r)
    for (std::size_t s = 0; s < w.sites().size(); ++s) {
      const Route& route = w.route(r, s);
      CHECK(route.reachable);
      CHECK(route.path_km >= route.distance_km * 0.999);  // never shorter than the geodesic
    }
}
