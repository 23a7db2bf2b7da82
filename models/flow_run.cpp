// The flow-fidelity evaluation.
#include "models/flow_run.hpp"

#include <algorithm>
#include <cmath>
#include <array>
#include <map>

#include "models/demand.hpp"
#include "models/lanes.hpp"
#include "models/queueing.hpp"
#include "models/routing.hpp"
#include "models/run.hpp"
#include "models/timeline.hpp"

namespace dcsim::models {

namespace {

std::size_t index_of(const std::vector<std::string>& v, const std::string& x) {
  return static_cast<std::size_t>(std::find(v.begin(), v.end(), x) - v.begin());
}

// Inverse of the standard normal CDF (Acklam's rational approximation, |rel. error| < 1.2e-9).
double normal_quantile(double p) {
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                             1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01, -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549671348416455e+00, 4.374664141464968e+00, 2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
  const double lo = 0.02425;
  if (p < lo) {
    const double q = std::sqrt(-2 * std::log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - lo) {
    const double q = std::sqrt(-2 * std::log(1 - p));
    return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const double q = p - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

// Per-class moments and quantile functions of size and service time.
struct ClassShape {
  double size_mean = 0;
  double service_mean_s = 0, service_second_moment = 0;
  SizeDist size_dist = SizeDist::Fixed;
  ServiceDist service_dist = ServiceDist::Exponential;
  double size_mu = 0, size_sigma = 0, service_mu = 0, service_sigma = 0;
  double edge = 0;
  bool write = false;

  double size_at(double u) const {
    switch (size_dist) {
      case SizeDist::Fixed: return size_mean;
      case SizeDist::Exponential: return -size_mean * std::log(1 - u);
      case SizeDist::Lognormal: return std::exp(size_mu + size_sigma * normal_quantile(u));
    }
    return size_mean;
  }
  double service_at(double u) const {
    switch (service_dist) {
      case ServiceDist::Deterministic: return service_mean_s;
      case ServiceDist::Exponential: return -service_mean_s * std::log(1 - u);
      case ServiceDist::Lognormal: return std::exp(service_mu + service_sigma * normal_quantile(u));
    }
    return service_mean_s;
  }
};

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

// An expected amount of requests from one origin of one class, with the sites it may try.
struct Flow {
  bool staff = false;
  std::size_t origin = 0;          ///< region, or staff location within its class
  std::size_t subject = 0;         ///< region whose data it is
  std::size_t cls = 0;
  double amount = 0;               ///< requests in the segment
  std::vector<std::uint16_t> chain;  ///< first choice, then spill targets
  bool failed_over = false;
  int owed_to = -1;                ///< a down home the write is owed to (catch-up)
};

class FlowRun {
 public:
  FlowRun(const World& world, const FlowOptions& options)
      : world_(world), s_(world.scenario()), options_(options), demand_(build_demand(world)), metrics_(make_metrics(world)),
        policies_(s_.policies) {
    horizon_ = sim::at(s_.meta.duration);
    bytes_per_ns_ = s_.network.access_bandwidth_mbps * 1e6 / 8.0 / 1e9;
    for (const auto& r : world.regions()) region_country_.push_back(index_of(metrics_->countries(), r.region->country));
    for (const auto& c : s_.traffic.classes) {
      shapes_.push_back(shape_of(c));
      staff_country_.emplace_back();
      for (const auto& st : c.staff) staff_country_.back().push_back(index_of(metrics_->countries(), st.country));
    }
    double users = 0;
    for (const auto& r : world.regions()) users += r.monthly_users;
    for (const auto& r : world.regions()) subject_share_.push_back(users > 0 ? r.monthly_users / users : 0);
    lanes_ = compute_lanes(world, world.backbone());
    edge_lane_ = edge_lane(world);
    const std::size_t ns = world.sites().size();
    planned_up_.assign(ns, false);
    outages_.assign(ns, 0);
    capacity_factor_.assign(ns, 1.0);
    built_ = options.built.empty() ? std::vector<bool>() : options.built;
    for (std::size_t k = 0; k < ns; ++k) {
      if (built_.size() < ns) built_.push_back(world.sites()[k].built);
      planned_up_[k] = built_[k];
    }
    for (const auto& ev : s_.events)
      if (ev.kind == EventKind::SiteOnline) planned_up_[static_cast<std::size_t>(world.site_index(ev.site))] = false;
    export_site_.assign(s_.traffic.classes.size(), -1);
    for (std::size_t c = 0; c < s_.traffic.classes.size(); ++c)
      if (!s_.traffic.classes[c].export_site.empty()) export_site_[c] = world.site_index(s_.traffic.classes[c].export_site);
    metrics_->events = make_event_effects(s_, horizon_, metrics_->countries().size());
    controls_ = build_controls(s_, horizon_);
    rebuild_tables();
    // Quasi-random lattice (the R3 sequence of the plastic number) of quantile points.
    const double g = 1.2207440846057596;
    const double a1 = 1 / g, a2 = 1 / (g * g), a3 = 1 / (g * g * g);
    for (int i = 0; i < options_.latency_points; ++i) {
      const double n = i + 0.5;
      points_.push_back({std::fmod(0.5 + a1 * n, 1.0), std::fmod(0.5 + a2 * n, 1.0), std::fmod(0.5 + a3 * n, 1.0)});
    }
  }

  std::unique_ptr<Metrics> run() {
    std::vector<sim::SimTime> cuts;
    for (std::size_t i = 0; i <= metrics_->intervals(); ++i)
      cuts.push_back(std::min(horizon_, sim::at(static_cast<std::int64_t>(i) * s_.meta.report_interval)));
    for (const auto& c : controls_) cuts.push_back(c.t);
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    std::size_t next = 0;
    for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
      while (next < controls_.size() && controls_[next].t <= cuts[i]) apply(controls_[next++]);
      if (cuts[i + 1] > cuts[i]) evaluate(cuts[i], cuts[i + 1]);
    }
    while (next < controls_.size()) apply(controls_[next++]);
    metrics_->events_processed = cuts.size() + controls_.size();
    return std::move(metrics_);
  }

 private:
  // ---- one segment -------------------------------------------------------------------------
  void evaluate(sim::SimTime a, sim::SimTime b) {
    const double seconds = sim::to_seconds(b - a);
    const std::size_t iv = metrics_->interval_of(a);
    std::vector<Flow> flows;
    for (const DemandStream& d : demand_.streams) {
      const double n = d.rate.expected_between(a, b) * demand_.weight;
      if (!(n > 0)) continue;
      metrics_->generated += n;
      const ClassShape& cs = shapes_[d.class_index];
      if (d.origin == StreamOrigin::Staff) {
        const double approved = policies_.employee_access_allowed ? std::min(1.0, policies_.employee_access_approved_share) : 0.0;
        metrics_->denied += n * (1 - approved);
        for (std::size_t r = 0; r < world_.regions().size(); ++r)
          if (subject_share_[r] > 0) add_flows(flows, true, d.origin_index, r, d.class_index, n * approved * subject_share_[r], true, a);
        continue;
      }
      double rest = n;
      if (cs.edge > 0) {
        const double hit = n * cs.edge;
        rest -= hit;
        serve_edge(d.origin_index, d.class_index, hit, a);
      }
      const bool home_bound = cs.write || policies_.reads == ReadRouting::HomeOnly;
      add_flows(flows, false, d.origin_index, d.origin_index, d.class_index, rest, home_bound, a);
    }
    settle_and_record(flows, a, seconds, iv);
    // Server-time offered by each site over the segment.
    for (std::size_t k = 0; k < world_.sites().size(); ++k)
      metrics_->site_interval(k, iv).capacity_ns += static_cast<double>(servers(k)) * seconds * 1e9;
  }

  // Splits an amount over first choices (metro groups, capacity-weighted homes) the way the
  // per-user hashes do on average, with failover when the intended site is down.
  void add_flows(std::vector<Flow>& flows, bool staff, std::size_t origin, std::size_t subject, std::size_t cls, double amount,
                 bool home_bound, sim::SimTime t) {
    if (!(amount > 0)) return;
    const bool spill_on_full = policies_.on_queue_full == QueueFullAction::Spill;
    const bool may_spill_reads = spill_on_full || policies_.reads == ReadRouting::NearestWithCapacity;
    const auto nominal = outage_count_ > 0 ? (home_bound ? nominal_->home_shares(subject) : nominal_->first_read_shares(subject))
                                           : (home_bound ? tables_->home_shares(subject) : tables_->first_read_shares(subject));
    const auto nowhere = [&](const RoutingTables& tables) {
      return tables.cut_off(subject, home_bound) ? DropReason::Unreachable : DropReason::NoSite;
    };
    if (nominal.empty()) {
      drop(staff, origin, cls, amount, t, nowhere(outage_count_ > 0 ? *nominal_ : *tables_));
      return;
    }
    for (const auto& [intended, share] : nominal) {
      const double part = amount * share;
      const bool down = outages_[static_cast<std::size_t>(intended)] > 0;
      if (down && home_bound && !policies_.temporary_home) {
        drop(staff, origin, cls, part, t, DropReason::HomeDown);
        continue;
      }
      const auto actual = down ? (home_bound ? tables_->home_shares(subject) : tables_->first_read_shares(subject))
                               : std::vector<std::pair<int, double>>{{intended, 1.0}};
      if (actual.empty()) {
        drop(staff, origin, cls, part, t, nowhere(*tables_));
        continue;
      }
      for (const auto& [first, p] : actual) {
        if (staff && !lanes_.staff[cls][origin * world_.sites().size() + static_cast<std::size_t>(first)].reachable()) {
          drop(staff, origin, cls, part * p, t, DropReason::Unreachable);
          continue;
        }
        Flow f;
        f.staff = staff;
        f.origin = origin;
        f.subject = subject;
        f.cls = cls;
        f.amount = part * p;
        f.failed_over = down;
        if (down && shapes_[cls].write && !staff) f.owed_to = intended;
        f.chain.push_back(static_cast<std::uint16_t>(first));
        const bool spill = staff || (!shapes_[cls].write && policies_.reads == ReadRouting::HomeOnly)
                               ? false
                               : (shapes_[cls].write ? (spill_on_full || down) : (may_spill_reads || down));
        if (spill) {
          const auto& rest = shapes_[cls].write ? tables_->write_fallbacks(subject) : tables_->read_sites(subject);
          for (auto s : rest)
            if (static_cast<int>(s) != first) f.chain.push_back(s);
        }
        flows.push_back(std::move(f));
      }
    }
  }

  // Blocking probabilities by fixed point, then the accounting of every flow.
  void settle_and_record(const std::vector<Flow>& flows, sim::SimTime a, double seconds, std::size_t iv) {
    const std::size_t ns = world_.sites().size();
    std::vector<double> block(ns, 0.0);
    std::vector<QueueSteadyState> state(ns);
    std::vector<double> attempts(ns), work(ns), second(ns);
    for (int iter = 0; iter < 200; ++iter) {
      std::fill(attempts.begin(), attempts.end(), 0.0);
      std::fill(work.begin(), work.end(), 0.0);
      std::fill(second.begin(), second.end(), 0.0);
      for (const Flow& f : flows) {
        double reach = f.amount;
        for (auto s : f.chain) {
          attempts[s] += reach;
          work[s] += reach * shapes_[f.cls].service_mean_s;
          second[s] += reach * shapes_[f.cls].service_second_moment;
          reach *= block[s];
          if (reach < 1e-12 * f.amount) break;
        }
      }
      double change = 0;
      for (std::size_t k = 0; k < ns; ++k) {
        if (attempts[k] <= 0) {
          state[k] = {};
          continue;
        }
        const double mean = work[k] / attempts[k];
        const double scv = std::max(0.0, second[k] / attempts[k] / (mean * mean) - 1);
        const std::int64_t c = servers(k);
        state[k] = mmck(attempts[k] / seconds, mean, scv, c, waiting_room(c));
        const double next = 0.5 * block[k] + 0.5 * state[k].p_block;  // damped: spill feeds back
        change = std::max(change, std::fabs(next - block[k]));
        block[k] = next;
      }
      if (change < 1e-10) break;
    }
    for (std::size_t k = 0; k < ns; ++k) block[k] = state[k].p_block;

    for (const Flow& f : flows) {
      double reach = f.amount;
      for (std::size_t i = 0; i < f.chain.size() && reach > 0; ++i) {
        const std::size_t s = f.chain[i];
        SiteInterval& si = metrics_->site_interval(s, iv);
        si.arrivals += reach;
        si.queue_sum += reach * state[s].lq;
        si.queue_max = std::max(si.queue_max, state[s].lq);
        const double accepted = reach * (1 - block[s]);
        si.rejected += reach - accepted;
        if (accepted > 0) record_accepted(f, s, i, accepted, state[s], a, iv);
        reach -= accepted;
      }
      if (reach > 0) drop(f.staff, f.origin, f.cls, reach, a, DropReason::QueueFull);
    }
  }

  void record_accepted(const Flow& f, std::size_t site, std::size_t rank, double n, const QueueSteadyState& q, sim::SimTime t,
                       std::size_t iv) {
    const ClassShape& cs = shapes_[f.cls];
    const std::size_t ns = world_.sites().size();
    const std::size_t country = f.staff ? staff_country_[f.cls][f.origin] : region_country_[f.origin];
    metrics_->served += n;
    SiteInterval& si = metrics_->site_interval(site, iv);
    si.accepted += n;
    if (rank > 0) si.spilled_in += n;
    si.busy_ns += n * cs.service_mean_s * 1e9;
    si.wait_ns_sum += n * q.wq_s * 1e9;
    si.bytes += n * cs.size_mean;
    const Lane& lane = f.staff ? lanes_.staff[f.cls][f.origin * ns + site] : lanes_.region[f.origin * ns + site];
    FlowCell& cell = metrics_->flow(country, site, f.cls, FlowKind::Serve);
    cell.requests += n;
    cell.bytes += n * cs.size_mean;
    cell.transit_bytes += n * cs.size_mean * lane.transit;
    if (f.failed_over) for_window_events(t, [&](EventEffect& e) { e.failed_over += n; });
    const bool subject_eea = world_.regions()[f.subject].eea, site_eea = world_.sites()[site].eea;
    if (subject_eea) metrics_->eea_data_bytes += n * cs.size_mean;
    if (subject_eea && !site_eea) {  // the data is outside the EEA (staff reading it there too)
      add_exit(t, country, site, f.failed_over ? ExitReason::Failover : rank == 0 ? ExitReason::Policy : ExitReason::Spill, n * cs.size_mean);
    } else if (f.staff && subject_eea && !s_.in_eea(s_.traffic.classes[f.cls].staff[f.origin].country)) {  // read from outside
      add_exit(t, country, site, ExitReason::EmployeeAccess, n * cs.size_mean);
    }
    if (!f.staff) {
      metrics_->user_ttfb_ms_sum += n * (sim::to_milliseconds(lane.rtt) + (q.wq_s + cs.service_mean_s) * 1e3);
      metrics_->user_ttfb_count += n;
    }
    if (!f.staff && cs.write) {
      if (f.owed_to >= 0) owed_[static_cast<std::size_t>(f.owed_to)][{country, f.cls}] += n * cs.size_mean;
      copy_write(f, country, site, n, t);
    }
    if (options_.latency) record_latency(country, f.cls, lane, n, q, t);
  }

  void copy_write(const Flow& f, std::size_t country, std::size_t site, double n, sim::SimTime t) {
    const ClassShape& cs = shapes_[f.cls];
    const std::size_t ns = world_.sites().size();
    const bool subject_eea = world_.regions()[f.subject].eea;
    for (auto rep : tables_->replicas(static_cast<int>(site))) {
      FlowCell& c = metrics_->flow(country, rep, f.cls, FlowKind::Replica);
      c.requests += n;
      c.bytes += n * cs.size_mean;
      c.transit_bytes += n * cs.size_mean * lanes_.site[site * ns + rep].transit;
      if (subject_eea) metrics_->eea_data_bytes += n * cs.size_mean;
      if (subject_eea && !world_.sites()[rep].eea) add_exit(t, country, rep, ExitReason::Replication, n * cs.size_mean);
    }
    if (outage_count_ > 0)
      for (auto rep : nominal_->replicas(static_cast<int>(site)))
        if (outages_[rep] > 0) owed_[rep][{country, f.cls}] += n * cs.size_mean;
    const int ex = export_site_[f.cls];
    const double share = s_.traffic.classes[f.cls].export_share;
    if (ex >= 0 && share > 0 && static_cast<std::size_t>(ex) != site) {
      const auto e = static_cast<std::size_t>(ex);
      if (!lanes_.site_reachable(site, e)) {  // no path now: copied when the cut ends
        owed_[e][{country, f.cls}] += n * share * cs.size_mean;
        return;
      }
      FlowCell& c = metrics_->flow(country, e, f.cls, FlowKind::Export);
      c.requests += n * share;
      c.bytes += n * share * cs.size_mean;
      c.transit_bytes += n * share * cs.size_mean * lanes_.site[site * ns + e].transit;
      if (subject_eea) metrics_->eea_data_bytes += n * share * cs.size_mean;
      if (subject_eea && !world_.sites()[e].eea) add_exit(t, country, e, ExitReason::Export, n * share * cs.size_mean);
    }
  }

  // Latency distribution of a flow: the lattice points through the quantile functions of
  // waiting (zero, or the queue's wait shape given a wait), service and size.
  void record_latency(std::size_t country, std::size_t cls, const Lane& lane, double n, const QueueSteadyState& q, sim::SimTime t) {
    const ClassShape& cs = shapes_[cls];
    const double per_point = n / static_cast<double>(points_.size());
    const auto w = static_cast<std::uint64_t>(std::llround(per_point));
    if (w == 0) return;
    for (const auto& p : points_) {
      const double wait = wait_quantile(q, p[0]);
      const double service = cs.service_at(p[1]);
      const double size = cs.size_at(p[2]);
      const sim::SimDuration first_byte = lane.rtt + sim::from_seconds(wait + service);
      const sim::SimDuration total = first_byte + transfer_time(size, lane, bytes_per_ns_);
      metrics_->latency(country, cls).record(static_cast<std::uint64_t>(total.count() / 1000), w);
      metrics_->ttfb(country, cls).record(static_cast<std::uint64_t>(first_byte.count() / 1000), w);
      for_window_events(t, [&](EventEffect& e) { e.ttfb_by_country[country].record(static_cast<std::uint64_t>(first_byte.count() / 1000), w); });
    }
  }

  void serve_edge(std::size_t region, std::size_t cls, double n, sim::SimTime t) {
    const std::size_t country = region_country_[region];
    metrics_->served += n;
    metrics_->user_ttfb_ms_sum += n * sim::to_milliseconds(edge_lane_.rtt);
    metrics_->user_ttfb_count += n;
    FlowCell& c = metrics_->flow(country, metrics_->edge_site(), cls, FlowKind::Edge);
    c.requests += n;
    c.bytes += n * shapes_[cls].size_mean;
    if (!options_.latency) return;
    const auto w = static_cast<std::uint64_t>(std::llround(n / static_cast<double>(points_.size())));
    if (w == 0) return;
    for (const auto& p : points_) {
      const double size = shapes_[cls].size_at(p[2]);
      const sim::SimDuration total = edge_lane_.rtt + transfer_time(size, edge_lane_, bytes_per_ns_);
      metrics_->latency(country, cls).record(static_cast<std::uint64_t>(total.count() / 1000), w);
      metrics_->ttfb(country, cls).record(static_cast<std::uint64_t>(edge_lane_.rtt.count() / 1000), w);
      for_window_events(t, [&](EventEffect& e) { e.ttfb_by_country[country].record(static_cast<std::uint64_t>(edge_lane_.rtt.count() / 1000), w); });
    }
  }

  void drop(bool staff, std::size_t origin, std::size_t cls, double n, sim::SimTime t, DropReason why) {
    const std::size_t country = staff ? staff_country_[cls][origin] : region_country_[origin];
    metrics_->record_drop(country, cls, why, n, t);
  }

  void add_exit(sim::SimTime t, std::size_t country, std::size_t site, ExitReason reason, double bytes) {
    metrics_->exit_bytes(country, site, reason) += bytes;
    for_window_events(t, [&](EventEffect& e) {
      e.eea_exit_bytes += bytes;
      if (reason == ExitReason::Failover) e.failover_exit_bytes += bytes;
    });
  }

  template <class Fn>
  void for_window_events(sim::SimTime t, Fn&& fn) {
    for (auto& e : metrics_->events)
      if (t >= e.start && t < e.end) fn(e);
  }

  // ---- state and events ------------------------------------------------------------------------
  std::int64_t servers(std::size_t k) const {
    const WorldSite& ws = world_.sites()[k];
    if (!built_[k] || !planned_up_[k] || outages_[k] > 0) return 0;
    return std::max<std::int64_t>(1, std::llround(static_cast<double>(ws.site->servers) * capacity_factor_[k]));
  }
  std::int64_t waiting_room(std::int64_t servers) const {
    return static_cast<std::int64_t>(std::llround(policies_.queue_limit_per_server * static_cast<double>(servers)));
  }

  void apply(const Control& c) {
    const ScenarioEvent& ev = s_.events[c.event];
    EventEffect& effect = metrics_->events[c.event];
    const auto k = static_cast<std::size_t>(std::max(0, ev.site.empty() ? 0 : world_.site_index(ev.site)));
    switch (ev.kind) {
      case EventKind::SiteOutage:
        if (ev.capacity_loss >= 1) {
          outages_[k] += c.start ? 1 : -1;
          outage_count_ += c.start ? 1 : -1;
          if (!c.start && outages_[k] == 0) release_owed(k, effect);
        } else {
          capacity_factor_[k] *= c.start ? (1 - ev.capacity_loss) : 1 / (1 - ev.capacity_loss);
        }
        break;
      case EventKind::SiteOffline: planned_up_[k] = !c.start; break;
      case EventKind::SiteOnline: planned_up_[k] = c.start; break;
      case EventKind::CapacityChange: capacity_factor_[k] *= c.start ? ev.capacity_factor : 1 / ev.capacity_factor; break;
      case EventKind::LinkCut:
        effect.routes_changed += cut_links_.apply(world_, ev.link_a, ev.link_b, c.start, lanes_);
        if (!c.start)
          for (std::size_t j = 0; j < world_.sites().size(); ++j)
            if (outages_[j] == 0 && reachable_from_all(j)) release_owed(j, effect);
        break;
      case EventKind::DemandSurge: break;
      case EventKind::PolicySwitch: policies_ = ev.policies_after; break;
    }
    rebuild_tables();
  }

  // Catch-up: writes, replicas and exports owed to site k while it was down or cut off.
  void release_owed(std::size_t k, EventEffect& effect) {
    const auto it = owed_.find(k);
    if (it == owed_.end()) return;
    for (const auto& [key, bytes] : it->second) {
      metrics_->flow(key.first, k, key.second, FlowKind::Catchup).bytes += bytes;
      if (s_.in_eea(metrics_->countries()[key.first])) metrics_->eea_data_bytes += bytes;  // users' own writes
      effect.catchup_bytes += bytes;
    }
    owed_.erase(it);
  }

  bool reachable_from_all(std::size_t k) const {
    for (std::size_t j = 0; j < world_.sites().size(); ++j)
      if (!lanes_.site_reachable(j, k)) return false;
    return true;
  }

  void rebuild_tables() {
    SiteAvailability up, planned;
    for (std::size_t k = 0; k < world_.sites().size(); ++k) {
      planned.up.push_back(planned_up_[k] && built_[k]);
      up.up.push_back(planned_up_[k] && built_[k] && outages_[k] == 0);
    }
    tables_ = std::make_unique<RoutingTables>(world_, policies_, up, lanes_, s_.meta.seed);
    nominal_ = outage_count_ > 0 ? std::make_unique<RoutingTables>(world_, policies_, planned, lanes_, s_.meta.seed) : nullptr;
  }

  const World& world_;
  const Scenario& s_;
  FlowOptions options_;
  Demand demand_;
  std::unique_ptr<Metrics> metrics_;
  Policies policies_;
  sim::SimTime horizon_{};
  double bytes_per_ns_ = 1;
  std::vector<std::size_t> region_country_;
  std::vector<std::vector<std::size_t>> staff_country_;
  std::vector<ClassShape> shapes_;
  std::vector<double> subject_share_;
  Lanes lanes_;
  Lane edge_lane_;
  std::vector<bool> built_, planned_up_;
  std::vector<int> outages_;
  int outage_count_ = 0;
  std::vector<double> capacity_factor_;
  std::vector<int> export_site_;
  CutLinks cut_links_;
  std::unique_ptr<RoutingTables> tables_, nominal_;
  std::vector<Control> controls_;
  std::vector<std::array<double, 3>> points_;
  std::map<std::size_t, std::map<std::pair<std::size_t, std::size_t>, double>> owed_;
};

}  // namespace

std::unique_ptr<Metrics> run_flow(const World& world, const FlowOptions& options) {
  FlowRun run(world, options);
  return run.run();
}

}  // namespace dcsim::models
