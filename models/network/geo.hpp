// Geodesy on WGS-84 coordinates (degrees). Great-circle distance by the haversine formula
// on the mean Earth radius, and Lambert's ellipsoidal correction of it (error ≈ 10 m over
// continental distances), which the latency model uses.
#pragma once

namespace dcsim::models {

struct LatLon {
  double lat = 0;  ///< degrees, [-90, 90]
  double lon = 0;  ///< degrees, [-180, 180]
};

/// IUGG mean Earth radius R1, km.
inline constexpr double kEarthMeanRadiusKm = 6371.0088;

/// Spherical great-circle distance, km.
double haversine_km(LatLon a, LatLon b);

/// Geodesic distance on the WGS-84 ellipsoid by Lambert's formula, km.
double ellipsoidal_km(LatLon a, LatLon b);

}  // namespace dcsim::models
