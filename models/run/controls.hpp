// The control timeline shared by both fidelities: each scenario event as a start (and, with
// a duration, an end) at its time, in time order, and the EventEffect record its
// measurements go into.
#pragma once

#include <vector>

#include "models/run/metrics.hpp"
#include "models/scenario/scenario.hpp"

namespace dcsim::models {

/// An event starting (or ending) at a time.
struct Control {
  sim::SimTime t{};
  std::size_t event = 0;
  bool start = true;
};

const char* event_kind_name(EventKind k);

/// Controls of every event within [0, horizon], stable-sorted by time.
std::vector<Control> build_controls(const Scenario& s, sim::SimTime horizon);

/// One EventEffect per scenario event (id, kind, target, window), with per-country
/// latency histograms sized for `countries`.
std::vector<EventEffect> make_event_effects(const Scenario& s, sim::SimTime horizon, std::size_t countries);

}  // namespace dcsim::models
