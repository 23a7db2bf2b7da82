// Scenario events in whole runs: outages, link cuts, build-out dates, policy switches, and
// conservation through all of them. Traffic is the same sample with and without an event
// (common random numbers), so a run without the event is the reference.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "models/traffic/demand.hpp"
#include "models/run/event_run.hpp"
#include "models/run/flow_run.hpp"
#include "models/run/summary.hpp"
#include "tests/support/test_files.hpp"

using namespace dcsim;

namespace {

std::unique_ptr<models::World> world_of(const std::string& path, const std::vector<std::string>& overrides = {}) {
  return std::make_unique<models::World>(models::load_scenario(path, models::LoadOptions{overrides, ""}));
}

// One Irish region, one or two sites, flat demand: what an outage does is easy to count.
std::string outage_scenario(bool second_site, const std::string& events) {
  std::string s =
      "meta: {name: outage, seed: 11, start_utc: \"2023-01-10T00:00:00Z\", duration_h: 6, report_interval_min: 60, scale: 1}\n"
      "countries:\n"
      "  - {code: IE, name: Ireland, eu: true, eea: true, population: 100000, population_year: 2023, user_share: 1.0}\n"
      "regions:\n"
      "  - {id: R1, name: One, country: IE, population: 100000, population_year: 2023, lat: 53.35, lon: -6.26, utc_offset_h: 0}\n"
      "sites:\n"
      "  - {id: s1, name: Near, country: IE, lat: 53.35, lon: -6.26, hub: DUB, status: existing, servers: 50}\n"
      "  - {id: s2, name: Other, country: IE, lat: 51.90, lon: -8.47, hub: ORK, status: existing, servers: 50}\n";
  s += second_site ? "build_out: [s1, s2]\n" : "build_out: [s1]\n";
  s += "network:\n"
       "  hubs:\n"
       "    - {id: DUB, name: Dublin, country: IE, lat: 53.35, lon: -6.26}\n"
       "    - {id: ORK, name: Cork, country: IE, lat: 51.90, lon: -8.47}\n"
       "  links:\n"
       "    - {a: DUB, b: ORK, kind: terrestrial, capacity_gbps: 100}\n"
       "traffic:\n"
       "  daily_active_share: 1.0\n"
       "  diurnal_local_weights: [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]\n"
       "  classes:\n"
       "    get: {kind: read, rate_per_user_day: 100, size: {dist: fixed, mean_bytes: 1000}, service_time: {dist: exponential, mean_ms: 200}}\n"
       "    put: {kind: write, rate_per_user_day: 20, size: {dist: fixed, mean_bytes: 5000}, service_time: {dist: exponential, mean_ms: 200}}\n"
       "policies:\n"
       "  routing: {on_queue_full: drop, queue_limit_per_server: 100}\n";
  return s + events;
}

double arrivals(const models::Metrics& m, std::size_t site, std::size_t from_interval, std::size_t to_interval) {
  double n = 0;
  for (std::size_t i = from_interval; i < to_interval; ++i) n += m.site_interval(site, i).arrivals;
  return n;
}

}  // namespace

TEST_CASE("an outage with no fallback drops exactly the requests that arrive during it") {
  test::TempDir dir;
  const auto ref = world_of(dir.write("ref.yaml", outage_scenario(false, "")));
  const auto out = world_of(dir.write("out.yaml", outage_scenario(false,
      "  failover: {in_flight: lose}\n"
      "events:\n  - {id: dark, kind: site_outage, site: s1, at_offset_h: 2, duration_h: 2}\n")));
  const auto mr = models::run_event(*ref), mo = models::run_event(*out);
  // The same requests arrive in both runs; in the reference, those of hours 2-3 reach s1.
  CHECK(mo->generated == mr->generated);
  const double in_window = arrivals(*mr, 0, 2, 4);
  REQUIRE(in_window > 0);
  CHECK(mo->dropped_total == in_window);
  CHECK(mo->events.at(0).dropped == in_window);
  CHECK(arrivals(*mo, 0, 2, 4) == 0);
  // ...and their number is what the arrival process predicts (within 4 Poisson sd).
  const models::Demand d = models::build_demand(*ref);
  double expected = 0;
  for (const auto& s : d.streams) expected += s.rate.expected_between(sim::at(sim::hours(2)), sim::at(sim::hours(4)));
  CHECK(std::abs(in_window - expected) < 4 * std::sqrt(expected));
  // Requests held by the site when it went dark are lost (policy: lose), and counted.
  CHECK(mo->lost > 0);
  CHECK(mo->events.at(0).lost == mo->lost);
  CHECK(mo->conservation_error() == 0.0);
  CHECK(mr->conservation_error() == 0.0);
}

TEST_CASE("an outage with a fallback retries what the site held and fails new requests over") {
  test::TempDir dir;
  const auto w = world_of(dir.write("out.yaml", outage_scenario(true,
      "  failover: {in_flight: retry, temporary_home: true}\n"
      "events:\n  - {id: dark, kind: site_outage, site: s1, at_offset_h: 2, duration_h: 2}\n")));
  const auto m = models::run_event(*w);
  const auto& e = m->events.at(0);
  CHECK(e.retried > 0);
  CHECK(e.lost == 0);
  CHECK(e.failed_over > 0);
  CHECK(arrivals(*m, 0, 2, 4) == 0);
  CHECK(arrivals(*m, 1, 2, 4) > 0);
  // Writes homed at s1 were taken by s2 meanwhile: copied back when s1 returns.
  CHECK(e.catchup_bytes > 0);
  double catchup_flow = 0;
  for (std::size_t c = 0; c < m->countries().size(); ++c)
    for (std::size_t k = 0; k < m->classes().size(); ++k) catchup_flow += m->flow(c, 0, k, models::FlowKind::Catchup).bytes;
  CHECK(catchup_flow == doctest::Approx(e.catchup_bytes));
  CHECK(e.time_to_recover_s >= 0);
  CHECK(m->conservation_error() == 0.0);
}

TEST_CASE("without a temporary home, writes whose home is down are unavailable (dropped)") {
  test::TempDir dir;
  const auto w = world_of(dir.write("out.yaml", outage_scenario(true,
      "  failover: {in_flight: retry, temporary_home: false}\n"
      "events:\n  - {id: dark, kind: site_outage, site: s1, at_offset_h: 2, duration_h: 2}\n")));
  const auto m = models::run_event(*w);
  CHECK(m->dropped_total > 0);
  CHECK(m->events.at(0).catchup_bytes == 0);
  CHECK(m->conservation_error() == 0.0);
}

TEST_CASE("cutting the Irish Sea links changes the routes that used them and only those") {
  const auto w = world_of(test::source_path("scenarios/clover-full.yaml"));
  const std::vector<std::pair<std::string, std::string>> cut{{"DUB", "LON"}, {"DUB", "MAN"}, {"DUB", "EDI"}};
  const models::Backbone cut_bb = w->backbone().without_links(cut);
  const models::LatencyModel cut_latency(cut_bb, w->scenario().network);
  std::set<std::pair<int, int>> cut_edges;
  for (const auto& [a, b] : cut) {
    cut_edges.insert({w->backbone().hub_index(a), w->backbone().hub_index(b)});
    cut_edges.insert({w->backbone().hub_index(b), w->backbone().hub_index(a)});
  }
  int affected = 0, unaffected = 0;
  for (std::size_t r = 0; r < w->regions().size(); ++r)
    for (std::size_t s = 0; s < w->sites().size(); ++s) {
      const models::Route& before = w->route(r, s);
      bool used_cut = false;
      for (std::size_t i = 1; i < before.hubs.size(); ++i) used_cut |= cut_edges.count({before.hubs[i - 1], before.hubs[i]}) > 0;
      const models::Route after = cut_latency.route(w->region_endpoint(r), w->site_endpoint(s));
      REQUIRE(after.reachable);
      for (std::size_t i = 1; i < after.hubs.size(); ++i) CHECK(cut_edges.count({after.hubs[i - 1], after.hubs[i]}) == 0);
      if (used_cut) {
        ++affected;
        CHECK(after.hubs != before.hubs);
      } else {
        ++unaffected;
        CHECK(after.hubs == before.hubs);
        CHECK(after.countries == before.countries);
      }
    }
  CHECK(affected > 0);
  CHECK(unaffected > 0);
}

TEST_CASE("a site coming online receives nothing before its date and its full share after") {
  const std::string path = test::source_path("scenarios/what-if/norway-online.yaml");
  const auto with_date = world_of(path, {"meta.scale=1000"});
  const auto always = world_of(path, {"meta.scale=1000", "events=[]"});
  const auto md = models::run_event(*with_date), ma = models::run_event(*always);
  const std::size_t hamar = static_cast<std::size_t>(with_date->site_index("hamar"));
  const std::size_t online = md->interval_of(sim::at(sim::hours(12)));
  CHECK(arrivals(*md, hamar, 0, online) == 0);
  CHECK(arrivals(*ma, hamar, 0, online) > 0);
  const double after_d = arrivals(*md, hamar, online, md->intervals()), after_a = arrivals(*ma, hamar, online, ma->intervals());
  REQUIRE(after_a > 0);
  CHECK(std::abs(after_d - after_a) / after_a < 0.01);
  CHECK(md->conservation_error() == 0.0);
}

TEST_CASE("a policy switch at time T changes nothing before T") {
  const std::string path = test::source_path("scenarios/clover-2023.yaml");
  const std::vector<std::string> base{"meta.scale=1000"};
  auto with_switch = base;
  with_switch.push_back("events=[{kind: policy_switch, at_offset_h: 12, set: {policies.residency.mode: nearest, policies.replication.copies: 0}}]");
  const auto wa = world_of(path, base), wb = world_of(path, with_switch);
  const auto ma = models::run_event(*wa), mb = models::run_event(*wb);
  const std::size_t t = ma->interval_of(sim::at(sim::hours(12)));
  bool any_difference_after = false;
  for (std::size_t s = 0; s < ma->sites().size(); ++s) {
    for (std::size_t i = 0; i < t; ++i) {
      const auto &a = ma->site_interval(s, i), &b = mb->site_interval(s, i);
      CHECK(a.arrivals == b.arrivals);
      CHECK(a.accepted == b.accepted);
      CHECK(a.wait_ns_sum == b.wait_ns_sum);
      CHECK(a.queue_sum == b.queue_sum);
    }
    for (std::size_t i = t; i < ma->intervals(); ++i)
      any_difference_after |= ma->site_interval(s, i).arrivals != mb->site_interval(s, i).arrivals;
  }
  CHECK(any_difference_after);  // the switch does change what comes after
  CHECK(mb->conservation_error() == 0.0);
}

TEST_CASE("conservation holds through every shipped what-if scenario and variant") {
  for (const char* f : {"dublin-outage.yaml", "irish-sea-cable-cut.yaml", "norway-online.yaml", "portugal-surge.yaml"}) {
    const auto all = models::load_all_variants(test::source_path(std::string("scenarios/what-if/") + f), {"meta.scale=2000"});
    for (const auto& s : all) {
      const models::World w(s);
      const auto m = models::run_event(w);
      INFO(f << " " << s.variant);
      CHECK(m->conservation_error() == 0.0);
      CHECK(m->events.size() == s.events.size());
    }
  }
}

TEST_CASE("a shared-risk group cut fails every link tagged with it, as cutting them one by one does") {
  test::TempDir dir;
  const std::string base = "include: [" + test::source_path("scenarios/clover-full.yaml") +
                           "]\nmeta: {name: srlg, scale: 1000, duration_h: 3}\n";
  const std::string one_by_one = dir.write(
      "links.yaml", base + "events:\n"
                           "  - {id: a, kind: link_cut, between: [DUB, LON], at_offset_h: 1, duration_h: 1}\n"
                           "  - {id: b, kind: link_cut, between: [DUB, MAN], at_offset_h: 1, duration_h: 1}\n"
                           "  - {id: c, kind: link_cut, between: [DUB, EDI], at_offset_h: 1, duration_h: 1}\n");
  const std::string grouped =
      dir.write("group.yaml", base + "events:\n  - {id: g, kind: srlg_cut, group: irish-sea, at_offset_h: 1, duration_h: 1}\n");
  std::vector<std::string> tags;  // DUB-LON, DUB-MAN, DUB-EDI in scenarios/data/backbone.yaml
  for (const char* i : {"72", "73", "74"}) tags.push_back(std::string("network.links[") + i + "].srlg=[irish-sea]");
  const auto wl = world_of(one_by_one, tags), wg = world_of(grouped, tags);
  const auto ml = models::run_event(*wl), mg = models::run_event(*wg);
  const auto hl = models::compute_headline(*ml, *wl), hg = models::compute_headline(*mg, *wg);
  REQUIRE(mg->events.at(0).routes_changed > 0);
  // A route changed by the group counts once; cut one by one it may change at each cut.
  CHECK(mg->events.at(0).routes_changed >= ml->events.at(0).routes_changed);
  CHECK(mg->events.at(0).routes_changed <= ml->events.at(0).routes_changed + ml->events.at(1).routes_changed + ml->events.at(2).routes_changed);
  for (const auto& row : models::headline_rows(hl)) {
    const auto other = models::headline_rows(hg);
    const auto it = std::find_if(other.begin(), other.end(), [&](const auto& o) { return o.name == row.name; });
    REQUIRE(it != other.end());
    CHECK_MESSAGE(it->value == row.value, row.name);
  }
  // An unknown group is an error at its line, with a did-you-mean.
  const auto errors = test::load_errors(dir.write("bad.yaml", base + "events:\n  - {id: g, kind: srlg_cut, group: irish-se, at_offset_h: 1}\n"),
                                        models::LoadOptions{tags, ""});
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].key_path == "events[0].group");
  CHECK(errors[0].message.find("did you mean 'irish-sea'") != std::string::npos);
}

TEST_CASE("replicas a cut leaves without a path are owed and caught up when it ends, at both fidelities") {
  // Cutting Oslo-Hamar isolates Hamar (its hub's one link) for an hour: writes homed there
  // cannot reach their replica (Dublin). The copies are owed and caught up at the cut's
  // end, so replica + export + catch-up bytes equal those of the run without the cut (the
  // same requests: common random numbers). Before, the replicas of the hour vanished.
  const std::string clover = test::source_path("scenarios/clover-full.yaml");
  for (const std::string fidelity : {"flow", "event"}) {
    CAPTURE(fidelity);
    const std::vector<std::string> common{"meta.scale=2000", "meta.duration_h=3", "meta.fidelity=" + fidelity};
    std::vector<std::string> cut = common;
    cut.push_back("events=[{id: hamar-cut, kind: link_cut, between: [OSL, HMR], at_offset_h: 1, duration_h: 1}]");
    std::vector<std::string> none = common;
    none.push_back("events=[]");
    const auto wc = world_of(clover, cut), wn = world_of(clover, none);
    const auto run = [](const models::World& w) {
      return w.scenario().meta.fidelity == models::Fidelity::Flow ? models::run_flow(w) : models::run_event(w);
    };
    const auto mc = run(*wc), mn = run(*wn);
    const auto hc = models::compute_headline(*mc, *wc), hn = models::compute_headline(*mn, *wn);
    CHECK(hc.get("replica_bytes") < hn.get("replica_bytes"));
    CHECK(hc.get("catchup_bytes") > 0);
    CHECK(mc->events.at(0).catchup_bytes == doctest::Approx(hc.get("catchup_bytes")));
    // Catch-up also carries Hamar's analytics exports to US East, owed as before.
    const auto copies = [](const models::Headline& h) { return h.get("replica_bytes") + h.get("export_bytes") + h.get("catchup_bytes"); };
    CHECK(copies(hc) == doctest::Approx(copies(hn)).epsilon(1e-9));
    CHECK(mc->conservation_error() < 1e-12);
  }
}

namespace {

// Clover full with more sites and `events` (a YAML flow list), short and coarse, at flow
// fidelity (expected values: the same users route the same way in every variant).
std::unique_ptr<models::World> clover_with(const std::string& events) {
  return world_of(test::source_path("scenarios/clover-full.yaml"),
                  {"meta.scale=2000", "meta.duration_h=3", "meta.fidelity=flow",
                   "build_out=[dublin, hamar, athens, madrid, us-east, singapore]", "events=[" + events + "]"});
}

// Link cuts (YAML flow items) that leave `hub` without a link, from `at` for `hours`.
std::string isolate(const std::vector<std::string>& others, const std::string& hub, double at, double hours) {
  std::string out;
  for (const auto& o : others)
    out += "{id: cut-" + hub + "-" + o + ", kind: link_cut, between: [" + hub + ", " + o + "], at_offset_h: " + std::to_string(at) +
           ", duration_h: " + std::to_string(hours) + "}, ";
  return out;
}
const std::vector<std::string> kDublinLinks{"LON", "MAN", "EDI", "EBJ", "KEF", "NYC"};
const std::vector<std::string> kMadridLinks{"PAR", "BCN", "BIO", "LIS", "LPA"};
const std::string kDublinDark = "{id: dark, kind: site_outage, site: dublin, at_offset_h: 1, duration_h: 1}";

// Catch-up bytes of `country`'s users' data at `site`.
double catchup(const models::Metrics& m, const models::World& w, const std::string& country, const std::string& site) {
  double b = 0;
  const auto s = static_cast<std::size_t>(w.site_index(site));
  for (std::size_t c = 0; c < m.countries().size(); ++c)
    if (m.countries()[c] == country)
      for (std::size_t k = 0; k < m.classes().size(); ++k) b += m.flow(c, s, k, models::FlowKind::Catchup).bytes;
  return b;
}

}  // namespace

TEST_CASE("a replica site both down and cut off is owed once, a stand-in never, and nothing before it has a path") {
  // Norwegian users write at Hamar, whose replica is Dublin.
  const auto wo = clover_with(kDublinDark);
  const auto mo = models::run_flow(*wo);
  const double owed_dark = catchup(*mo, *wo, "NO", "dublin");
  REQUIRE(owed_dark > 0);
  SUBCASE("down and cut off at once: owed as when only down") {
    const auto w = clover_with(isolate(kDublinLinks, "DUB", 1, 1) + kDublinDark);
    const auto m = models::run_flow(*w);
    CHECK(catchup(*m, *w, "NO", "dublin") == doctest::Approx(owed_dark).epsilon(1e-9));
  }
  SUBCASE("a cut-off site standing in for a down replica is owed nothing") {
    const auto w = clover_with(isolate(kMadridLinks, "MAD", 1, 1) + kDublinDark);
    const auto m = models::run_flow(*w);
    CHECK(catchup(*m, *w, "NO", "dublin") == doctest::Approx(owed_dark).epsilon(1e-9));
    CHECK(catchup(*m, *w, "NO", "madrid") == 0);
  }
  SUBCASE("a site back from an outage but still cut off gets its copies when the cut ends") {
    const auto w = world_of(test::source_path("scenarios/clover-full.yaml"),
                            {"meta.scale=2000", "meta.duration_h=3", "meta.fidelity=flow",
                             "build_out=[dublin, hamar, athens, madrid, us-east, singapore]",
                             "events=[" + isolate(kDublinLinks, "DUB", 0.5, 2) +
                                 "{id: dark, kind: site_outage, site: dublin, at_offset_h: 1, duration_h: 0.5}]"});
    const auto m = models::run_flow(*w);
    const auto& events = w->scenario().events;
    double at_cut_end = 0, at_outage_end = 0;
    for (std::size_t e = 0; e < events.size(); ++e)
      (events[e].kind == models::EventKind::SiteOutage ? at_outage_end : at_cut_end) += m->events.at(e).catchup_bytes;
    CHECK(at_outage_end == 0);
    CHECK(at_cut_end > 0);
  }
}

TEST_CASE("copies still owed when the run ends are reported, not lost") {
  // Hamar cut off from the 2nd hour to past the end: its replicas are owed to the end.
  const std::string clover = test::source_path("scenarios/clover-full.yaml");
  const std::vector<std::string> common{"meta.scale=2000", "meta.duration_h=3", "meta.fidelity=flow"};
  std::vector<std::string> cut = common, none = common;
  cut.push_back("events=[{id: hamar-cut, kind: link_cut, between: [OSL, HMR], at_offset_h: 2, duration_h: 2}]");
  none.push_back("events=[]");
  const auto wc = world_of(clover, cut), wn = world_of(clover, none);
  const auto hc = models::compute_headline(*models::run_flow(*wc), *wc), hn = models::compute_headline(*models::run_flow(*wn), *wn);
  CHECK(hc.get("catchup_bytes") == 0);
  CHECK(hc.get("catchup_owed_at_end_bytes") > 0);
  CHECK(hn.get("catchup_owed_at_end_bytes") == 0);
  const auto copies = [](const models::Headline& h) {
    return h.get("replica_bytes") + h.get("export_bytes") + h.get("catchup_bytes") + h.get("catchup_owed_at_end_bytes");
  };
  CHECK(copies(hc) == doctest::Approx(copies(hn)).epsilon(1e-9));
}

TEST_CASE("a cut elsewhere does not hold back what an outage's end releases") {
  // Madrid (not built in Clover full) cut off from before Dublin's outage to past the
  // end: no copy owed to Dublin comes from Madrid, so all are released when Dublin returns
  // (they waited for every site to reach Dublin: 2.2 TB still owed at the end).
  const auto w = world_of(test::source_path("scenarios/clover-full.yaml"),
                          {"meta.scale=2000", "meta.duration_h=3", "meta.fidelity=flow",
                           "events=[" + isolate(kMadridLinks, "MAD", 0.5, 3) + kDublinDark + "]"});
  const auto m = models::run_flow(*w);
  const auto h = models::compute_headline(*m, *w);
  CHECK(h.get("catchup_bytes") > 1e12);
  CHECK(h.get("catchup_owed_at_end_bytes") == 0);
  CHECK(m->events.back().catchup_bytes == doctest::Approx(h.get("catchup_bytes")).epsilon(1e-12));  // at the outage's end
}

TEST_CASE("a write failed over from its down home is owed there once, not again as its stand-in's replica") {
  // Dublin down for the whole run: its users' writes go to Dublin 2 (a temporary home)
  // and are owed to Dublin as their home; every other site's replica is Dublin, so their
  // writes' replicas are owed too. Dublin 2's replica is also Dublin: a failed-over write
  // was owed twice (7.97 TB against 5.51 TB of writes at the other sites).
  const auto w = world_of(test::source_path("scenarios/clover-full.yaml"),
                          {"meta.scale=2000", "meta.duration_h=3", "meta.fidelity=flow",
                           "events=[{id: dark, kind: site_outage, site: dublin, at_offset_h: 0, duration_h: 4}]"});
  const auto m = models::run_flow(*w);
  const auto dublin = static_cast<std::size_t>(w->site_index("dublin"));
  double writes_elsewhere = 0;
  for (std::size_t s = 0; s < w->sites().size(); ++s)
    for (std::size_t c = 0; c < m->countries().size(); ++c)
      for (std::size_t k = 0; k < m->classes().size(); ++k)
        if (s != dublin && w->scenario().traffic.classes[k].kind == models::ClassKind::Write)
          writes_elsewhere += m->flow(c, s, k, models::FlowKind::Serve).bytes;
  REQUIRE(writes_elsewhere > 0);
  CHECK(models::compute_headline(*m, *w).get("catchup_owed_at_end_bytes") == doctest::Approx(writes_elsewhere).epsilon(1e-9));
}

TEST_CASE("catch-up crosses the links after the outage: shared with the traffic at flow fidelity, none after the end") {
  test::TempDir dir;
  const std::string retry = "  failover: {in_flight: retry, temporary_home: true}\nevents:\n  - {id: dark, kind: site_outage, site: s1, ";
  auto link_bytes = [](const models::Metrics& m, std::size_t i, models::LinkTraffic kind) {
    double b = 0;
    for (std::size_t id = 0; id < m.link_loads->link_ids(); ++id) b += m.link_loads->bytes(i, id, kind);
    return b;
  };
  auto offered = [&](const models::Metrics& m, std::size_t i) {
    double b = 0;
    for (std::size_t k = 0; k < models::kLinkTraffic; ++k) b += link_bytes(m, i, static_cast<models::LinkTraffic>(k));
    return b;
  };
  auto carried = [](const models::Metrics& m, std::size_t i) {
    double b = 0;
    for (std::size_t id = 0; id < m.link_loads->link_ids(); ++id) b += m.link_loads->carried_bytes(i, id);
    return b;
  };
  SUBCASE("back mid-run: the links carry the catch-up in the interval it is sent") {
    // s1 dark 02:00-04:00: what s2 took for it goes back from Cork to Dublin at 04:00.
    const auto w = world_of(dir.write("mid.yaml", outage_scenario(true, retry + "at_offset_h: 2, duration_h: 2}\n")), {"meta.fidelity=flow"});
    const auto m = models::run_flow(*w);
    const double catchup = m->events.at(0).catchup_bytes;
    REQUIRE(catchup > 0);
    const std::size_t ork_dub = 1;  // the cable's Cork → Dublin direction (ids: each link's two directions, then uplinks)
    CHECK(m->link_loads->bytes(4, ork_dub, models::LinkTraffic::Catchup) == doctest::Approx(catchup));
    // 100 Gbit/s carries it all: carried equals offered, the catch-up included (it was
    // offered outside every flow step, so carried fell short of offered by it).
    for (std::size_t i = 0; i < m->intervals(); ++i) CHECK(carried(*m, i) == doctest::Approx(offered(*m, i)));
    CHECK(m->undelivered_bytes == 0);
  }
  SUBCASE("a pair a cut leaves without a path holds its bytes until the repair, then sends them") {
    // Per backbone direction (ids 0, 1: each pair here crosses the one cable or no
    // backbone link): what was offered is carried, or undelivered at the end.
    auto backbone_gap = [&](const models::Metrics& m) {
      double gap = 0;
      for (std::size_t i = 0; i < m.intervals(); ++i)
        for (std::size_t id = 0; id < 2; ++id) {
          for (std::size_t k = 0; k < models::kLinkTraffic; ++k) gap += m.link_loads->bytes(i, id, static_cast<models::LinkTraffic>(k));
          gap -= m.link_loads->carried_bytes(i, id);
        }
      return gap;
    };
    // The outage ends as the cable is cut (at 04:00, the cut listed second): the catch-up is
    // released on the old paths, then its pair has none until 05:00.
    const auto same = world_of(dir.write("same.yaml", outage_scenario(true, retry + "at_offset_h: 2, duration_h: 2}\n"
        "  - {id: cut, kind: link_cut, between: [DUB, ORK], at_offset_h: 4, duration_h: 1}\n")));
    const auto ms = models::run_flow(*same);
    REQUIRE(ms->events.at(0).catchup_bytes > 0);
    CHECK(std::abs(backbone_gap(*ms)) <= 1e-6 * ms->events.at(0).catchup_bytes);
    CHECK(ms->undelivered_bytes == 0);
    // A cable too thin for what fails over to Cork: bytes queue; a cut at 04:30 leaves them
    // without a path until 05:30; what is still queued at the end is undelivered, none lost.
    std::string thin = outage_scenario(true, retry + "at_offset_h: 2, duration_h: 2}\n"
        "  - {id: cut, kind: link_cut, between: [DUB, ORK], at_offset_h: 4.5, duration_h: 1}\n");
    thin.replace(thin.find("capacity_gbps: 100"), 18, "capacity_gbps: 0.0005");
    const auto mt = models::run_flow(*world_of(dir.write("thin.yaml", thin)));
    REQUIRE(mt->undelivered_bytes > 1e8);
    CHECK(backbone_gap(*mt) == doctest::Approx(mt->undelivered_bytes).epsilon(1e-9));
  }
  SUBCASE("back at the end: sent after the run, on no interval's links, and undelivered") {
    const auto w = world_of(dir.write("end.yaml", outage_scenario(true, retry + "at_offset_h: 2, duration_h: 4}\n")));
    const auto flow = models::run_flow(*w);
    const auto event = models::run_event(*w);
    for (const auto* m : {flow.get(), event.get()}) {
      REQUIRE(m->events.at(0).catchup_bytes > 0);
      for (std::size_t i = 0; i < m->intervals(); ++i) CHECK(link_bytes(*m, i, models::LinkTraffic::Catchup) == 0);
    }
    CHECK(flow->undelivered_bytes == doctest::Approx(flow->events.at(0).catchup_bytes));
    CHECK(event->undelivered_bytes == flow->undelivered_bytes);  // its congestion pass's
  }
}
