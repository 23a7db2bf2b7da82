// Growth factors per UTC day, computed once per run (a year of days × countries: small),
// so the demand's per-break evaluation is a table look-up.
#include "models/traffic/growth.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include "models/traffic/calendar.hpp"

namespace dcsim::models {

namespace {

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// Users a table gives for a month: linear between listed months, flat outside them.
double users_in_month(const UserGrowth::CountryMonths& t, std::int64_t month) {
  const auto& u = t.users;
  if (month <= u.front().first) return u.front().second;
  if (month >= u.back().first) return u.back().second;
  const auto hi = std::upper_bound(u.begin(), u.end(), month, [](std::int64_t m, const auto& e) { return m < e.first; });
  const auto lo = hi - 1;
  const double f = static_cast<double>(month - lo->first) / static_cast<double>(hi->first - lo->first);
  return lo->second + f * (hi->second - lo->second);
}

}  // namespace

std::int64_t month_index_utc(std::int64_t unix_s) {
  using namespace std::chrono;
  const year_month_day ymd{sys_days{days{floor_div(unix_s, 86400)}}};
  return static_cast<std::int64_t>(static_cast<int>(ymd.year())) * 12 + (static_cast<unsigned>(ymd.month()) - 1);
}

GrowthFactors::GrowthFactors(const World& world) {
  const Scenario& s = world.scenario();
  const UserGrowth& g = s.traffic.growth;
  if (!g.any()) return;
  const std::int64_t start = s.meta.start_utc_s;
  const std::int64_t start_day = floor_div(start, 86400);
  first_day_ns_ = (start - start_day * 86400) * 1'000'000'000;
  days_ = static_cast<std::size_t>(floor_div(start + s.meta.duration.count() / 1'000'000'000 + 86399, 86400) - start_day) + 1;

  // Group 0: every country without a table (the annual rate); then one per table.
  std::map<std::string, std::size_t> table_of;
  for (std::size_t i = 0; i < g.monthly_users.size(); ++i) table_of[g.monthly_users[i].country] = i + 1;
  groups_ = g.monthly_users.size() + 1;
  std::vector<double> base(groups_, 0.0);  // users at the start, per group
  for (const auto& r : world.regions()) {
    const auto it = table_of.find(r.region->country);
    region_group_.push_back(it == table_of.end() ? 0 : it->second);
    base[region_group_.back()] += r.monthly_users;
  }
  per_day_.assign(days_ * groups_, 1.0);
  const double per_day_rate = std::log1p(g.annual_rate) / 365.25;
  for (std::size_t d = 0; d < days_; ++d) {
    per_day_[d * groups_] = std::exp(per_day_rate * static_cast<double>(static_cast<std::int64_t>(d) + g.rate_origin_days));
    const std::int64_t month = month_index_utc((start_day + static_cast<std::int64_t>(d)) * 86400);
    for (std::size_t i = 0; i < g.monthly_users.size(); ++i) {
      const double b = base[i + 1];
      per_day_[d * groups_ + i + 1] = b > 0 ? users_in_month(g.monthly_users[i], month) / b : 0.0;
    }
  }
}

int local_weekday(const World& world, std::size_t region, sim::SimTime t) {
  const std::int64_t unix_s = world.scenario().meta.start_utc_s + t.time_since_epoch().count() / 1'000'000'000;
  const double offset = utc_offset_h(*world.regions()[region].region, unix_s);
  const auto local_s = unix_s + static_cast<std::int64_t>(std::llround(offset * 3600));
  // 1970-01-01 was a Thursday (3 with Monday 0).
  return static_cast<int>((floor_div(local_s, 86400) % 7 + 7 + 3) % 7);
}

}  // namespace dcsim::models
