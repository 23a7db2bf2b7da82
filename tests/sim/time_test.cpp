// SimTime/SimDuration helpers: unit factories, rounding and formatting.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>

#include "sim/random.hpp"
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

TEST_CASE("from_seconds rounds exactly like llround, halves away from zero") {
  CHECK(from_seconds(0.5e-9) == nanoseconds(1));
  CHECK(from_seconds(-0.5e-9) == nanoseconds(-1));
  CHECK(from_seconds(1.4999e-9) == nanoseconds(1));
  CHECK(from_seconds(-2.5e-9) == nanoseconds(-3));
  CHECK(from_seconds(0.0) == nanoseconds(0));
  CHECK(from_seconds(-0.0) == nanoseconds(0));
  CHECK(from_seconds(86400.0 * 365) == days(365));  // beyond 2^52 ns: the libm path
  // Random magnitudes over 1e-12 .. 1e9 s, both signs, plus exact halves of a nanosecond
  // and their neighbouring doubles.
  dcsim::sim::RandomStream rng(31, 1);
  for (int i = 0; i < 200'000; ++i) {
    const double mag = std::pow(10.0, -12.0 + 21.0 * rng.uniform01());
    const double s = rng.uniform01() < 0.5 ? -mag : mag;
    REQUIRE(from_seconds(s).count() == std::llround(s * 1e9));
    const double half = (static_cast<double>(rng.uniform_below(1ULL << 40)) + 0.5) * 1e-9;
    for (const double h : {half, std::nextafter(half, 0.0), std::nextafter(half, 1.0), -half}) {
      REQUIRE(from_seconds(h).count() == std::llround(h * 1e9));
    }
  }
}
