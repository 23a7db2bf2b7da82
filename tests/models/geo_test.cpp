// Distances against exact spherical identities and published WGS-84 geodesics.
#include <doctest/doctest.h>

#include <numbers>

#include "models/network/geo.hpp"

using namespace dcsim::models;

TEST_CASE("haversine reproduces exact spherical identities") {
  const double r = kEarthMeanRadiusKm;
  CHECK(haversine_km({0, 0}, {1, 0}) == doctest::Approx(r * std::numbers::pi / 180).epsilon(1e-12));
  CHECK(haversine_km({0, 0}, {0, 90}) == doctest::Approx(r * std::numbers::pi / 2).epsilon(1e-12));
  CHECK(haversine_km({10, 20}, {-10, -160}) == doctest::Approx(r * std::numbers::pi).epsilon(1e-6));
  CHECK(haversine_km({53.35, -6.26}, {53.35, -6.26}) == 0.0);
  CHECK(haversine_km({0, 179.5}, {0, -179.5}) == doctest::Approx(r * std::numbers::pi / 180).epsilon(1e-9));
}

TEST_CASE("haversine is symmetric and London to Paris is about 344 km") {
  const LatLon london{51.5074, -0.1278}, paris{48.8566, 2.3522};
  CHECK(haversine_km(london, paris) == doctest::Approx(haversine_km(paris, london)));
  CHECK(haversine_km(london, paris) == doctest::Approx(343.6).epsilon(0.002));
}

TEST_CASE("the ellipsoidal distance matches published WGS-84 geodesics within 0.02%") {
  // Equator to pole along a meridian: the WGS-84 quarter meridian, 10 001.965729 km.
  CHECK(ellipsoidal_km({0, 0}, {90, 0}) == doctest::Approx(10001.965729).epsilon(2e-4));
  // Quarter of the equator: a × π / 2 = 10 018.754 km.
  CHECK(ellipsoidal_km({0, 0}, {0, 90}) == doctest::Approx(10018.754).epsilon(2e-4));
  // Vincenty (1975), Flinders Peak → Buninyong: 54 972.271 m.
  const LatLon flinders{-(37 + 57 / 60.0 + 3.72030 / 3600), 144 + 25 / 60.0 + 29.52440 / 3600};
  const LatLon buninyong{-(37 + 39 / 60.0 + 10.15610 / 3600), 143 + 55 / 60.0 + 35.38390 / 3600};
  CHECK(ellipsoidal_km(flinders, buninyong) == doctest::Approx(54.972271).epsilon(2e-4));
}
