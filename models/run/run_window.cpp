// Windows of a long run: the scenario rebased to the window's start, the plan sliced.
#include "models/run/run_window.hpp"

#include <algorithm>
#include <cmath>

namespace dcsim::models {

namespace {
constexpr std::int64_t kDayS = 86400;

std::int64_t run_days(const Scenario& s) {
  return static_cast<std::int64_t>(std::ceil(sim::to_seconds(s.meta.duration) / kDayS - 1e-9));
}

std::int64_t window_days(const Scenario& s, const RunWindow& w) { return std::min(w.days, run_days(s) - w.first_day); }
}  // namespace

std::string window_problem(const Scenario& s, const RunWindow& w) {
  const std::int64_t step_ns = s.meta.report_interval.count();
  if (step_ns <= 0 || sim::hours(24).count() % step_ns != 0)
    return "a window needs meta.report_interval_min to divide a day (it is " + std::to_string(sim::to_seconds(s.meta.report_interval) / 60) + " min)";
  if (w.days < 1) return "a window lasts at least one day";
  if (w.first_day < 0 || w.first_day >= run_days(s))
    return "the window's first day must lie within the run (days 0 to " + std::to_string(run_days(s) - 1) + " from its start)";
  return {};
}

Scenario window_scenario(const Scenario& s, const RunWindow& w) {
  Scenario out = s;
  const sim::SimDuration offset = sim::hours(24 * w.first_day);
  const sim::SimDuration length = std::min(sim::hours(24 * window_days(s, w)), s.meta.duration - offset);
  out.meta.start_utc_s += w.first_day * kDayS;
  out.meta.duration = length;
  out.traffic.growth.rate_origin_days += w.first_day;
  // Events before the window act at its start, in the order of their last action before
  // it (the start of one in force, the end of one over), so that the state they leave is
  // the whole run's. One over before the window is left out unless its end leaves a change
  // (a site brought online for a while is dark again; a policy switch stays switched):
  // such an event opens and closes at the window's start.
  std::vector<std::pair<sim::SimDuration, ScenarioEvent>> before;
  std::vector<ScenarioEvent> within;
  for (ScenarioEvent e : s.events) {
    if (e.at >= offset + length) continue;  // after the window
    if (e.at >= offset) {
      e.at -= offset;
      within.push_back(std::move(e));
      continue;
    }
    sim::SimDuration last = e.at;
    if (e.duration && e.at + *e.duration <= offset) {
      const bool leaves_a_change =
          e.kind == EventKind::SiteOnline || e.kind == EventKind::SiteOffline || e.kind == EventKind::PolicySwitch;
      if (!leaves_a_change) continue;
      last = e.at + *e.duration;
      e.duration = sim::SimDuration{0};
    } else if (e.duration) {
      e.duration = e.at + *e.duration - offset;
    }
    e.at = sim::SimDuration{0};
    before.emplace_back(last, std::move(e));
  }
  std::stable_sort(before.begin(), before.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  out.events.clear();
  for (auto& [last, e] : before) out.events.push_back(std::move(e));
  for (auto& e : within) out.events.push_back(std::move(e));
  for (Migration& m : out.migrations) m.start = std::max(sim::SimDuration{0}, m.start - offset);
  return out;
}

DataPlan window_plan(const DataPlan& plan, const Scenario& s, const RunWindow& w) {
  const auto step_ns = s.meta.report_interval.count();
  const auto per_day = static_cast<std::size_t>(sim::hours(24).count() / step_ns);
  const auto days = static_cast<std::size_t>(window_days(s, w));
  const auto first_day = static_cast<std::size_t>(w.first_day);
  const sim::SimDuration length = std::min(sim::hours(24 * window_days(s, w)), s.meta.duration - sim::hours(24 * w.first_day));
  const auto intervals = static_cast<std::size_t>((length.count() + step_ns - 1) / step_ns);
  return plan.window(first_day * per_day, intervals, first_day, days);
}

}  // namespace dcsim::models
