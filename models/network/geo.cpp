// Haversine and Lambert's long-line formula (Lambert 1942; see e.g. Rapp, "Geometric
// Geodesy", Ohio State 1993, §6.4) on WGS-84.
#include "models/network/geo.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace dcsim::models {

namespace {
constexpr double kDeg = std::numbers::pi / 180.0;
constexpr double kWgs84A = 6378.137;                 // equatorial radius, km
constexpr double kWgs84F = 1.0 / 298.257223563;      // flattening

// Central angle between two points on a sphere, radians (haversine form: well conditioned
// for short distances).
double central_angle(double lat1, double lon1, double lat2, double lon2) {
  const double s1 = std::sin((lat2 - lat1) / 2), s2 = std::sin((lon2 - lon1) / 2);
  const double h = s1 * s1 + std::cos(lat1) * std::cos(lat2) * s2 * s2;
  return 2 * std::asin(std::min(1.0, std::sqrt(h)));
}
}  // namespace

double haversine_km(LatLon a, LatLon b) {
  return kEarthMeanRadiusKm * central_angle(a.lat * kDeg, a.lon * kDeg, b.lat * kDeg, b.lon * kDeg);
}

double ellipsoidal_km(LatLon a, LatLon b) {
  // Reduced (parametric) latitudes, then the spherical angle between them.
  const double b1 = std::atan((1 - kWgs84F) * std::tan(a.lat * kDeg));
  const double b2 = std::atan((1 - kWgs84F) * std::tan(b.lat * kDeg));
  const double sigma = central_angle(b1, a.lon * kDeg, b2, b.lon * kDeg);
  if (sigma < 1e-12) return 0.0;
  const double p = (b1 + b2) / 2, q = (b2 - b1) / 2;
  const double sp = std::sin(p), cp = std::cos(p), sq = std::sin(q), cq = std::cos(q);
  const double x = (sigma - std::sin(sigma)) * (sp * sp * cq * cq) / (std::cos(sigma / 2) * std::cos(sigma / 2));
  const double y = (sigma + std::sin(sigma)) * (cp * cp * sq * sq) / (std::sin(sigma / 2) * std::sin(sigma / 2));
  return kWgs84A * (sigma - kWgs84F / 2 * (x + y));
}

}  // namespace dcsim::models
