// M/M/c/K steady state via Erlang B. With E = B(c, a) and ρ = a / c, the stationary
// probabilities are p_n ∝ a^n / n! for n ≤ c and p_c ρ^(n-c) beyond, so everything is a
// function of E, ρ and m = K - c; sums over the waiting room are geometric.
#include "models/run/queueing.hpp"

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
  // Variability stretches the queue by the Allen–Cunneen factor κ = (1 + cs²) / 2. With a
  // finite room, stretching the M/M/c/K queue's length would push it past the room (a
  // mean queue of 5,700 in a room of 2,400), so the room is shrunk instead: the queue is
  // an M/M/c queue with room m / κ, measured in units of κ requests (the two-moment
  // diffusion scaling; Whitt 2004, "A diffusion approximation for the G/GI/n/m queue").
  // Lengths come back in requests (× κ), blocking is the scaled queue's, and κ = 1 is
  // exactly M/M/c/K.
  const double correction = (1 + std::max(0.0, scv)) / 2;
  const double m = static_cast<double>(std::max<std::int64_t>(0, waiting_room)) / correction;
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
  q.lq = pc * g2 * correction;
  q.wait_shape = m > 0 ? -m * std::log(rho) : 0;
  q.wq_s = accepted > 0 ? q.lq / accepted : 0;  // Little's law over accepted requests
  q.utilisation = std::min(1.0, accepted * mean_service_s / c);
  return q;
}

namespace {

// Quantile of Y on [0, 1] with density ∝ exp(-b y), and its mean; b may be of either sign
// (a negative b mirrors a positive one) and of any size without overflow.
double truncated_exp_quantile(double b, double u) {
  if (std::fabs(b) < 1e-9) return u;
  if (b < 0) return 1 - truncated_exp_quantile(-b, 1 - u);
  return -std::log1p(-u * -std::expm1(-b)) / b;
}
double truncated_exp_mean(double b) {
  if (std::fabs(b) < 1e-6) return 0.5 - b / 12;
  if (b < 0) return 1 - truncated_exp_mean(-b);
  return 1 / b - 1 / std::expm1(b);
}

}  // namespace

double wait_quantile(const QueueSteadyState& q, double u) {
  const double waits = q.p_wait / std::max(1e-300, 1 - q.p_block);  // P(wait | accepted)
  if (!(waits > 0) || u < 1 - waits) return 0;
  const double given = std::min(1.0, (u - (1 - waits)) / waits);  // quantile among those that wait
  const double mean_given_wait = q.wq_s / waits;
  return mean_given_wait * truncated_exp_quantile(q.wait_shape, given) / truncated_exp_mean(q.wait_shape);
}

}  // namespace dcsim::models
