// The flow-fidelity evaluation: expected requests per segment through the same routing,
// queueing at every site by fixed point, latency from a quantile lattice. Scenario state
// and events are RunState's; what is recorded, the Ledger's.
#include "models/run/flow_run.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "models/run/class_shape.hpp"
#include "models/run/queueing.hpp"
#include "models/run/run_context.hpp"
#include "models/run/controls.hpp"

namespace dcsim::models {

namespace {

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
  bool legacy = false;             ///< personal data still at a legacy site: served there only
  int home = -1;                   ///< a fetching read (nearest_with_fetch, long-tail content): the data's home, whose copies a site fetches from
};

// What a flow served in a segment, kept until the segment's links are shared.
struct Served {
  std::size_t country, cls, column;  ///< column: the pair and direction its bytes take
  PathProps path;
  double n;
  QueueSteadyState q;
  std::size_t site;
  sim::SimTime t;
  bool staff;
  std::ptrdiff_t fetch_column = -1;  ///< a fetched read: the fetch leg's column, else -1
};

class FlowRun : RunContext {
 public:
  FlowRun(const World& world, const FlowOptions& options) : RunContext(world, options.built, options.routing), options_(options) {
    if (options_.column_bytes) metrics_->link_loads->keep_column_bytes();
    if (!options.without_migrations) {
      if (!options.data_plan) own_plan_ = plan_data(world, options.built);
      state_.set_data_plan(options.data_plan ? options.data_plan : own_plan_.get());
    }
    for (const auto& r : world.regions()) region_country_.push_back(metrics_->country_index(r.region->country));
    for (const auto& c : s_.traffic.classes) {
      shapes_.push_back(shape_of(c));
      staff_country_.emplace_back();
      for (const auto& st : c.staff) staff_country_.back().push_back(metrics_->country_index(st.country));
    }
    double users = 0;
    for (const auto& r : world.regions()) users += r.monthly_users;
    for (const auto& r : world.regions()) subject_share_.push_back(users > 0 ? r.monthly_users / users : 0);
    controls_ = build_controls(s_, horizon_);
    const std::size_t columns = metrics_->link_loads->matrix().columns();
    segment_.assign(columns, 0.0);
    backlog_.assign(columns, 0.0);
    released_.assign(columns, 0.0);
    capacity_ = link_capacities(world, state_.paths());
    sharing_ = {s_.network.access_bandwidth_mbps * 1e6 / 8, s_.network.link_buffer_ms * 1e-3, 1500};
    filled_.assign(metrics_->intervals(), 0.0);
    if (options_.congestion) {
      options_.congestion->slowdown.assign(metrics_->intervals(), {});
      options_.congestion->delay_s.assign(metrics_->intervals(), {});
    }
    // Quantile points (waiting, service, size): the R3 sequence of the plastic number pairs
    // them up (low discrepancy in three dimensions), and each coordinate is then replaced by
    // the midpoint of its rank's stratum, (rank + 0.5) / n, so every marginal is the
    // midpoint rule. The sequence's own coordinates are not evenly spread near 1, where
    // heavy tails live: with 128 points the mean of -ln(1 - u) over them was 1.0387, so
    // every exponential service time came out 3.9 % long (p95 TTFB +6.6 % against the event
    // run in a review); over the midpoints it is 0.998.
    const double g = 1.2207440846057596;
    const double a1 = 1 / g, a2 = 1 / (g * g), a3 = 1 / (g * g * g);
    const auto n_points = static_cast<std::size_t>(std::max(1, options_.latency_points));
    for (std::size_t i = 0; i < n_points; ++i) {
      const double n = static_cast<double>(i) + 0.5;
      points_.push_back({std::fmod(0.5 + a1 * n, 1.0), std::fmod(0.5 + a2 * n, 1.0), std::fmod(0.5 + a3 * n, 1.0)});
    }
    for (std::size_t d = 0; d < 3; ++d) {
      std::vector<std::size_t> order(n_points);
      for (std::size_t i = 0; i < n_points; ++i) order[i] = i;
      std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
        return points_[x][d] != points_[y][d] ? points_[x][d] < points_[y][d] : x < y;
      });
      for (std::size_t rank = 0; rank < n_points; ++rank)
        points_[order[rank]][d] = (static_cast<double>(rank) + 0.5) / static_cast<double>(n_points);
    }
    // Service and size at each lattice point depend on the class alone: evaluated once here,
    // not per flow and segment (the quantile functions were most of a year-long run's time).
    for (const ClassShape& cs : shapes_) {
      service_at_point_.emplace_back();
      size_at_point_.emplace_back();
      for (const auto& p : points_) {
        service_at_point_.back().push_back(cs.service_at(p[1]));
        size_at_point_.back().push_back(cs.size_at(p[2]));
      }
    }
  }

  std::unique_ptr<Metrics> run() {
    std::vector<sim::SimTime> cuts;
    for (std::size_t i = 0; i <= metrics_->intervals(); ++i)
      cuts.push_back(std::min(horizon_, sim::at(static_cast<std::int64_t>(i) * s_.meta.report_interval)));
    for (const auto& c : controls_) cuts.push_back(c.t);
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    // Controls at a segment's start apply before it is evaluated (the event run's order:
    // a control at t before a request at t).
    std::size_t next = 0;
    for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
      while (next < controls_.size() && controls_[next].t <= cuts[i]) apply(controls_[next++]);
      if (cuts[i + 1] > cuts[i]) evaluate(cuts[i], cuts[i + 1]);
    }
    while (next < controls_.size()) apply(controls_[next++]);
    record_data_plan();
    metrics_->link_loads->flush();
    // What congested links had not carried by the end (and what controls at the end
    // released): delivered after the horizon.
    for (std::size_t j = 0; j < backlog_.size(); ++j) metrics_->undelivered_bytes += backlog_[j] + released_[j];
    metrics_->owed_at_end_bytes = ledger_.owed_bytes();
    if (options_.congestion) options_.congestion->undelivered_bytes = metrics_->undelivered_bytes;
    if (options_.column_bytes)
      for (std::size_t i = 0; i < metrics_->intervals(); ++i) options_.column_bytes->push_back(metrics_->link_loads->column_bytes(i));
    metrics_->events_processed = cuts.size() + controls_.size();
    return std::move(metrics_);
  }

 private:
  // Bytes a control puts on the links (catch-up to a site back or reachable again) are
  // offered with the segment that starts there, so the links share them with its traffic
  // (an event run's links.csv shares them with their interval's).
  void apply(const Control& c) {
    metrics_->link_loads->tap_segment(&released_);
    state_.apply(c, metrics_->events[c.event], ledger_);
    metrics_->link_loads->tap_segment(nullptr);
  }

  /// Servers of the M/M/c model: the real count, at least one while in service.
  std::int64_t servers(std::size_t k) const {
    const double real = state_.servers(k, 1.0);
    return real > 0 ? std::max<std::int64_t>(1, std::llround(real)) : 0;
  }

  // ---- one segment -------------------------------------------------------------------------
  void evaluate(sim::SimTime a, sim::SimTime b) {
    const double seconds = sim::to_seconds(b - a);
    const std::size_t iv = metrics_->interval_of(a);
    const Policies& policies = state_.policies();
    std::vector<Flow> flows;
    stream_step_.resize(demand_.streams.size(), 0);
    for (std::size_t di = 0; di < demand_.streams.size(); ++di) {
      const DemandStream& d = demand_.streams[di];
      const double n = d.rate.expected_between(a, b, stream_step_[di]) * demand_.weight;
      if (!(n > 0)) continue;
      metrics_->generated += n;
      const ClassShape& cs = shapes_[d.class_index];
      if (d.origin == StreamOrigin::Staff) {
        const double approved = policies.employee_access_allowed ? std::min(1.0, policies.employee_access_approved_share) : 0.0;
        metrics_->denied += n * (1 - approved);
        for (std::size_t r = 0; r < world_.regions().size(); ++r)
          if (subject_share_[r] > 0) add_flows(flows, true, d.origin_index, r, d.class_index, n * approved * subject_share_[r], a);
        continue;
      }
      double rest = n;
      if (cs.edge > 0) {
        const double hit = n * cs.edge;
        rest -= hit;
        serve_edge(d.origin_index, d.class_index, hit, a);
      }
      add_flows(flows, false, d.origin_index, d.origin_index, d.class_index, rest, a);
    }
    segment_.swap(released_);  // starts with what the controls before it released
    std::fill(released_.begin(), released_.end(), 0.0);
    metrics_->link_loads->tap_segment(&segment_);
    settle_and_record(flows, a, seconds, iv);
    metrics_->link_loads->tap_segment(nullptr);
    const Congestion congestion = share_segment(seconds, iv);
    tabulate_waits();
    for (const Served& s : served_) finish_served(s, congestion);
    served_.clear();
    // Server-time offered by each site over the segment.
    for (std::size_t k = 0; k < world_.sites().size(); ++k)
      metrics_->site_interval(k, iv).capacity_ns += static_cast<double>(servers(k)) * seconds * 1e9;
  }

  // The links shared for this segment: what each column offers (its bytes and what it
  // could not send before: the backlog), what it carries, how much slower and later its
  // transfers are. A pair a cut leaves without a path crosses no link: its bytes (queued
  // before the cut, or released at the cut's instant) wait for the repair instead of
  // passing as carried.
  Congestion share_segment(double seconds, std::size_t iv) {
    const PathTable& paths = state_.paths();
    std::vector<double> offered(segment_.size());
    for (std::size_t j = 0; j < offered.size(); ++j)
      offered[j] = paths.path_count[j / 2] > 0 ? (segment_[j] + backlog_[j]) / seconds : 0.0;
    Congestion c = share_links(metrics_->link_loads->matrix(), offered, capacity_, sharing_);
    for (std::size_t j = 0; j < offered.size(); ++j)
      backlog_[j] = paths.path_count[j / 2] > 0 ? std::max(0.0, (offered[j] - c.carried[j]) * seconds) : segment_[j] + backlog_[j];
    const double interval_s = std::min(sim::to_seconds(s_.meta.report_interval),
                                       sim::to_seconds(s_.meta.duration) - sim::to_seconds(s_.meta.report_interval) * static_cast<double>(iv));
    metrics_->link_loads->record_shared(iv, c, seconds, interval_s);
    if (options_.congestion && c.any) {
      auto& slow = options_.congestion->slowdown[iv];
      auto& delay = options_.congestion->delay_s[iv];
      if (slow.empty()) {
        slow.assign(offered.size(), 0.0);
        delay.assign(offered.size(), 0.0);
        // Until now in this interval nothing was slowed: those seconds count as 1 and 0.
        for (auto& x : slow) x = filled_[iv] / interval_s;
      }
      for (std::size_t j = 0; j < offered.size(); ++j) {
        slow[j] += c.slowdown[j] * seconds / interval_s;
        delay[j] += c.delay_s[j] * seconds / interval_s;
      }
    } else if (options_.congestion && !options_.congestion->slowdown[iv].empty()) {
      for (auto& x : options_.congestion->slowdown[iv]) x += seconds / interval_s;
    }
    if (options_.congestion) filled_[iv] += seconds;
    return c;
  }

  // The path from a flow's origin (a region, or a staff location of its class) to a site.
  const PathProps& path_of(bool staff, std::size_t cls, std::size_t origin, std::size_t site) const {
    const std::size_t ns = world_.sites().size();
    return staff ? state_.paths().staff[cls][origin * ns + site] : state_.paths().region[origin * ns + site];
  }

  // A flow of `amount` whose first choice is `site`; the caller adds spill targets.
  static Flow flow_to(bool staff, std::size_t origin, std::size_t subject, std::size_t cls, double amount, std::size_t site) {
    Flow f;
    f.staff = staff;
    f.origin = origin;
    f.subject = subject;
    f.cls = cls;
    f.amount = amount;
    f.chain.push_back(static_cast<std::uint16_t>(site));
    return f;
  }

  // The part of a personal-data amount whose data a migration has not moved yet: to its
  // legacy sites (the share of the subject's users still there), no spill. Returns it.
  double add_legacy_flows(std::vector<Flow>& flows, bool staff, std::size_t origin, std::size_t subject, std::size_t cls, double amount,
                          sim::SimTime t) {
    const DataPlan* plan = state_.data_plan();
    if (!plan || !s_.traffic.classes[cls].personal_data) return 0;
    const auto& sites = plan->legacy_sites(subject);
    const std::size_t iv = metrics_->interval_of(t);
    double taken = 0;
    for (std::size_t k = 0; k < sites.size(); ++k) {
      const double part = amount * plan->legacy_share(iv, subject, k);
      if (!(part > 0)) continue;
      taken += part;
      const std::size_t site = sites[k];
      if (state_.down(site)) {
        drop(staff, origin, cls, part, t, DropReason::HomeDown);
        continue;
      }
      if (!path_of(staff, cls, origin, site).reachable()) {
        drop(staff, origin, cls, part, t, DropReason::Unreachable);
        continue;
      }
      Flow f = flow_to(staff, origin, subject, cls, part, site);
      f.legacy = true;
      flows.push_back(std::move(f));
    }
    return taken;
  }

  // Splits an amount over first choices (metro groups, capacity-weighted homes) the way the
  // per-user hashes do on average, with failover when the intended site is down.
  void add_flows(std::vector<Flow>& flows, bool staff, std::size_t origin, std::size_t subject, std::size_t cls, double amount,
                 sim::SimTime t) {
    if (!(amount > 0)) return;
    const ClassKind kind = s_.traffic.classes[cls].kind;
    const bool personal = s_.traffic.classes[cls].personal_data;
    amount -= add_legacy_flows(flows, staff, origin, subject, cls, amount, t);
    if (!(amount > 1e-12)) return;
    // A re-homing under way: requests on personal data that need it (home-bound, or reads
    // that go to or fetch from a copy) find it where it is (the plan's settled homes).
    const DataPlan* plan = state_.data_plan();
    const bool copy_read = state_.copy_bound(staff, kind, personal);
    const auto* settled = plan && (state_.home_bound(staff, kind) || copy_read || state_.fetch_bound(staff, kind, personal)) && personal
                              ? plan->settled_homes(metrics_->interval_of(t), subject)
                              : nullptr;
    // Content reads: the popular head is everywhere; the long tail (policies.content) is at
    // its uploaders' homes, split by their shares of the uploads, as the event run draws
    // per request; found at the nearest copy under nearest_copy, else fetched.
    const double everywhere = state_.policies().content_everywhere_share;
    if (!staff && kind == ClassKind::Read && !personal && everywhere < 1 && !state_.tables().content_homes().empty()) {
      add_routed_flows(flows, staff, origin, subject, cls, amount * everywhere, t, nullptr, -1);
      const bool to_copy = state_.policies().reads == ReadRouting::NearestCopy;
      for (const auto& [h, p] : state_.tables().content_homes())
        add_routed_flows(flows, staff, origin, subject, cls, amount * (1 - everywhere) * p, t, nullptr, h, to_copy);
      return;
    }
    const bool by_home = state_.fetch_bound(staff, kind, personal) || (copy_read && settled);
    if (!by_home) return add_routed_flows(flows, staff, origin, subject, cls, amount, t, copy_read ? nullptr : settled, -1);
    // Fetching reads go where reads go, and where they are served depends on the data's
    // home; copy-bound reads during a re-homing go to the nearest copy of the settled
    // home. So their amount is split over the homes in force (a settled home that is down
    // replaced by the tables' homes, as the event run does per user).
    std::vector<std::pair<int, double>> homes;
    for (const auto& [h, p] : settled ? *settled : state_.tables().home_shares(subject)) {
      if (!settled || !state_.down(static_cast<std::size_t>(h))) {
        add_share(homes, h, p);
        continue;
      }
      for (const auto& [now, q] : state_.tables().home_shares(subject)) add_share(homes, now, p * q);
    }
    double covered = 0;
    for (const auto& [h, p] : homes) {
      covered += p;
      add_routed_flows(flows, staff, origin, subject, cls, amount * p, t, nullptr, h, copy_read);
    }
    if (covered < 1 - 1e-9) drop(staff, origin, cls, amount * (1 - covered), t, state_.why_nowhere(subject, true, false));
  }

  // add_flows for requests not at a legacy site: `settled` the homes a home-bound request
  // goes to during a re-homing (or nullptr), `home` a fetching read's home (or -1), or with
  // `to_copy` the home of long-tail content whose nearest copy the read goes to.
  void add_routed_flows(std::vector<Flow>& flows, bool staff, std::size_t origin, std::size_t subject, std::size_t cls, double amount,
                        sim::SimTime t, const std::vector<std::pair<int, double>>* settled, int home, bool to_copy = false) {
    if (!(amount > 0)) return;
    const ClassKind kind = s_.traffic.classes[cls].kind;
    const bool home_bound = state_.home_bound(staff, kind);
    const bool copy_bound = to_copy || state_.copy_bound(staff, kind, s_.traffic.classes[cls].personal_data);
    auto shares = [&](const RoutingTables& tables) {
      if (to_copy) {  // the nearest copy of data homed at `home`
        const int c = tables.copy_site(subject, home);
        return c < 0 ? std::vector<std::pair<int, double>>{} : std::vector<std::pair<int, double>>{{c, 1.0}};
      }
      if (settled && &tables == &state_.nominal()) return *settled;
      return home_bound   ? tables.home_shares(subject)
             : copy_bound ? tables.copy_read_shares(subject)
                          : tables.first_read_shares(subject);
    };
    const auto nominal = shares(state_.nominal());
    if (nominal.empty()) {
      drop(staff, origin, cls, amount, t, state_.why_nowhere(subject, home_bound || copy_bound, true));
      return;
    }
    // Copy shares leave out users whose home has no copy in reach: dropped, as the event
    // run drops a read whose copy site is -1 (never the case while homes are reachable).
    double covered = 0;
    for (const auto& [site, share] : nominal) covered += share;
    if (covered < 1 - 1e-9) drop(staff, origin, cls, amount * (1 - covered), t, state_.why_nowhere(subject, true, true));
    for (const auto& [intended, share] : nominal) {
      const double part = amount * share;
      const bool down = state_.down(static_cast<std::size_t>(intended));
      if (down && home_bound && !state_.policies().temporary_home) {
        drop(staff, origin, cls, part, t, DropReason::HomeDown);
        continue;
      }
      const auto actual = down ? shares(state_.tables()) : std::vector<std::pair<int, double>>{{intended, 1.0}};
      if (actual.empty()) {
        drop(staff, origin, cls, part, t, state_.why_nowhere(subject, home_bound || copy_bound, false));
        continue;
      }
      double reached = 0;
      for (const auto& [site, p] : actual) reached += p;
      if (reached < 1 - 1e-9) drop(staff, origin, cls, part * (1 - reached), t, state_.why_nowhere(subject, true, false));
      for (const auto& [first, p] : actual) {
        if (staff && !path_of(staff, cls, origin, static_cast<std::size_t>(first)).reachable()) {
          drop(staff, origin, cls, part * p, t, DropReason::Unreachable);
          continue;
        }
        // A fetching read whose first choice reaches no copy (a cut in the way) goes to
        // the nearest copy instead, as under nearest_copy.
        const RoutingTables& now = state_.tables();
        const bool fallback = home >= 0 && !to_copy && now.fetch_source(static_cast<std::size_t>(first), home) < 0;
        const int site = fallback ? now.copy_site(subject, home) : first;
        if (site < 0) {
          drop(staff, origin, cls, part * p, t, state_.why_nowhere(subject, true, false));
          continue;
        }
        Flow f = flow_to(staff, origin, subject, cls, part * p, static_cast<std::size_t>(site));
        f.failed_over = down && !fallback;
        f.home = to_copy ? -1 : home;
        if (down && shapes_[cls].write && !staff) f.owed_to = intended;
        // A fetching read spills only to sites that reach a copy.
        if (state_.may_spill(staff, kind, down, copy_bound || fallback)) {
          const bool fetching = home >= 0 && !to_copy;
          std::vector<std::uint16_t> reaching;
          if (fetching) reaching = now.read_sites_reaching(subject, home);
          for (auto s : fetching ? reaching : now.read_sites(subject))
            if (static_cast<int>(s) != site) f.chain.push_back(s);
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
        state[k] = mmck(attempts[k] / seconds, mean, scv, c, state_.waiting_room(static_cast<double>(c)));
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
    const std::size_t country = f.staff ? staff_country_[f.cls][f.origin] : region_country_[f.origin];
    SiteInterval& si = metrics_->site_interval(site, iv);
    si.accepted += n;
    if (rank > 0) si.spilled_in += n;
    si.busy_ns += n * cs.service_mean_s * 1e9;
    si.wait_ns_sum += n * q.wq_s * 1e9;
    si.bytes += n * cs.size_mean;
    PathProps path = path_of(f.staff, f.cls, f.origin, site);
    if (f.failed_over) ledger_.at_events(t, [&](EventEffect& e) { e.failed_over += n; });
    const bool subject_eea = world_.regions()[f.subject].eea;
    const bool staff_in_eea = f.staff && state_.staff_in_eea(f.cls, f.origin);
    const PathTable& paths = state_.paths();
    const std::size_t pair = f.staff ? paths.staff_pair(f.cls, f.origin, site) : paths.region_pair(f.origin, site);
    ledger_.serve(t, country, site, f.cls, f.subject, {n, n * cs.size_mean, n * cs.size_mean * path.transit},
                  f.legacy ? state_.legacy_exit(f.subject, site, f.staff, staff_in_eea)
                           : state_.exit_reason(f.subject, site, f.staff, staff_in_eea, f.failed_over, rank),
                  {pair, cs.write});
    // A site holding no copy of a fetching read's data fetches it from the nearest copy.
    const int from = f.home >= 0 ? state_.tables().fetch_source(site, f.home) : -1;
    std::ptrdiff_t fetch_column = -1;
    if (from >= 0 && static_cast<std::size_t>(from) != site) {
      const auto src = static_cast<std::size_t>(from);
      const PathProps& leg = paths.site[src * paths.sites + site];
      ledger_.fetch(t, country, src, site, f.cls, subject_eea, {n, n * cs.size_mean, n * cs.size_mean * leg.transit}, paths);
      path = through(path, leg);
      fetch_column = static_cast<std::ptrdiff_t>(2 * paths.site_pair(src, site));
    }
    served_.push_back({country, f.cls, 2 * pair + (cs.write ? 0 : 1), path, n, q, site, t, f.staff, fetch_column});
    if (!f.staff && cs.write) {
      if (f.owed_to >= 0) ledger_.owe(static_cast<std::size_t>(f.owed_to), country, f.cls, n * cs.size_mean, site, ExitReason::Policy);
      const double share = s_.traffic.classes[f.cls].export_share;
      ledger_.copy_write(state_, t, country, f.cls, site, subject_eea, f.owed_to, [&](FlowKind kind, double transit) {
        if (kind == FlowKind::Replica) return Amount{n, n * cs.size_mean, n * cs.size_mean * transit};
        return Amount{n * share, n * share * cs.size_mean, n * share * cs.size_mean * transit};
      });
    }
  }

  // Time to first byte and latency of what a flow served, once the links are shared: its
  // path is slower by its links' queues, its transfers by their fair share.
  void finish_served(const Served& s, const Congestion& c) {
    PathProps path = s.path;
    if (c.delay_s[s.column] > 0) path.rtt += sim::from_seconds(c.delay_s[s.column]);
    double slowdown = c.slowdown[s.column];
    if (s.fetch_column >= 0) {  // the fetch leg's queues and share too
      const auto leg = static_cast<std::size_t>(s.fetch_column);
      if (c.delay_s[leg] > 0) path.rtt += sim::from_seconds(c.delay_s[leg]);
      slowdown = std::max(slowdown, c.slowdown[leg]);
    }
    const ClassShape& cs = shapes_[s.cls];
    if (!s.staff) {
      metrics_->user_ttfb_ms_sum += s.n * (sim::to_milliseconds(path.rtt) + (s.q.wq_s + cs.service_mean_s) * 1e3);
      metrics_->user_ttfb_count += s.n;
    }
    if (options_.latency) record_latency(s.country, s.cls, path, s.n, wait_at_point_[s.site], s.t, bytes_per_ns_ / slowdown);
  }

  // Waiting time at each lattice point per site that served in this segment: one queue
  // state per site and segment, shared by all the flows it served.
  void tabulate_waits() {
    if (!options_.latency) return;
    wait_at_point_.resize(world_.sites().size());
    std::vector<bool> done(world_.sites().size(), false);
    for (const Served& s : served_) {
      if (done[s.site]) continue;
      done[s.site] = true;
      auto& waits = wait_at_point_[s.site];
      waits.resize(points_.size());
      for (std::size_t i = 0; i < points_.size(); ++i) waits[i] = wait_quantile(s.q, points_[i][0]);
    }
  }

  // Latency distribution of a flow: the lattice points through the quantile functions of
  // waiting (zero, or the queue's wait shape given a wait), service and size.
  void record_latency(std::size_t country, std::size_t cls, const PathProps& path, double n, const std::vector<double>& waits,
                      sim::SimTime t, double bytes_per_ns) {
    const double per_point = n / static_cast<double>(points_.size());
    const auto w = static_cast<std::uint64_t>(std::llround(per_point));
    if (w == 0) return;
    const auto& services = service_at_point_[cls];
    const auto& sizes = size_at_point_[cls];
    for (std::size_t i = 0; i < points_.size(); ++i) {
      const double wait = waits[i];
      const double service = services[i];
      const double size = sizes[i];
      const sim::SimDuration first_byte = path.rtt + sim::from_seconds(wait + service);
      const sim::SimDuration total = first_byte + transfer_time(size, path, bytes_per_ns);
      record_point(country, cls, first_byte, total, w, t);
    }
  }

  void serve_edge(std::size_t region, std::size_t cls, double n, sim::SimTime t) {
    const std::size_t country = region_country_[region];
    const PathProps& edge = state_.edge_path();
    metrics_->user_ttfb_ms_sum += n * sim::to_milliseconds(edge.rtt);
    metrics_->user_ttfb_count += n;
    ledger_.serve_edge(country, cls, n, n * shapes_[cls].size_mean);
    if (!options_.latency) return;
    const auto w = static_cast<std::uint64_t>(std::llround(n / static_cast<double>(points_.size())));
    if (w == 0) return;
    for (const double size : size_at_point_[cls]) {
      record_point(country, cls, edge.rtt, edge.rtt + transfer_time(size, edge, bytes_per_ns_), w, t);
    }
  }

  void record_point(std::size_t country, std::size_t cls, sim::SimDuration first_byte, sim::SimDuration total, std::uint64_t w,
                    sim::SimTime t) {
    metrics_->latency(country, cls).record(static_cast<std::uint64_t>(total.count() / 1000), w);
    metrics_->ttfb(country, cls).record(static_cast<std::uint64_t>(first_byte.count() / 1000), w);
    ledger_.at_events(t, [&](EventEffect& e) { e.ttfb_by_country[country].record(static_cast<std::uint64_t>(first_byte.count() / 1000), w); });
  }

  void drop(bool staff, std::size_t origin, std::size_t cls, double n, sim::SimTime t, DropReason why) {
    const std::size_t country = staff ? staff_country_[cls][origin] : region_country_[origin];
    metrics_->record_drop(country, cls, why, n, t);
  }

  FlowOptions options_;
  std::unique_ptr<DataPlan> own_plan_;  ///< when the caller gave none
  std::vector<Served> served_;
  std::vector<std::size_t> stream_step_;  ///< per demand stream: the rate step the last segment ended in
  std::vector<double> segment_, backlog_;  ///< per column: bytes offered in this segment, bytes not yet carried
  std::vector<double> released_;          ///< per column: bytes controls released for the next segment
  std::vector<double> capacity_;           ///< per directed link: bytes/s
  LinkSharing sharing_;
  std::vector<double> filled_;             ///< per interval: seconds already in the congestion timeline
  std::vector<std::size_t> region_country_;
  std::vector<std::vector<std::size_t>> staff_country_;
  std::vector<ClassShape> shapes_;
  std::vector<double> subject_share_;
  std::vector<Control> controls_;
  std::vector<std::array<double, 3>> points_;
  std::vector<std::vector<double>> service_at_point_, size_at_point_;  ///< per class, per lattice point
  std::vector<std::vector<double>> wait_at_point_;                     ///< per site, this segment
};

}  // namespace

std::unique_ptr<Metrics> run_flow(const World& world, const FlowOptions& options) {
  FlowRun run(world, options);
  return run.run();
}

RoutingPlan routing_plan(const World& world, const std::vector<bool>& built) {
  RoutingPlan plan;
  plan.params = world.scenario().network.routing;
  if (plan.params.mode != RoutingMode::MinMaxUtilisation) return plan;
  // The traffic over shortest paths, per interval and column.
  const RoutingPlan shortest = RoutingPlan::shortest();
  std::vector<std::vector<double>> columns;
  FlowOptions pass;
  pass.latency = false;
  pass.built = built;
  pass.routing = &shortest;
  pass.column_bytes = &columns;
  const auto m = run_flow(world, pass);
  // The peak interval: where the most utilised backbone link is most utilised (the first
  // of equals); with no capacity anywhere, the busiest by bytes on the backbone.
  const std::size_t backbone_ids = 2 * world.backbone().edges().size();
  const auto& edges = world.backbone().edges();
  std::size_t peak = 0;
  double peak_u = -1, peak_bytes = -1;
  for (std::size_t i = 0; i < m->intervals(); ++i) {
    const double seconds = std::min(sim::to_seconds(world.scenario().meta.report_interval),
                                    sim::to_seconds(world.scenario().meta.duration) -
                                        sim::to_seconds(world.scenario().meta.report_interval) * static_cast<double>(i));
    if (!(seconds > 0)) continue;
    double u = 0, bytes = 0;
    for (std::size_t id = 0; id < backbone_ids; ++id) {
      double b = 0;
      for (std::size_t k = 0; k < kLinkTraffic; ++k) b += m->link_loads->bytes(i, id, static_cast<LinkTraffic>(k));
      bytes += b;
      const double cap = edges[id / 2].capacity_gbps * 1e9 / 8;
      if (cap > 0) u = std::max(u, b / seconds / cap);
    }
    if (u > peak_u || (u == peak_u && bytes > peak_bytes)) {
      peak = i;
      peak_u = u;
      peak_bytes = bytes;
    }
  }
  auto demand = std::make_shared<std::vector<double>>(columns.empty() ? std::vector<double>{} : columns[peak]);
  const double seconds = std::min(sim::to_seconds(world.scenario().meta.report_interval),
                                  sim::to_seconds(world.scenario().meta.duration) -
                                      sim::to_seconds(world.scenario().meta.report_interval) * static_cast<double>(peak));
  for (double& b : *demand) b /= seconds;
  plan.demand = std::move(demand);
  return plan;
}

}  // namespace dcsim::models
