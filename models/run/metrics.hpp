// What a run measures, in real units (each simulated request carries the run's weight).
// Flows of requests and bytes by origin country × site × class × kind; EEA-exit bytes by
// reason; transit crossings; latency histograms by origin country × class; per-site,
// per-interval load; what each scenario event did; and the conservation ledger
// (generated = served + dropped + lost + denied + in flight). Filled by the event simulation or the flow model; read by the writers.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/network/link_loads.hpp"
#include "sim/histogram.hpp"
#include "sim/time.hpp"
#include "models/run/data_plan.hpp"

namespace dcsim::models {

/// How bytes moved: served to a user by a site, served by an edge cache in the user's
/// country, copied to a replica site, copied to an analytics export site.
/// Catch-up: writes taken while a site was down, copied to it when it comes back.
/// Precision of every latency histogram (µs): a percentile is reported within
/// 2^-(p+1) = 0.195 % of the request time it stands for (0.35 ms at 180 ms; it was 0.39 %),
/// fine enough that a percentile varies from seed to seed as the sample does, not in ~1 ms
/// bin steps. p = 9 (0.098 %) was tried: four times the buckets of p = 7, hundreds of
/// histograms, and the cache misses made the event run at scale 100 ~15 % slower than
/// p = 8 (tools/bench/README.md); p = 8 is within the 0.5 % asked of it.
inline constexpr int kLatencyPrecisionBits = 8;
/// That bound as a fraction: the resolution a latency percentile is measured to.
inline constexpr double kLatencyRelativeError = 1.0 / static_cast<double>(2U << kLatencyPrecisionBits);

/// fetch: a read served at a site holding no copy of the data, fetched from the nearest
/// copy (reads: nearest_with_fetch); recorded at the serving site.
enum class FlowKind : std::uint8_t { Serve, Edge, Replica, Export, Catchup, Fetch };
inline constexpr std::size_t kFlowKinds = 6;
const char* name(FlowKind k);

/// Why European (EEA) users' bytes left the EEA.
/// legacy_location: held at a legacy site outside the EEA until a migration moves it.
/// fetch: fetched from a copy in the EEA by a site outside it to serve a read there.
enum class ExitReason : std::uint8_t { Policy, Spill, Failover, EmployeeAccess, Export, Replication, LegacyLocation, Fetch };
inline constexpr std::size_t kExitReasons = 8;
const char* name(ExitReason r);

/// The legal basis a destination outside the EEA offers EEA users' data when it arrives:
/// an EU adequacy decision in force; an adequacy that covers only certified organisations
/// (the EU–US Data Privacy Framework) with the operator certified; or none (a third
/// country: the transfer needs safeguards such as standard contractual clauses).
enum class LegalBasis : std::uint8_t { Adequacy, AdequacyCertified, ThirdCountry };
inline constexpr std::size_t kLegalBases = 3;
const char* name(LegalBasis b);

/// Why a request was dropped: every candidate site was full (or refused it); its data's
/// home was down and temporary homes are off; no site in service is allowed to take it;
/// or sites are allowed but the origin has no path to any of them (a cut backbone).
enum class DropReason : std::uint8_t { QueueFull, HomeDown, NoSite, Unreachable };
inline constexpr std::size_t kDropReasons = 4;
const char* name(DropReason r);

struct FlowCell {
  double requests = 0;
  double bytes = 0;
  double transit_bytes = 0;  ///< bytes × transit countries crossed
};

struct SiteInterval {
  double arrivals = 0;     ///< requests offered to the site
  double accepted = 0;
  double rejected = 0;     ///< queue full (then spilled elsewhere or dropped)
  double spilled_in = 0;   ///< accepted here as a second choice
  double busy_ns = 0;      ///< server-time busy (weighted), for utilisation
  double queue_sum = 0;    ///< Σ queue length seen by arrivals (weighted): time average by PASTA
  double queue_max = 0;
  double wait_ns_sum = 0;  ///< Σ waiting time of accepted requests (weighted)
  double bytes = 0;
  double capacity_ns = 0;  ///< server-time available (real servers × time in service)
};

/// What one scenario event did, counted over its window [start, end).
struct EventEffect {
  std::string id;
  std::string kind;
  std::string target;            ///< site, "A-B" link, countries/regions, or policy keys
  sim::SimTime start{}, end{};   ///< end = run end when the event has no duration
  double lost = 0;               ///< in service or waiting at a site that went dark, not retried
  double retried = 0;            ///< of those, re-offered elsewhere
  double failed_over = 0;        ///< new requests whose intended site was down, served elsewhere
  double dropped = 0;            ///< requests dropped during the window (any cause)
  std::array<double, kDropReasons> dropped_by{};  ///< the same by reason
  double eea_exit_bytes = 0;     ///< EEA-exit bytes during the window (all reasons)
  double failover_exit_bytes = 0;
  double catchup_bytes = 0;      ///< copied to a recovering site after the window
  double routes_changed = 0;     ///< link cut: region × site routes whose hubs changed
  double time_to_recover_s = -1; ///< after the end, until the site's queue is back to its level before; -1: n/a
  std::vector<sim::Histogram> ttfb_by_country;  ///< requests arriving in the window, µs
};

/// The reporting interval of a time, clamped to the last one, remembering the last interval
/// found: requests arrive in time order, so nearly every lookup hits it and skips a 64-bit
/// division (~2% of a run's time). A lookup writes the cursor, so each thread that looks
/// up intervals needs its own (Metrics::cursor makes one).
class IntervalCursor {
 public:
  IntervalCursor(sim::SimDuration interval, std::size_t intervals)
      : width_(interval.count()), last_(static_cast<std::int64_t>(intervals) - 1) {}
  std::size_t of(sim::SimTime t) {
    const std::int64_t ns = t.time_since_epoch().count();
    return ns >= from_ && ns < to_ ? index_ : locate(ns);
  }

 private:
  std::size_t locate(std::int64_t ns);  ///< beyond the remembered interval: divides and clamps
  std::int64_t width_, last_;
  std::int64_t from_ = 0, to_ = 0;  ///< the remembered interval, [from, to) in ns
  std::size_t index_ = 0;
};

class Metrics {
 public:
  Metrics(std::vector<std::string> countries, std::vector<std::string> sites, std::vector<std::string> classes,
          std::size_t intervals, sim::SimDuration interval);

  // Dimensions. Site index sites().size() is the edge (no site).
  const std::vector<std::string>& countries() const { return countries_; }
  const std::vector<std::string>& sites() const { return sites_; }
  const std::vector<std::string>& classes() const { return classes_; }
  std::size_t intervals() const { return intervals_; }
  sim::SimDuration interval() const { return interval_; }
  std::size_t edge_site() const { return sites_.size(); }
  /// Index of a country code among countries() (countries().size() when absent).
  std::size_t country_index(const std::string& code) const;

  FlowCell& flow(std::size_t country, std::size_t site, std::size_t cls, FlowKind k) {
    return flows_[((country * columns_ + site) * classes_n_ + cls) * kFlowKinds + static_cast<std::size_t>(k)];
  }
  const FlowCell& flow(std::size_t country, std::size_t site, std::size_t cls, FlowKind k) const {
    return const_cast<Metrics*>(this)->flow(country, site, cls, k);
  }
  double& exit_bytes(std::size_t country, std::size_t site, ExitReason r) {
    return exits_[(country * columns_ + site) * kExitReasons + static_cast<std::size_t>(r)];
  }
  double exit_bytes(std::size_t country, std::size_t site, ExitReason r) const {
    return const_cast<Metrics*>(this)->exit_bytes(country, site, r);
  }
  /// The same exits by the destination's legal basis when they happened (every reason).
  double& exit_basis_bytes(std::size_t country, std::size_t site, LegalBasis b) {
    return exit_bases_[(country * columns_ + site) * kLegalBases + static_cast<std::size_t>(b)];
  }
  double exit_basis_bytes(std::size_t country, std::size_t site, LegalBasis b) const {
    return const_cast<Metrics*>(this)->exit_basis_bytes(country, site, b);
  }
  /// Completion time (until the last byte), µs.
  sim::Histogram& latency(std::size_t country, std::size_t cls) { return latency_[country * classes_n_ + cls]; }
  /// Time to first byte (RTT + waiting + service), µs.
  sim::Histogram& ttfb(std::size_t country, std::size_t cls) { return ttfb_[country * classes_n_ + cls]; }
  const sim::Histogram& ttfb(std::size_t country, std::size_t cls) const { return ttfb_[country * classes_n_ + cls]; }
  const sim::Histogram& latency(std::size_t country, std::size_t cls) const { return latency_[country * classes_n_ + cls]; }
  SiteInterval& site_interval(std::size_t site, std::size_t interval) { return site_series_[site * intervals_ + interval]; }
  const SiteInterval& site_interval(std::size_t site, std::size_t interval) const { return site_series_[site * intervals_ + interval]; }
  /// Interval index of time t, clamped to the last interval, looked up with Metrics' own
  /// cursor: for the thread that records (an event run's serving thread has its own).
  std::size_t interval_of(sim::SimTime t) const { return cursor_.of(t); }
  /// A cursor of its own for a thread that looks up intervals beside the recording one.
  IntervalCursor cursor() const { return {interval_, intervals_}; }
  /// Adds busy server-time [start, end) × weight to `site`, split across intervals (looked
  /// up with `at`, the calling thread's cursor).
  void add_busy(std::size_t site, sim::SimTime start, sim::SimTime end, double weight, IntervalCursor& at);

  /// Dropped requests by origin country × class (weighted).
  double& dropped(std::size_t country, std::size_t cls) { return dropped_[country * classes_n_ + cls]; }
  double dropped(std::size_t country, std::size_t cls) const { return dropped_[country * classes_n_ + cls]; }

  /// Records `weight` requests of origin `country` and class `cls`, arriving at t, as
  /// dropped for `why`: in the totals, by country and class, and in every event window.
  void record_drop(std::size_t country, std::size_t cls, DropReason why, double weight, sim::SimTime t);
  double dropped_by(DropReason why) const { return dropped_by_[static_cast<std::size_t>(why)]; }

  std::vector<EventEffect> events;
  /// Bytes on each directed backbone link and site uplink, per interval (set by the run).
  std::unique_ptr<LinkLoads> link_loads;

  /// Bytes of EEA users' data handled by sites: served to them, copied (replicas, exports,
  /// catch-up), read by staff. The denominator of the EEA-exit share, whose numerator is
  /// the part of these bytes that leaves the EEA (exit_bytes, every reason).
  double eea_data_bytes = 0;
  /// The same per reporting interval, with the exits (every reason) and the legacy-location
  /// exits per interval × country: the EEA-exit share over time, and what data not yet
  /// migrated still causes.
  std::vector<double> eea_data_by_interval, eea_exit_by_interval, legacy_exit_by_interval_country;
  /// The legacy-location exits again by the legacy site that caused them, for the sites a
  /// migration wave empties (`legacy_exit_sources`, set by the Ledger): interval × source ×
  /// country. A wave's figure sums its own sources and users' countries.
  std::vector<std::size_t> legacy_exit_sources;
  std::vector<double> legacy_exit_by_interval_source_country;
  /// The migration schedule the run followed (empty: none), copied from its DataPlan.
  std::vector<std::vector<WaveInterval>> migration_waves;
  std::vector<long> migration_completed_in;  ///< per wave: the interval it finished in, or -1
  std::vector<WaveInfo> migration_wave_info;  ///< per wave: its name and the countries whose data it moves
  /// Stored personal data (with `data:`): day × site × copy, and site × copy at the start.
  std::vector<StorageDay> storage;
  std::vector<double> storage_start;
  std::vector<MigrationTransfer> migration_transfers;

  /// Σ time to first byte (ms) and count over users' requests (staff excluded): the mean
  /// without histograms (the flow model can skip them).
  double user_ttfb_ms_sum = 0, user_ttfb_count = 0;

  // The conservation ledger, weighted requests.
  double generated = 0, served = 0, dropped_total = 0, lost = 0, denied = 0, in_flight = 0;
  /// Bytes (of every kind but migration) still queued behind congested links when the run
  /// ended, or caught up at its last instant: counted as served, replicated, caught up...
  /// but delivered after the horizon. The flow model's backlog; an event run takes its
  /// congestion pass's.
  double undelivered_bytes = 0;
  /// Copies (writes, replicas, exports) still owed to sites down or cut off when the run
  /// ended: not counted as caught up (nor as replica or export bytes) anywhere else.
  double owed_at_end_bytes = 0;
  std::uint64_t simulated_requests = 0;  ///< unweighted, for performance figures
  std::uint64_t events_processed = 0;
  /// Thread CPU seconds spent generating requests and serving them (event fidelity; for
  /// performance figures only, never written to a run folder): with two threads the larger
  /// one bounds the wall time, and unlike wall time neither counts time descheduled.
  double generate_cpu_s = 0, serve_cpu_s = 0;
  /// Batches of served requests' records consumed (recorded) in all, and of them on the
  /// generating thread while it waited for the serving one (performance figures only).
  std::uint64_t record_batches = 0, record_batches_beside_generator = 0;

  /// |generated - (served + dropped + lost + denied + in flight)| relative to generated.
  double conservation_error() const;

 private:
  std::vector<std::string> countries_, sites_, classes_;
  // The sizes the cell indexes multiply by, kept as numbers: a vector's size() is a
  // subtraction and a shift, paid several times per request on the event run's hot path.
  std::size_t columns_;    ///< sites + the edge
  std::size_t classes_n_;
  std::size_t intervals_;
  sim::SimDuration interval_;
  // Makes interval_of a write: recording's, on whichever thread records (an event run's
  // serving loop has its own cursor; its controls use this one, after a drain, when no
  // other thread records).
  mutable IntervalCursor cursor_;
  std::vector<FlowCell> flows_;
  std::vector<double> exits_, exit_bases_;
  std::vector<sim::Histogram> latency_, ttfb_;
  std::vector<SiteInterval> site_series_;
  std::vector<double> dropped_;
  std::array<double, kDropReasons> dropped_by_{};
};

}  // namespace dcsim::models
