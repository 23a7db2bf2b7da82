// The CSV and JSON writers of a run folder.
#include "tools/writers.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <set>
#include <filesystem>
#include <sstream>

#include "dcsim/version.hpp"
#include "models/run/link_summary.hpp"
#include "models/run/summary.hpp"
#include "tools/csv.hpp"
#include "tools/file_io.hpp"
#include "tools/json.hpp"
#include "tools/sha256.hpp"

namespace dcsim::tools {

std::string row_lead(const RunIdentity& id) {
  return csv_field(id.run_id) + "," + csv_field(id.scenario) + "," + csv_field(id.variant) + "," + std::to_string(id.seed) + ",";
}

std::string count(double v) { return csv_number(v, 0); }

namespace {

const char* kLeadColumns = "run_id,scenario,variant,seed,";

std::string percentile_name(double q) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "p%g_ms", q);
  return buf;
}


// One row per headline figure, in the order and with the names of kHeadlineFigures.
std::string summary_csv(const RunIdentity& id, const models::Metrics& m, const models::World& w) {
  std::string out = std::string(kLeadColumns) + "metric,value\n";
  for (const models::HeadlineRow& row : models::headline_rows(models::compute_headline(m, w)))
    out += row_lead(id) + row.name + "," + csv_number(row.value, models::figure_decimals(row.figure->unit)) + "\n";
  return out;
}

std::string flows_csv(const RunIdentity& id, const models::Metrics& m, const models::World& w) {
  std::string out = std::string(kLeadColumns) + "origin_country,site,site_country,class,kind,requests,bytes,transit_crossing_bytes\n";
  const std::size_t ns = m.sites().size();
  for (std::size_t c = 0; c < m.countries().size(); ++c)
    for (std::size_t s = 0; s <= ns; ++s)
      for (std::size_t k = 0; k < m.classes().size(); ++k)
        for (std::size_t f = 0; f < models::kFlowKinds; ++f) {
          const auto kind = static_cast<models::FlowKind>(f);
          const models::FlowCell& cell = m.flow(c, s, k, kind);
          if (cell.requests == 0 && cell.bytes == 0) continue;
          const std::string site = s == ns ? "edge" : m.sites()[s];
          const std::string site_country = s == ns ? m.countries()[c] : w.scenario().find_site(m.sites()[s])->country;
          out += row_lead(id) + m.countries()[c] + "," + csv_field(site) + "," + site_country + "," + csv_field(m.classes()[k]) + "," +
                 models::name(kind) + "," + count(cell.requests) + "," + count(cell.bytes) + "," + count(cell.transit_bytes) + "\n";
        }
  return out;
}

std::string border_csv(const RunIdentity& id, const models::Metrics& m, const models::World& w) {
  std::string out = std::string(kLeadColumns) + "origin_country,origin_eea,site,site_country,site_eea,cross_border,bytes,transit_crossing_bytes,eea_exit_bytes";
  for (std::size_t r = 0; r < models::kExitReasons; ++r) out += std::string(",eea_exit_") + models::name(static_cast<models::ExitReason>(r)) + "_bytes";
  for (std::size_t b = 0; b < models::kLegalBases; ++b) out += std::string(",eea_exit_") + models::name(static_cast<models::LegalBasis>(b)) + "_bytes";
  out += "\n";
  const auto eea = models::eea_countries(m, w);
  const std::size_t ns = m.sites().size();
  for (std::size_t c = 0; c < m.countries().size(); ++c)
    for (std::size_t s = 0; s < ns; ++s) {
      double bytes = 0, transit = 0, exits = 0;
      for (std::size_t k = 0; k < m.classes().size(); ++k)
        for (std::size_t f = 0; f < models::kFlowKinds; ++f) {
          bytes += m.flow(c, s, k, static_cast<models::FlowKind>(f)).bytes;
          transit += m.flow(c, s, k, static_cast<models::FlowKind>(f)).transit_bytes;
        }
      for (std::size_t r = 0; r < models::kExitReasons; ++r) exits += m.exit_bytes(c, s, static_cast<models::ExitReason>(r));
      if (bytes == 0 && exits == 0) continue;
      const models::Site* site = w.scenario().find_site(m.sites()[s]);
      out += row_lead(id) + m.countries()[c] + "," + (eea[c] ? "1" : "0") + "," + csv_field(site->id) + "," + site->country + "," +
             (w.scenario().in_eea(site->country) ? "1" : "0") + "," + (site->country != m.countries()[c] ? "1" : "0") + "," +
             count(bytes) + "," + count(transit) + "," + count(exits);
      for (std::size_t r = 0; r < models::kExitReasons; ++r) out += "," + count(m.exit_bytes(c, s, static_cast<models::ExitReason>(r)));
      for (std::size_t b = 0; b < models::kLegalBases; ++b) out += "," + count(m.exit_basis_bytes(c, s, static_cast<models::LegalBasis>(b)));
      out += "\n";
    }
  return out;
}

// One row per origin country × class, plus "ALL" rows: per class over countries, per
// country over the user classes, and over everything; for both measures (time to first
// byte, and completion).
std::string latency_csv(const RunIdentity& id, const models::Metrics& m, const models::World& w) {
  const auto& qs = w.scenario().outputs.latency_percentiles;
  std::string out = std::string(kLeadColumns) + "origin_country,class,measure,requests,mean_ms";
  for (double q : qs) out += "," + percentile_name(q);
  out += ",max_ms\n";
  auto row = [&](const std::string& country, const std::string& cls, const char* measure, const sim::Histogram& h) {
    if (h.count() == 0) return;
    out += row_lead(id) + country + "," + csv_field(cls) + "," + measure + "," + std::to_string(h.count()) + "," +
           csv_number(h.mean() / 1000.0, 3);
    for (double q : qs) out += "," + csv_number(h.quantile(q / 100.0) / 1000.0, 3);
    out += "," + csv_number(static_cast<double>(h.max()) / 1000.0, 3) + "\n";
  };
  const std::size_t nc = m.countries().size(), nk = m.classes().size();
  for (int measure = 0; measure < 2; ++measure) {
    const char* mname = measure == 0 ? "ttfb" : "completion";
    auto hist = [&](std::size_t c, std::size_t k) -> const sim::Histogram& { return measure == 0 ? m.ttfb(c, k) : m.latency(c, k); };
    sim::Histogram everything(models::kLatencyPrecisionBits);
    for (std::size_t c = 0; c < nc; ++c) {
      sim::Histogram users(models::kLatencyPrecisionBits);
      for (std::size_t k = 0; k < nk; ++k) {
        row(m.countries()[c], m.classes()[k], mname, hist(c, k));
        if (w.scenario().traffic.classes[k].origin == models::ClassOrigin::Users) users.merge(hist(c, k));
      }
      row(m.countries()[c], "ALL", mname, users);
      everything.merge(users);
    }
    for (std::size_t k = 0; k < nk; ++k) {
      sim::Histogram all(models::kLatencyPrecisionBits);
      for (std::size_t c = 0; c < nc; ++c) all.merge(hist(c, k));
      row("ALL", m.classes()[k], mname, all);
    }
    row("ALL", "ALL", mname, everything);
  }
  return out;
}

std::string sites_csv(const RunIdentity& id, const models::Metrics& m, const models::World& w) {
  std::string out = std::string(kLeadColumns) +
                    "site,site_country,interval,interval_start_s,interval_start_utc,servers,arrivals,accepted,rejected,"
                    "spilled_in,utilisation,mean_queue,max_queue,mean_wait_ms,bytes\n";
  const std::int64_t start = w.scenario().meta.start_utc_s;
  const double iv_ns = static_cast<double>(m.interval().count());
  for (std::size_t s = 0; s < m.sites().size(); ++s) {
    if (!w.sites()[s].built) continue;
    for (std::size_t i = 0; i < m.intervals(); ++i) {
      const models::SiteInterval& v = m.site_interval(s, i);
      const double t0 = static_cast<double>(i) * iv_ns * 1e-9;
      const std::string utc = utc_text(start + static_cast<std::int64_t>(t0));
      const double span_ns = std::min(iv_ns, static_cast<double>(w.scenario().meta.duration.count()) - static_cast<double>(i) * iv_ns);
      const double servers = span_ns > 0 ? v.capacity_ns / span_ns : 0;
      out += row_lead(id) + csv_field(m.sites()[s]) + "," + w.sites()[s].site->country + "," + std::to_string(i) + "," +
             csv_number(t0, 0) + "," + utc + "," + csv_number(servers, 0) + "," + count(v.arrivals) + "," + count(v.accepted) + "," +
             count(v.rejected) + "," + count(v.spilled_in) + "," + csv_number(v.capacity_ns > 0 ? v.busy_ns / v.capacity_ns : 0, 6) + "," +
             csv_number(v.arrivals > 0 ? v.queue_sum / v.arrivals : 0, 3) + "," + csv_number(v.queue_max, 0) + "," +
             csv_number(v.accepted > 0 ? v.wait_ns_sum / v.accepted / 1e6 : 0, 3) + "," + count(v.bytes) + "\n";
    }
  }
  return out;
}

std::string paths_csv(const RunIdentity& id, const models::Metrics& m, const models::World& w) {
  std::string out = std::string(kLeadColumns) +
                    "region,region_name,country,site,site_country,site_built,distance_km,path_km,network_rtt_ms,"
                    "user_rtt_ms,hubs,border_crossings,transit_countries,route,paths,bottleneck_link,bottleneck_capacity_gbps,"
                    "bottleneck_peak_utilisation\n";
  // The bottleneck of each pair under the routing the run started with (network.routing:
  // over every path its bytes are split over), with that link's peak over the run.
  const auto peaks = models::peak_utilisations(m, w);
  const auto infos = models::link_infos(w);
  for (std::size_t r = 0; r < w.regions().size(); ++r)
    for (std::size_t s = 0; s < w.sites().size(); ++s) {
      const std::size_t pair = r * w.sites().size() + s;
      std::string bottleneck = ",,";
      if (const auto b = models::bottleneck_link(m, pair, peaks))
        bottleneck = csv_field(infos[*b].name) + "," + csv_number(*infos[*b].capacity_gbps, 3) + "," + csv_number(*peaks[*b], 6);
      const models::Route& route = w.route(r, s);
      std::string transit, hubs;
      for (const auto& c : route.transit_countries()) transit += (transit.empty() ? "" : " ") + c;
      for (int h : route.hubs) hubs += (hubs.empty() ? "" : " ") + w.backbone().hub(h).id;
      out += row_lead(id) + csv_field(w.regions()[r].region->id) + "," + csv_field(w.regions()[r].region->name) + "," +
             w.regions()[r].region->country + "," + csv_field(w.sites()[s].site->id) + "," + w.sites()[s].site->country + "," +
             (w.sites()[s].built ? "1" : "0") + "," + csv_number(route.distance_km, 1) + "," + csv_number(route.path_km, 1) + "," +
             csv_number(sim::to_milliseconds(route.rtt), 3) + "," + csv_number(sim::to_milliseconds(w.latency().user_rtt(route)), 3) +
             "," + std::to_string(route.hops()) + "," + std::to_string(route.border_crossings()) + "," + csv_field(transit) + "," +
             csv_field(hubs) + "," + std::to_string(m.link_loads->start_path_count()[pair]) + "," + bottleneck + "\n";
    }
  return out;
}

// Where the run's countries, regions, sites and staff are, as the World had them: what
// `dcsim report` draws, so a run folder is reported without its scenario. One row per place;
// eea and adequacy are the place's country's (a site's eea is the World's), positions and
// user counts exact.
std::string places_csv(const RunIdentity& id, const models::World& w) {
  const models::Scenario& s = w.scenario();
  std::string out = std::string(kLeadColumns) + "kind,id,name,country,lat,lon,monthly_users,built,eea,adequacy\n";
  auto flag = [](bool b) { return b ? "1" : "0"; };
  auto jurisdiction = [&](const std::string& code) {
    const models::Country* c = s.find_country(code);
    return std::string(flag(c && c->eea)) + "," + flag(c && c->adequacy);
  };
  for (const auto& c : s.countries)
    out += row_lead(id) + "country," + csv_field(c.code) + "," + csv_field(c.name) + "," + csv_field(c.code) + ",,,,," + flag(c.eea) + "," +
           flag(c.adequacy) + "\n";
  for (const auto& r : w.regions())
    out += row_lead(id) + "region," + csv_field(r.region->id) + "," + csv_field(r.region->name) + "," + csv_field(r.region->country) + "," +
           csv_exact(r.pos.lat) + "," + csv_exact(r.pos.lon) + "," + csv_exact(r.monthly_users) + ",," + jurisdiction(r.region->country) + "\n";
  for (const auto& site : w.sites()) {
    const models::Country* c = s.find_country(site.site->country);
    out += row_lead(id) + "site," + csv_field(site.site->id) + "," + csv_field(site.site->name) + "," + csv_field(site.site->country) + "," +
           csv_exact(site.pos.lat) + "," + csv_exact(site.pos.lon) + ",," + flag(site.built) + "," + flag(site.eea) + "," +
           flag(c && c->adequacy) + "\n";
  }
  // Backbone hubs: where links.csv's links start and end, so a report can draw the backbone.
  for (const auto& h : s.network.hubs)
    out += row_lead(id) + "hub," + csv_field(h.id) + "," + csv_field(h.name) + "," + csv_field(h.country) + "," + csv_exact(h.lat) + "," +
           csv_exact(h.lon) + ",,," + jurisdiction(h.country) + "\n";
  std::set<std::string> staff_seen;  // a location serving several classes is one place
  for (const auto& cls : s.traffic.classes)
    for (const auto& st : cls.staff)
      if (staff_seen.insert(st.id).second)
        out += row_lead(id) + "staff," + csv_field(st.id) + ",," + csv_field(st.country) + "," + csv_exact(st.lat) + "," + csv_exact(st.lon) +
               ",,," + jurisdiction(st.country) + "\n";
  return out;
}

// One row per scenario event: what it did over its window. time_to_recover_s is empty
// when the queues never returned to their level before the event within the run.
std::string events_csv(const RunIdentity& id, const models::Metrics& m, const models::World& w) {
  std::string out = std::string(kLeadColumns) +
                    "event_id,kind,target,start_s,end_s,start_utc,requests_lost,requests_retried,requests_failed_over,"
                    "requests_dropped,";
  for (std::size_t r = 0; r < models::kDropReasons; ++r)
    out += std::string("requests_dropped_") + models::name(static_cast<models::DropReason>(r)) + ",";
  out += "eea_exit_bytes,eea_exit_failover_bytes,catchup_bytes,routes_changed,time_to_recover_s,ttfb_p95_ms\n";
  for (const auto& e : m.events) {
    sim::Histogram all(models::kLatencyPrecisionBits);
    for (const auto& h : e.ttfb_by_country) all.merge(h);
    std::string dropped_by;
    for (double n : e.dropped_by) dropped_by += count(n) + ",";
    out += row_lead(id) + csv_field(e.id) + "," + e.kind + "," + csv_field(e.target) + "," + csv_number(sim::to_seconds(e.start), 0) + "," +
           csv_number(sim::to_seconds(e.end), 0) + "," + utc_text(w.scenario().meta.start_utc_s + static_cast<std::int64_t>(sim::to_seconds(e.start))) +
           "," + count(e.lost) + "," + count(e.retried) + "," + count(e.failed_over) + "," + count(e.dropped) + "," + dropped_by +
           count(e.eea_exit_bytes) + "," + count(e.failover_exit_bytes) + "," + count(e.catchup_bytes) + "," + count(e.routes_changed) + "," +
           (e.time_to_recover_s >= 0 ? csv_number(e.time_to_recover_s, 3) : "") + "," +
           (all.count() > 0 ? csv_number(all.quantile(0.95) / 1000.0, 3) : "") + "\n";
  }
  return out;
}

// Latency (time to first byte) of requests arriving during each event, by origin country.
std::string event_latency_csv(const RunIdentity& id, const models::Metrics& m) {
  std::string out = std::string(kLeadColumns) + "event_id,origin_country,requests,ttfb_mean_ms,ttfb_p50_ms,ttfb_p95_ms,ttfb_max_ms\n";
  for (const auto& e : m.events)
    for (std::size_t c = 0; c < e.ttfb_by_country.size(); ++c) {
      const sim::Histogram& h = e.ttfb_by_country[c];
      if (h.count() == 0) continue;
      out += row_lead(id) + csv_field(e.id) + "," + m.countries()[c] + "," + std::to_string(h.count()) + "," + csv_number(h.mean() / 1000.0, 3) +
             "," + csv_number(h.quantile(0.5) / 1000.0, 3) + "," + csv_number(h.quantile(0.95) / 1000.0, 3) + "," +
             csv_number(static_cast<double>(h.max()) / 1000.0, 3) + "\n";
    }
  return out;
}

}  // namespace

std::string scenario_fingerprint(const models::Scenario& s) {
  std::string all;
  for (const auto& f : s.source_files) all += sha256_hex(read_file_text(f));
  return sha256_hex(all);
}

std::string make_run_id(const models::Scenario& s, const std::string& scenario_sha256) {
  std::string key = scenario_sha256 + "|" + s.variant + "|" + std::to_string(s.meta.seed) + "|" + std::to_string(s.meta.scale) + "|" +
                    (s.meta.fidelity == models::Fidelity::Event ? "event" : "flow");
  for (const auto& o : s.overrides) key += "|" + o;
  if (!s.meta.window.empty()) key += "|window " + s.meta.window;
  return sha256_hex(key).substr(0, 12);
}

std::map<std::string, std::string> write_csvs(const RunIdentity& id, const models::Metrics& m, const models::World& w) {
  std::map<std::string, std::string> files;
  files["summary.csv"] = summary_csv(id, m, w);
  files["flows.csv"] = flows_csv(id, m, w);
  files["border.csv"] = border_csv(id, m, w);
  files["latency.csv"] = latency_csv(id, m, w);
  files["sites.csv"] = sites_csv(id, m, w);
  if (w.scenario().outputs.paths) files["paths.csv"] = paths_csv(id, m, w);
  files["events.csv"] = events_csv(id, m, w);
  files["links.csv"] = links_csv(id, m, w);
  files["hottest_links.csv"] = hottest_links_csv(id, m, w);
  if (!w.scenario().migrations.empty() || !m.migration_waves.empty()) files["migrations.csv"] = migrations_csv(id, m, w);
  if (!m.storage.empty()) files["storage.csv"] = storage_csv(id, m, w);
  files["days.csv"] = days_csv(id, m, w);
  files["places.csv"] = places_csv(id, w);
  files["event_latency.csv"] = event_latency_csv(id, m);
  return files;
}

std::string write_manifest(const RunIdentity& id, const models::Metrics& m, const models::World& w, const ManifestInfo& info,
                           const std::map<std::string, std::string>& files) {
  const models::Scenario& s = w.scenario();
  std::ostringstream j;
  j << "{\n";
  j << "  \"dcsim_version\": " << json_quote(kVersion) << ",\n";
  j << "  \"run_id\": " << json_quote(id.run_id) << ",\n";
  j << "  \"scenario\": " << json_quote(id.scenario) << ",\n";
  j << "  \"scenario_path\": " << json_quote(s.source_path) << ",\n";
  j << "  \"scenario_sha256\": " << json_quote(info.scenario_sha256) << ",\n";
  j << "  \"input_files\": [";
  for (std::size_t i = 0; i < s.source_files.size(); ++i) j << (i ? ", " : "") << json_quote(s.source_files[i]);
  j << "],\n";
  j << "  \"variant\": " << json_quote(id.variant) << ",\n";
  j << "  \"overrides\": [";
  for (std::size_t i = 0; i < s.overrides.size(); ++i) j << (i ? ", " : "") << json_quote(s.overrides[i]);
  j << "],\n";
  j << "  \"seed\": " << id.seed << ",\n";
  j << "  \"scale\": " << s.meta.scale << ",\n";
  j << "  \"fidelity\": " << json_quote(info.fidelity) << ",\n";
  j << "  \"start_utc_s\": " << s.meta.start_utc_s << ",\n";
  j << "  \"duration_h\": " << csv_number(sim::to_seconds(s.meta.duration) / 3600.0, 6) << ",\n";
  if (!s.meta.window.empty()) j << "  \"window\": " << json_quote(s.meta.window) << ",\n";
  j << "  \"wall_time_s\": " << csv_number(info.wall_time_s, 3) << ",\n";
  j << "  \"events_processed\": " << m.events_processed << ",\n";
  j << "  \"simulated_requests\": " << m.simulated_requests << ",\n";
  j << "  \"peak_rss_mib\": " << csv_number(info.peak_rss_mib, 1) << ",\n";
  j << "  \"warnings\": [";
  for (std::size_t i = 0; i < info.warnings.size(); ++i) j << (i ? ", " : "") << json_quote(info.warnings[i]);
  j << "],\n";
  j << "  \"conservation\": {\"generated\": " << count(m.generated) << ", \"served\": " << count(m.served)
    << ", \"dropped\": " << count(m.dropped_total) << ", \"lost\": " << count(m.lost) << ", \"denied\": " << count(m.denied) << ", \"in_flight\": " << count(m.in_flight)
    << ", \"relative_error\": " << csv_number(m.conservation_error(), 12) << "},\n";
  j << "  \"files\": {";
  bool first = true;
  for (const auto& [name, content] : files) {
    j << (first ? "" : ", ") << json_quote(name) << ": " << json_quote(sha256_hex(content));
    first = false;
  }
  j << "}\n}\n";
  return j.str();
}

}  // namespace dcsim::tools
