// The input side of `dcsim latency`: a LAT,LON point as the command line writes it, and the
// --pairs CSV (columns src_lat,src_lon,dst_lat,dst_lon, any others kept as they are). Kept
// apart from the command so the whole reader can be tested and fuzzed without a World.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/geo.hpp"

namespace dcsim::tools {

/// "53.35,-6.26" as a point on the globe; nullopt with the reason in `why` otherwise.
std::optional<models::LatLon> parse_point(const std::string& text, std::string& why);

/// A --pairs file as read: every row's fields, and its two points when the file is valid.
struct LatencyPairs {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<models::LatLon> src, dst;  ///< one per row when `problems` is empty
  std::vector<std::string> problems;     ///< each "NAME:LINE: what", in file order
  std::size_t bad_rows = 0;              ///< problems that are rows with a bad point
};

/// Reads pairs CSV text; `name` (the file, or "-") prefixes every problem. Never throws on
/// bad input: every bad row is reported, not only the first.
LatencyPairs read_latency_pairs(std::string_view text, const std::string& name);

}  // namespace dcsim::tools
