// What the flow model needs of a request class: the moments of its service time (for the
// queueing formulas) and the quantile functions of its size and service time (for the
// latency lattice), with the share of its requests an edge cache serves.
#pragma once

#include "models/scenario/scenario.hpp"

namespace dcsim::models {

struct ClassShape {
  double size_mean = 0;                              ///< bytes
  double service_mean_s = 0, service_second_moment = 0;  ///< s, s²
  SizeDist size_dist = SizeDist::Fixed;
  ServiceDist service_dist = ServiceDist::Exponential;
  double size_mu = 0, size_sigma = 0, service_mu = 0, service_sigma = 0;  ///< lognormal parameters
  double edge = 0;   ///< share served by an edge cache (cacheable reads)
  bool write = false;

  /// Size (bytes) and service time (s) at quantile u in (0, 1).
  double size_at(double u) const;
  double service_at(double u) const;
};

ClassShape shape_of(const TrafficClass& c);

}  // namespace dcsim::models
