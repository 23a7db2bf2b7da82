// The request loop of an event-fidelity run: site queues, the requests they hold, and how
// each request is placed. Scenario state and events are RunState's; what is recorded,
// the Ledger's.
#include "models/run/event_run.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <thread>

#include "models/run/edge_tally.hpp"
#include "models/run/record_queue.hpp"
#include "models/run/recovery.hpp"
#include "models/run/request_pipeline.hpp"
#include "models/run/run_context.hpp"
#include "models/run/site_queue.hpp"
#include "models/run/time_sources.hpp"
#include "models/run/controls.hpp"
#include "models/run/flow_run.hpp"
#include "models/traffic/traffic_generator.hpp"
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
  auto m = std::make_unique<Metrics>(std::move(countries), std::move(sites), std::move(classes), n, s.meta.report_interval);
  m->events = make_event_effects(s, sim::at(s.meta.duration), m->countries().size());
  return m;
}

namespace {

// The tag of the per-request draw of a content read's place in the popularity curve.
constexpr std::uint64_t kContentTag = 0x636f6e74656e7431ULL;  // "content1"

// What serving needs of a demand stream, packed: a DemandStream also holds its rate steps
// (~100 bytes in all), and each request touches one of ~750 streams at random.
struct StreamInfo {
  std::uint32_t origin_index = 0;    ///< region, or staff location within its class
  std::uint32_t class_index = 0;
  std::uint32_t origin_country = 0;  ///< Metrics country index
  bool staff = false;
  ClassKind kind = ClassKind::Read;
  bool personal_data = true;  ///< the class touches the user's personal data (legacy copies apply)
};

// An accepted request, kept until its service completes (so a failing site can lose it).
struct Pending {
  std::int64_t complete_ns = 0;
  std::uint64_t seq = 0;
  Request request;
  sim::SimTime start{};
  PathProps path;              ///< the path at acceptance (a later link cut does not move it)
  sim::SimDuration transfer{};  ///< transfer time of the response on `path`
  std::uint16_t site = 0;
  ExitReason reason = ExitReason::Policy;
  bool exits = false;     ///< counts as EEA-exit (with `reason`)
  std::int16_t fetch_from = -1;  ///< the copy `site` fetched the data from, or -1
  std::int16_t owed_home = -1;   ///< a failed-over write: the down home it is owed to, or -1
  bool later(const Pending& o) const { return complete_ns != o.complete_ns ? complete_ns > o.complete_ns : seq > o.seq; }
};

// What recording needs of a request the serving loop is done with: its latency, bytes and
// where they went, or why it was not served. Serving makes one per request, in order, and
// recording takes them in the same order (RecordQueue): one cache line each.
struct Record {
  enum class Kind : std::uint8_t {
    Served,      ///< served by a site (completed, or in flight at the horizon)
    FailedOver,  ///< taken elsewhere while its intended site was down; owed there if owed_home >= 0
    Dropped,     ///< for `drop` (t, stream)
    Denied       ///< employee access not approved (stream)
  };
  std::int64_t t_ns = 0;           ///< arrival
  std::int64_t first_byte_ns = 0;  ///< RTT + waiting + service
  std::int64_t transfer_ns = 0;
  double size_bytes = 0;
  double transit = 0;  ///< transit countries on the path
  std::uint32_t stream = 0, subject_region = 0;
  std::uint16_t site = 0;
  std::int16_t fetch_from = -1, owed_home = -1;
  Kind kind = Kind::Served;
  ExitReason reason = ExitReason::Policy;
  DropReason drop = DropReason::QueueFull;
  bool exits = false, in_flight = false;
  sim::SimTime t() const { return sim::SimTime{sim::SimDuration{t_ns}}; }
};
static_assert(sizeof(Record) <= 64, "a record fits one cache line");

class EventRun : RunContext {
 public:
  EventRun(const World& world, const RunOptions& options)
      : RunContext(world, {}, nullptr), options_(options), recovery_(s_.events.size(), world.sites().size()) {
    weight_ = demand_.weight;
    // One migration schedule for this run and its congestion pass.
    if (!options.data_plan) own_plan_ = plan_data(world);
    plan_ = options.data_plan ? options.data_plan : own_plan_.get();
    state_.set_data_plan(plan_);
    // Congested links slow what crosses them. Their state per interval comes from the flow
    // model over the same scenario (deterministic, and the same in both fidelities); the
    // event run's own links.csv shares each interval's offered bytes the same way.
    FlowOptions congestion_pass;
    congestion_pass.latency = false;
    congestion_pass.congestion = &congestion_;
    congestion_pass.routing = &state_.paths().routing;  // the same routing (and engineered traffic)
    congestion_pass.data_plan = plan_;
    congestion_pass.without_migrations = plan_ == nullptr;
    run_flow(world, congestion_pass);
    std::vector<double> interval_s;
    for (std::size_t i = 0; i < metrics_->intervals(); ++i)
      interval_s.push_back(std::min(sim::to_seconds(s_.meta.report_interval),
                                    sim::to_seconds(s_.meta.duration) - sim::to_seconds(s_.meta.report_interval) * static_cast<double>(i)));
    metrics_->link_loads->share_at_flush(link_capacities(world, state_.paths()),
                                         {s_.network.access_bandwidth_mbps * 1e6 / 8, s_.network.link_buffer_ms * 1e-3, 1500},
                                         std::move(interval_s));
    for (const DemandStream& d : demand_.streams) {
      const TrafficClass& cls = s_.traffic.classes[d.class_index];
      const bool staff = d.origin == StreamOrigin::Staff;
      const std::string& country = staff ? cls.staff[d.origin_index].country : world.regions()[d.origin_index].region->country;
      streams_.push_back({d.origin_index, d.class_index, static_cast<std::uint32_t>(metrics_->country_index(country)), staff, cls.kind,
                          cls.personal_data});
    }
    // Sites: capacity scales with the run, exactly (rate-scaled servers); sites not in
    // service (build-out dates) start dark.
    for (std::size_t k = 0; k < world.sites().size(); ++k) {
      servers_.push_back(scale_servers(state_.servers(k, weight_)));
      queues_.emplace_back(servers_[k].servers, state_.waiting_room(servers_[k].exact));
    }
    // Losing requests needs them held until they complete; without a full outage in the
    // scenario, completions are recorded at once.
    for (const auto& ev : s_.events)
      if (ev.kind == EventKind::SiteOutage && ev.capacity_loss >= 1) track_pending_ = true;
    controls_ = build_controls(s_, horizon_);
  }

  std::unique_ptr<Metrics> run() {
    GeneratingSide side(world_, demand_, s_.meta.seed, *metrics_, state_.edge_path(), bytes_per_ns_, weight_);
    TrafficGenerator& gen = side.gen;
    EdgeTally& edge = side.edge;
    // Users' edge-cache hits are served beside the generator (edge_tally.hpp): they never
    // reach the chunk. Only streams_ is read there, which nothing changes.
    gen.set_apart_edge_hits();
    const auto serve_edge_hits = [&](std::vector<Request>&) {
      edge.serve(gen.edge_hits(), [&](std::uint32_t stream) {
        const StreamInfo& d = streams_[stream];
        return std::pair<std::size_t, std::size_t>{d.origin_country, d.class_index};
      });
      gen.edge_hits().clear();
    };
    const bool two_threads = options_.threads >= 2;
    const std::thread::id serving_thread = std::this_thread::get_id();
    const PipelineCpu cpu = run_request_pipeline(
        gen, options_.chunk, options_.threads, serve_edge_hits,
        [&](const std::vector<Request>& chunk) {
          for (std::size_t i = 0; i < chunk.size(); ++i) {
            // The stream's packed info is the first thing serving reads, and ~750 of them do
            // not stay in L1 beside everything else: start loading it a few requests early.
            if (i + 8 < chunk.size()) __builtin_prefetch(&streams_[chunk[i + 8].stream]);
            const Request& r = chunk[i];
            advance_to(r.t);
            counts_.generated += weight_;
            ++counts_.simulated;
            serve(r, r.t, false);
          }
          // Handed over for the generating thread to record while it waits for this one;
          // with one thread, or when it has no time for them, recorded here.
          records_.submit();
          if (two_threads)
            records_.keep_at_most(kMaxRecordBatchesWaiting);
          else
            records_.drain();
          if (options_.progress && !chunk.empty()) options_.progress(sim::to_seconds(chunk.back().t) / sim::to_seconds(horizon_));
        },
        [&] {
          const bool did = records_.help();
          if (did && std::this_thread::get_id() != serving_thread) ++side.record_batches;
          return did;
        });
    records_.drain();  // the threads are joined: from here on everything is recorded on this one
    metrics_->generated += counts_.generated;  // before the edge hits': the order of the sum as ever
    metrics_->simulated_requests += counts_.simulated;
    edge.add_to(*metrics_);
    metrics_->generate_cpu_s = cpu.generate_s;
    metrics_->serve_cpu_s = cpu.serve_s;
    metrics_->record_batches_beside_generator = side.record_batches;
    advance_to(horizon_);  // controls up to the end, and what completes before them
    account_capacity(horizon_);
    flush_pending(sim::kNever);
    records_.drain();
    metrics_->record_batches = records_.consumed();
    record_data_plan();
    metrics_->link_loads->flush();
    metrics_->undelivered_bytes = congestion_.undelivered_bytes;  // the flow model's, over the same scenario
    metrics_->owed_at_end_bytes = ledger_.owed_bytes();
    metrics_->events_processed = gen.events_processed() + next_control_;
    return std::move(metrics_);
  }

 private:
  // What the generating thread writes during a run, on cache lines of its own. On a line
  // with something the serving thread touches for every request, each thread would take
  // the line from the other for every request (false sharing). Here on the stack, beside
  // the serving loop's frames, where the two met depended on where the stack began: with
  // address randomisation off, a 16-byte shift of the stack made a scale-100 day take
  // ~6.5 s instead of ~3 s (tools/bench/README.md, "A stack line shared by the two threads").
  struct alignas(64) GeneratingSide {
    GeneratingSide(const World& world, const Demand& demand, std::uint64_t seed, const Metrics& m, const PathProps& edge_path,
                   double bytes_per_ns, double weight)
        : gen(world, demand, seed), edge(m, edge_path, bytes_per_ns, weight) {}
    TrafficGenerator gen;
    EdgeTally edge;
    std::uint64_t record_batches = 0;  ///< recorded here (RecordQueue batches); read after the join
  };

  // ---- serving ------------------------------------------------------------------------
  struct Choice {
    int site = -1;
    std::size_t rank = 0;  ///< 0: first choice; > 0: spill (no site: how many refused it)
    SiteQueue::Admission admission;
  };

  // Offers the request at time `now` to candidates in order; spill only when allowed.
  template <class Candidates>
  Choice place(sim::SimTime now, std::size_t interval, sim::SimDuration service, int first, const Candidates& rest, bool may_spill) {
    Choice c;
    std::size_t rank = 0;
    auto try_site = [&](int site) {
      const auto k = static_cast<std::size_t>(site);
      SiteQueue& q = queues_[k];
      const double occupancy = servers_[k].occupancy;
      const auto adm = q.offer(now, occupancy == 1 ? service : sim::SimDuration{std::llround(static_cast<double>(service.count()) * occupancy)});
      SiteInterval& iv = metrics_->site_interval(k, interval);
      iv.arrivals += weight_;
      // Σ over arrivals (weight each) of the queue they saw in real requests (weight each).
      iv.queue_sum += static_cast<double>(adm.queue_seen) * weight_ * weight_;
      iv.queue_max = std::max(iv.queue_max, static_cast<double>(adm.queue_seen) * weight_);
      if (recovery_.active()) recovery_.note(k, now, adm.queue_seen, metrics_->events);
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
    if (may_spill)
      for (auto s : rest) {
        if (static_cast<int>(s) == first) continue;
        if (try_site(static_cast<int>(s))) return c;
        ++rank;
      }
    c.rank = rank;  // refused by this many sites
    return c;
  }

  const PathProps& path_to(const StreamInfo& d, std::size_t region, std::size_t site) const {
    const std::size_t ns = world_.sites().size();
    return d.staff ? state_.paths().staff[d.class_index][d.origin_index * ns + site] : state_.paths().region[region * ns + site];
  }

  // Serves one request at time `now` (its arrival, or the moment a failed site hands it
  // back for a retry).
  void serve(const Request& r, sim::SimTime now, bool retry) {
    const StreamInfo& d = streams_[r.stream];
    const std::size_t ci = d.class_index;
    if (!retry && d.staff && !staff_approved(r)) {
      Record n;
      n.kind = Record::Kind::Denied;
      n.stream = r.stream;
      records_.push(n);
      return;
    }
    assert(retry || d.staff || !r.edge_hit || d.kind != ClassKind::Read);  // users' edge hits: EdgeTally

    // Where policy sends it now, and where it would go with every planned site up.
    const std::size_t region = d.staff ? r.subject_region : d.origin_index;
    const bool home_bound = state_.home_bound(d.staff, d.kind);
    const bool copy_bound = state_.copy_bound(d.staff, d.kind, d.personal_data);
    const RoutingTables& now_tables = state_.tables();
    // A read of long-tail content (policies.content) finds it at its uploader's home or a
    // replica: routed to the nearest copy under nearest_copy, else fetched by the site.
    const int tail_home = d.personal_data || d.staff || d.kind != ClassKind::Read ? -1 : content_tail_home(r, now_tables);
    const bool tail_copy = tail_home >= 0 && state_.policies().reads == ReadRouting::NearestCopy;
    const bool fetch_bound = state_.fetch_bound(d.staff, d.kind, d.personal_data) || (tail_home >= 0 && !tail_copy);
    const std::size_t interval = serve_clock_.of(now);  // once: every lookup below is at `now`
    // Personal data a migration has not moved yet is at its legacy site: requests on it
    // go there and nowhere else.
    const int legacy = d.personal_data ? state_.legacy_site(region, r.user, interval) : -1;
    // A re-homing under way: requests that need the user's data (home-bound, or reads that
    // go to or fetch from a copy) find it where it is, not at the new home yet.
    const int settled = legacy < 0 && (home_bound || copy_bound || fetch_bound) && d.personal_data
                            ? state_.settled_home(region, r.user, interval)
                            : -1;
    auto home_of = [&](const RoutingTables& t) {
      return settled >= 0 && (&t == &state_.nominal() || !state_.down(static_cast<std::size_t>(settled))) ? settled
                                                                                                           : t.home_site(region, r.user);
    };
    auto first_choice = [&](const RoutingTables& t) {
      return home_bound   ? home_of(t)
             : copy_bound ? t.copy_site(region, home_of(t))
                          : t.first_read_site(region, r.user);
    };
    int first = legacy >= 0 ? legacy : tail_copy ? now_tables.copy_site(region, tail_home) : first_choice(now_tables);
    int intended = legacy >= 0 || !state_.any_outage() ? first
                   : tail_copy                            ? state_.nominal().copy_site(region, tail_home)
                                                          : first_choice(state_.nominal());
    // A fetching read's data: where its copies are. A first choice that reaches none of
    // them (a cut in the way) sends the read to the nearest copy instead, as nearest_copy.
    const int home = !fetch_bound || legacy >= 0 ? -1 : tail_home >= 0 ? tail_home : home_of(now_tables);
    const bool fetch_fallback = fetch_bound && legacy < 0 && (home < 0 || first < 0 || now_tables.fetch_source(static_cast<std::size_t>(first), home) < 0);
    if (fetch_fallback) intended = first = now_tables.copy_site(region, home);
    // Most requests start at once at their first choice: compute that path's transfer time
    // now (kept when it is taken), its latency arithmetic beside the site queue's work.
    sim::SimDuration likely_transfer{};
    // A staff request's first choice can be cut off (its subject's home is fixed): no
    // prefetch then, and no arithmetic on the unreachable sentinel.
    const bool first_reachable = first >= 0 && path_to(d, region, static_cast<std::size_t>(first)).reachable();
    if (first_reachable) {
      const auto f = static_cast<std::size_t>(first);
      likely_transfer = transfer_time(r.size_bytes, path_to(d, region, f), bytes_per_ns_);
    }
    const bool intended_down = intended >= 0 && state_.down(static_cast<std::size_t>(intended));
    if (intended_down && ((home_bound && !state_.policies().temporary_home) || legacy >= 0)) {  // the data is unavailable
      drop(r, DropReason::HomeDown);
      return;
    }
    if ((d.staff || legacy >= 0) && first >= 0 && !first_reachable) {
      drop(r, DropReason::Unreachable);
      return;
    }

    const bool spill = legacy < 0 && state_.may_spill(d.staff, d.kind, intended_down, copy_bound || tail_copy || fetch_fallback);
    // A fetching read spills only to sites that reach a copy (all of them, unless a cut
    // leaves some without a path to one). One call of place: two would stop the compiler
    // inlining it into this loop (+20 % instructions per request, cachegrind).
    std::vector<std::uint16_t> reaching;
    const bool filtered = fetch_bound && spill && !now_tables.fetch_everywhere();
    if (filtered) reaching = now_tables.read_sites_reaching(region, home);
    const Choice choice = place(now, interval, r.service, first, filtered ? reaching : now_tables.read_sites(region), spill);
    if (choice.site < 0) {
      // Offered somewhere and refused: full. Offered nowhere: no site, or none reachable.
      const DropReason why =
          choice.rank > 0 ? DropReason::QueueFull : state_.why_nowhere(region, home_bound || copy_bound || tail_copy || fetch_fallback, false);
      drop(r, why);
      return;
    }
    const auto site = static_cast<std::size_t>(choice.site);
    const bool failed_over = intended_down && choice.site != intended;
    // A user's write failed over from its down home is owed there (once: copy_write knows).
    const int owed_home = failed_over && d.kind == ClassKind::Write && !d.staff ? intended : -1;
    if (failed_over) {
      Record f;
      f.kind = Record::Kind::FailedOver;
      f.t_ns = r.t.time_since_epoch().count();
      f.stream = r.stream;
      f.size_bytes = r.size_bytes;
      f.site = static_cast<std::uint16_t>(site);
      f.owed_home = static_cast<std::int16_t>(owed_home);
      records_.push(f);
    }

    SiteInterval& iv = metrics_->site_interval(site, interval);
    iv.accepted += weight_;
    iv.wait_ns_sum += static_cast<double>((choice.admission.start - now).count()) * weight_;
    const sim::SimTime end = choice.admission.start + r.service;
    metrics_->add_busy(site, choice.admission.start, end, weight_, serve_clock_);

    Pending p;
    p.complete_ns = end.time_since_epoch().count();
    p.seq = next_seq_++;
    p.request = r;
    p.start = choice.admission.start;
    p.path = path_to(d, region, site);
    // A site holding no copy of the data fetches it from the nearest copy first.
    const int from = fetch_bound && legacy < 0 ? now_tables.fetch_source(site, home) : -1;
    const bool fetched = from >= 0 && static_cast<std::size_t>(from) != site;
    const std::size_t ns = world_.sites().size();
    if (fetched) {
      p.path = through(p.path, state_.paths().site[static_cast<std::size_t>(from) * ns + site]);
      p.fetch_from = static_cast<std::int16_t>(from);
    }
    p.transfer = choice.site == first && !fetched ? likely_transfer : transfer_time(r.size_bytes, p.path, bytes_per_ns_);
    if (const auto& slow = congestion_.slowdown[interval]; !slow.empty()) {
      const PathTable& paths = state_.paths();
      const auto& delay = congestion_.delay_s[interval];
      const std::size_t pair = d.staff ? paths.staff_pair(ci, d.origin_index, site) : paths.region_pair(region, site);
      const std::size_t column = 2 * pair + (d.kind == ClassKind::Write ? 0 : 1);
      p.path.rtt += sim::from_seconds(delay[column]);
      double slowdown = slow[column];
      if (fetched) {  // the fetch leg's bytes go toward the serving site
        const std::size_t leg = 2 * paths.site_pair(static_cast<std::size_t>(from), site);
        p.path.rtt += sim::from_seconds(delay[leg]);
        slowdown = std::max(slowdown, slow[leg]);
      }
      p.transfer = transfer_time(r.size_bytes, p.path, bytes_per_ns_ / slowdown);
    }
    p.site = static_cast<std::uint16_t>(site);
    p.owed_home = static_cast<std::int16_t>(owed_home);
    const bool staff_in_eea = d.staff && state_.staff_in_eea(ci, d.origin_index);
    if (const auto exit = legacy >= 0 ? state_.legacy_exit(r.subject_region, site, d.staff, staff_in_eea)
                                      : state_.exit_reason(r.subject_region, site, d.staff, staff_in_eea, failed_over, choice.rank)) {
      p.exits = true;
      p.reason = *exit;
    }
    if (track_pending_) {
      pending_.push_back(std::move(p));
      std::push_heap(pending_.begin(), pending_.end(), [](const Pending& a, const Pending& b) { return a.later(b); });
    } else {
      complete(p);
    }
  }

  // The uploader's home of the content a read asks for when it is in the long tail (held
  // only there and at that home's replicas), or -1 for the popular head placed everywhere.
  // Drawn by hashing the request, so no random stream moves.
  int content_tail_home(const Request& r, const RoutingTables& tables) const {
    const double everywhere = state_.policies().content_everywhere_share;
    if (everywhere >= 1) return -1;
    const std::uint64_t h = sim::mix64(sim::stream_key(kContentTag ^ s_.meta.seed, r.user) ^
                                       static_cast<std::uint64_t>(r.t.time_since_epoch().count()) ^ (std::uint64_t{r.stream} << 40));
    if (static_cast<double>(h >> 11) * 0x1.0p-53 < everywhere) return -1;
    return tables.content_home(static_cast<double>(sim::mix64(h) >> 11) * 0x1.0p-53);
  }

  // A request whose service has ended (or will end after the horizon: in flight): its
  // site's bytes here (serving owns the site series), the rest to recording.
  void complete(const Pending& p) {
    const Request& r = p.request;
    metrics_->site_interval(p.site, serve_clock_.of(p.start)).bytes += r.size_bytes * weight_;
    Record c;
    c.t_ns = r.t.time_since_epoch().count();
    c.first_byte_ns = (p.path.rtt + (p.start - r.t) + r.service).count();
    c.transfer_ns = p.transfer.count();
    c.size_bytes = r.size_bytes;
    c.transit = p.path.transit;
    c.stream = r.stream;
    c.subject_region = r.subject_region;
    c.site = p.site;
    c.fetch_from = p.fetch_from;
    c.owed_home = p.owed_home;
    c.reason = p.reason;
    c.exits = p.exits;
    c.in_flight = p.complete_ns > horizon_.time_since_epoch().count();
    records_.push(c);
  }

  void drop(const Request& r, DropReason why) {
    Record d;
    d.kind = Record::Kind::Dropped;
    d.t_ns = r.t.time_since_epoch().count();
    d.stream = r.stream;
    d.drop = why;
    records_.push(d);
  }

  // ---- recording (on either thread, in serving's order: RecordQueue) ---------------------
  // Each record's cells (histogram buckets, flow cell, link cell) are mostly cache misses,
  // and the batch says which come next: start loading those of a record a few ahead.
  void record_batch(const std::vector<Record>& batch) {
    constexpr std::size_t kAhead = 8;
    const std::size_t n = batch.size();
    for (std::size_t i = 0; i < std::min(n, kAhead); ++i) prefetch_cells(batch[i]);
    for (std::size_t i = 0; i < n; ++i) {
      if (i + kAhead < n) prefetch_cells(batch[i + kAhead]);
      record(batch[i]);
    }
  }

  // Always inlined, or GCC deletes its calls (see Histogram::prefetch).
  [[gnu::always_inline]] void prefetch_cells(const Record& rec) const {
    if (rec.kind != Record::Kind::Served) return;
    const StreamInfo& d = streams_[rec.stream];
    const std::size_t ci = d.class_index, country = d.origin_country;
    metrics_->ttfb(country, ci).prefetch(static_cast<std::uint64_t>(rec.first_byte_ns / 1000));
    metrics_->latency(country, ci).prefetch(static_cast<std::uint64_t>((rec.first_byte_ns + rec.transfer_ns) / 1000));
    __builtin_prefetch(&metrics_->flow(country, rec.site, ci, FlowKind::Serve), 1);
    const PathTable& paths = state_.paths();
    metrics_->link_loads->prefetch(LinkTraffic::User,
                                   d.staff ? paths.staff_pair(ci, d.origin_index, rec.site) : paths.region_pair(d.origin_index, rec.site),
                                   d.kind == ClassKind::Write);
  }

  void record(const Record& rec) {
    const StreamInfo& d = streams_[rec.stream];
    const std::size_t ci = d.class_index, origin_country = d.origin_country;
    const sim::SimTime t = rec.t();
    switch (rec.kind) {
      case Record::Kind::FailedOver:
        ledger_.at_events(t, [&](EventEffect& e) { e.failed_over += weight_; });
        if (rec.owed_home >= 0)
          ledger_.owe(static_cast<std::size_t>(rec.owed_home), origin_country, ci, rec.size_bytes * weight_, rec.site, ExitReason::Policy);
        return;
      case Record::Kind::Dropped:
        metrics_->record_drop(origin_country, ci, rec.drop, weight_, t);
        return;
      case Record::Kind::Denied:
        metrics_->denied += weight_;
        return;
      case Record::Kind::Served:
        break;
    }
    const std::size_t site = rec.site;
    const sim::SimDuration first_byte{rec.first_byte_ns};
    const sim::SimDuration latency = first_byte + sim::SimDuration{rec.transfer_ns};
    metrics_->latency(origin_country, ci).record(static_cast<std::uint64_t>(latency.count() / 1000), static_cast<std::uint64_t>(weight_));
    metrics_->ttfb(origin_country, ci).record(static_cast<std::uint64_t>(first_byte.count() / 1000), static_cast<std::uint64_t>(weight_));
    if (!d.staff) {
      metrics_->user_ttfb_ms_sum += sim::to_milliseconds(first_byte) * weight_;
      metrics_->user_ttfb_count += weight_;
    }
    note_window_latency(t, origin_country, first_byte);
    const bool subject_eea = world_.region_eea(rec.subject_region);
    const PathTable& paths = state_.paths();
    const std::size_t pair = d.staff ? paths.staff_pair(ci, d.origin_index, site) : paths.region_pair(d.origin_index, site);
    ledger_.serve(t, origin_country, site, ci, rec.subject_region, {weight_, rec.size_bytes * weight_, rec.transit * rec.size_bytes * weight_},
                  rec.exits ? std::optional<ExitReason>(rec.reason) : std::nullopt, {pair, d.kind == ClassKind::Write}, rec.in_flight);
    if (rec.fetch_from >= 0) {
      const auto from = static_cast<std::size_t>(rec.fetch_from);
      const double transit = paths.site[from * paths.sites + site].transit;
      ledger_.fetch(t, origin_country, from, site, ci, subject_eea, {weight_, rec.size_bytes * weight_, transit * rec.size_bytes * weight_},
                    paths);
    }
    if (d.staff || d.kind != ClassKind::Write) return;
    const double share = s_.traffic.classes[ci].export_share;
    const double size = rec.size_bytes;
    ledger_.copy_write(state_, t, origin_country, ci, site, subject_eea, rec.owed_home, [&](FlowKind kind, double transit) {
      if (kind == FlowKind::Replica) return Amount{weight_, size * weight_, transit * size * weight_};
      const double bytes = size * share * weight_;
      return Amount{share * weight_, bytes, transit * bytes};
    });
  }

  // Employee access: allowed at all, and this request among the approved share (decided by
  // a hash of the request, so it is the same in every run with this seed).
  bool staff_approved(const Request& r) const {
    const Policies& p = state_.policies();
    if (!p.employee_access_allowed) return false;
    if (p.employee_access_approved_share >= 1) return true;
    const std::uint64_t h = sim::mix64(static_cast<std::uint64_t>(r.t.time_since_epoch().count()) ^ sim::mix64(r.user + r.stream));
    return static_cast<double>(h >> 11) * 0x1.0p-53 < p.employee_access_approved_share;
  }

  void complete_next() {
    std::pop_heap(pending_.begin(), pending_.end(), [](const Pending& a, const Pending& b) { return a.later(b); });
    complete(pending_.back());
    pending_.pop_back();
  }

  void flush_pending(sim::SimTime t) {
    while (!pending_.empty() && pending_.front().complete_ns <= t.time_since_epoch().count()) complete_next();
  }

  // ---- events -------------------------------------------------------------------------
  // Completions and controls before an arrival at t, in the one order of time_sources.hpp.
  void advance_to(sim::SimTime t) {
    // Nearly every arrival has nothing before it (no completion held, no control due): say
    // so here, inline, before the general loop (one of the hottest calls of a run).
    if (pending_.empty() && (next_control_ >= controls_.size() || !goes_before(controls_[next_control_].t, TimeSource::Control, t, TimeSource::Arrival)))
      return;
    advance_to_arrival(
        t, [&] { return pending_.empty() ? sim::kNever : sim::SimTime{sim::SimDuration{pending_.front().complete_ns}}; },
        [&] { complete_next(); },
        [&] { return next_control_ < controls_.size() ? controls_[next_control_].t : sim::kNever; },
        [&] { apply(controls_[next_control_++]); });
  }

  void apply(const Control& c) {
    // Recording reads what a control changes (sites down, paths, tables, the ledger's
    // debts), and the control writes what recording does: record everything before it.
    records_.drain();
    EventEffect& effect = metrics_->events[c.event];
    account_capacity(c.t);
    if (c.start) recovery_.snapshot(c.event, queues_, c.t);
    const StateChange change = state_.apply(c, effect, ledger_);
    // From here on the requests fail_site retries make records, which the generating
    // thread may record while this goes on: below this line, touch only what serving owns
    // (queues, servers, the site series, the recovery tracker, retried/lost), never the
    // state, the ledger or the link loads.
    if (change.site_failed) {
      fail_site(static_cast<std::size_t>(change.site), c.t, effect);
    } else if (change.site >= 0) {
      resize_site(static_cast<std::size_t>(change.site), c.t);
    }
    if (change.policies_changed)
      for (std::size_t s = 0; s < queues_.size(); ++s) queues_[s].set_waiting_room(state_.waiting_room(servers_[s].exact));
    if (!c.start) recovery_.start(c.event, queues_, c.t, metrics_->events);
  }

  // A site going dark: what it holds is retried elsewhere (tables already without it) or lost.
  void fail_site(std::size_t k, sim::SimTime t, EventEffect& effect) {
    queues_[k].resize(0, t);
    queues_[k] = SiteQueue(0, 0);
    servers_[k] = {};
    std::vector<Pending> held;
    const auto later = [](const Pending& a, const Pending& b) { return a.later(b); };
    auto keep = std::partition(pending_.begin(), pending_.end(), [&](const Pending& p) { return p.site != k; });
    held.assign(std::make_move_iterator(keep), std::make_move_iterator(pending_.end()));
    pending_.erase(keep, pending_.end());
    std::make_heap(pending_.begin(), pending_.end(), later);
    std::sort(held.begin(), held.end(), [](const Pending& a, const Pending& b) { return a.seq < b.seq; });
    for (const Pending& p : held) {
      // Undo the busy time it would have used after t.
      metrics_->add_busy(k, std::max(t, p.start), sim::SimTime{sim::SimDuration{p.complete_ns}}, -weight_, serve_clock_);
      if (state_.policies().retry_in_flight) {
        effect.retried += weight_;
        serve(p.request, t, true);
      } else {
        effect.lost += weight_;
        metrics_->lost += weight_;
      }
    }
  }

  void resize_site(std::size_t k, sim::SimTime t) {
    servers_[k] = scale_servers(state_.servers(k, weight_));
    queues_[k].resize(servers_[k].servers, t);
    queues_[k].set_waiting_room(state_.waiting_room(servers_[k].exact));
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

  void note_window_latency(sim::SimTime arrival, std::size_t country, sim::SimDuration ttfb) {
    if (metrics_->events.empty()) return;
    ledger_.at_events(arrival, [&](EventEffect& e) {
      e.ttfb_by_country[country].record(static_cast<std::uint64_t>(ttfb.count() / 1000), static_cast<std::uint64_t>(weight_));
    });
  }

  RunOptions options_;
  RecoveryTracker recovery_;
  CongestionTimeline congestion_;  ///< per interval and column, from the flow model
  std::unique_ptr<DataPlan> own_plan_;
  const DataPlan* plan_ = nullptr;  ///< the migration schedule (nullptr: no legacy data)
  double weight_ = 1;
  std::vector<StreamInfo> streams_;  ///< per demand stream
  std::vector<SiteQueue> queues_;
  std::vector<ScaledServers> servers_;  ///< per site: as simulated now (0 servers: dark)
  sim::SimTime capacity_mark_{};
  bool track_pending_ = false;
  std::vector<Pending> pending_;
  std::uint64_t next_seq_ = 0;
  std::vector<Control> controls_;
  std::size_t next_control_ = 0;
  IntervalCursor serve_clock_{metrics_->cursor()};  ///< the serving thread's (Metrics' own is recording's)
  // Requests generated, counted by the serving thread on a cache line of their own (the
  // Metrics totals beside them are written by recording), added to Metrics at the end.
  struct alignas(64) Counts {
    double generated = 0;
    std::uint64_t simulated = 0;
  } counts_;
  // Up to 64 batches (four chunks' worth at 1,024 records each) wait for the generating
  // thread before serving records the oldest itself.
  static constexpr std::size_t kMaxRecordBatchesWaiting = 64;
  RecordQueue<Record> records_{options_.record_batch, [this](const std::vector<Record>& batch) { record_batch(batch); }};
};

}  // namespace

std::unique_ptr<Metrics> run_event(const World& world, const RunOptions& options) {
  EventRun run(world, options);
  return run.run();
}

}  // namespace dcsim::models
