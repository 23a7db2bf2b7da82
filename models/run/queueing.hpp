// Closed-form queueing for the flow model: an M/M/c/K site (c servers, room for K - c
// waiting) in steady state, with the Allen–Cunneen correction of the waiting time for
// non-exponential service, Wq(M/G/c) ≈ Wq(M/M/c) × (1 + cs²) / 2 (Allen 1990, §6.5).
// Computed through the Erlang-B recursion, stable for thousands of servers and any load.
#pragma once

#include <cstdint>

namespace dcsim::models {

struct QueueSteadyState {
  double utilisation = 0;  ///< accepted work / capacity, in [0, 1]
  double p_block = 0;      ///< arriving request finds the system full
  double p_wait = 0;       ///< arriving (accepted) request waits
  double wq_s = 0;         ///< mean wait of accepted requests, s
  double lq = 0;           ///< mean number waiting
  /// Shape of the wait of a request that waits: W̄ · Y / E[Y], with Y on [0, 1] of density
  /// ∝ exp(-wait_shape · y). Large and positive below saturation (W exponential, as in an
  /// M/M/c queue), near 0 at ρ = 1 (uniform), negative above (most waits near the full
  /// room's wait). It is -m ln ρ of the scaled queue, m its room: the length seen by an
  /// arrival that waits is truncated-geometric in ρ.
  double wait_shape = 0;
};

/// The wait (s) at quantile u of accepted requests' waits: 0 for the share that does not
/// wait, then the shape above with mean wq_s / P(wait | accepted).
double wait_quantile(const QueueSteadyState& q, double u);

/// λ requests/s offered to c servers with mean service s and squared coefficient of
/// variation scv (1 for exponential), waiting room w (K = c + w).
QueueSteadyState mmck(double lambda, double mean_service_s, double scv, std::int64_t servers, std::int64_t waiting_room);

/// Erlang B blocking of c servers at offered load a = λ s (stable recursion).
double erlang_b(std::int64_t servers, double offered_load);

}  // namespace dcsim::models
