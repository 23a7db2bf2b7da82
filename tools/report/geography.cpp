// Projection, frame, shipped outlines and the run's places (from its scenario via the
// World, so users are counted exactly as the run counted them).
#include "tools/report/geography.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <numbers>
#include <sstream>

#include "models/scenario/diagnostics.hpp"
#include "models/scenario/scenario_loader.hpp"
#include "models/network/world.hpp"
#include "tools/sha256.hpp"

namespace dcsim::tools::report {

// The outline dataset, one ring per line, compiled in from tools/report/data/ (see
// sources.cmake) so the binary needs no data files at run time.
extern const char* const kEuropeOutlineLines[];
extern const std::size_t kEuropeOutlineLineCount;

namespace fs = std::filesystem;

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

namespace {

std::string first_line(const std::string& s) {
  const std::size_t nl = s.find('\n');
  return nl == std::string::npos ? s : s.substr(0, nl) + " (and more)";
}

/// The scenario file: as recorded (absolute, or relative to the working directory), else
/// relative to each parent of the run folder (runs kept inside the checkout they came from).
fs::path find_scenario(const std::string& recorded, const fs::path& run_dir) {
  std::error_code ec;
  const fs::path p(recorded);
  if (fs::is_regular_file(p, ec)) return p;
  if (p.is_relative()) {
    fs::path dir = fs::absolute(run_dir, ec);
    while (!dir.empty()) {
      if (fs::is_regular_file(dir / p, ec)) return dir / p;
      if (dir == dir.parent_path()) break;
      dir = dir.parent_path();
    }
  }
  return {};
}

}  // namespace

RunGeography load_geography(const RunData& run) {
  RunGeography g;
  const Manifest& m = run.manifest;
  if (m.scenario_path.empty()) {
    g.note = "the manifest names no scenario file";
    return g;
  }
  const fs::path file = find_scenario(m.scenario_path, run.dir);
  if (file.empty()) {
    g.note = "scenario file " + m.scenario_path + " not found";
    return g;
  }
  g.scenario_file = file.string();
  std::vector<std::string> loaded_files;
  try {
    models::LoadOptions opts;
    opts.overrides = m.overrides;
    if (!m.variant.empty() && m.variant != "base") opts.variant = m.variant;
    const models::World world(models::load_scenario(file.string(), opts));
    const models::Scenario& s = world.scenario();
    loaded_files = s.source_files;
    for (const auto& c : s.countries) {
      g.country_names[c.code] = c.name;
      if (c.eea) g.eea_countries.insert(c.code);
      if (c.adequacy) g.adequacy_countries.insert(c.code);
    }
    for (const auto& r : world.regions())
      g.regions.push_back({r.region->id, r.region->name, r.region->country, r.pos.lat, r.pos.lon, r.monthly_users});
    for (const auto& site : world.sites())
      g.sites.push_back({site.site->id, site.site->name, site.site->country, site.pos.lat, site.pos.lon, site.built, site.eea,
                         g.adequacy_countries.count(site.site->country) > 0});
    for (const auto& cls : s.traffic.classes)
      for (const auto& st : cls.staff)
        if (std::none_of(g.staff.begin(), g.staff.end(), [&](const StaffPlace& x) { return x.id == st.id; }))
          g.staff.push_back({st.id, st.country, st.lat, st.lon});
    g.available = true;
  } catch (const models::ScenarioError& e) {
    g.note = "scenario file " + file.string() + " no longer loads: " + first_line(e.what());
    return g;
  } catch (const std::exception& e) {
    g.note = "scenario file " + file.string() + " no longer loads: " + first_line(e.what());
    return g;
  }
  // Positions come from today's files: say so when they are not the files the run read
  // (the fingerprint dcsim run records: SHA-256 of the SHA-256s of every file read, in order).
  if (!m.scenario_sha256.empty()) {
    std::string all;
    for (const auto& f : loaded_files) {
      std::ifstream in(f, std::ios::binary);
      std::ostringstream buf;
      buf << in.rdbuf();
      all += sha256_hex(buf.str());
    }
    if (sha256_hex(all) != m.scenario_sha256)
      g.note = "scenario file " + file.string() + " (or a file it includes) changed since the run; positions are from its current version";
  }
  return g;
}

}  // namespace dcsim::tools::report
