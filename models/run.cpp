// The request loop of an event-fidelity run.
#include "models/run.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <thread>

#include "models/demand.hpp"
#include "models/routing.hpp"
#include "models/site_queue.hpp"
#include "models/traffic.hpp"
#include "sim/random.hpp"

namespace dcsim::models {

std::unique_ptr<Metrics> make_metrics(const World& world) {
  const Scenario& s = world.scenario();
  std::vector<std::string> countries;
  auto add = [&](const std::string& c) {
    if (std::find(countries.begin(), countries.end(), c) == countries.end()) countries.push_back(c);
  };
  for (const auto& r : world.regions()) add(r.region->country);
  for (const auto& c : s.traffic.classes)
    for (const auto& st : c.staff) add(st.country);
  for (const auto& st : world.sites()) add(st.site->country);
  std::vector<std::string> sites, classes;
  for (const auto& st : world.sites()) sites.push_back(st.site->id);
  for (const auto& c : s.traffic.classes) classes.push_back(c.name);
  const auto n = static_cast<std::size_t>((s.meta.duration.count() + s.meta.report_interval.count() - 1) /
                                          s.meta.report_interval.count());
  return std::make_unique<Metrics>(std::move(countries), std::move(sites), std::move(classes), n,
                                   s.meta.report_interval);
}

namespace {

std::size_t index_of(const std::vector<std::string>& v, const std::string& x) {
  return static_cast<std::size_t>(std::find(v.begin(), v.end(), x) - v.begin());
}

// Everything the request loop reads, precomputed per (origin, site).
struct Lane {
  sim::SimDuration rtt{};   ///< user RTT, last mile included
  double transit = 0;       ///< transit countries crossed
  double bdp_bytes = 0;     ///< bandwidth-delay product of the user's path
};

// TCP's initial window (RFC 6928): 10 segments of 1460 bytes.
constexpr double kInitialWindowBytes = 14600;

// Transfer time of `bytes` to a user: the bytes at the access bandwidth, plus one RTT per
// slow-start round until the window covers the bandwidth-delay product (or the whole
// transfer, if smaller): rounds = ceil(log2(min(bytes, BDP) / IW + 1)). The usual
// first-order model of short TCP transfers (Cardwell, Savage & Anderson, INFOCOM 2000).
sim::SimDuration transfer_time(double bytes, const Lane& lane, double bytes_per_ns) {
  const double window_limited = std::min(bytes, lane.bdp_bytes);
  const auto segments = static_cast<std::uint64_t>(window_limited / kInitialWindowBytes) + 1;
  const int rounds = std::bit_width(segments);  // ceil(log2(x + 1)) for x = segments - 1 ≥ 0
  return sim::SimDuration{static_cast<std::int64_t>(bytes / bytes_per_ns + 0.5)} + rounds * lane.rtt;
}

class EventRun {
 public:
  EventRun(const World& world, const RunOptions& options)
      : world_(world), s_(world.scenario()), options_(options), demand_(build_demand(world)),
        metrics_(make_metrics(world)) {
    const std::size_t nr = world.regions().size(), ns = world.sites().size();
    weight_ = demand_.weight;
    horizon_ = sim::at(s_.meta.duration);
    bytes_per_ns_ = s_.network.access_bandwidth_mbps * 1e6 / 8.0 / 1e9;
    region_country_.resize(nr);
    for (std::size_t r = 0; r < nr; ++r) region_country_[r] = index_of(metrics_->countries(), world.regions()[r].region->country);
    site_country_.resize(ns);
    for (std::size_t k = 0; k < ns; ++k) site_country_[k] = index_of(metrics_->countries(), world.sites()[k].site->country);

    // Lanes: region × site from the World's routes; staff × site routed here.
    user_rtt_.assign(nr, std::vector<sim::SimDuration>(ns));
    region_lanes_.resize(nr * ns);
    for (std::size_t r = 0; r < nr; ++r)
      for (std::size_t k = 0; k < ns; ++k) {
        const Route& route = world.route(r, k);
        region_lanes_[r * ns + k] = lane(world.latency().user_rtt(route), route);
        user_rtt_[r][k] = region_lanes_[r * ns + k].rtt;
      }
    for (const auto& cls : s_.traffic.classes) {
      staff_lanes_.emplace_back();
      staff_country_.emplace_back();
      staff_eea_.emplace_back();
      for (const auto& st : cls.staff) {
        staff_country_.back().push_back(index_of(metrics_->countries(), st.country));
        staff_eea_.back().push_back(s_.in_eea(st.country));
        for (std::size_t k = 0; k < ns; ++k) {
          const Route route = world.latency().route({{st.lat, st.lon}, st.country, -1}, world.site_endpoint(k));
          staff_lanes_.back().push_back(lane(world.latency().user_rtt(route), route));
        }
      }
    }
    site_lanes_.resize(ns * ns);
    for (std::size_t a = 0; a < ns; ++a)
      for (std::size_t b = 0; b < ns; ++b)
        if (a != b) {
          const Route route = world.latency().route(world.site_endpoint(a), world.site_endpoint(b));
          site_lanes_[a * ns + b] = lane(route.rtt, route);
        }

    // An edge cache sits in the user's metro: the last mile and the fixed overhead only.
    const sim::SimDuration edge_rtt = 2 * s_.network.access + s_.network.fixed_rtt;
    edge_lane_ = {edge_rtt, 0, bytes_per_ns_ * static_cast<double>(edge_rtt.count())};

    // Sites in service and their queues (servers scale with the run, at least one).
    availability_.up.assign(ns, false);
    for (std::size_t k = 0; k < ns; ++k) {
      const WorldSite& ws = world.sites()[k];
      availability_.up[k] = ws.built;
      const std::int64_t c = ws.built ? std::max<std::int64_t>(1, std::llround(static_cast<double>(ws.site->servers) / weight_)) : 0;
      queues_.emplace_back(c, static_cast<std::int64_t>(std::llround(s_.policies.queue_limit_per_server * static_cast<double>(c))));
    }
    tables_ = std::make_unique<RoutingTables>(world, s_.policies, availability_, user_rtt_, s_.meta.seed);
    export_site_.resize(s_.traffic.classes.size(), -1);
    for (std::size_t c = 0; c < s_.traffic.classes.size(); ++c)
      if (!s_.traffic.classes[c].export_site.empty()) export_site_[c] = world.site_index(s_.traffic.classes[c].export_site);
  }

  Lane lane(sim::SimDuration rtt, const Route& route) const {
    return {rtt, static_cast<double>(route.transit_countries().size()), bytes_per_ns_ * static_cast<double>(rtt.count())};
  }

  std::unique_ptr<Metrics> run() {
    record_capacity();
    TrafficGenerator gen(world_, demand_, s_.meta.seed);
    if (options_.threads >= 2) {
      run_pipelined(gen);
    } else {
      std::vector<Request> chunk;
      chunk.reserve(options_.chunk);
      while (gen.next_chunk(chunk, options_.chunk)) {
        serve_chunk(chunk);
        chunk.clear();
      }
    }
    metrics_->events_processed = gen.events_processed();
    return std::move(metrics_);
  }

 private:
  void serve_chunk(const std::vector<Request>& chunk) {
    for (const Request& r : chunk) serve(r);
    if (options_.progress && !chunk.empty()) options_.progress(sim::to_seconds(chunk.back().t) / sim::to_seconds(horizon_));
  }

  // The generator runs ahead on its own thread, handing over full chunks through a small
  // bounded queue; this thread serves them in order.
  void run_pipelined(TrafficGenerator& gen) {
    constexpr std::size_t kMaxQueued = 4;
    std::mutex mu;
    std::condition_variable changed;
    std::deque<std::vector<Request>> ready;
    std::vector<std::vector<Request>> spare;
    bool done = false, abort = false;
    std::exception_ptr failure;
    std::thread producer([&] {
      try {
        for (;;) {
          std::vector<Request> chunk;
          {
            std::lock_guard lock(mu);
            if (!spare.empty()) {
              chunk = std::move(spare.back());
              spare.pop_back();
            }
          }
          chunk.clear();
          chunk.reserve(options_.chunk);
          const bool more = gen.next_chunk(chunk, options_.chunk);
          std::unique_lock lock(mu);
          if (!more || abort) break;
          changed.wait(lock, [&] { return ready.size() < kMaxQueued || abort; });
          if (abort) break;
          ready.push_back(std::move(chunk));
          changed.notify_all();
        }
      } catch (...) {
        std::lock_guard lock(mu);
        failure = std::current_exception();
      }
      std::lock_guard lock(mu);
      done = true;
      changed.notify_all();
    });
    try {
      for (;;) {
        std::vector<Request> chunk;
        {
          std::unique_lock lock(mu);
          changed.wait(lock, [&] { return !ready.empty() || done; });
          if (ready.empty()) break;
          chunk = std::move(ready.front());
          ready.pop_front();
          changed.notify_all();
        }
        serve_chunk(chunk);
        std::lock_guard lock(mu);
        spare.push_back(std::move(chunk));
      }
    } catch (...) {
      {
        std::lock_guard lock(mu);
        abort = true;
        changed.notify_all();
      }
      producer.join();
      throw;
    }
    producer.join();
    if (failure) std::rethrow_exception(failure);
  }

  struct Choice {
    int site = -1;
    std::size_t rank = 0;  ///< 0: first choice; > 0: spill
    SiteQueue::Admission admission;
  };

  // Offers the request to candidates in order (home first for writes); spill only when the
  // policy allows it.
  template <class Candidates>
  Choice place(const Request& r, int first, const Candidates& rest, bool may_spill) {
    Choice c;
    std::size_t rank = 0;
    auto try_site = [&](int site) {
      SiteQueue& q = queues_[static_cast<std::size_t>(site)];
      const auto adm = q.offer(r.t, r.service);
      SiteInterval& iv = metrics_->site_interval(static_cast<std::size_t>(site), metrics_->interval_of(r.t));
      iv.arrivals += weight_;
      iv.queue_sum += static_cast<double>(adm.queue_seen) * weight_;
      iv.queue_max = std::max(iv.queue_max, static_cast<double>(adm.queue_seen) * weight_);
      if (!adm.accepted) {
        iv.rejected += weight_;
        return false;
      }
      if (rank > 0) iv.spilled_in += weight_;
      c = {site, rank, adm};
      return true;
    };
    if (first >= 0) {
      if (try_site(first)) return c;
      ++rank;
    }
    if (!may_spill) return c;
    for (auto s : rest) {
      if (static_cast<int>(s) == first) continue;
      if (try_site(static_cast<int>(s))) return c;
      ++rank;
    }
    return c;
  }

  void serve(const Request& r) {
    const DemandStream& d = demand_.streams[r.stream];
    const TrafficClass& cls = s_.traffic.classes[d.class_index];
    const std::size_t ci = d.class_index;
    const std::size_t ns = world_.sites().size();
    const Policies& pol = tables_->policies();
    metrics_->generated += weight_;
    ++metrics_->simulated_requests;

    const bool staff = d.origin == StreamOrigin::Staff;
    const std::size_t origin_country = staff ? staff_country_[ci][d.origin_index] : region_country_[d.origin_index];
    const bool subject_eea = world_.regions()[r.subject_region].eea;

    if (staff && !staff_approved(r, pol)) {
      metrics_->denied += weight_;
      return;
    }
    if (!staff && r.edge_hit && cls.kind == ClassKind::Read) {
      const sim::SimDuration lat = edge_lane_.rtt + transfer_time(r.size_bytes, edge_lane_, bytes_per_ns_);
      metrics_->latency(origin_country, ci).record(static_cast<std::uint64_t>(lat.count() / 1000), static_cast<std::uint64_t>(weight_));
      metrics_->ttfb(origin_country, ci).record(static_cast<std::uint64_t>(edge_lane_.rtt.count() / 1000), static_cast<std::uint64_t>(weight_));
      FlowCell& f = metrics_->flow(origin_country, metrics_->edge_site(), ci, FlowKind::Edge);
      f.requests += weight_;
      f.bytes += r.size_bytes * weight_;
      metrics_->served += weight_;
      return;
    }

    Choice choice;
    const bool spill_on_full = pol.on_queue_full == QueueFullAction::Spill;
    if (staff) {
      choice = place(r, tables_->home_site(r.subject_region, r.user), std::vector<std::uint16_t>{}, false);
    } else if (cls.kind == ClassKind::Write) {
      const int home = tables_->home_site(d.origin_index, r.user);
      choice = place(r, home, tables_->write_fallbacks(d.origin_index), spill_on_full);
    } else if (pol.reads == ReadRouting::HomeOnly) {
      choice = place(r, tables_->home_site(d.origin_index, r.user), std::vector<std::uint16_t>{}, false);
    } else {
      const int first = tables_->first_read_site(d.origin_index, r.user);
      choice = place(r, first, tables_->read_sites(d.origin_index), spill_on_full || pol.reads == ReadRouting::NearestWithCapacity);
    }

    if (choice.site < 0) {
      metrics_->dropped_total += weight_;
      metrics_->dropped(origin_country, ci) += weight_;
      return;
    }
    const auto site = static_cast<std::size_t>(choice.site);
    const sim::SimTime end = choice.admission.start + r.service;
    (end > horizon_ ? metrics_->in_flight : metrics_->served) += weight_;
    metrics_->add_busy(site, choice.admission.start, end, weight_);
    SiteInterval& iv = metrics_->site_interval(site, metrics_->interval_of(r.t));
    iv.accepted += weight_;
    iv.wait_ns_sum += static_cast<double>((choice.admission.start - r.t).count()) * weight_;
    iv.bytes += r.size_bytes * weight_;

    const Lane& lane = staff ? staff_lanes_[ci][d.origin_index * ns + site] : region_lanes_[d.origin_index * ns + site];
    const sim::SimDuration first_byte = lane.rtt + (choice.admission.start - r.t) + r.service;
    const sim::SimDuration latency = first_byte + transfer_time(r.size_bytes, lane, bytes_per_ns_);
    metrics_->latency(origin_country, ci).record(static_cast<std::uint64_t>(latency.count() / 1000), static_cast<std::uint64_t>(weight_));
    metrics_->ttfb(origin_country, ci).record(static_cast<std::uint64_t>(first_byte.count() / 1000), static_cast<std::uint64_t>(weight_));
    FlowCell& f = metrics_->flow(origin_country, site, ci, FlowKind::Serve);
    f.requests += weight_;
    f.bytes += r.size_bytes * weight_;
    f.transit_bytes += lane.transit * r.size_bytes * weight_;

    const bool site_eea = world_.sites()[site].eea;
    if (staff) {
      if (subject_eea && site_eea && !staff_eea_[ci][d.origin_index])
        metrics_->exit_bytes(origin_country, site, ExitReason::EmployeeAccess) += r.size_bytes * weight_;
    } else if (subject_eea && !site_eea) {
      metrics_->exit_bytes(origin_country, site, choice.rank == 0 ? ExitReason::Policy : ExitReason::Spill) += r.size_bytes * weight_;
    }
    if (!staff && cls.kind == ClassKind::Write) copy_write(r, origin_country, ci, site, subject_eea, cls);
  }

  // Replication to the replica sites of the site that took the write, and the export share.
  void copy_write(const Request& r, std::size_t origin_country, std::size_t ci, std::size_t site, bool subject_eea,
                  const TrafficClass& cls) {
    const std::size_t ns = world_.sites().size();
    for (auto rep : tables_->replicas(static_cast<int>(site))) {
      FlowCell& f = metrics_->flow(origin_country, rep, ci, FlowKind::Replica);
      f.requests += weight_;
      f.bytes += r.size_bytes * weight_;
      f.transit_bytes += site_lanes_[site * ns + rep].transit * r.size_bytes * weight_;
      if (subject_eea && !world_.sites()[rep].eea)
        metrics_->exit_bytes(origin_country, rep, ExitReason::Replication) += r.size_bytes * weight_;
    }
    const int ex = export_site_[ci];
    if (ex >= 0 && cls.export_share > 0 && static_cast<std::size_t>(ex) != site) {
      const auto e = static_cast<std::size_t>(ex);
      const double bytes = r.size_bytes * cls.export_share * weight_;
      FlowCell& f = metrics_->flow(origin_country, e, ci, FlowKind::Export);
      f.requests += cls.export_share * weight_;
      f.bytes += bytes;
      f.transit_bytes += site_lanes_[site * ns + e].transit * bytes;
      if (subject_eea && !world_.sites()[e].eea) metrics_->exit_bytes(origin_country, e, ExitReason::Export) += bytes;
    }
  }

  // Server-time each site offers per interval (real servers: simulated ones × weight).
  void record_capacity() {
    const std::int64_t w = s_.meta.report_interval.count(), end = horizon_.time_since_epoch().count();
    for (std::size_t k = 0; k < queues_.size(); ++k)
      for (std::size_t i = 0; i < metrics_->intervals(); ++i) {
        const std::int64_t a = static_cast<std::int64_t>(i) * w, b = std::min(end, a + w);
        metrics_->site_interval(k, i).capacity_ns = static_cast<double>(queues_[k].servers()) * weight_ * static_cast<double>(b - a);
      }
  }

  // Employee access: allowed at all, and this request among the approved share (decided by
  // a hash of the request, so it is the same in every run with this seed).
  static bool staff_approved(const Request& r, const Policies& pol) {
    if (!pol.employee_access_allowed) return false;
    if (pol.employee_access_approved_share >= 1) return true;
    const std::uint64_t h = sim::mix64(static_cast<std::uint64_t>(r.t.time_since_epoch().count()) ^ sim::mix64(r.user + r.stream));
    return static_cast<double>(h >> 11) * 0x1.0p-53 < pol.employee_access_approved_share;
  }

  const World& world_;
  const Scenario& s_;
  RunOptions options_;
  Demand demand_;
  std::unique_ptr<Metrics> metrics_;
  double weight_ = 1;
  sim::SimTime horizon_{};
  double bytes_per_ns_ = 1;
  std::vector<std::size_t> region_country_, site_country_;
  std::vector<std::vector<sim::SimDuration>> user_rtt_;
  std::vector<Lane> region_lanes_, site_lanes_;
  Lane edge_lane_;
  std::vector<std::vector<Lane>> staff_lanes_;
  std::vector<std::vector<std::size_t>> staff_country_;
  std::vector<std::vector<bool>> staff_eea_;
  SiteAvailability availability_;
  std::vector<SiteQueue> queues_;
  std::unique_ptr<RoutingTables> tables_;
  std::vector<int> export_site_;
};

}  // namespace

std::unique_ptr<Metrics> run_event(const World& world, const RunOptions& options) {
  EventRun run(world, options);
  return run.run();
}

}  // namespace dcsim::models
