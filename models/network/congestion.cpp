// Max-min shares, slowdowns and queueing delays of one steady stretch.
#include "models/network/congestion.hpp"

#include <algorithm>
#include <cmath>

namespace dcsim::models {

Congestion share_links(const RoutingMatrix& routes, const std::vector<double>& offered, const std::vector<double>& capacity,
                       const LinkSharing& sharing) {
  const std::size_t nc = routes.columns(), nl = routes.links();
  Congestion c;
  std::vector<double> weight(nc, 0.0);
  for (std::size_t j = 0; j < nc; ++j) weight[j] = offered[j] / sharing.access_bytes_per_s;
  c.carried = routes.max_min_rates(offered, weight, capacity);
  c.link_offered.assign(nl, 0.0);
  c.link_carried.assign(nl, 0.0);
  routes.multiply_add(offered, c.link_offered);
  routes.multiply_add(c.carried, c.link_carried);
  c.link_delay_s.assign(nl, 0.0);
  for (std::size_t l = 0; l < nl; ++l) {
    if (!std::isfinite(capacity[l]) || !(c.link_offered[l] > 0)) continue;
    const double rho = capacity[l] > 0 ? c.link_offered[l] / capacity[l] : 1.0;
    const double packet_s = capacity[l] > 0 ? sharing.packet_bytes / capacity[l] : sharing.buffer_s;
    c.link_delay_s[l] = rho >= 1 ? sharing.buffer_s : std::min(sharing.buffer_s, rho / (1 - rho) * packet_s);
  }
  c.slowdown.assign(nc, 1.0);
  c.delay_s.assign(nc, 0.0);
  for (std::size_t j = 0; j < nc; ++j) {
    if (!(offered[j] > 0)) continue;
    if (c.carried[j] < offered[j]) c.slowdown[j] = c.carried[j] > 0 ? offered[j] / c.carried[j] : 1e9;
    // A split column's transfers see each path's queues in proportion to its bytes there.
    routes.for_links(j, [&](std::size_t l, double share) { c.delay_s[j] += share * c.link_delay_s[l]; });
    c.any = c.any || c.slowdown[j] > 1 + 1e-9 || c.delay_s[j] >= 1e-6;
  }
  return c;
}

}  // namespace dcsim::models
