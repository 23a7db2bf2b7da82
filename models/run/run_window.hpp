// A window of a long run: some days of a timeline run on their own (dcsim run --window),
// typically at event fidelity while the whole timeline runs at flow fidelity. The window
// starts where the timeline is at that date: users grown since the timeline's start,
// every event before it in force, stored data and migration waves where the whole run's
// plan has them.
#pragma once

#include <cstdint>
#include <string>

#include "models/run/data_plan.hpp"
#include "models/scenario/scenario.hpp"

namespace dcsim::models {

/// Whole days from the scenario's start: `first_day` and how many (`days`, to the run's
/// end at most).
struct RunWindow {
  std::int64_t first_day = 0;
  std::int64_t days = 1;
};

/// Why `w` is not a window of `s` (empty: it is): it must start within the run, and the
/// reporting interval must divide a day so that the window's intervals are the run's.
std::string window_problem(const Scenario& s, const RunWindow& w);

/// The scenario of the window: starting first_day days later and lasting `days` (or to the
/// run's end). Events before the window act at its start in the order of their last
/// action before it: one under way or permanent from then on (with what is left of its
/// duration); one over before it is left out, unless its end leaves a change (site_online,
/// site_offline, policy_switch: opened and closed at the start). A later one keeps its
/// time; one after the window is left out. The annual growth rate
/// keeps compounding from the run's start; migration starts move with the start.
Scenario window_scenario(const Scenario& s, const RunWindow& w);

/// The whole run's plan, sliced to the window.
DataPlan window_plan(const DataPlan& plan, const Scenario& s, const RunWindow& w);

}  // namespace dcsim::models
