// Simulation time: an integer count of nanoseconds since the start of a run.
// SimTime is a time point on a tag clock, SimDuration a std::chrono duration, so the
// compiler refuses to add two times or mix units; conversion to double seconds happens
// only in formulas and writers (to_seconds).
#pragma once

#include <chrono>
#include <cmath>
#include <cstdint>
#include <string>

namespace dcsim::sim {

/// The clock of a simulation run: epoch is the run's start (meta.start_utc).
struct SimClock {
  using rep = std::int64_t;
  using period = std::nano;
  using duration = std::chrono::duration<rep, period>;
  using time_point = std::chrono::time_point<SimClock, duration>;
  static constexpr bool is_steady = true;
};

using SimDuration = SimClock::duration;
using SimTime = SimClock::time_point;

constexpr SimDuration nanoseconds(std::int64_t n) { return SimDuration{n}; }
constexpr SimDuration microseconds(std::int64_t n) { return SimDuration{n * 1'000}; }
constexpr SimDuration milliseconds(std::int64_t n) { return SimDuration{n * 1'000'000}; }
constexpr SimDuration seconds(std::int64_t n) { return SimDuration{n * 1'000'000'000}; }
constexpr SimDuration minutes(std::int64_t n) { return seconds(n * 60); }
constexpr SimDuration hours(std::int64_t n) { return seconds(n * 3'600); }
constexpr SimDuration days(std::int64_t n) { return seconds(n * 86'400); }

/// Rounds a real number of seconds to the nearest nanosecond (halves away from zero),
/// exactly as std::llround(s * 1e9). Below 2^52 ns (52 days) without a libm call: it
/// showed at 3% of the traffic generator's time.
inline SimDuration from_seconds(double s) {
  const double ns = s * 1e9;
  if (std::fabs(ns) < 0x1p52) [[likely]] {
    auto n = static_cast<std::int64_t>(ns);           // toward zero, exact
    const double rest = ns - static_cast<double>(n);  // exact, |rest| < 1
    n += static_cast<std::int64_t>(rest >= 0.5) - static_cast<std::int64_t>(rest <= -0.5);
    return SimDuration{n};
  }
  return SimDuration{static_cast<std::int64_t>(std::llround(ns))};
}
constexpr double to_seconds(SimDuration d) { return static_cast<double>(d.count()) * 1e-9; }
constexpr double to_milliseconds(SimDuration d) { return static_cast<double>(d.count()) * 1e-6; }
constexpr double to_seconds(SimTime t) { return to_seconds(t.time_since_epoch()); }

constexpr SimTime at(SimDuration since_start) { return SimTime{since_start}; }

/// A time no event reaches: "never" for arrivals and the default run_until bound.
inline constexpr SimTime kNever = SimTime::max();

/// "1d 02:03:04.005006007" style, for logs and error messages.
std::string format(SimDuration d);
inline std::string format(SimTime t) { return format(t.time_since_epoch()); }

}  // namespace dcsim::sim
