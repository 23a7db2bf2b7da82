// The scenario as plain, validated structs in base units: seconds-since-epoch for calendar
// times, SimDuration for durations, km, bytes, requests per second. Produced only by the
// loader (scenario_loader.hpp); nothing downstream re-checks what the loader guarantees:
// ids are unique, references resolve, numbers are in range.
#pragma once

#include <algorithm>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/scenario/doc_tree.hpp"
#include "sim/time.hpp"

namespace dcsim::models {

enum class Fidelity { Event, Flow };

struct Meta {
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
  std::int64_t start_utc_s = 0;             ///< Unix seconds of simulated time zero
  /// A window of a longer run (dcsim run --window): "<first day> +<days>d of <the run's
  /// start>"; empty for a whole run.
  std::string window;
  sim::SimDuration duration{};              ///< from duration_h
  sim::SimDuration report_interval{};       ///< from report_interval_min
  Fidelity fidelity = Fidelity::Event;
  std::int64_t scale = 1;                   ///< one simulated agent stands for `scale` users
};

/// How a non-EEA country's transfers are adequate: an adequacy decision for everyone, or
/// only for organisations certified under a framework (the EU–US Data Privacy Framework).
enum class AdequacyBasis { Decision, Certification };

struct Country {
  std::string code;  ///< ISO 3166-1 alpha-2
  std::string name;
  bool eu = false;
  bool eea = false;
  bool adequacy = false;  ///< non-EEA country with an EU adequacy decision (of either basis)
  AdequacyBasis adequacy_basis = AdequacyBasis::Decision;
  std::optional<std::int64_t> adequacy_from_utc_s;  ///< in force from (none: always)
  std::string adequacy_source;                       ///< the decision, as a planner would cite it
  std::optional<std::int64_t> population;
  std::optional<std::int64_t> population_year;
  std::optional<double> user_share;  ///< monthly users / population
};

struct Region {
  std::string id;
  std::string name;
  std::string country;
  std::int64_t population = 0;
  std::int64_t population_year = 0;
  double lat = 0, lon = 0;
  double utc_offset_h = 0;         ///< standard time
  double utc_offset_summer_h = 0;  ///< EU summer time (equal to standard where none)
};

enum class SiteStatus { Existing, Announced, Candidate };

struct Site {
  std::string id;
  std::string name;
  std::string country;
  double lat = 0, lon = 0;
  std::string hub;  ///< backbone hub id
  SiteStatus status = SiteStatus::Candidate;
  std::int64_t servers = 0;  ///< request-serving slots (the c of M/M/c)
  std::optional<double> it_power_mw;
  std::optional<double> pue;
  std::optional<double> grid_carbon_g_per_kwh;
  std::optional<double> capex_eur;
  std::optional<double> opex_eur_per_year;
  std::optional<double> uplink_gbps;  ///< the site's connection to its hub, each direction; absent: not a limit
};

struct Hub {
  std::string id;
  std::string name;
  std::string country;
  double lat = 0, lon = 0;
};

enum class LinkKind { Terrestrial, Submarine };

struct Link {
  std::string a, b;  ///< hub ids
  LinkKind kind = LinkKind::Terrestrial;
  std::optional<double> length_km;  ///< real route length; else great-circle × inflation
  double capacity_gbps = 0;
  std::vector<std::string> via;  ///< countries crossed between the two end hubs
  std::string name;
  std::vector<std::string> srlg;  ///< shared-risk link groups (one trench, one landing station)
};

enum class NetworkMode { Explicit, Generated };

/// How an origin–site pair's bytes are spread over backbone paths (network.routing).
enum class RoutingMode {
  Shortest,           ///< the one best path (km + per-hop delay)
  Ecmp,               ///< equal split over the paths whose RTT is within ecmp_tolerance_ms of the best
  KShortest,          ///< the k shortest loop-free paths within max_stretch, split by each path's thinnest link capacity
  MinMaxUtilisation,  ///< the k-shortest candidates, split by an LP minimising the peak interval's maximum link utilisation
};

struct RoutingParams {
  RoutingMode mode = RoutingMode::Shortest;
  std::int64_t k = 4;              ///< paths per pair at most (ecmp, k_shortest, min_max_utilisation)
  double max_stretch = 1.5;        ///< a candidate's network RTT at most this × the best path's (k_shortest, min_max_utilisation)
  double ecmp_tolerance_ms = 1.0;  ///< network RTT within this of the best counts as equal cost (ecmp)
};

struct NetworkParams {
  NetworkMode mode = NetworkMode::Explicit;
  double fibre_km_per_ms = 204.19;    ///< c / 1.468 (group index of G.652 fibre)
  double route_inflation = 1.5;       ///< route length / great-circle for unsourced links (calibrated)
  double access_inflation = 1.5;      ///< same, for region → hub access segments
  sim::SimDuration per_hop{};         ///< router + switching per traversed hub, one way
  sim::SimDuration fixed_rtt{};       ///< constant round-trip overhead of any route (end hosts, DC fabric)
  sim::SimDuration access{};          ///< last mile (access network), one way
  double access_bandwidth_mbps = 50;  ///< a user's download/upload rate: transfer time = bytes / rate
  double link_buffer_ms = 50;         ///< a backbone link's queue at its longest (the delay of a full link)
  RoutingParams routing;              ///< network.routing
  std::int64_t generate_k_nearest = 4;   ///< generated mode: links to k nearest hubs
  double generate_max_link_km = 2500;    ///< generated mode: longest link allowed
  std::vector<Hub> hubs;
  std::vector<Link> links;
};

enum class SizeDist { Fixed, Exponential, Lognormal };

struct SizeModel {
  SizeDist dist = SizeDist::Fixed;
  double mean_bytes = 0;
  double cv = 0;  ///< coefficient of variation (lognormal)
};

enum class ServiceDist { Exponential, Deterministic, Lognormal };

struct ServiceModel {
  ServiceDist dist = ServiceDist::Exponential;
  sim::SimDuration mean{};
  double cv = 1;  ///< lognormal only
};

enum class ClassKind { Read, Write };
enum class ClassOrigin { Users, Staff };

/// Staff location issuing employee-access requests (may be outside Europe).
struct StaffLocation {
  std::string id;
  std::string country;
  double lat = 0, lon = 0;
  double requests_per_day = 0;
};

struct TrafficClass {
  std::string name;
  ClassKind kind = ClassKind::Read;
  ClassOrigin origin = ClassOrigin::Users;
  double rate_per_user_day = 0;  ///< per daily-active user (origin users)
  SizeModel size;
  ServiceModel service_time;
  bool cacheable = false;
  double edge_cache_hit_ratio = 0;  ///< share served from an edge cache in the user's country
  double export_share = 0;          ///< share of writes also copied to export_site
  std::string export_site;
  std::vector<StaffLocation> staff;  ///< origin staff
  /// What the class touches: the user's personal data (held at the data's location:
  /// home, or a legacy site until a migration moves it) or shared content (served where
  /// routing sends it). Default: personal.
  bool personal_data = true;
};

/// Users over the months of a long run. A country with a table has the users it lists for
/// each month (linear between listed months, flat before the first and after the last);
/// every other country grows at `annual_rate`, compounded by UTC day from the run's start.
struct UserGrowth {
  double annual_rate = 0;
  struct CountryMonths {
    std::string country;
    std::vector<std::pair<std::int64_t, double>> users;  ///< month index (year × 12 + month − 1) → monthly users, sorted
  };
  std::vector<CountryMonths> monthly_users;
  /// UTC days from the day the annual rate compounds from to the run's start day: 0, or
  /// for a window of a longer run (dcsim run --window) the window's offset into it.
  std::int64_t rate_origin_days = 0;
  bool any() const { return annual_rate != 0 || !monthly_users.empty(); }
};

struct Traffic {
  double daily_active_share = 0.6;  ///< of monthly users, active on a given day
  std::vector<double> diurnal_local;  ///< 24 weights by local hour, normalised to mean 1
  std::vector<double> weekly_local;   ///< empty, or 7 weights Monday..Sunday by local day, mean 1
  UserGrowth growth;
  std::vector<TrafficClass> classes;
};

/// eea_or_adequate: data may also be held where an adequacy decision (or, when the operator
/// is certified, a certification framework) covers it.
enum class ResidencyMode { EeaOnly, EeaOrAdequate, Nearest, CapacityWeighted, Map };
/// Where reads go. nearest_copy: personal-data reads only where a copy of the user's data
/// is (home or replica, the nearest); content reads as nearest. nearest_with_fetch:
/// personal-data reads at the nearest site, which fetches the data from the nearest copy
/// when it holds none.
enum class ReadRouting { Nearest, NearestWithCapacity, HomeOnly, NearestCopy, NearestWithFetch };
enum class QueueFullAction { Spill, Drop };
enum class ReplicationScope { SameJurisdiction, Eea, Any };
enum class ReplicationDistinct { Site, Country };

struct Policies {
  ResidencyMode residency = ResidencyMode::Nearest;
  std::map<std::string, std::string> residency_map;  ///< country → site (mode map)
  std::string residency_default_site;                ///< mode map: countries not listed
  ReadRouting reads = ReadRouting::Nearest;
  QueueFullAction on_queue_full = QueueFullAction::Drop;
  bool spill_outside_eea = false;  ///< may a request leave the EEA when EEA sites are full/down
  double queue_limit_per_server = 4;  ///< waiting room = factor × servers
  std::int64_t replication_copies = 0;
  ReplicationScope replication_scope = ReplicationScope::SameJurisdiction;
  ReplicationDistinct replication_distinct = ReplicationDistinct::Site;
  bool retry_in_flight = true;   ///< a site going dark: its requests retry elsewhere (else lost)
  bool temporary_home = true;    ///< writes whose home is down may go to another allowed site
  bool employee_access_allowed = true;
  double employee_access_approved_share = 1.0;  ///< share of staff requests let through
  bool transfers_certified = false;  ///< the operator is certified where adequacy needs it (e.g. the DPF)
  /// Of content reads (classes with data: content), the share for objects placed at every
  /// site (the popular head); the rest (the long tail) is held only at its uploader's home
  /// and that home's replicas. 1: every object everywhere.
  double content_everywhere_share = 1.0;
  /// Of the content's bytes, the share in that popular head, stored at every built site
  /// (storage.csv); the reader sets it to content_everywhere_share when not given (no
  /// popularity skew: the most storage the head could need).
  double content_everywhere_bytes_share = 1.0;
};

enum class EventKind {
  SiteOutage, LinkCut, SrlgCut, SiteOnline, SiteOffline, CapacityChange, DemandSurge, PolicySwitch
};

/// A what-if event. The policy-switch patch is kept as (path, yaml value text).
struct ScenarioEvent {
  EventKind kind = EventKind::SiteOutage;
  std::string id;
  sim::SimDuration at{};                   ///< offset from run start
  std::optional<sim::SimDuration> duration;
  std::string site;                        ///< site_* and capacity_change
  std::string link_a, link_b;              ///< link_cut
  std::string srlg;                        ///< srlg_cut: the shared-risk group whose links all fail
  double capacity_loss = 1.0;              ///< site_outage: share of servers lost
  double capacity_factor = 1.0;            ///< capacity_change: servers × factor
  std::vector<std::string> countries;      ///< demand_surge
  std::vector<std::string> regions;        ///< demand_surge
  std::vector<std::string> classes;        ///< demand_surge (empty: all)
  double demand_factor = 1.0;              ///< demand_surge
  std::vector<std::pair<std::string, std::string>> policy_set;  ///< policy_switch
  Policies policies_after;                 ///< policy_switch: the policies it switches to
};

/// Which users a data rule covers: those of the listed countries, or (empty list) of
/// every EEA country.
struct UserSelection {
  std::vector<std::string> countries;
  /// Whether users of `country` are selected (`in_eea`: whether that country is in the EEA).
  bool covers(const std::string& country, bool in_eea) const {
    return countries.empty() ? in_eea : std::find(countries.begin(), countries.end(), country) != countries.end();
  }
};

/// Where the pre-plan policy put the personal data of some users: shares over built sites.
/// What stored data a stock rule or a migration concerns: the users' personal data or the
/// content (videos) they uploaded.
enum class DataKind { Personal, Content };

struct LegacyStock {
  DataKind kind = DataKind::Personal;
  UserSelection users;
  std::vector<std::pair<std::string, double>> sites;  ///< site id → share of these users' data
};

/// Background: only link capacity the users and the other waves leave spare; reserved: its
/// rate whatever the users need (they share what is left), up to the links' capacity that
/// reserved waves listed before it leave (DataPlan).
enum class MigrationPriority { Background, Reserved };

/// A wave moving the personal data of selected users from legacy sites to a site.
/// A migration's `to` meaning each user's home under the residency tables at the start.
inline const std::string kMigrateToHome = "home";

struct Migration {
  std::string id;
  DataKind kind = DataKind::Personal;  ///< whose data it moves: personal, or their uploads
  UserSelection users;
  std::vector<std::string> from;  ///< legacy sites it empties (of these users' data)
  std::string to;                 ///< destination site, or kMigrateToHome
  sim::SimDuration start{};       ///< offset from run start
  std::optional<sim::SimDuration> deadline;  ///< reported against, never enforced
  double rate_gbps = 0;           ///< the wave's cap
  MigrationPriority priority = MigrationPriority::Background;
};

/// `data:`: users' stored personal data and content. Absent: no stored-data model, personal
/// data lives at its home as the residency tables say.
struct DataSpec {
  double personal_bytes_per_user = 0;  ///< stored at the start, per monthly user
  double deletion_per_day = 0;         ///< share of stored bytes deleted per day
  /// Content uploaded by the region's users, stored at the start, per monthly user; unset:
  /// content is not counted in storage.csv.
  std::optional<double> content_bytes_per_user;
  double content_deletion_per_day = 0;  ///< share of stored content deleted per day
  std::vector<LegacyStock> legacy;     ///< users whose data starts away from home
  /// How data moves when a site_online or policy_switch re-homes users (data.rehome): a wave
  /// per such event from the old homes to the new, at this cap and priority.
  double rehome_rate_gbps = 100;  // ASSUMPTION (scenarios/data/README.md)
  MigrationPriority rehome_priority = MigrationPriority::Background;
  bool enabled() const { return personal_bytes_per_user > 0 || content_bytes_per_user.has_value(); }
};

struct Outputs {
  std::vector<double> latency_percentiles{50, 90, 95, 99};
  bool paths = true;  ///< write paths.csv (regions × sites)
};

/// Weights (per unit in the key's name) of the placement objective's terms.
struct PlacementObjective {
  double ttfb_mean_ms = 1.0;
  double ttfb_p95_ms = 0.0;
  double cross_border_pb = 0.0;   ///< per PB per day
  double eea_exit_pb = 0.0;       ///< per PB per day
  double capex_meur = 0.0;        ///< per million EUR of the new sites
  double opex_meur_per_year = 0.0;
  double carbon_kt_per_year = 0.0;  ///< kt CO2 per year from the new sites' provisioned power
};

/// `placement:`: what `dcsim place` chooses from and optimises (models/placement.hpp).
/// Absent section: these defaults (mean TTFB only, every candidate site).
struct PlacementSpec {
  std::vector<std::string> candidates;  ///< empty: every catalog site with status candidate
  PlacementObjective objective;
  double max_peak_utilisation = 1.0;
  std::vector<std::string> require_countries;  ///< at least one new site in each
  std::vector<std::string> exclude_countries;
  double budget_meur = 1e12;
  std::int64_t exhaustive_limit = 5000;  ///< enumerate when C(n, k) is at most this
};

/// A plan claim (`assertions:`), checked after each run: `metric` (a headline figure of
/// summary.csv, by its name there; tools/assertions.hpp checks it against the figure table)
/// within [min, max], for one `country` (latency figures) or `site` (utilisation) when set.
struct Assertion {
  std::string id;
  std::string metric;
  std::string country, site;
  std::optional<double> min, max;
  std::string description;
  SourceLoc loc, metric_loc;  ///< of the item and of its metric, for errors found later
  std::string path;           ///< "assertions[2]"
};

struct Scenario {
  std::string source_path;   ///< the top-level file
  std::vector<std::string> source_files;  ///< every file read (top level, then includes), for provenance
  std::vector<std::string> overrides;     ///< --set assignments applied
  std::string variant;       ///< empty: the base
  std::vector<std::string> variant_names;  ///< every variant the file defines
  Meta meta;
  std::vector<Country> countries;
  std::vector<Region> regions;
  std::vector<Site> sites;          ///< the catalog: built and candidate
  std::vector<std::string> build_out;  ///< ids of sites in service
  NetworkParams network;
  Traffic traffic;
  Policies policies;
  std::vector<ScenarioEvent> events;
  DataSpec data;
  std::vector<Migration> migrations;
  Outputs outputs;
  PlacementSpec placement;
  std::vector<Assertion> assertions;

  const Country* find_country(const std::string& code) const;
  const Site* find_site(const std::string& id) const;
  bool in_eea(const std::string& country_code) const;
  /// Whether data may go to a non-EEA country at Unix time t under adequacy: a decision in
  /// force, or a certification framework in force that the operator is certified under.
  bool adequate_at(const std::string& country_code, std::int64_t unix_s, const Policies& p) const;
};

}  // namespace dcsim::models
