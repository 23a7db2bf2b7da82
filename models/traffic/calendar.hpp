// Civil time for regions: the EU summer-time rule (Directive 2000/84/EC: from 01:00 UTC on
// the last Sunday of March to 01:00 UTC on the last Sunday of October), applied to regions
// whose summer offset differs from their standard one.
#pragma once

#include <cstdint>
#include <vector>

#include "models/scenario/scenario.hpp"

namespace dcsim::models {

/// True when EU summer time is in force at Unix time t (seconds).
bool eu_summer_time(std::int64_t unix_s);

/// The region's offset from UTC at Unix time t, hours.
double utc_offset_h(const Region& region, std::int64_t unix_s);

/// Unix seconds at which EU summer time starts or ends within [from, to), sorted.
std::vector<std::int64_t> eu_summer_time_switches(std::int64_t from_unix_s, std::int64_t to_unix_s);

}  // namespace dcsim::models
