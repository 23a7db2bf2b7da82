// Headline figures from Metrics.
#include "models/run/summary.hpp"

#include <algorithm>
#include <stdexcept>

namespace dcsim::models {

double Headline::get(const std::string& name) const {
  for (const auto& [n, v] : values)
    if (n == name) return v;
  throw std::out_of_range("no headline figure '" + name + "'");
}

std::vector<bool> eea_countries(const Metrics& m, const World& w) {
  std::vector<bool> out;
  for (const auto& c : m.countries()) out.push_back(w.scenario().in_eea(c));
  return out;
}

Headline compute_headline(const Metrics& m, const World& w) {
  const std::size_t nc = m.countries().size(), ns = m.sites().size(), nk = m.classes().size();
  double site_bytes = 0, edge_bytes = 0, cross = 0, transit = 0;
  double kind_bytes[kFlowKinds] = {};
  for (std::size_t c = 0; c < nc; ++c)
    for (std::size_t s = 0; s <= ns; ++s)
      for (std::size_t k = 0; k < nk; ++k)
        for (std::size_t f = 0; f < kFlowKinds; ++f) {
          const FlowCell& cell = m.flow(c, s, k, static_cast<FlowKind>(f));
          if (cell.bytes == 0) continue;
          kind_bytes[f] += cell.bytes;
          if (s == ns) {
            edge_bytes += cell.bytes;
            continue;
          }
          site_bytes += cell.bytes;
          transit += cell.transit_bytes;
          if (w.scenario().find_site(m.sites()[s])->country != m.countries()[c]) cross += cell.bytes;
        }
  double exit_by[kExitReasons] = {};
  for (std::size_t c = 0; c < nc; ++c)
    for (std::size_t s = 0; s <= ns; ++s)
      for (std::size_t r = 0; r < kExitReasons; ++r) exit_by[r] += m.exit_bytes(c, s, static_cast<ExitReason>(r));
  double exit_total = 0;
  for (double x : exit_by) exit_total += x;

  sim::Histogram users(7), users_ttfb(7);
  for (std::size_t c = 0; c < nc; ++c)
    for (std::size_t k = 0; k < nk; ++k)
      if (w.scenario().traffic.classes[k].origin == ClassOrigin::Users) {
        users.merge(m.latency(c, k));
        users_ttfb.merge(m.ttfb(c, k));
      }

  double busy = 0, capacity = 0, peak = 0;
  for (std::size_t s = 0; s < ns; ++s)
    for (std::size_t i = 0; i < m.intervals(); ++i) {
      const SiteInterval& iv = m.site_interval(s, i);
      if (iv.capacity_ns <= 0) continue;
      busy += iv.busy_ns;
      capacity += iv.capacity_ns;
      peak = std::max(peak, iv.busy_ns / iv.capacity_ns);
    }

  auto share = [](double a, double b) { return b > 0 ? a / b : 0.0; };
  Headline h;
  auto add = [&](const std::string& n, double v) { h.values.emplace_back(n, v); };
  add("generated_requests", m.generated);
  add("served_requests", m.served);
  add("dropped_requests", m.dropped_total);
  for (std::size_t r = 0; r < kDropReasons; ++r)
    add(std::string("dropped_") + name(static_cast<DropReason>(r)) + "_requests", m.dropped_by(static_cast<DropReason>(r)));
  add("lost_requests", m.lost);
  add("denied_requests", m.denied);
  add("in_flight_requests", m.in_flight);
  add("dropped_share", share(m.dropped_total, m.generated));
  add("site_bytes", site_bytes);
  add("edge_bytes", edge_bytes);
  add("served_bytes", kind_bytes[static_cast<std::size_t>(FlowKind::Serve)]);
  add("replica_bytes", kind_bytes[static_cast<std::size_t>(FlowKind::Replica)]);
  add("export_bytes", kind_bytes[static_cast<std::size_t>(FlowKind::Export)]);
  add("catchup_bytes", kind_bytes[static_cast<std::size_t>(FlowKind::Catchup)]);
  add("cross_border_bytes", cross);
  add("cross_border_share", share(cross, site_bytes));
  add("transit_crossing_bytes", transit);
  add("eea_data_site_bytes", m.eea_data_bytes);
  add("eea_exit_bytes", exit_total);
  add("eea_exit_share", share(exit_total, m.eea_data_bytes));
  for (std::size_t r = 0; r < kExitReasons; ++r)
    add(std::string("eea_exit_") + name(static_cast<ExitReason>(r)) + "_bytes", exit_by[r]);
  add("latency_mean_ms", users.mean() / 1000.0);
  for (double q : w.scenario().outputs.latency_percentiles) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "latency_p%g_ms", q);
    add(buf, static_cast<double>(users.quantile(q / 100.0)) / 1000.0);
  }
  add("ttfb_mean_ms", users_ttfb.mean() / 1000.0);
  for (double q : w.scenario().outputs.latency_percentiles) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "ttfb_p%g_ms", q);
    add(buf, static_cast<double>(users_ttfb.quantile(q / 100.0)) / 1000.0);
  }
  add("mean_site_utilisation", share(busy, capacity));
  add("peak_site_utilisation", peak);
  add("conservation_error", m.conservation_error());
  return h;
}

}  // namespace dcsim::models
