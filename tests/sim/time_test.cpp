// SimTime/SimDuration helpers: unit factories, rounding and formatting.
#include <doctest/doctest.h>

#include "sim/time.hpp"

using namespace dcsim::sim;

TEST_CASE("duration factories agree with each other") {
  CHECK(hours(1) == minutes(60));
  CHECK(days(1) == hours(24));
  CHECK(milliseconds(1) == microseconds(1000));
  CHECK(from_seconds(1.5) == milliseconds(1500));
  CHECK(to_seconds(days(2)) == doctest::Approx(172800.0));
}

TEST_CASE("format renders days, clock time and trims trailing fractional zeros") {
  CHECK(format(seconds(0)) == "00:00:00");
  CHECK(format(hours(26) + minutes(3) + seconds(4)) == "1d 02:03:04");
  CHECK(format(milliseconds(1500)) == "00:00:01.5");
  CHECK(format(-seconds(61)) == "-00:01:01");
  CHECK(format(SimDuration{INT64_MIN}).front() == '-');
}
