// Moments and quantile functions of a request class.
#include "models/run/class_shape.hpp"

#include <cmath>

#include "sim/statistics.hpp"

namespace dcsim::models {

double ClassShape::size_at(double u) const {
  switch (size_dist) {
    case SizeDist::Fixed: return size_mean;
    case SizeDist::Exponential: return -size_mean * std::log(1 - u);
    case SizeDist::Lognormal: return std::exp(size_mu + size_sigma * sim::normal_quantile(u));
  }
  return size_mean;
}

double ClassShape::service_at(double u) const {
  switch (service_dist) {
    case ServiceDist::Deterministic: return service_mean_s;
    case ServiceDist::Exponential: return -service_mean_s * std::log(1 - u);
    case ServiceDist::Lognormal: return std::exp(service_mu + service_sigma * sim::normal_quantile(u));
  }
  return service_mean_s;
}

ClassShape shape_of(const TrafficClass& c) {
  ClassShape s;
  s.size_mean = c.size.mean_bytes;
  s.size_dist = c.size.dist;
  if (c.size.dist == SizeDist::Lognormal) {
    s.size_sigma = std::sqrt(std::log(1 + c.size.cv * c.size.cv));
    s.size_mu = std::log(c.size.mean_bytes) - s.size_sigma * s.size_sigma / 2;
  }
  s.service_dist = c.service_time.dist;
  s.service_mean_s = sim::to_seconds(c.service_time.mean);
  const double m = s.service_mean_s;
  switch (c.service_time.dist) {
    case ServiceDist::Deterministic: s.service_second_moment = m * m; break;
    case ServiceDist::Exponential: s.service_second_moment = 2 * m * m; break;
    case ServiceDist::Lognormal:
      s.service_second_moment = m * m * (1 + c.service_time.cv * c.service_time.cv);
      s.service_sigma = std::sqrt(std::log(1 + c.service_time.cv * c.service_time.cv));
      s.service_mu = std::log(m) - s.service_sigma * s.service_sigma / 2;
      break;
  }
  s.edge = c.cacheable && c.kind == ClassKind::Read ? c.edge_cache_hit_ratio : 0.0;
  s.write = c.kind == ClassKind::Write;
  return s;
}

}  // namespace dcsim::models
