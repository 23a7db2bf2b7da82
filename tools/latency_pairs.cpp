// Reading LAT,LON points and --pairs CSV files for `dcsim latency`.
#include "tools/latency_pairs.hpp"

#include <cmath>
#include <stdexcept>

#include "tools/csv.hpp"

namespace dcsim::tools {

std::optional<models::LatLon> parse_point(const std::string& text, std::string& why) {
  const auto comma = text.find(',');
  double lat = 0, lon = 0;
  std::size_t used_lat = 0, used_lon = 0;
  try {
    if (comma == std::string::npos) throw std::invalid_argument("no comma");
    lat = std::stod(text.substr(0, comma), &used_lat);
    lon = std::stod(text.substr(comma + 1), &used_lon);
  } catch (const std::exception&) {
    why = "expected LAT,LON in degrees (e.g. 53.35,-6.26), got '" + text + "'";
    return std::nullopt;
  }
  if (used_lat != comma || used_lon != text.size() - comma - 1 || !std::isfinite(lat) || !std::isfinite(lon)) {
    why = "expected LAT,LON in degrees (e.g. 53.35,-6.26), got '" + text + "'";
    return std::nullopt;
  }
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180) {
    why = "'" + text + "' is off the globe: latitude must be in [-90, 90], longitude in [-180, 180]";
    return std::nullopt;
  }
  return models::LatLon{lat, lon};
}

LatencyPairs read_latency_pairs(std::string_view text, const std::string& name) {
  LatencyPairs out;
  CsvTable t;
  try {
    t = parse_csv(text);
  } catch (const CsvError& e) {
    out.problems.push_back(name + ":" + std::to_string(e.line) + ": " + e.message);
    return out;
  }
  const char* needed[] = {"src_lat", "src_lon", "dst_lat", "dst_lon"};
  std::size_t col[4];
  std::string missing;
  for (int i = 0; i < 4; ++i) {
    col[i] = t.header.size();
    for (std::size_t k = 0; k < t.header.size(); ++k)
      if (t.header[k] == needed[i]) col[i] = k;
    if (col[i] == t.header.size()) missing += (missing.empty() ? "" : ", ") + std::string(needed[i]);
  }
  if (!missing.empty()) {
    out.problems.push_back(name + ":1: the header lacks the column(s) " + missing);
    return out;
  }
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const auto& row = t.rows[r];
    std::string why;
    const auto a = parse_point(row[col[0]] + "," + row[col[1]], why);
    const auto b = a ? parse_point(row[col[2]] + "," + row[col[3]], why) : std::nullopt;
    if (!a || !b) {
      out.problems.push_back(name + ":" + std::to_string(t.row_lines[r]) + ": " + why);
      ++out.bad_rows;
      continue;
    }
    out.src.push_back(*a);
    out.dst.push_back(*b);
  }
  out.header = std::move(t.header);
  out.rows = std::move(t.rows);
  return out;
}

}  // namespace dcsim::tools
