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
    out.problem = name + ":" + std::to_string(e.line) + ": " + e.message;
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
    out.problem = name + ":1: the header lacks the column(s) " + missing;
    return out;
  }
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    LatencyPairRow row;
    row.fields = std::move(t.rows[r]);
    row.line = t.row_lines[r];
    row.src_text = row.fields[col[0]] + "," + row.fields[col[1]];
    row.dst_text = row.fields[col[2]] + "," + row.fields[col[3]];
    std::string why;
    row.src = parse_point(row.src_text, why);
    if (row.src) row.dst = parse_point(row.dst_text, why);
    if (!row.src || !row.dst) {
      row.src.reset();
      row.problem = name + ":" + std::to_string(row.line) + ": " + why;
      ++out.bad_rows;
    }
    out.rows.push_back(std::move(row));
  }
  out.header = std::move(t.header);
  return out;
}

}  // namespace dcsim::tools
