// Geography for the report's map: the projection (Lambert azimuthal equal-area on a sphere
// centred on 52°N 10°E, the centre of ETRS89-LAEA / EPSG:3035), the map's frame in km and
// px, the shipped country outlines (Natural Earth 1:50m, tools/report/data/), and where a
// run's regions and sites are, from its scenario when that file can still be read.
#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tools/report/run_data.hpp"

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

struct RegionPlace {
  std::string id, name, country;
  double lat = 0, lon = 0, monthly_users = 0;
};

struct SitePlace {
  std::string id, name, country;
  double lat = 0, lon = 0;
  bool built = false, eea = false, adequacy = false;
};

/// A staff location issuing employee-access requests (their country may have no regions).
struct StaffPlace {
  std::string id, country;
  double lat = 0, lon = 0;
};

/// Where a run's regions and sites are. `available` is false when the run's scenario cannot
/// be read (moved, edited into something invalid); `note` then says why, and the report
/// draws no positions.
struct RunGeography {
  bool available = false;
  std::string note;           ///< why positions are missing, or a caveat (scenario changed since the run)
  std::string scenario_file;  ///< the file read
  std::vector<RegionPlace> regions;
  std::vector<SitePlace> sites;                       ///< the whole catalog; `built` marks the build-out
  std::vector<StaffPlace> staff;
  std::map<std::string, std::string> country_names;   ///< code → name
  std::set<std::string> eea_countries, adequacy_countries;
};

/// Loads the scenario named in the run's manifest (with its variant and overrides): the
/// path as recorded, else relative to the run folder's parents (a run folder kept inside a
/// checkout). Never throws: failures become `note`.
RunGeography load_geography(const RunData& run);

}  // namespace dcsim::tools::report
