// The input side of `dcsim latency`: a LAT,LON point as the command line writes it, and the
// --pairs CSV (columns src_lat,src_lon,dst_lat,dst_lon, any others kept as they are). Kept
// apart from the command so the whole reader can be tested and fuzzed without a World.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/network/geo.hpp"

namespace dcsim::tools {

/// "53.35,-6.26" as a point on the globe; nullopt with the reason in `why` otherwise.
std::optional<models::LatLon> parse_point(const std::string& text, std::string& why);

/// One row of a --pairs file: its fields as read and its two points, or why it has none.
struct LatencyPairRow {
  std::vector<std::string> fields;
  int line = 0;                            ///< 1-based line where the row starts
  std::string src_text, dst_text;          ///< "LAT,LON" as written, for messages
  std::optional<models::LatLon> src, dst;  ///< both set exactly when `problem` is empty
  std::string problem;                     ///< "NAME:LINE: what" for a bad point
};

/// A --pairs file as read. `problem` is a whole-file problem (not CSV, a column missing);
/// otherwise every row is there, bad ones with their own problem.
struct LatencyPairs {
  std::vector<std::string> header;
  std::vector<LatencyPairRow> rows;
  std::string problem;      ///< "NAME:LINE: what"; rows is then empty
  std::size_t bad_rows = 0;  ///< rows with a problem
};

/// Reads pairs CSV text; `name` (the file, or "-") prefixes every problem. Never throws on
/// bad input: every bad row is reported, not only the first.
LatencyPairs read_latency_pairs(std::string_view text, const std::string& name);

}  // namespace dcsim::tools
