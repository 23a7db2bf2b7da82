// The statistics of a sweep's summary: Student t quantiles and 95 % confidence intervals.
#include <doctest/doctest.h>

#include <cmath>

#include "models/scenario/sweep_spec.hpp"

using dcsim::models::mean_ci95;
using dcsim::models::student_t_quantile;

TEST_CASE("Student t quantiles match the published table") {
  // t(p, df) to 12+ digits (checked by integrating the t density numerically; rounded to 3
  // decimals they are the values of any printed t table).
  CHECK(student_t_quantile(0.975, 1) == doctest::Approx(12.7062047361747).epsilon(1e-10));
  CHECK(student_t_quantile(0.975, 2) == doctest::Approx(4.30265272974946).epsilon(1e-10));
  CHECK(student_t_quantile(0.975, 4) == doctest::Approx(2.77644510519779).epsilon(1e-10));
  CHECK(student_t_quantile(0.975, 9) == doctest::Approx(2.26215716279820).epsilon(1e-10));
  CHECK(student_t_quantile(0.975, 30) == doctest::Approx(2.04227245630124).epsilon(1e-10));
  CHECK(student_t_quantile(0.975, 1000) == doctest::Approx(1.96233908082641).epsilon(1e-10));
  CHECK(student_t_quantile(0.995, 5) == doctest::Approx(4.03214298355523).epsilon(1e-10));
  CHECK(student_t_quantile(0.5, 3) == 0);
  CHECK(student_t_quantile(0.025, 9) == doctest::Approx(-2.26215716279820).epsilon(1e-10));
  // Far in the tail with one degree of freedom (Cauchy: tan(pi (p - 1/2))).
  CHECK(student_t_quantile(0.9995, 1) == doctest::Approx(std::tan(M_PI * 0.4995)).epsilon(1e-6));
  CHECK(std::isnan(student_t_quantile(0.975, 0.5)));
}

TEST_CASE("the 95 % confidence interval of a mean uses t over n - 1 degrees of freedom") {
  const auto ci = mean_ci95({2, 4, 4, 4, 5, 5, 7, 9});
  CHECK(ci.n == 8);
  CHECK(ci.mean == doctest::Approx(5.0));
  CHECK(ci.stddev == doctest::Approx(std::sqrt(32.0 / 7)));
  CHECK(ci.half_width == doctest::Approx(2.364624 * std::sqrt(32.0 / 7) / std::sqrt(8.0)).epsilon(1e-6));
  const auto same = mean_ci95({3, 3, 3});
  CHECK(same.half_width == 0);
  const auto one = mean_ci95({42});
  CHECK(one.mean == 42);
  CHECK(std::isnan(one.half_width));
  CHECK(mean_ci95({}).n == 0);
}
