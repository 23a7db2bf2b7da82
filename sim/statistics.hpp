// Domain-free statistics: quantiles of the standard normal and Student's t distributions,
// and the mean with its 95 % confidence interval over a sample (sweeps over seeds).
#pragma once

#include <cstddef>
#include <vector>

namespace dcsim::sim {

/// Inverse of the standard normal CDF, p in (0, 1) (Acklam's rational approximation,
/// |relative error| < 1.2e-9).
double normal_quantile(double p);

/// Quantile of Student's t distribution with `df` degrees of freedom (df >= 1), p in (0, 1).
double student_t_quantile(double p, double df);

/// Mean and two-sided 95 % confidence interval (Student t over n - 1 degrees of freedom).
struct MeanCi {
  std::size_t n = 0;
  double mean = 0;
  double stddev = 0;      ///< sample standard deviation (n - 1); 0 when n < 2
  double half_width = 0;  ///< t(0.975, n - 1) · stddev / √n; NaN when n < 2
};
MeanCi mean_ci95(const std::vector<double>& xs);

}  // namespace dcsim::sim
