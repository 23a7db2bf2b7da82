// Step-rate construction per stream and arrival sampling by exact inversion.
#include "models/traffic/demand.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <stdexcept>

#include "models/traffic/calendar.hpp"
#include "models/traffic/growth.hpp"
#include "sim/distributions.hpp"

namespace dcsim::models {

StepRate::StepRate(std::vector<sim::SimTime> starts, std::vector<double> rates_per_s, sim::SimTime end)
    : starts_(std::move(starts)), rates_(std::move(rates_per_s)), end_(end) {
  if (starts_.empty() || starts_.size() != rates_.size() || starts_.front() != sim::SimTime{} ||
      !(starts_.back() < end_))
    throw std::invalid_argument("StepRate: steps must start at 0, match the rates and end after the last start");
  if (starts_.size() >= UINT32_MAX) throw std::invalid_argument("StepRate: too many steps for a cursor");
  cumulative_.resize(starts_.size() + 1);
  cumulative_[0] = 0;
  for (std::size_t i = 0; i < starts_.size(); ++i) {
    if (!(rates_[i] >= 0) || !std::isfinite(rates_[i])) throw std::invalid_argument("StepRate: rate must be >= 0");
    const sim::SimTime next = i + 1 < starts_.size() ? starts_[i + 1] : end_;
    if (!(next > starts_[i])) throw std::invalid_argument("StepRate: starts must increase");
    cumulative_[i + 1] = cumulative_[i] + rates_[i] * sim::to_seconds(next - starts_[i]);
  }
}

double StepRate::rate_at(sim::SimTime t) const {
  if (t < sim::SimTime{} || t >= end_) return 0;
  const auto it = std::upper_bound(starts_.begin(), starts_.end(), t);
  return rates_[static_cast<std::size_t>(it - starts_.begin()) - 1];
}

double StepRate::integral_to(sim::SimTime t) const {
  if (t <= sim::SimTime{}) return 0;
  if (t >= end_) return cumulative_.back();
  const auto i = static_cast<std::size_t>(std::upper_bound(starts_.begin(), starts_.end(), t) - starts_.begin()) - 1;
  return cumulative_[i] + rates_[i] * sim::to_seconds(t - starts_[i]);
}

double StepRate::integral_to(sim::SimTime t, std::size_t& step) const {
  if (t <= sim::SimTime{}) return 0;
  if (t >= end_) return cumulative_.back();
  if (step >= starts_.size() || starts_[step] > t) step = 0;  // went back: start over
  while (step + 1 < starts_.size() && starts_[step + 1] <= t) ++step;
  return cumulative_[step] + rates_[step] * sim::to_seconds(t - starts_[step]);
}

sim::SimTime StepRate::Cursor::next_across_steps(const StepRate& r, double mass) {
  // Unit-rate exponential mass, spent across steps: exact for piecewise-constant rates.
  while (step_ < r.starts_.size()) {
    const sim::SimTime step_end = step_ + 1 < r.starts_.size() ? r.starts_[step_ + 1] : r.end_;
    const double rate = r.rates_[step_];
    if (rate > 0) {
      const double available = rate * sim::to_seconds(step_end - t_);
      if (mass < available) {
        cached_end_ = step_end;
        cached_rate_ = rate;
        return advance(mass, rate, step_end);
      }
      mass -= available;
    }
    ++step_;
    t_ = step_end;
  }
  return sim::kNever;
}

int local_hour(const World& world, std::size_t region, sim::SimTime t) {
  const std::int64_t unix_s = world.scenario().meta.start_utc_s + t.time_since_epoch().count() / 1'000'000'000;
  const double offset = utc_offset_h(*world.regions()[region].region, unix_s);
  const double local = static_cast<double>(unix_s) / 3600.0 + offset;
  return static_cast<int>(std::fmod(std::fmod(std::floor(local), 24.0) + 24.0, 24.0));
}

namespace {

// Times at which some region's local hour may change: every quarter hour in UTC (offsets in
// Europe are whole hours; quarter hours keep any real offset exact), plus summer-time
// switches. Regions' step functions use the subset where their rate actually changes.
std::vector<sim::SimTime> candidate_breaks(const Scenario& s) {
  std::vector<sim::SimTime> out;
  const sim::SimDuration quarter = sim::minutes(15);
  // Align to quarter hours of UTC, not of the run start.
  const std::int64_t start = s.meta.start_utc_s;
  const std::int64_t first = ((start + 899) / 900) * 900;
  for (sim::SimTime t = sim::at(sim::seconds(first - start)); t < sim::at(s.meta.duration); t += quarter)
    if (t > sim::SimTime{}) out.push_back(t);
  for (std::int64_t sw : eu_summer_time_switches(start, start + s.meta.duration.count() / 1'000'000'000))
    out.push_back(sim::at(sim::seconds(sw - start)));
  return out;
}

// Demand-surge factor for a stream at time t (product of the surges in force).
double surge_factor(const Scenario& s, const std::string& region_id, const std::string& country,
                    const std::string& class_name, sim::SimTime t) {
  double f = 1;
  for (const auto& ev : s.events) {
    if (ev.kind != EventKind::DemandSurge) continue;
    if (t < sim::at(ev.at) || t >= sim::at(ev.at + *ev.duration)) continue;
    const bool where = std::find(ev.regions.begin(), ev.regions.end(), region_id) != ev.regions.end() ||
                       std::find(ev.countries.begin(), ev.countries.end(), country) != ev.countries.end();
    const bool what = ev.classes.empty() || std::find(ev.classes.begin(), ev.classes.end(), class_name) != ev.classes.end();
    if (where && what) f *= ev.demand_factor;
  }
  return f;
}

StepRate step_rate(const std::vector<sim::SimTime>& breaks, sim::SimTime end,
                   const std::function<double(sim::SimTime)>& rate_at) {
  std::vector<sim::SimTime> starts{sim::SimTime{}};
  std::vector<double> rates{rate_at(sim::SimTime{})};
  for (sim::SimTime b : breaks) {
    if (b <= starts.back() || b >= end) continue;
    const double r = rate_at(b);
    if (r == rates.back()) continue;  // merge equal steps
    starts.push_back(b);
    rates.push_back(r);
  }
  return StepRate(std::move(starts), std::move(rates), end);
}

}  // namespace

Demand build_demand(const World& world) {
  const Scenario& s = world.scenario();
  Demand d;
  d.weight = static_cast<double>(s.meta.scale);
  const sim::SimTime end = sim::at(s.meta.duration);
  std::vector<sim::SimTime> breaks = candidate_breaks(s);
  for (const auto& ev : s.events)
    if (ev.kind == EventKind::DemandSurge) {
      breaks.push_back(sim::at(ev.at));
      breaks.push_back(sim::at(ev.at + *ev.duration));
    }
  std::sort(breaks.begin(), breaks.end());
  breaks.erase(std::unique(breaks.begin(), breaks.end()), breaks.end());

  // Growth and the weekly pattern change only at UTC or local midnights: quarter hours of
  // UTC, among the breaks already.
  const GrowthFactors growth(world);
  const bool weekly = s.traffic.weekly_local.size() == 7;
  for (std::size_t c = 0; c < s.traffic.classes.size(); ++c) {
    const TrafficClass& cls = s.traffic.classes[c];
    if (cls.origin == ClassOrigin::Users) {
      for (std::size_t r = 0; r < world.regions().size(); ++r) {
        const WorldRegion& reg = world.regions()[r];
        const double base = reg.daily_active_users * cls.rate_per_user_day / 86400.0 / d.weight;
        if (!(base > 0)) continue;
        auto rate_at = [&](sim::SimTime t) {
          const double w = s.traffic.diurnal_local[static_cast<std::size_t>(local_hour(world, r, t))];
          const double week = weekly ? s.traffic.weekly_local[static_cast<std::size_t>(local_weekday(world, r, t))] : 1.0;
          return base * w * week * growth.factor(r, t) * surge_factor(s, reg.region->id, reg.region->country, cls.name, t);
        };
        d.streams.push_back({StreamOrigin::Region, static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(c),
                             step_rate(breaks, end, rate_at)});
      }
    } else {
      for (std::size_t k = 0; k < cls.staff.size(); ++k) {
        const double base = cls.staff[k].requests_per_day / 86400.0 / d.weight;
        if (!(base > 0)) continue;
        auto rate_at = [&](sim::SimTime) { return base; };
        d.streams.push_back({StreamOrigin::Staff, static_cast<std::uint32_t>(k), static_cast<std::uint32_t>(c),
                             step_rate({}, end, rate_at)});
      }
    }
  }
  return d;
}

}  // namespace dcsim::models
