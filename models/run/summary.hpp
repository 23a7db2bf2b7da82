// The headline figures of a run, defined once: `Headline` holds them as named members, and
// `kHeadlineFigures` lists each one (its summary.csv name, unit, label and description) in
// summary.csv order. The writer prints summary.csv from the table, readers of run folders
// fill a Headline back through it, and the README's figure list is checked against it, so a
// figure is named in one place. Shares are of bytes handled by sites (served, replicated,
// exported); edge-cache bytes stay in the user's country and are reported on their own.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/run/metrics.hpp"
#include "models/network/world.hpp"

namespace dcsim::models {

/// A latency percentile the scenario asks for (outputs.latency_percentiles), in ms.
struct Percentile {
  double q = 0;  ///< 0-100
  double ms = 0;
};

class FigureName;

struct Headline {
  double generated_requests = 0, served_requests = 0, dropped_requests = 0;
  std::array<double, kDropReasons> dropped_requests_by{};  ///< by DropReason
  double lost_requests = 0, denied_requests = 0, in_flight_requests = 0, dropped_share = 0;
  double site_bytes = 0, edge_bytes = 0, served_bytes = 0, replica_bytes = 0, export_bytes = 0, catchup_bytes = 0, fetch_bytes = 0;
  double cross_border_bytes = 0, cross_border_share = 0, transit_crossing_bytes = 0;
  double eea_data_site_bytes = 0, eea_exit_bytes = 0, eea_exit_share = 0;
  std::array<double, kExitReasons> eea_exit_bytes_by{};  ///< by ExitReason
  std::array<double, kLegalBases> eea_exit_bytes_by_basis{};  ///< by LegalBasis (same total)
  double eea_exit_third_country_share = 0;  ///< third-country exits over EEA users' site bytes
  double latency_mean_ms = 0;
  std::vector<Percentile> latency_ms;  ///< completion time, users' requests
  double ttfb_mean_ms = 0;
  std::vector<Percentile> ttfb_ms;     ///< time to first byte, users' requests
  double mean_site_utilisation = 0, peak_site_utilisation = 0, conservation_error = 0;
  double peak_link_utilisation = 0, link_hours_above_80pct_h = 0, submarine_bytes = 0, transatlantic_peak_gbps = 0;
  double undelivered_bytes = 0, owed_at_end_bytes = 0;
  // Migrations (0 without them).
  double migrated_bytes = 0, migrated_transatlantic_bytes = 0, migration_remaining_bytes = 0;
  /// Hours from the start after which the EEA-exit share of every reporting interval stays
  /// below 1 % (0: always; -1: not by the end of the run).
  double eea_exit_share_below_1pct_from_h = 0;

  /// The q-th percentile, when the run computed it.
  std::optional<double> latency_p(double q) const;
  std::optional<double> ttfb_p(double q) const;
  /// A figure by its summary.csv name, checked against kHeadlineFigures when compiled;
  /// nullopt for a percentile the run did not compute.
  std::optional<double> find(FigureName name) const;
  /// find(), or std::out_of_range for a percentile the run did not compute.
  double get(FigureName name) const;
};

/// What a figure counts, which also fixes how summary.csv prints it (figure_decimals).
enum class FigureUnit : std::uint8_t { Requests, Bytes, Fraction, Ms, Hours, Gbps };
std::string_view unit_name(FigureUnit u);
/// Decimals summary.csv prints: 6 for fractions (shares, utilisation, error), else 3.
int figure_decimals(FigureUnit u);

/// One row of summary.csv, or for a percentile family one row per percentile: its name
/// has "<q>" where the percentile goes (latency_p<q>_ms → latency_p95_ms).
struct HeadlineFigure {
  std::string_view name;
  FigureUnit unit;
  std::string_view label;        ///< a short title for tables
  std::string_view description;  ///< what it counts, one sentence
  double& (*value)(Headline&) = nullptr;                         ///< a single figure
  std::vector<Percentile>& (*percentiles)(Headline&) = nullptr;  ///< a percentile family

  constexpr bool is_family() const { return percentiles != nullptr; }
  /// The summary.csv name (for a family, of percentile q).
  std::string name_for(double q = 0) const;
};

namespace figure_access {
template <auto Member>
double& member(Headline& h) { return h.*Member; }
template <auto Array, std::size_t I>
double& element(Headline& h) { return (h.*Array)[I]; }
template <auto Member>
std::vector<Percentile>& family(Headline& h) { return h.*Member; }
}  // namespace figure_access

// Drop and exit reasons are listed in enum order: the table's test checks each name
// against name(DropReason) and name(ExitReason).
inline constexpr HeadlineFigure kHeadlineFigures[] = {
    {"generated_requests", FigureUnit::Requests, "Requests generated", "All requests users and staff made during the run (real units)",
     &figure_access::member<&Headline::generated_requests>},
    {"served_requests", FigureUnit::Requests, "Requests served", "Requests a site or an edge cache served",
     &figure_access::member<&Headline::served_requests>},
    {"dropped_requests", FigureUnit::Requests, "Requests dropped", "Requests no site took, all reasons",
     &figure_access::member<&Headline::dropped_requests>},
    {"dropped_queue_full_requests", FigureUnit::Requests, "Dropped: queue full", "Dropped because every candidate site was full",
     &figure_access::element<&Headline::dropped_requests_by, 0>},
    {"dropped_home_down_requests", FigureUnit::Requests, "Dropped: home down",
     "Dropped because their data's home site was down and temporary homes are off",
     &figure_access::element<&Headline::dropped_requests_by, 1>},
    {"dropped_no_site_requests", FigureUnit::Requests, "Dropped: no site", "Dropped because no site in service is allowed to take them",
     &figure_access::element<&Headline::dropped_requests_by, 2>},
    {"dropped_unreachable_requests", FigureUnit::Requests, "Dropped: unreachable",
     "Dropped because allowed sites exist but none has a path from the user", &figure_access::element<&Headline::dropped_requests_by, 3>},
    {"lost_requests", FigureUnit::Requests, "Requests lost", "Requests in service or waiting at a site that went dark, not retried",
     &figure_access::member<&Headline::lost_requests>},
    {"denied_requests", FigureUnit::Requests, "Requests denied", "Staff requests the employee-access policy did not approve",
     &figure_access::member<&Headline::denied_requests>},
    {"in_flight_requests", FigureUnit::Requests, "Requests in flight", "Requests still in service or waiting when the run ended",
     &figure_access::member<&Headline::in_flight_requests>},
    {"dropped_share", FigureUnit::Fraction, "Dropped share", "Dropped requests over generated requests",
     &figure_access::member<&Headline::dropped_share>},
    {"site_bytes", FigureUnit::Bytes, "Bytes handled by sites", "Bytes served, replicated, exported, caught up and fetched by data-center sites",
     &figure_access::member<&Headline::site_bytes>},
    {"edge_bytes", FigureUnit::Bytes, "Bytes from edge caches", "Cacheable reads served by an edge cache in the user's own country",
     &figure_access::member<&Headline::edge_bytes>},
    {"served_bytes", FigureUnit::Bytes, "Bytes served", "Bytes sites served to users and staff",
     &figure_access::member<&Headline::served_bytes>},
    {"replica_bytes", FigureUnit::Bytes, "Replica bytes", "Bytes of writes copied to replica sites",
     &figure_access::member<&Headline::replica_bytes>},
    {"export_bytes", FigureUnit::Bytes, "Export bytes", "Bytes copied to analytics export sites",
     &figure_access::member<&Headline::export_bytes>},
    {"catchup_bytes", FigureUnit::Bytes, "Catch-up bytes", "Bytes copied to a site when it came back (writes and replicas it missed)",
     &figure_access::member<&Headline::catchup_bytes>},
    {"fetch_bytes", FigureUnit::Bytes, "Fetch bytes",
     "Bytes sites fetched from the nearest copy to serve reads of data they hold no copy of (reads: nearest_with_fetch; long-tail content)",
     &figure_access::member<&Headline::fetch_bytes>},
    {"cross_border_bytes", FigureUnit::Bytes, "Cross-border bytes", "Site bytes whose site is in another country than the user",
     &figure_access::member<&Headline::cross_border_bytes>},
    {"cross_border_share", FigureUnit::Fraction, "Cross-border share", "Cross-border bytes over site bytes",
     &figure_access::member<&Headline::cross_border_share>},
    {"transit_crossing_bytes", FigureUnit::Bytes, "Transit-crossing bytes", "Site bytes times the transit countries their route crosses",
     &figure_access::member<&Headline::transit_crossing_bytes>},
    {"eea_data_site_bytes", FigureUnit::Bytes, "EEA users' site bytes",
     "Bytes of EEA users' data that sites handle: served, replicated, exported, caught up, fetched, read by staff",
     &figure_access::member<&Headline::eea_data_site_bytes>},
    {"eea_exit_bytes", FigureUnit::Bytes, "EEA-exit bytes", "EEA users' bytes that land on or are read from outside the EEA, all reasons",
     &figure_access::member<&Headline::eea_exit_bytes>},
    {"eea_exit_share", FigureUnit::Fraction, "EEA-exit share", "EEA-exit bytes over EEA users' site bytes",
     &figure_access::member<&Headline::eea_exit_share>},
    {"eea_exit_policy_bytes", FigureUnit::Bytes, "EEA exit: policy", "EEA-exit bytes sent out of the EEA by the policy in force",
     &figure_access::element<&Headline::eea_exit_bytes_by, 0>},
    {"eea_exit_spill_bytes", FigureUnit::Bytes, "EEA exit: spill", "EEA-exit bytes of requests spilled out of the EEA by full sites",
     &figure_access::element<&Headline::eea_exit_bytes_by, 1>},
    {"eea_exit_failover_bytes", FigureUnit::Bytes, "EEA exit: failover", "EEA-exit bytes of requests whose site was down",
     &figure_access::element<&Headline::eea_exit_bytes_by, 2>},
    {"eea_exit_employee_access_bytes", FigureUnit::Bytes, "EEA exit: employee access",
     "EEA-exit bytes read by staff outside the EEA from sites in the EEA", &figure_access::element<&Headline::eea_exit_bytes_by, 3>},
    {"eea_exit_export_bytes", FigureUnit::Bytes, "EEA exit: export", "EEA-exit bytes of analytics exports",
     &figure_access::element<&Headline::eea_exit_bytes_by, 4>},
    {"eea_exit_replication_bytes", FigureUnit::Bytes, "EEA exit: replication", "EEA-exit bytes of replica copies",
     &figure_access::element<&Headline::eea_exit_bytes_by, 5>},
    {"eea_exit_legacy_location_bytes", FigureUnit::Bytes, "EEA exit: legacy location",
     "EEA-exit bytes of personal data still held at a legacy site outside the EEA (not yet migrated)",
     &figure_access::element<&Headline::eea_exit_bytes_by, 6>},
    {"eea_exit_fetch_bytes", FigureUnit::Bytes, "EEA exit: fetch",
     "EEA-exit bytes fetched from a copy in the EEA by a site outside it to serve a read there",
     &figure_access::element<&Headline::eea_exit_bytes_by, 7>},
    {"eea_exit_adequacy_bytes", FigureUnit::Bytes, "EEA exit to adequacy",
     "EEA-exit bytes to a country with an EU adequacy decision in force when they left",
     &figure_access::element<&Headline::eea_exit_bytes_by_basis, 0>},
    {"eea_exit_adequacy_certified_bytes", FigureUnit::Bytes, "EEA exit to certified adequacy",
     "EEA-exit bytes to a country whose adequacy covers certified organisations only (the EU-US DPF), the operator certified",
     &figure_access::element<&Headline::eea_exit_bytes_by_basis, 1>},
    {"eea_exit_third_country_bytes", FigureUnit::Bytes, "EEA exit to third countries",
     "EEA-exit bytes to a country without adequacy for the operator when they left (safeguards such as SCCs needed)",
     &figure_access::element<&Headline::eea_exit_bytes_by_basis, 2>},
    {"eea_exit_third_country_share", FigureUnit::Fraction, "EEA-exit share, third countries",
     "EEA-exit bytes to third countries over EEA users' site bytes", &figure_access::member<&Headline::eea_exit_third_country_share>},
    {"latency_mean_ms", FigureUnit::Ms, "Completion mean", "Mean time to complete a user's request, transfer included (staff excluded)",
     &figure_access::member<&Headline::latency_mean_ms>},
    {"latency_p<q>_ms", FigureUnit::Ms, "Completion", "Percentile of the time to complete a user's request, one per outputs.latency_percentiles",
     nullptr, &figure_access::family<&Headline::latency_ms>},
    {"ttfb_mean_ms", FigureUnit::Ms, "Time to first byte mean", "Mean time to first byte of a user's request (staff excluded)",
     &figure_access::member<&Headline::ttfb_mean_ms>},
    {"ttfb_p<q>_ms", FigureUnit::Ms, "Time to first byte", "Percentile of the time to first byte, one per outputs.latency_percentiles",
     nullptr, &figure_access::family<&Headline::ttfb_ms>},
    {"mean_site_utilisation", FigureUnit::Fraction, "Mean site utilisation", "Busy server-time over server-time, over all sites and intervals",
     &figure_access::member<&Headline::mean_site_utilisation>},
    {"peak_site_utilisation", FigureUnit::Fraction, "Peak site utilisation", "Utilisation of the busiest site in its busiest interval",
     &figure_access::member<&Headline::peak_site_utilisation>},
    {"peak_link_utilisation", FigureUnit::Fraction, "Peak link utilisation",
     "Offered over capacity of the busiest directed backbone link or site uplink in its busiest interval (links.csv has them all)",
     &figure_access::member<&Headline::peak_link_utilisation>},
    {"link_hours_above_80pct_h", FigureUnit::Hours, "Link-hours above 80 %",
     "Hours each directed link or uplink spent above 80 % utilisation, summed over links",
     &figure_access::member<&Headline::link_hours_above_80pct_h>},
    {"submarine_bytes", FigureUnit::Bytes, "Bytes on submarine cables", "Bytes offered to submarine links, both directions, each link counted",
     &figure_access::member<&Headline::submarine_bytes>},
    {"transatlantic_peak_gbps", FigureUnit::Gbps, "Transatlantic peak",
     "Offered Gbps on links between Europe and North America, both directions, in the busiest interval",
     &figure_access::member<&Headline::transatlantic_peak_gbps>},
    {"conservation_error", FigureUnit::Fraction, "Conservation error",
     "How far generated differs from served + dropped + lost + denied + in flight, over generated", &figure_access::member<&Headline::conservation_error>},
    {"migrated_bytes", FigureUnit::Bytes, "Bytes migrated", "Migration waves (personal data and content) moved between sites (not user traffic)",
     &figure_access::member<&Headline::migrated_bytes>},
    {"migrated_transatlantic_bytes", FigureUnit::Bytes, "Bytes migrated across the Atlantic",
     "Migrated bytes whose path crosses a link between North America and Europe", &figure_access::member<&Headline::migrated_transatlantic_bytes>},
    {"migration_remaining_bytes", FigureUnit::Bytes, "Bytes still to migrate", "What the waves had still to move when the run ended",
     &figure_access::member<&Headline::migration_remaining_bytes>},
    {"eea_exit_share_below_1pct_from_h", FigureUnit::Hours, "EEA-exit share below 1 % from",
     "Hours from the start after which every reporting interval's EEA-exit share stays below 1 % (-1: not by the end)",
     &figure_access::member<&Headline::eea_exit_share_below_1pct_from_h>},
    {"undelivered_bytes", FigureUnit::Bytes, "Bytes undelivered at the end",
     "Bytes served, replicated, exported, fetched or caught up (counted above) that had not crossed the links when the run ended: queued behind congested links or a cut not repaired by then, or caught up at its last instant",
     &figure_access::member<&Headline::undelivered_bytes>},
    {"catchup_owed_at_end_bytes", FigureUnit::Bytes, "Catch-up still owed at the end",
     "Copies (writes, replicas, exports) owed to sites down or cut off when the run ended, not counted elsewhere",
     &figure_access::member<&Headline::owed_at_end_bytes>},
};

namespace detail {
// A family's name with a number (digits, at most one '.') where "<q>" is.
constexpr bool matches_family(std::string_view pattern, std::string_view name) {
  const std::size_t hole = pattern.find("<q>");
  const std::string_view head = pattern.substr(0, hole), tail = pattern.substr(hole + 3);
  if (name.size() <= head.size() + tail.size() || name.substr(0, head.size()) != head || name.substr(name.size() - tail.size()) != tail)
    return false;
  const std::string_view q = name.substr(head.size(), name.size() - head.size() - tail.size());
  int dots = 0;
  for (char c : q) {
    if (c == '.') ++dots;
    else if (c < '0' || c > '9') return false;
  }
  return dots <= 1 && q.front() != '.' && q.back() != '.';
}
}  // namespace detail

/// The table entry `name` belongs to (nullptr for none); for a family, `q` is set to the percentile.
const HeadlineFigure* find_figure(std::string_view name, double* q = nullptr);

/// A figure name known to kHeadlineFigures, checked while compiling: a typo in
/// `h.get("ttfb_p59_mss")` is a compile error at the call, not a failure at run time.
class FigureName {
 public:
  consteval FigureName(const char* name) : name_(name) {  // NOLINT: implicit on purpose
    bool known = false;
    for (const HeadlineFigure& f : kHeadlineFigures)
      // A family is told by its "<q>", not by is_family(): comparing a function pointer
      // with nullptr is not a constant expression under -fsanitize=undefined.
      known = known || (f.name.find("<q>") != std::string_view::npos ? detail::matches_family(f.name, name_) : f.name == name_);
    if (!known) throw "not a headline figure: see kHeadlineFigures in models/summary.hpp";
  }
  std::string_view text() const { return name_; }

 private:
  std::string_view name_;
};

/// summary.csv's rows in order: name, value and the table entry it comes from.
struct HeadlineRow {
  std::string name;
  double value = 0;
  const HeadlineFigure* figure = nullptr;
};
std::vector<HeadlineRow> headline_rows(const Headline& h);

/// EEA membership of each Metrics country.
std::vector<bool> eea_countries(const Metrics& m, const World& w);

Headline compute_headline(const Metrics& m, const World& w);

}  // namespace dcsim::models
