// EU summer-time switches computed with std::chrono's civil calendar.
#include "models/traffic/calendar.hpp"

#include <chrono>

namespace dcsim::models {

namespace {

using namespace std::chrono;

// 01:00 UTC on the last Sunday of the given month.
std::int64_t last_sunday_0100(int y, unsigned m) {
  const sys_days d{year{y} / month{m} / Sunday[last]};
  return static_cast<std::int64_t>(d.time_since_epoch().count()) * 86400 + 3600;
}

int year_of(std::int64_t unix_s) {
  const sys_days d{days{static_cast<int>(unix_s >= 0 ? unix_s / 86400 : (unix_s - 86399) / 86400)}};
  return static_cast<int>(year_month_day{d}.year());
}

}  // namespace

bool eu_summer_time(std::int64_t unix_s) {
  const int y = year_of(unix_s);
  return unix_s >= last_sunday_0100(y, 3) && unix_s < last_sunday_0100(y, 10);
}

double utc_offset_h(const Region& region, std::int64_t unix_s) {
  if (region.utc_offset_summer_h == region.utc_offset_h) return region.utc_offset_h;
  return eu_summer_time(unix_s) ? region.utc_offset_summer_h : region.utc_offset_h;
}

std::vector<std::int64_t> eu_summer_time_switches(std::int64_t from_unix_s, std::int64_t to_unix_s) {
  std::vector<std::int64_t> out;
  for (int y = year_of(from_unix_s); y <= year_of(to_unix_s); ++y)
    for (unsigned m : {3u, 10u}) {
      const std::int64_t t = last_sunday_0100(y, m);
      if (t >= from_unix_s && t < to_unix_s) out.push_back(t);
    }
  return out;
}

}  // namespace dcsim::models
