// TimeSeries: records land in their interval with weights, maxima and means; records
// outside the window are counted as dropped; merging parts equals recording the whole.
#include <doctest/doctest.h>

#include <stdexcept>

#include "sim/random.hpp"
#include "sim/time_series.hpp"

using namespace dcsim::sim;

TEST_CASE("records land in their interval with weighted sum, count and max") {
  TimeSeries ts(minutes(15), 4, at(hours(1)));  // 01:00 .. 02:00
  ts.record(at(hours(1)), 2.0);                 // first instant of bin 0
  ts.record(at(hours(1) + minutes(14)), 4.0, 3);  // still bin 0
  ts.record(at(hours(1) + minutes(15)), 1.0);     // bin 1 starts
  ts.record(at(hours(2) - nanoseconds(1)), 7.5, 2);
  ts.record(at(hours(2)), 100.0, 5);  // past the window
  ts.record(at(minutes(59)), 100.0, 4);  // before it
  CHECK(ts.size() == 4);
  CHECK(ts[0].sum == 2.0 + 12.0);
  CHECK(ts[0].count == 4);
  CHECK(ts[0].max == 4.0);
  CHECK(ts[0].mean() == doctest::Approx(3.5));
  CHECK(ts[1].count == 1);
  CHECK(ts[2].count == 0);
  CHECK(ts[2].mean() == 0.0);
  CHECK(ts[3].sum == 15.0);
  CHECK(ts[3].max == 7.5);
  CHECK(ts.dropped_weight() == 9);
  CHECK(ts.bin_start(2) == at(hours(1) + minutes(30)));
}

TEST_CASE("merging per-thread series equals one series of all records") {
  TimeSeries whole(seconds(10), 30);
  TimeSeries a(seconds(10), 30);
  TimeSeries b(seconds(10), 30);
  RandomStream rng(51, 1);
  for (int i = 0; i < 10'000; ++i) {
    const SimTime t = at(milliseconds(static_cast<std::int64_t>(rng.uniform_below(310'000))));
    const double value = static_cast<double>(rng.uniform_below(1000));  // integers: exact sums
    const std::uint64_t w = 1 + rng.uniform_below(4);
    whole.record(t, value, w);
    (i % 2 ? a : b).record(t, value, w);
  }
  TimeSeries ab = a;
  ab.merge(b);
  TimeSeries ba = b;
  ba.merge(a);
  CHECK(ab == whole);
  CHECK(ba == whole);
  CHECK(whole.dropped_weight() > 0);  // some records fell past 300 s
  CHECK_THROWS_AS(ab.merge(TimeSeries(seconds(10), 31)), std::invalid_argument);
  CHECK_THROWS_AS(ab.merge(TimeSeries(seconds(5), 30)), std::invalid_argument);
  CHECK_THROWS_AS(TimeSeries(seconds(0), 3), std::invalid_argument);
  CHECK_THROWS_AS(TimeSeries(seconds(1), 0), std::invalid_argument);
}
