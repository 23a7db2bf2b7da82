// Users over a long run: each region's users at time t as a factor on its users at the
// start, from traffic.growth (a compound annual rate, or a table of monthly users per
// country), constant over each UTC day so that the demand's rate steps stay where they are.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "models/network/world.hpp"
#include "sim/time.hpp"

namespace dcsim::models {

class GrowthFactors {
 public:
  explicit GrowthFactors(const World& world);

  /// The region's users on the UTC day holding t, over its users at the start (1 without growth).
  double factor(std::size_t region, sim::SimTime t) const {
    if (per_day_.empty()) return 1;
    const std::int64_t day = (first_day_ns_ + t.time_since_epoch().count()) / kDayNs;
    const std::size_t d = static_cast<std::size_t>(std::clamp<std::int64_t>(day, 0, static_cast<std::int64_t>(days_) - 1));
    return per_day_[d * groups_ + region_group_[region]];
  }

 private:
  static constexpr std::int64_t kDayNs = 86'400'000'000'000;
  std::int64_t first_day_ns_ = 0;  ///< the run's start after its UTC midnight, ns
  std::size_t days_ = 0, groups_ = 0;
  std::vector<std::size_t> region_group_;  ///< region → its country's table, or the annual-rate group
  std::vector<double> per_day_;            ///< day × group
};

/// Local day of the week (0 Monday .. 6 Sunday) in a region at simulated time t.
int local_weekday(const World& world, std::size_t region, sim::SimTime t);

/// Calendar month index (year × 12 + month − 1) of Unix time t (UTC).
std::int64_t month_index_utc(std::int64_t unix_s);

}  // namespace dcsim::models
