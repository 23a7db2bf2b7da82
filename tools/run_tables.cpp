// Typed rows of a run folder's CSVs.
#include "tools/run_tables.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace dcsim::tools {

namespace fs = std::filesystem;

namespace {

// One figure of summary.csv into `h`; `seen` catches a figure listed twice.
void set_figure(const RunTable& t, std::size_t row, const std::string& name, double value, models::Headline& h,
                std::set<std::string>& seen) {
  double q = 0;
  const models::HeadlineFigure* f = models::find_figure(name, &q);
  if (!f) t.fail_row(row, "'" + name + "' is not a headline figure dcsim writes");
  if (!seen.insert(name).second) t.fail_row(row, "'" + name + "' is listed twice");
  if (f->is_family()) f->percentiles(h).push_back({q, value});
  else f->value(h) = value;
}

// A place's position, checked to be on the globe.
void read_position(const RunTable& t, std::size_t row, std::size_t lat_col, std::size_t lon_col, double& lat, double& lon) {
  lat = t.number(row, lat_col);
  lon = t.number(row, lon_col);
  if (lat < -90 || lat > 90) t.fail(row, lat_col, "latitude " + t.text(row, lat_col) + " is off the globe");
  if (lon < -180 || lon > 180) t.fail(row, lon_col, "longitude " + t.text(row, lon_col) + " is off the globe");
}

}  // namespace

models::Headline read_headline(const RunTable& t) {
  const std::size_t metric = t.col("metric"), value = t.col("value");
  if (t.rows() == 0) throw RunFolderDamage(t.file().string() + ": no rows");
  models::Headline h;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < t.rows(); ++i)
    set_figure(t, i, t.text(i, metric), t.optional_number(i, value).value_or(std::nan("")), h, seen);
  for (const models::HeadlineFigure& f : models::kHeadlineFigures)
    if (!f.is_family() && !seen.count(std::string(f.name)))
      throw RunFolderDamage(t.file().string() + ": no row for the headline figure '" + std::string(f.name) + "'");
  return h;
}

std::vector<BorderRow> read_border(const RunTable& t) {
  std::vector<BorderRow> out;
  const std::size_t oc = t.col("origin_country"), oe = t.col("origin_eea"), site = t.col("site"), sc = t.col("site_country"),
                    se = t.col("site_eea"), cb = t.col("cross_border"), bytes = t.col("bytes"), exit = t.col("eea_exit_bytes");
  std::vector<std::pair<std::string, std::size_t>> reasons;  // eea_exit_<reason>_bytes, in ExitReason order
  for (std::size_t r = 0; r < models::kExitReasons; ++r) {
    const std::string reason = models::name(static_cast<models::ExitReason>(r));
    reasons.emplace_back(reason, t.col("eea_exit_" + reason + "_bytes"));
  }
  for (std::size_t i = 0; i < t.rows(); ++i) {
    BorderRow b;
    b.origin_country = t.text(i, oc);
    b.site = t.text(i, site);
    b.site_country = t.text(i, sc);
    b.origin_eea = t.flag(i, oe);
    b.site_eea = t.flag(i, se);
    b.cross_border = t.flag(i, cb);
    b.bytes = t.number(i, bytes);
    b.eea_exit_bytes = t.number(i, exit);
    for (const auto& [reason, c] : reasons) b.eea_exit_by_reason[reason] = t.number(i, c);
    out.push_back(std::move(b));
  }
  return out;
}

std::vector<LatencyRow> read_latency(const RunTable& t) {
  std::vector<LatencyRow> out;
  const std::size_t country = t.col("origin_country"), cls = t.col("class"), measure = t.col("measure"), req = t.col("requests"),
                    mean = t.col("mean_ms"), p50 = t.col("p50_ms"), p90 = t.col("p90_ms"), p95 = t.col("p95_ms"),
                    p99 = t.col("p99_ms"), mx = t.col("max_ms");
  for (std::size_t i = 0; i < t.rows(); ++i) {
    LatencyRow l;
    l.country = t.text(i, country);
    l.cls = t.text(i, cls);
    l.measure = t.text(i, measure);
    l.requests = t.number(i, req);
    // A country × class with no requests has empty percentiles: keep it at zero.
    l.mean_ms = t.optional_number(i, mean).value_or(0);
    l.p50_ms = t.optional_number(i, p50).value_or(0);
    l.p90_ms = t.optional_number(i, p90).value_or(0);
    l.p95_ms = t.optional_number(i, p95).value_or(0);
    l.p99_ms = t.optional_number(i, p99).value_or(0);
    l.max_ms = t.optional_number(i, mx).value_or(0);
    out.push_back(std::move(l));
  }
  return out;
}

std::vector<SiteIntervalRow> read_sites(const RunTable& t) {
  std::vector<SiteIntervalRow> out;
  const std::size_t site = t.col("site"), sc = t.col("site_country"), start = t.col("interval_start_s"), utc = t.col("interval_start_utc"),
                    servers = t.col("servers"), arrivals = t.col("arrivals"), accepted = t.col("accepted"), rejected = t.col("rejected"),
                    spilled = t.col("spilled_in"), util = t.col("utilisation"), mq = t.col("mean_queue"), xq = t.col("max_queue"),
                    wait = t.col("mean_wait_ms"), bytes = t.col("bytes");
  for (std::size_t i = 0; i < t.rows(); ++i) {
    SiteIntervalRow s;
    s.site = t.text(i, site);
    s.site_country = t.text(i, sc);
    s.start_utc = t.text(i, utc);
    s.start_s = t.number(i, start);
    s.servers = t.number(i, servers);
    s.arrivals = t.number(i, arrivals);
    s.accepted = t.number(i, accepted);
    s.rejected = t.number(i, rejected);
    s.spilled_in = t.number(i, spilled);
    s.utilisation = t.number(i, util);
    s.mean_queue = t.number(i, mq);
    s.max_queue = t.number(i, xq);
    s.mean_wait_ms = t.number(i, wait);
    s.bytes = t.number(i, bytes);
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<EventRow> read_events(const RunTable& t) {
  std::vector<EventRow> out;
  const std::size_t id = t.col("event_id"), kind = t.col("kind"), target = t.col("target"), start = t.col("start_s"), end = t.col("end_s"),
                    utc = t.col("start_utc"), lost = t.col("requests_lost"), retried = t.col("requests_retried"),
                    fo = t.col("requests_failed_over"), dropped = t.col("requests_dropped"), exit = t.col("eea_exit_bytes"),
                    catchup = t.col("catchup_bytes"), routes = t.col("routes_changed"), ttr = t.col("time_to_recover_s"),
                    p95 = t.col("ttfb_p95_ms");
  for (std::size_t i = 0; i < t.rows(); ++i) {
    EventRow e;
    e.id = t.text(i, id);
    e.kind = t.text(i, kind);
    e.target = t.text(i, target);
    e.start_utc = t.text(i, utc);
    e.start_s = t.number(i, start);
    e.end_s = t.optional_number(i, end);
    e.time_to_recover_s = t.optional_number(i, ttr);
    e.requests_lost = t.number(i, lost);
    e.requests_retried = t.number(i, retried);
    e.requests_failed_over = t.number(i, fo);
    e.requests_dropped = t.number(i, dropped);
    e.eea_exit_bytes = t.number(i, exit);
    e.catchup_bytes = t.number(i, catchup);
    e.routes_changed = t.number(i, routes);
    e.ttfb_p95_ms = t.optional_number(i, p95).value_or(0);
    out.push_back(std::move(e));
  }
  return out;
}

RunPlaces read_places(const RunFolderReader& run) {
  RunPlaces p;
  if (!run.lists("places.csv")) {
    p.note = "its manifest lists no places.csv (a run folder written before dcsim recorded places)";
    return p;
  }
  const RunTable t = run.table("places.csv");
  const std::size_t kind = t.col("kind"), id = t.col("id"), name = t.col("name"), country = t.col("country"), lat = t.col("lat"),
                    lon = t.col("lon"), users = t.col("monthly_users"), built = t.col("built"), eea = t.col("eea"),
                    adequacy = t.col("adequacy");
  for (std::size_t i = 0; i < t.rows(); ++i) {
    const std::string& k = t.text(i, kind);
    if (k == "country") {
      if (t.flag(i, eea)) p.eea_countries.insert(t.text(i, id));
    } else if (k == "region") {
      RegionPlace r;
      r.id = t.text(i, id);
      r.name = t.text(i, name);
      r.country = t.text(i, country);
      read_position(t, i, lat, lon, r.lat, r.lon);
      r.monthly_users = t.number(i, users);
      if (r.monthly_users < 0) t.fail(i, users, "negative");
      p.regions.push_back(std::move(r));
    } else if (k == "site") {
      SitePlace s;
      s.id = t.text(i, id);
      s.name = t.text(i, name);
      s.country = t.text(i, country);
      read_position(t, i, lat, lon, s.lat, s.lon);
      s.built = t.flag(i, built);
      s.eea = t.flag(i, eea);
      s.adequacy = t.flag(i, adequacy);
      p.sites.push_back(std::move(s));
    } else if (k == "hub") {
      HubPlace h;
      h.id = t.text(i, id);
      h.name = t.text(i, name);
      h.country = t.text(i, country);
      read_position(t, i, lat, lon, h.lat, h.lon);
      p.hubs.push_back(std::move(h));
    } else if (k == "staff") {
      StaffPlace s;
      s.id = t.text(i, id);
      s.country = t.text(i, country);
      read_position(t, i, lat, lon, s.lat, s.lon);
      p.staff.push_back(std::move(s));
    } else {
      t.fail(i, kind, "'" + k + "' is not country, region, site, hub or staff");
    }
  }
  p.available = true;
  return p;
}

std::vector<LinkPeak> read_link_peaks(const RunTable& t) {
  const std::size_t name = t.col("link"), from = t.col("from"), to = t.col("to"), kind = t.col("kind"), cap = t.col("capacity_gbps"),
                    offered = t.col("offered_gbps"), util = t.col("utilisation");
  std::vector<LinkPeak> out;
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < t.rows(); ++i) {
    if (t.text(i, kind) == "uplink") continue;
    auto [it, inserted] = index.try_emplace(t.text(i, name), out.size());
    if (inserted) {
      LinkPeak l;
      l.name = t.text(i, name);
      l.from = t.text(i, from);
      l.to = t.text(i, to);
      l.kind = t.text(i, kind);
      out.push_back(std::move(l));
    }
    LinkPeak& l = out[it->second];
    const double o = t.number(i, offered);
    const auto u = t.optional_number(i, util);
    if (const auto c = t.optional_number(i, cap)) {
      l.capacity_gbps = *c;
      l.has_capacity = true;
    }
    if ((u && *u > l.peak_utilisation) || (!u && o > l.peak_offered_gbps)) {
      if (u) l.peak_utilisation = *u;
      l.peak_offered_gbps = o;
    }
  }
  return out;
}

std::vector<StorageDayTotals> read_storage_totals(const RunTable& t) {
  const std::size_t day = t.col("day"), utc = t.col("day_start_utc"), eea = t.col("site_in_eea"), copy = t.col("copy"),
                    eea_bytes = t.col("eea_users_stored_bytes");
  // Personal data only (content is public videos); a run from before storage.csv had a
  // kind column counted personal data only.
  const std::optional<std::size_t> kind = t.find_col("kind");
  std::map<long, StorageDayTotals> by_day;
  for (std::size_t i = 0; i < t.rows(); ++i) {
    if (kind && t.text(i, *kind) != "personal") continue;
    const auto d = static_cast<long>(t.number(i, day));
    StorageDayTotals& out = by_day[d];
    out.day = d;
    out.start_utc = t.text(i, utc);
    const double b = t.number(i, eea_bytes);
    if (t.text(i, eea) == "0") out.eea_outside_bytes += b;
    if (t.text(i, copy) == "primary") out.eea_primary_bytes += b;
  }
  std::vector<StorageDayTotals> out;
  for (auto& [d, totals] : by_day) out.push_back(std::move(totals));
  return out;
}

std::vector<DayShare> read_day_shares(const RunTable& t) {
  const std::size_t day = t.col("day"), share = t.col("eea_exit_share");
  std::vector<DayShare> out;
  for (std::size_t i = 0; i < t.rows(); ++i) out.push_back({static_cast<long>(t.number(i, day)), t.number(i, share)});
  return out;
}

std::map<std::string, long> read_wave_completion(const RunTable& t) {
  const std::size_t wave = t.col("migration"), day = t.col("day"), complete = t.col("complete");
  // The charts that mark them are of personal data (stored outside the EEA, exits): a
  // content wave changes neither.
  const std::optional<std::size_t> kind = t.find_col("kind");
  std::map<std::string, long> out;
  for (std::size_t i = 0; i < t.rows(); ++i) {
    if (t.number(i, complete) < 1 || (kind && t.text(i, *kind) == "content")) continue;
    const auto d = static_cast<long>(t.number(i, day));
    const auto [it, fresh] = out.emplace(t.text(i, wave), d);
    if (!fresh) it->second = std::min(it->second, d);
  }
  return out;
}

const LatencyRow* RunResults::latency_row(const std::string& country, const std::string& cls, const std::string& measure) const {
  for (const auto& r : latency)
    if (r.country == country && r.cls == cls && r.measure == measure) return &r;
  return nullptr;
}

RunResults read_run_results(const fs::path& dir) {
  const RunFolderReader run(dir);
  RunResults r;
  r.dir = dir;
  r.manifest = run.manifest();
  r.label = r.manifest.label();
  r.headline = read_headline(run.table("summary.csv"));
  r.border = read_border(run.table("border.csv"));
  r.latency = read_latency(run.table("latency.csv"));
  r.sites = read_sites(run.table("sites.csv"));
  r.events = read_events(run.table("events.csv"));
  r.places = read_places(run);
  if (run.lists("links.csv")) r.links = read_link_peaks(run.table("links.csv"));
  if (run.lists("storage.csv")) r.storage = read_storage_totals(run.table("storage.csv"));
  if (run.lists("migrations.csv")) r.waves_done = read_wave_completion(run.table("migrations.csv"));
  if (run.lists("days.csv")) r.days = read_day_shares(run.table("days.csv"));
  if (run.lists("assertions.csv"))
    for (const ClaimRow& c : read_claims(run.table("assertions.csv"))) r.claims.push_back(claim_interval({c}));
  return r;
}

}  // namespace dcsim::tools
