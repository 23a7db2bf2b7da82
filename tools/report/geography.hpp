// Geography for the report's map: the projection (Lambert azimuthal equal-area on a sphere
// centred on 52°N 10°E, the centre of ETRS89-LAEA / EPSG:3035), the map's frame in km and
// px, and the shipped country outlines (Natural Earth 1:50m, tools/report/data/). Where a
// run's regions and sites are comes from its own places.csv (tools/run_tables.hpp).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace dcsim::tools::report {

struct Point {
  double x = 0, y = 0;
};

/// Lambert azimuthal equal-area (spherical, R = 6371 km): degrees → km east/north of the centre.
Point laea_km(double lat, double lon);

/// The map frame: a fixed box around Europe (Azores to Cyprus, the Canaries to the North
/// Cape) drawn `width_px` wide; y grows downwards in px.
struct MapFrame {
  static constexpr double kXMinKm = -2750, kXMaxKm = 2450, kYMinKm = -2350, kYMaxKm = 2400;
  double width_px = 720;
  double height_px() const { return width_px * (kYMaxKm - kYMinKm) / (kXMaxKm - kXMinKm); }
  Point to_px(double lat, double lon) const;
  bool contains(double lat, double lon) const;
};

/// One outline ring of a country (ISO 3166-1 alpha-2 code), in degrees.
struct OutlineRing {
  std::string country;
  std::vector<std::pair<double, double>> lat_lon;
};

/// The shipped outlines, parsed once.
const std::vector<OutlineRing>& europe_outlines();

}  // namespace dcsim::tools::report
