// The request loop of an event-fidelity run, and the scenario events applied within it.
#include "models/run.hpp"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <thread>
#include <time.h>  // POSIX clock_gettime (per-thread CPU time)

#include "models/demand.hpp"
#include "models/lanes.hpp"
#include "models/routing.hpp"
#include "models/site_queue.hpp"
#include "models/timeline.hpp"
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

double thread_cpu_s() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::size_t index_of(const std::vector<std::string>& v, const std::string& x) {
  return static_cast<std::size_t>(std::find(v.begin(), v.end(), x) - v.begin());
}

// What serving needs of a demand stream, packed: a DemandStream also holds its rate steps
// (~100 bytes in all), and each request touches one of ~750 streams at random.
struct StreamInfo {
  std::uint32_t origin_index = 0;    ///< region, or staff location within its class
  std::uint32_t class_index = 0;
  std::uint32_t origin_country = 0;  ///< Metrics country index
  bool staff = false;
  ClassKind kind = ClassKind::Read;
};

// An accepted request, kept until its service completes (so a failing site can lose it).
struct Pending {
  std::int64_t complete_ns = 0;
  std::uint64_t seq = 0;
  Request request;
  sim::SimTime start{};
  Lane lane;              ///< the path at acceptance (a later link cut does not move it)
  sim::SimDuration transfer{};  ///< transfer time of the response on `lane`
  std::uint16_t site = 0;
  ExitReason reason = ExitReason::Policy;
  bool exits = false;     ///< counts as EEA-exit (with `reason`)
  bool later(const Pending& o) const { return complete_ns != o.complete_ns ? complete_ns > o.complete_ns : seq > o.seq; }
};

class EventRun {
 public:
  EventRun(const World& world, const RunOptions& options)
      : world_(world), s_(world.scenario()), options_(options), demand_(build_demand(world)),
        metrics_(make_metrics(world)), policies_(s_.policies) {
    const std::size_t ns = world.sites().size();
    weight_ = demand_.weight;
    horizon_ = sim::at(s_.meta.duration);
    bytes_per_ns_ = s_.network.access_bandwidth_mbps * 1e6 / 8.0 / 1e9;
    for (const auto& cls : s_.traffic.classes) {
      staff_eea_.emplace_back();
      for (const auto& st : cls.staff) staff_eea_.back().push_back(s_.in_eea(st.country));
    }
    for (const DemandStream& d : demand_.streams) {
      const TrafficClass& cls = s_.traffic.classes[d.class_index];
      const bool staff = d.origin == StreamOrigin::Staff;
      const std::string& country = staff ? cls.staff[d.origin_index].country : world.regions()[d.origin_index].region->country;
      streams_.push_back({d.origin_index, d.class_index, static_cast<std::uint32_t>(index_of(metrics_->countries(), country)), staff, cls.kind});
    }
    for (const auto& c : metrics_->countries()) country_eea_.push_back(s_.in_eea(c));
    lanes_ = compute_lanes(world, world.backbone());
    edge_lane_ = edge_lane(world);
    export_site_.resize(s_.traffic.classes.size(), -1);
    for (std::size_t c = 0; c < s_.traffic.classes.size(); ++c)
      if (!s_.traffic.classes[c].export_site.empty()) export_site_[c] = world.site_index(s_.traffic.classes[c].export_site);

    // Sites: capacity scales with the run, exactly (rate-scaled servers); build-out dates
    // start sites dark.
    planned_up_.assign(ns, false);
    outages_.assign(ns, 0);
    capacity_factor_.assign(ns, 1.0);
    for (std::size_t k = 0; k < ns; ++k) {
      const WorldSite& ws = world.sites()[k];
      planned_up_[k] = ws.built;
      base_capacity_.push_back(ws.built ? static_cast<double>(ws.site->servers) / weight_ : 0.0);
      servers_.push_back(scale_servers(base_capacity_[k]));
      queues_.emplace_back(servers_[k].servers, waiting_room(servers_[k].exact));
    }
    for (const auto& ev : s_.events)
      if (ev.kind == EventKind::SiteOnline) planned_up_[static_cast<std::size_t>(world.site_index(ev.site))] = false;
    for (std::size_t k = 0; k < ns; ++k)
      if (!planned_up_[k]) {
        queues_[k].resize(0, sim::SimTime{});
        servers_[k] = {};
      }
    // Losing requests needs them held until they complete; without a full outage in the
    // scenario, completions are recorded at once.
    for (const auto& ev : s_.events)
      if (ev.kind == EventKind::SiteOutage && ev.capacity_loss >= 1) track_pending_ = true;
    build_timeline();
    rebuild_tables();
  }

  std::unique_ptr<Metrics> run() {
    TrafficGenerator gen(world_, demand_, s_.meta.seed);
    if (options_.threads >= 2) {
      run_pipelined(gen);
    } else {
      std::vector<Request> chunk;
      chunk.reserve(options_.chunk);
      for (;;) {
        const double t0 = thread_cpu_s();
        const bool more = gen.next_chunk(chunk, options_.chunk);
        const double t1 = thread_cpu_s();
        metrics_->generate_cpu_s += t1 - t0;
        if (!more) break;
        serve_chunk(chunk);
        metrics_->serve_cpu_s += thread_cpu_s() - t1;
        chunk.clear();
      }
    }
    apply_controls_until(horizon_);
    account_capacity(horizon_);
    flush_pending(sim::kNever);
    metrics_->events_processed = gen.events_processed() + next_control_;
    return std::move(metrics_);
  }

 private:
  // ---- threads ------------------------------------------------------------------------
  void serve_chunk(const std::vector<Request>& chunk) {
    for (const Request& r : chunk) {
      apply_controls_until(r.t);
      if (track_pending_) flush_pending(r.t);
      metrics_->generated += weight_;
      ++metrics_->simulated_requests;
      serve(r, r.t, false);
    }
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
    double generate_cpu_s = 0;
    std::thread producer([&] {
      const double start = thread_cpu_s();
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
      generate_cpu_s = thread_cpu_s() - start;
      changed.notify_all();
    });
    const double serve_start = thread_cpu_s();
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
    metrics_->generate_cpu_s = generate_cpu_s;
    metrics_->serve_cpu_s = thread_cpu_s() - serve_start;
  }

  // ---- serving ------------------------------------------------------------------------
  struct Choice {
    int site = -1;
    std::size_t rank = 0;  ///< 0: first choice; > 0: spill (no site: how many refused it)
    SiteQueue::Admission admission;
  };

  /// The room of `servers` real-equivalent simulated servers (scale_servers' `exact`).
  std::int64_t waiting_room(double servers) const {
    return static_cast<std::int64_t>(std::llround(policies_.queue_limit_per_server * servers));
  }

  // Offers the request at time `now` to candidates in order; spill only when allowed.
  template <class Candidates>
  Choice place(sim::SimTime now, sim::SimDuration service, int first, const Candidates& rest, bool may_spill) {
    Choice c;
    std::size_t rank = 0;
    auto try_site = [&](int site) {
      const auto k = static_cast<std::size_t>(site);
      SiteQueue& q = queues_[k];
      const double occupancy = servers_[k].occupancy;
      const auto adm = q.offer(now, occupancy == 1 ? service : sim::SimDuration{std::llround(static_cast<double>(service.count()) * occupancy)});
      SiteInterval& iv = metrics_->site_interval(k, metrics_->interval_of(now));
      iv.arrivals += weight_;
      // Σ over arrivals (weight each) of the queue they saw in real requests (weight each).
      iv.queue_sum += static_cast<double>(adm.queue_seen) * weight_ * weight_;
      iv.queue_max = std::max(iv.queue_max, static_cast<double>(adm.queue_seen) * weight_);
      if (recovering_) note_recovery(k, now, adm.queue_seen);
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
    if (!may_spill) {
      c.rank = rank;
      return c;
    }
    for (auto s : rest) {
      if (static_cast<int>(s) == first) continue;
      if (try_site(static_cast<int>(s))) return c;
      ++rank;
    }
    c.rank = rank;  // refused by this many sites
    return c;
  }

  // Serves one request at time `now` (its arrival, or the moment a failed site hands it
  // back for a retry).
  void serve(const Request& r, sim::SimTime now, bool retry) {
    const StreamInfo& d = streams_[r.stream];
    const std::size_t ci = d.class_index;
    const bool staff = d.staff;
    const std::size_t origin_country = d.origin_country;

    if (!retry && staff && !staff_approved(r)) {
      metrics_->denied += weight_;
      return;
    }
    if (!retry && !staff && r.edge_hit && d.kind == ClassKind::Read) {
      const sim::SimDuration lat = edge_lane_.rtt + transfer_time(r.size_bytes, edge_lane_, bytes_per_ns_);
      metrics_->latency(origin_country, ci).record(static_cast<std::uint64_t>(lat.count() / 1000), static_cast<std::uint64_t>(weight_));
      metrics_->ttfb(origin_country, ci).record(static_cast<std::uint64_t>(edge_lane_.rtt.count() / 1000), static_cast<std::uint64_t>(weight_));
      metrics_->user_ttfb_ms_sum += sim::to_milliseconds(edge_lane_.rtt) * weight_;
      metrics_->user_ttfb_count += weight_;
      note_window_latency(r.t, origin_country, edge_lane_.rtt);
      FlowCell& f = metrics_->flow(origin_country, metrics_->edge_site(), ci, FlowKind::Edge);
      f.requests += weight_;
      f.bytes += r.size_bytes * weight_;
      metrics_->served += weight_;
      return;
    }

    // Where policy sends it now, and where it would go with every planned site up.
    const std::size_t region = staff ? r.subject_region : d.origin_index;
    const bool spill_on_full = policies_.on_queue_full == QueueFullAction::Spill;
    const bool is_write = !staff && d.kind == ClassKind::Write;
    const bool home_bound = staff || is_write || policies_.reads == ReadRouting::HomeOnly;
    int first = -1, intended = -1;
    if (home_bound) {
      first = tables_->home_site(region, r.user);
      intended = outage_count_ > 0 ? nominal_->home_site(region, r.user) : first;
    } else {
      first = tables_->first_read_site(region, r.user);
      intended = outage_count_ > 0 ? nominal_->first_read_site(region, r.user) : first;
    }
    // Most requests start at once at their first choice: compute that path's transfer time
    // now (kept when it is taken) and start loading what complete() will write, so the
    // cache misses overlap the site queue's work instead of following it.
    const std::size_t ns = world_.sites().size();
    sim::SimDuration likely_transfer{};
    if (first >= 0) {
      const auto f = static_cast<std::size_t>(first);
      const Lane& likely = staff ? lanes_.staff[ci][d.origin_index * ns + f] : lanes_.region[region * ns + f];
      likely_transfer = transfer_time(r.size_bytes, likely, bytes_per_ns_);
      const sim::SimDuration first_byte = likely.rtt + r.service;
      metrics_->ttfb(origin_country, ci).prefetch(static_cast<std::uint64_t>(first_byte.count() / 1000));
      metrics_->latency(origin_country, ci).prefetch(static_cast<std::uint64_t>((first_byte + likely_transfer).count() / 1000));
      __builtin_prefetch(&metrics_->flow(origin_country, f, ci, FlowKind::Serve), 1);
    }
    const bool intended_down = intended >= 0 && outages_[static_cast<std::size_t>(intended)] > 0;
    if (intended_down && home_bound && !policies_.temporary_home) {  // the data is unavailable
      metrics_->record_drop(origin_country, ci, DropReason::HomeDown, weight_, r.t);
      return;
    }
    if (staff && first >= 0 && !lanes_.staff[ci][d.origin_index * ns + static_cast<std::size_t>(first)].reachable()) {
      metrics_->record_drop(origin_country, ci, DropReason::Unreachable, weight_, r.t);
      return;
    }

    Choice choice;
    if (staff || (!is_write && policies_.reads == ReadRouting::HomeOnly)) {
      choice = place(now, r.service, first, kNoSites, false);
    } else if (is_write) {
      choice = place(now, r.service, first, tables_->write_fallbacks(region), spill_on_full || intended_down);
    } else {
      choice = place(now, r.service, first, tables_->read_sites(region),
                     spill_on_full || intended_down || policies_.reads == ReadRouting::NearestWithCapacity);
    }
    if (choice.site < 0) {
      // Offered somewhere and refused: full. Offered nowhere: no site, or none reachable.
      const DropReason why = choice.rank > 0 ? DropReason::QueueFull
                             : tables_->cut_off(region, home_bound) ? DropReason::Unreachable
                                                                    : DropReason::NoSite;
      metrics_->record_drop(origin_country, ci, why, weight_, r.t);
      return;
    }
    const auto site = static_cast<std::size_t>(choice.site);
    const bool failed_over = intended_down && choice.site != intended;
    if (failed_over) for_window_events(r.t, [&](EventEffect& e) { e.failed_over += weight_; });
    if (failed_over && is_write) owe_catchup(static_cast<std::size_t>(intended), origin_country, ci, r.size_bytes);

    SiteInterval& iv = metrics_->site_interval(site, metrics_->interval_of(now));
    iv.accepted += weight_;
    iv.wait_ns_sum += static_cast<double>((choice.admission.start - now).count()) * weight_;
    const sim::SimTime end = choice.admission.start + r.service;
    metrics_->add_busy(site, choice.admission.start, end, weight_);

    Pending p;
    p.complete_ns = end.time_since_epoch().count();
    p.seq = next_seq_++;
    p.request = r;
    p.start = choice.admission.start;
    p.lane = staff ? lanes_.staff[ci][d.origin_index * ns + site] : lanes_.region[region * ns + site];
    p.transfer = choice.site == first ? likely_transfer : transfer_time(r.size_bytes, p.lane, bytes_per_ns_);
    p.site = static_cast<std::uint16_t>(site);
    const bool subject_eea = world_.regions()[r.subject_region].eea;
    const bool site_eea = world_.sites()[site].eea;
    if (subject_eea && !site_eea) {  // the data is outside the EEA (staff reading it there too)
      p.exits = true;
      p.reason = failed_over ? ExitReason::Failover : choice.rank == 0 ? ExitReason::Policy : ExitReason::Spill;
    } else if (staff && subject_eea && !staff_eea_[ci][d.origin_index]) {  // held in the EEA, read from outside
      p.exits = true;
      p.reason = ExitReason::EmployeeAccess;
    }
    if (track_pending_) {
      pending_.push_back(std::move(p));
      std::push_heap(pending_.begin(), pending_.end(), [](const Pending& a, const Pending& b) { return a.later(b); });
    } else {
      complete(p);
    }
  }

  // Records a request whose service has ended (or will end after the horizon: in flight).
  void complete(const Pending& p) {
    const Request& r = p.request;
    const StreamInfo& d = streams_[r.stream];
    const std::size_t ci = d.class_index, site = p.site;
    const bool staff = d.staff;
    const std::size_t origin_country = d.origin_country;
    (p.complete_ns > horizon_.time_since_epoch().count() ? metrics_->in_flight : metrics_->served) += weight_;
    const sim::SimDuration first_byte = p.lane.rtt + (p.start - r.t) + r.service;
    const sim::SimDuration latency = first_byte + p.transfer;
    metrics_->latency(origin_country, ci).record(static_cast<std::uint64_t>(latency.count() / 1000), static_cast<std::uint64_t>(weight_));
    metrics_->ttfb(origin_country, ci).record(static_cast<std::uint64_t>(first_byte.count() / 1000), static_cast<std::uint64_t>(weight_));
    if (!staff) {
      metrics_->user_ttfb_ms_sum += sim::to_milliseconds(first_byte) * weight_;
      metrics_->user_ttfb_count += weight_;
    }
    note_window_latency(r.t, origin_country, first_byte);
    FlowCell& f = metrics_->flow(origin_country, site, ci, FlowKind::Serve);
    f.requests += weight_;
    f.bytes += r.size_bytes * weight_;
    f.transit_bytes += p.lane.transit * r.size_bytes * weight_;
    metrics_->site_interval(site, metrics_->interval_of(p.start)).bytes += r.size_bytes * weight_;
    if (world_.regions()[r.subject_region].eea) metrics_->eea_data_bytes += r.size_bytes * weight_;
    if (p.exits) add_exit(r.t, origin_country, site, p.reason, r.size_bytes * weight_);
    if (!staff && d.kind == ClassKind::Write) copy_write(r, origin_country, ci, site, s_.traffic.classes[ci]);
  }

  // Replication to the replica sites of the site that took the write, and the export share.
  void copy_write(const Request& r, std::size_t origin_country, std::size_t ci, std::size_t site, const TrafficClass& cls) {
    const std::size_t ns = world_.sites().size();
    const bool subject_eea = world_.regions()[r.subject_region].eea;
    for (auto rep : tables_->replicas(static_cast<int>(site))) {
      FlowCell& f = metrics_->flow(origin_country, rep, ci, FlowKind::Replica);
      f.requests += weight_;
      f.bytes += r.size_bytes * weight_;
      f.transit_bytes += lanes_.site[site * ns + rep].transit * r.size_bytes * weight_;
      if (subject_eea) metrics_->eea_data_bytes += r.size_bytes * weight_;
      if (subject_eea && !world_.sites()[rep].eea) add_exit(r.t, origin_country, rep, ExitReason::Replication, r.size_bytes * weight_);
    }
    if (outage_count_ > 0)  // replicas owed to sites that are down: copied when they return
      for (auto rep : nominal_->replicas(static_cast<int>(site)))
        if (outages_[rep] > 0) owe_catchup(rep, origin_country, ci, r.size_bytes);
    const int ex = export_site_[ci];
    if (ex >= 0 && cls.export_share > 0 && static_cast<std::size_t>(ex) != site) {
      const auto e = static_cast<std::size_t>(ex);
      if (!lanes_.site_reachable(site, e)) {  // no path now: copied when the cut ends
        owe_catchup(e, origin_country, ci, r.size_bytes * cls.export_share);
        return;
      }
      const double bytes = r.size_bytes * cls.export_share * weight_;
      FlowCell& f = metrics_->flow(origin_country, e, ci, FlowKind::Export);
      f.requests += cls.export_share * weight_;
      f.bytes += bytes;
      f.transit_bytes += lanes_.site[site * ns + e].transit * bytes;
      if (subject_eea) metrics_->eea_data_bytes += bytes;
      if (subject_eea && !world_.sites()[e].eea) add_exit(r.t, origin_country, e, ExitReason::Export, bytes);
    }
  }

  void add_exit(sim::SimTime t, std::size_t country, std::size_t site, ExitReason reason, double bytes) {
    metrics_->exit_bytes(country, site, reason) += bytes;
    for_window_events(t, [&](EventEffect& e) {
      e.eea_exit_bytes += bytes;
      if (reason == ExitReason::Failover) e.failover_exit_bytes += bytes;
    });
  }

  // Employee access: allowed at all, and this request among the approved share (decided by
  // a hash of the request, so it is the same in every run with this seed).
  bool staff_approved(const Request& r) const {
    if (!policies_.employee_access_allowed) return false;
    if (policies_.employee_access_approved_share >= 1) return true;
    const std::uint64_t h = sim::mix64(static_cast<std::uint64_t>(r.t.time_since_epoch().count()) ^ sim::mix64(r.user + r.stream));
    return static_cast<double>(h >> 11) * 0x1.0p-53 < policies_.employee_access_approved_share;
  }

  void flush_pending(sim::SimTime t) {
    const std::int64_t now = t.time_since_epoch().count();
    const auto later = [](const Pending& a, const Pending& b) { return a.later(b); };
    while (!pending_.empty() && pending_.front().complete_ns <= now) {
      std::pop_heap(pending_.begin(), pending_.end(), later);
      complete(pending_.back());
      pending_.pop_back();
    }
  }

  // ---- events -------------------------------------------------------------------------
  void build_timeline() {
    metrics_->events = make_event_effects(s_, horizon_, metrics_->countries().size());
    controls_ = build_controls(s_, horizon_);
    baseline_queue_.assign(s_.events.size(), std::vector<std::int64_t>(world_.sites().size(), 0));
    recover_at_.assign(s_.events.size(), std::vector<sim::SimTime>(world_.sites().size(), sim::kNever));
  }

  void apply_controls_until(sim::SimTime t) {
    while (next_control_ < controls_.size() && controls_[next_control_].t <= t) {
      const Control c = controls_[next_control_++];
      if (track_pending_) flush_pending(c.t);
      apply(c);
    }
  }

  void apply(const Control& c) {
    const ScenarioEvent& ev = s_.events[c.event];
    EventEffect& effect = metrics_->events[c.event];
    const int site_index = ev.site.empty() ? -1 : world_.site_index(ev.site);
    const auto k = static_cast<std::size_t>(std::max(0, site_index));
    account_capacity(c.t);
    if (c.start) snapshot_queues(c.event, c.t);
    switch (ev.kind) {
      case EventKind::SiteOutage:
        if (ev.capacity_loss >= 1) {
          if (c.start) {
            ++outages_[k];
            ++outage_count_;
            fail_site(k, c.t, effect);
          } else {
            --outages_[k];
            --outage_count_;
            if (outages_[k] == 0) restore_site(k, c.t, effect);
          }
        } else {
          capacity_factor_[k] *= c.start ? (1 - ev.capacity_loss) : 1 / (1 - ev.capacity_loss);
          resize_site(k, c.t);
        }
        break;
      case EventKind::SiteOffline:
        planned_up_[k] = !c.start;
        resize_site(k, c.t);
        break;
      case EventKind::SiteOnline:
        planned_up_[k] = c.start;
        resize_site(k, c.t);
        break;
      case EventKind::CapacityChange:
        capacity_factor_[k] *= c.start ? ev.capacity_factor : 1 / ev.capacity_factor;
        resize_site(k, c.t);
        break;
      case EventKind::LinkCut:
        effect.routes_changed += cut_links_.apply(world_, ev.link_a, ev.link_b, c.start, lanes_);
        if (!c.start)
          for (std::size_t j = 0; j < queues_.size(); ++j)
            if (outages_[j] == 0 && reachable_from_all(j)) release_owed(j, effect);
        break;
      case EventKind::DemandSurge:
        break;  // in the demand rates
      case EventKind::PolicySwitch:
        policies_ = ev.policies_after;
        for (std::size_t s = 0; s < queues_.size(); ++s) queues_[s].set_waiting_room(waiting_room(servers_[s].exact));
        break;
    }
    if (!c.start) start_recovery(c.event, c.t);
    rebuild_tables();
  }

  // A site going dark: what it holds is retried elsewhere or lost.
  void fail_site(std::size_t k, sim::SimTime t, EventEffect& effect) {
    queues_[k].resize(0, t);
    queues_[k] = SiteQueue(0, 0);
    servers_[k] = {};
    rebuild_tables();
    std::vector<Pending> held;
    const auto later = [](const Pending& a, const Pending& b) { return a.later(b); };
    auto keep = std::partition(pending_.begin(), pending_.end(), [&](const Pending& p) { return p.site != k; });
    held.assign(std::make_move_iterator(keep), std::make_move_iterator(pending_.end()));
    pending_.erase(keep, pending_.end());
    std::make_heap(pending_.begin(), pending_.end(), later);
    std::sort(held.begin(), held.end(), [](const Pending& a, const Pending& b) { return a.seq < b.seq; });
    for (const Pending& p : held) {
      // Undo the busy time it would have used after t.
      metrics_->add_busy(k, std::max(t, p.start), sim::SimTime{sim::SimDuration{p.complete_ns}}, -weight_);
      if (policies_.retry_in_flight) {
        effect.retried += weight_;
        serve(p.request, t, true);
      } else {
        effect.lost += weight_;
        metrics_->lost += weight_;
      }
    }
  }

  void restore_site(std::size_t k, sim::SimTime t, EventEffect& effect) {
    resize_site(k, t);
    release_owed(k, effect);
  }

  // Catch-up: writes, replicas and exports owed to site k while it was down or cut off.
  void release_owed(std::size_t k, EventEffect& effect) {
    const auto it = owed_.find(k);
    if (it == owed_.end()) return;
    for (const auto& [key, bytes] : it->second) {
      const auto [country, cls] = key;
      metrics_->flow(country, k, cls, FlowKind::Catchup).bytes += bytes;
      if (country_eea_[country]) metrics_->eea_data_bytes += bytes;  // users' own writes: their country is the subject's
      effect.catchup_bytes += bytes;
    }
    owed_.erase(it);
  }

  bool reachable_from_all(std::size_t k) const {
    for (std::size_t j = 0; j < queues_.size(); ++j)
      if (!lanes_.site_reachable(j, k)) return false;
    return true;
  }

  void owe_catchup(std::size_t site, std::size_t country, std::size_t cls, double size_bytes) {
    owed_[site][{country, cls}] += size_bytes * weight_;
  }

  void resize_site(std::size_t k, sim::SimTime t) {
    const bool on = planned_up_[k] && outages_[k] == 0;
    servers_[k] = scale_servers(on ? base_capacity_[k] * capacity_factor_[k] : 0.0);
    queues_[k].resize(servers_[k].servers, t);
    queues_[k].set_waiting_room(waiting_room(servers_[k].exact));
  }

  void rebuild_tables() {
    SiteAvailability up, planned;
    for (std::size_t k = 0; k < queues_.size(); ++k) {
      planned.up.push_back(planned_up_[k]);
      up.up.push_back(planned_up_[k] && outages_[k] == 0);
    }
    tables_ = std::make_unique<RoutingTables>(world_, policies_, up, lanes_, s_.meta.seed);
    nominal_ = outage_count_ > 0 ? std::make_unique<RoutingTables>(world_, policies_, planned, lanes_, s_.meta.seed) : nullptr;
  }

  // Server-time each site offers, integrated from the last change up to t (called before
  // every change of server counts, and at the end).
  void account_capacity(sim::SimTime t) {
    for (std::size_t k = 0; k < queues_.size(); ++k) {
      const double servers = servers_[k].exact * weight_;  // real servers
      if (servers <= 0) continue;
      const std::int64_t w = s_.meta.report_interval.count();
      std::int64_t a = capacity_mark_.time_since_epoch().count();
      const std::int64_t b = std::min(t, horizon_).time_since_epoch().count();
      while (a < b) {
        const std::int64_t i = a / w, stop = std::min(b, (i + 1) * w);
        metrics_->site_interval(k, static_cast<std::size_t>(i)).capacity_ns += servers * static_cast<double>(stop - a);
        a = stop;
      }
    }
    capacity_mark_ = std::max(capacity_mark_, std::min(t, horizon_));
  }

  // ---- per-event measurements -----------------------------------------------------------
  template <class Fn>
  void for_window_events(sim::SimTime t, Fn&& fn) {
    for (auto& e : metrics_->events)
      if (t >= e.start && t < e.end) fn(e);
  }

  void note_window_latency(sim::SimTime arrival, std::size_t country, sim::SimDuration ttfb) {
    if (metrics_->events.empty()) return;
    for_window_events(arrival, [&](EventEffect& e) {
      e.ttfb_by_country[country].record(static_cast<std::uint64_t>(ttfb.count() / 1000), static_cast<std::uint64_t>(weight_));
    });
  }

  // Queue levels at an event's start: "recovered" means every site is back to (or below) them.
  void snapshot_queues(std::size_t event, sim::SimTime t) {
    for (std::size_t k = 0; k < queues_.size(); ++k) baseline_queue_[event][k] = queues_[k].waiting_at(t);
  }

  void start_recovery(std::size_t event, sim::SimTime t) {
    recovery_start_.resize(s_.events.size(), sim::kNever);
    recovery_start_[event] = t;
    for (std::size_t k = 0; k < queues_.size(); ++k) {
      const bool back = queues_[k].waiting_at(t) <= baseline_queue_[event][k];
      recover_at_[event][k] = back ? t : sim::kNever;
    }
    recovering_ = true;
    update_recovered(event);
  }

  void note_recovery(std::size_t site, sim::SimTime t, std::int64_t queue_seen) {
    bool any = false;
    for (std::size_t e = 0; e < recovery_start_.size(); ++e) {
      if (recovery_start_[e] == sim::kNever || metrics_->events[e].time_to_recover_s >= 0) continue;
      any = true;
      if (recover_at_[e][site] == sim::kNever && queue_seen <= baseline_queue_[e][site]) {
        recover_at_[e][site] = t;
        update_recovered(e);
      }
    }
    recovering_ = any;
  }

  void update_recovered(std::size_t e) {
    sim::SimTime last = recovery_start_[e];
    for (const auto& at : recover_at_[e]) {
      if (at == sim::kNever) return;
      last = std::max(last, at);
    }
    metrics_->events[e].time_to_recover_s = sim::to_seconds(last - recovery_start_[e]);
  }

  static inline const std::vector<std::uint16_t> kNoSites{};

  const World& world_;
  const Scenario& s_;
  RunOptions options_;
  Demand demand_;
  std::unique_ptr<Metrics> metrics_;
  Policies policies_;
  double weight_ = 1;
  sim::SimTime horizon_{};
  double bytes_per_ns_ = 1;
  std::vector<StreamInfo> streams_;  ///< per demand stream
  std::vector<std::vector<bool>> staff_eea_;
  std::vector<bool> country_eea_;  ///< per Metrics country
  Lanes lanes_;
  Lane edge_lane_;
  std::vector<int> export_site_;
  std::vector<SiteQueue> queues_;
  std::vector<double> base_capacity_;     ///< per site: real servers / scale (0: not built)
  std::vector<ScaledServers> servers_;    ///< per site: as simulated now (0 servers: dark)
  std::vector<bool> planned_up_;
  std::vector<int> outages_;
  int outage_count_ = 0;
  std::vector<double> capacity_factor_;
  sim::SimTime capacity_mark_{};
  CutLinks cut_links_;
  std::unique_ptr<RoutingTables> tables_, nominal_;
  bool track_pending_ = false;
  std::vector<Pending> pending_;
  std::uint64_t next_seq_ = 0;
  std::vector<Control> controls_;
  std::size_t next_control_ = 0;
  std::map<std::size_t, std::map<std::pair<std::size_t, std::size_t>, double>> owed_;  ///< site → (country, class) → bytes
  std::vector<std::vector<std::int64_t>> baseline_queue_;
  std::vector<std::vector<sim::SimTime>> recover_at_;
  std::vector<sim::SimTime> recovery_start_;
  bool recovering_ = false;
};

}  // namespace

std::unique_ptr<Metrics> run_event(const World& world, const RunOptions& options) {
  EventRun run(world, options);
  return run.run();
}

}  // namespace dcsim::models
