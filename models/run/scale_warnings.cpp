// Sites simulated with too few servers at the scenario's scale.
#include "models/run/scale_warnings.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace dcsim::models {

std::vector<ScaleWarning> scale_warnings(const Scenario& s) {
  std::vector<ScaleWarning> out;
  if (s.meta.fidelity != Fidelity::Event) return out;
  std::vector<std::string> in_service = s.build_out;
  for (const auto& ev : s.events)
    if (ev.kind == EventKind::SiteOnline && std::find(in_service.begin(), in_service.end(), ev.site) == in_service.end())
      in_service.push_back(ev.site);
  for (const auto& id : in_service) {
    const Site* site = s.find_site(id);
    if (site == nullptr) continue;
    double factor = 1;
    for (const auto& ev : s.events) {
      if (ev.site != id) continue;
      if (ev.kind == EventKind::CapacityChange && ev.capacity_factor < 1) factor *= ev.capacity_factor;
      if (ev.kind == EventKind::SiteOutage && ev.capacity_loss < 1) factor *= 1 - ev.capacity_loss;
    }
    const double real = static_cast<double>(site->servers) * factor;
    const double simulated = real / static_cast<double>(s.meta.scale);
    if (simulated >= kMinSimulatedServers) continue;
    out.push_back({id, real, simulated, static_cast<std::int64_t>(std::floor(real / kMinSimulatedServers))});
  }
  return out;
}

}  // namespace dcsim::models

namespace dcsim::models {

double simulated_requests_estimate(const Scenario& s) {
  double daily_users = 0;
  for (const Region& r : s.regions)
    if (const Country* c = s.find_country(r.country); c != nullptr && c->user_share) daily_users += static_cast<double>(r.population) * *c->user_share;
  daily_users *= s.traffic.daily_active_share;
  double per_user_day = 0;
  for (const TrafficClass& c : s.traffic.classes)
    if (c.origin == ClassOrigin::Users) per_user_day += c.rate_per_user_day;
  return daily_users * per_user_day * sim::to_seconds(s.meta.duration) / 86400 / static_cast<double>(s.meta.scale);
}

namespace {

// Too few simulated requests: the shares of rare flows and the percentiles are noise.
std::string sampling_warning_text(const Scenario& s) {
  if (s.meta.fidelity != Fidelity::Event) return {};
  const double n = simulated_requests_estimate(s);
  if (!(n > 0) || !(n < kMinSimulatedRequests)) return {};  // no users' requests at all: nothing to sample
  const auto fits = static_cast<std::int64_t>(std::floor(static_cast<double>(s.meta.scale) * n / kMinSimulatedRequests));
  char buf[320];
  std::snprintf(buf, sizeof buf,
                "at scale %lld the run simulates about %.3g requests: shares that rest on few of them (EEA exits, "
                "cross-border bytes) and latency percentiles carry sampling error of tens of percent; ",
                static_cast<long long>(s.meta.scale), n);
  return buf + (fits >= 1 ? "scale " + std::to_string(fits) + " or less simulates 10^6, or use flow fidelity" : std::string("use flow fidelity"));
}

std::string server_warning_text(const Scenario& s) {
  const std::vector<ScaleWarning> ws = scale_warnings(s);
  if (ws.empty()) return {};
  std::string sites;
  std::int64_t largest = ws.front().largest_scale;
  for (const auto& w : ws) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%s%s %.2f", sites.empty() ? "" : ", ", w.site.c_str(), w.simulated_servers);
    sites += buf;
    largest = std::min(largest, w.largest_scale);
  }
  char buf[256];
  std::snprintf(buf, sizeof buf, "at scale %lld, %zu site%s simulated with fewer than %.0f servers (", static_cast<long long>(s.meta.scale),
                ws.size(), ws.size() == 1 ? " is" : "s are", kMinSimulatedServers);
  std::string out = buf + sites + "): queueing there is overstated; ";
  if (largest >= 1)
    out += "scale " + std::to_string(largest) + " or less keeps every site at " + std::to_string(static_cast<int>(kMinSimulatedServers)) +
           " or more, or use flow fidelity";
  else
    out += "read their latency at flow fidelity";
  return out;
}

}  // namespace

std::string scale_warning_text(const Scenario& s) {
  const std::string servers = server_warning_text(s), sampling = sampling_warning_text(s);
  return servers.empty() ? sampling : sampling.empty() ? servers : servers + "; " + sampling;
}

}  // namespace dcsim::models
