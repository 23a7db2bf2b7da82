// The event run's three time sources and their one order. Requests arrive from the traffic
// generator (in time order), scenario controls come from a sorted list, and accepted
// requests complete from a heap. At equal times the order is: a completion at t, then a
// control at t, then an arrival at t. So a request that finishes at the very moment its
// site fails is served, not lost; a control applies before any request that arrives at its
// time (a site coming online at t takes the request arriving at t; one going dark at t
// does not).
#pragma once

#include <cstdint>

#include "sim/time.hpp"

namespace dcsim::models {

enum class TimeSource : std::uint8_t { Completion, Control, Arrival };  // tie order, first to last

constexpr bool goes_before(sim::SimTime ta, TimeSource a, sim::SimTime tb, TimeSource b) {
  return ta != tb ? ta < tb : a < b;
}

/// Processes, in order, every completion and control that goes before an arrival at t.
/// next_completion() and next_control() give the time of each source's next item (kNever:
/// none left); complete() and apply() process that item (and may add completions).
template <class NextCompletion, class Complete, class NextControl, class Apply>
void advance_to_arrival(sim::SimTime t, NextCompletion&& next_completion, Complete&& complete, NextControl&& next_control,
                        Apply&& apply) {
  for (;;) {
    const sim::SimTime tc = next_completion(), tk = next_control();
    const bool completion = goes_before(tc, TimeSource::Completion, tk, TimeSource::Control);
    const sim::SimTime next = completion ? tc : tk;
    if (next == sim::kNever || !goes_before(next, completion ? TimeSource::Completion : TimeSource::Control, t, TimeSource::Arrival))
      return;
    if (completion) {
      complete();
    } else {
      apply();
    }
  }
}

}  // namespace dcsim::models
