// M/M/c/K steady state via Erlang B. With E = B(c, a) and ρ = a / c, the stationary
// probabilities are p_n ∝ a^n / n! for n ≤ c and p_c ρ^(n-c) beyond, so everything is a
// function of E, ρ and m = K - c; sums over the waiting room are geometric.
#include "models/queueing.hpp"

#include <algorithm>
#include <cmath>

namespace dcsim::models {

double erlang_b(std::int64_t servers, double a) {
  double b = 1.0;
  for (std::int64_t k = 1; k <= servers; ++k) b = a * b / (static_cast<double>(k) + a * b);
  return b;
}

QueueSteadyState mmck(double lambda, double mean_service_s, double scv, std::int64_t servers, std::int64_t waiting_room) {
  QueueSteadyState q;
  if (servers <= 0) {
    q.p_block = lambda > 0 ? 1.0 : 0.0;
    return q;
  }
  if (!(lambda > 0) || !(mean_service_s > 0)) return q;
  const double c = static_cast<double>(servers), a = lambda * mean_service_s, rho = a / c;
  const double m = static_cast<double>(std::max<std::int64_t>(0, waiting_room));
  const double e = erlang_b(servers, a);
  // Geometric sums over the waiting room, scaled by ρ^-m when ρ > 1 to stay finite:
  //   g1 = Σ_{j=1..m} ρ^j,  g2 = Σ_{j=1..m} j ρ^j,  tail = ρ^m.
  double g1 = 0, g2 = 0, tail = 0, scale = 1;  // scale: the common factor divided out
  if (m == 0) {
    tail = 1;
  } else if (std::fabs(rho - 1) < 1e-9) {
    g1 = m;
    g2 = m * (m + 1) / 2;
    tail = 1;
  } else if (rho < 1) {
    const double rm = std::pow(rho, m);
    g1 = rho * (1 - rm) / (1 - rho);
    g2 = rho * (1 - (m + 1) * rm + m * rm * rho) / ((1 - rho) * (1 - rho));
    tail = rm;
  } else {  // divide numerator and denominator by ρ^m
    const double inv = std::pow(1 / rho, m);
    scale = inv;
    g1 = rho * (1 - inv) / (rho - 1);
    // Σ j ρ^j / ρ^m = Σ_{i=0}^{m-1} (m - i) ρ^-i = m Σ ρ^-i - Σ i ρ^-i
    {
      const double r = 1 / rho;
      const double s0 = (1 - std::pow(r, m)) / (1 - r);
      const double s1 = r * (1 - m * std::pow(r, m - 1) + (m - 1) * std::pow(r, m)) / ((1 - r) * (1 - r));
      g2 = m * s0 - s1;
    }
    tail = 1;
  }
  // p_c = 1 / (1/E + Σ_{j=1..m} ρ^j)   (all terms scaled alike when ρ > 1)
  const double pc = 1.0 / (scale / e + g1);
  q.p_block = pc * tail;
  q.p_wait = std::clamp(pc * (scale + g1) - q.p_block, 0.0, 1.0);  // P(c ≤ n < K): arrivals that wait
  const double accepted = lambda * (1 - q.p_block);
  q.lq = pc * g2;
  q.wq_s = accepted > 0 ? q.lq / accepted : 0;
  const double correction = (1 + std::max(0.0, scv)) / 2;  // Allen–Cunneen
  q.wq_s *= correction;
  q.lq *= correction;
  q.utilisation = std::min(1.0, accepted * mean_service_s / c);
  return q;
}

}  // namespace dcsim::models
