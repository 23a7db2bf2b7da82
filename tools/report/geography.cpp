// Projection, frame and the shipped outlines.
#include "tools/report/geography.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numbers>

namespace dcsim::tools::report {

// The outline dataset, one ring per line, compiled in from tools/report/data/ (see
// sources.cmake) so the binary needs no data files at run time.
extern const char* const kEuropeOutlineLines[];
extern const std::size_t kEuropeOutlineLineCount;

namespace {
constexpr double kEarthRadiusKm = 6371.0;
constexpr double kLat0 = 52.0, kLon0 = 10.0;
double rad(double deg) { return deg * std::numbers::pi / 180.0; }
}  // namespace

Point laea_km(double lat, double lon) {
  const double p = rad(lat), l = rad(lon - kLon0), p0 = rad(kLat0);
  const double denom = 1.0 + std::sin(p0) * std::sin(p) + std::cos(p0) * std::cos(p) * std::cos(l);
  const double k = std::sqrt(2.0 / std::max(denom, 1e-12));  // the antipode has no image
  return {kEarthRadiusKm * k * std::cos(p) * std::sin(l),
          kEarthRadiusKm * k * (std::cos(p0) * std::sin(p) - std::sin(p0) * std::cos(p) * std::cos(l))};
}

Point MapFrame::to_px(double lat, double lon) const {
  const Point km = laea_km(lat, lon);
  const double s = width_px / (kXMaxKm - kXMinKm);
  return {(km.x - kXMinKm) * s, (kYMaxKm - km.y) * s};
}

bool MapFrame::contains(double lat, double lon) const {
  const Point km = laea_km(lat, lon);
  return km.x >= kXMinKm && km.x <= kXMaxKm && km.y >= kYMinKm && km.y <= kYMaxKm;
}

const std::vector<OutlineRing>& europe_outlines() {
  static const std::vector<OutlineRing> rings = [] {
    std::vector<OutlineRing> out;
    for (std::size_t i = 0; i < kEuropeOutlineLineCount; ++i) {
      const std::string_view line = kEuropeOutlineLines[i];
      if (line.empty() || line[0] == '#') continue;
      OutlineRing r;
      std::size_t pos = line.find(' ');
      r.country = std::string(line.substr(0, pos));
      while (pos != std::string_view::npos) {
        const std::size_t start = pos + 1, next = line.find(' ', start);
        const std::string_view pair = line.substr(start, next == std::string_view::npos ? std::string_view::npos : next - start);
        const std::size_t comma = pair.find(',');
        double lat = 0, lon = 0;
        if (comma != std::string_view::npos) {
          std::from_chars(pair.data(), pair.data() + comma, lat);
          std::from_chars(pair.data() + comma + 1, pair.data() + pair.size(), lon);
          r.lat_lon.emplace_back(lat, lon);
        }
        pos = next;
      }
      if (r.lat_lon.size() >= 3) out.push_back(std::move(r));
    }
    return out;
  }();
  return rings;
}

}  // namespace dcsim::tools::report
