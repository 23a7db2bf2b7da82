// Whole runs at event fidelity: determinism, sampling, scale, queueing against theory, a
// scenario computed by hand, spill/drop behaviour, and conservation in every run.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "models/traffic/demand.hpp"
#include "models/run/event_run.hpp"
#include "models/run/request_pipeline.hpp"
#include "models/run/flow_run.hpp"
#include "models/run/link_summary.hpp"
#include "models/run/summary.hpp"
#include "tests/support/test_files.hpp"
#include "tools/writers.hpp"

using namespace dcsim;

namespace {

std::unique_ptr<models::World> world_of(const std::string& path, const std::vector<std::string>& overrides = {}) {
  return std::make_unique<models::World>(models::load_scenario(path, models::LoadOptions{overrides, ""}));
}

std::map<std::string, std::string> csvs(const models::World& w, int threads, std::size_t record_batch = 1024) {
  models::RunOptions o;
  o.threads = threads;
  o.chunk = 1000;  // many hand-overs between threads
  o.record_batch = record_batch;
  const auto m = models::run_event(w, o);
  CHECK(m->conservation_error() == 0.0);
  return tools::write_csvs({"id", w.scenario().meta.name, "base", w.scenario().meta.seed}, *m, w);
}

std::string small() { return test::source_path("tests/data/good/small.yaml"); }

// One region in Ireland whose centre sits on the Dublin hub, one or two sites; everything
// a hand calculation needs is a parameter.
std::string one_region_scenario(const std::string& site_country, double site_lat, double site_lon, std::int64_t servers,
                                const std::string& service, double rate_per_user_day, double population,
                                double duration_h, const std::string& extra = "") {
  return "meta: {name: hand, seed: 3, start_utc: \"2023-01-10T00:00:00Z\", duration_h: " + std::to_string(duration_h) +
         ", report_interval_min: 60, scale: 1}\n"
         "countries:\n"
         "  - {code: IE, name: Ireland, eu: true, eea: true, population: " + std::to_string(static_cast<long>(population)) +
         ", population_year: 2023, user_share: 1.0}\n"
         "  - {code: US, name: United States, eu: false, eea: false}\n"
         "regions:\n"
         "  - {id: R1, name: One, country: IE, population: " + std::to_string(static_cast<long>(population)) +
         ", population_year: 2023, lat: 53.35, lon: -6.26, utc_offset_h: 0, utc_offset_summer_h: 1}\n"
         "sites:\n"
         "  - {id: s1, name: Site, country: " + site_country + ", lat: " + std::to_string(site_lat) + ", lon: " +
         std::to_string(site_lon) + ", hub: " + (site_country == "IE" ? "DUB" : "IAD") + ", status: existing, servers: " +
         std::to_string(servers) + "}\n"
         "build_out: [s1]\n"
         "network:\n"
         "  per_hop_ms: 0.5\n  fixed_rtt_ms: 2\n  access_ms: 3\n  access_bandwidth_mbps: 8\n  access_inflation: 1\n"
         "  hubs:\n"
         "    - {id: DUB, name: Dublin, country: IE, lat: 53.35, lon: -6.26}\n"
         "    - {id: IAD, name: Ashburn, country: US, lat: 39.04, lon: -77.49}\n"
         "  links:\n"
         "    - {a: DUB, b: IAD, kind: submarine, length_km: 6000, capacity_gbps: 1000}\n"
         "traffic:\n"
         "  daily_active_share: 1.0\n"
         "  diurnal_local_weights: [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]\n"
         "  classes:\n"
         "    get:\n"
         "      kind: read\n"
         "      rate_per_user_day: " + std::to_string(rate_per_user_day) + "\n"
         "      size: {dist: fixed, mean_bytes: 1000000}\n"
         "      service_time: " + service + "\n"
         "policies:\n"
         "  routing: {queue_limit_per_server: 10000}\n" + extra;
}

}  // namespace

TEST_CASE("the same scenario and seed give byte-identical CSVs with one thread or two") {
  const auto w = world_of(small(), {"meta.duration_h=3", "events=[]"});
  const auto one = csvs(*w, 1);
  const auto again = csvs(*w, 1);
  const auto two = csvs(*w, 2);
  REQUIRE(one.size() == 12);  // every CSV of a run folder, links.csv, hottest_links.csv, places.csv and days.csv included
  for (const auto& [name, content] : one) {
    CHECK_MESSAGE(content == again.at(name), name);
    CHECK_MESSAGE(content == two.at(name), name);
  }
}

TEST_CASE("recording on whichever thread has time gives the same CSVs, through outages, failovers, cuts and drops") {
  // small.yaml's own events (a Dublin outage with failover and catch-up, a policy switch),
  // then a cut, a full outage that loses what the site holds (requests kept until they
  // complete) and queues that drop: every kind of record, and a drain before each control.
  // Records handed over one at a time, seven at a time and 1,024 at a time.
  const std::vector<std::string> cases[] = {
      {"meta.duration_h=24"},
      {"meta.duration_h=24", "policies.routing.queue_limit_per_server=0", "policies.residency.mode=eea_only",
       "events=[{id: cut, kind: link_cut, between: [DUB, LON], at_offset_h: 2, duration_h: 3}, "
       "{id: out, kind: site_outage, site: dublin, at_offset_h: 6, duration_h: 2, capacity_loss: 1}]"},
  };
  for (const auto& overrides : cases) {
    const auto w = world_of(small(), overrides);
    const auto one = csvs(*w, 1);
    REQUIRE(one.size() >= 12);
    for (const std::size_t batch : {std::size_t{1}, std::size_t{7}, std::size_t{1024}}) {
      const auto two = csvs(*w, 2, batch);
      for (const auto& [name, content] : one) CHECK_MESSAGE(content == two.at(name), overrides.back() << " batch " << batch << " " << name);
    }
  }
}

TEST_CASE("multipath routing and traffic engineering keep CSVs byte-identical with one thread or two") {
  for (const char* mode : {"ecmp", "k_shortest", "min_max_utilisation"}) {
    const auto w = world_of(small(), {"meta.duration_h=3", "events=[]", std::string("network.routing.mode=") + mode});
    const auto one = csvs(*w, 1);
    const auto two = csvs(*w, 2);
    REQUIRE(one.size() == 12);
    for (const auto& [name, content] : one) CHECK_MESSAGE(content == two.at(name), mode << " " << name);
  }
}

TEST_CASE("different seeds draw different samples with the same aggregates within sampling error") {
  const auto a = world_of(small(), {"meta.duration_h=6", "meta.seed=1", "events=[]"});
  const auto b = world_of(small(), {"meta.duration_h=6", "meta.seed=2", "events=[]"});
  const auto ma = models::run_event(*a), mb = models::run_event(*b);
  CHECK(ma->generated != mb->generated);
  // Expected requests from the demand model: both must sit within 4 Poisson sd of it.
  const models::Demand d = models::build_demand(*a);
  double expected = 0;
  for (const auto& s : d.streams) expected += s.rate.expected_total() * d.weight;
  const double sd = std::sqrt(expected * d.weight);
  CHECK(std::abs(ma->generated - expected) < 4 * sd);
  CHECK(std::abs(mb->generated - expected) < 4 * sd);
  const auto ha = models::compute_headline(*ma, *a), hb = models::compute_headline(*mb, *b);
  const double bytes_a = ha.site_bytes + ha.edge_bytes, bytes_b = hb.site_bytes + hb.edge_bytes;
  CHECK(bytes_a != bytes_b);
  CHECK(std::abs(bytes_a - bytes_b) / bytes_a < 0.02);
  CHECK(ha.cross_border_share == doctest::Approx(hb.cross_border_share).epsilon(0.02));
}

TEST_CASE("scale 1 and scale 100 agree on bytes within 1 percent") {
  const auto full = world_of(small(), {"meta.duration_h=24", "meta.scale=1", "meta.seed=5", "events=[]"});
  const auto coarse = world_of(small(), {"meta.duration_h=24", "meta.scale=100", "meta.seed=5", "events=[]"});
  const auto mf = models::run_event(*full), mc = models::run_event(*coarse);
  CHECK(mf->simulated_requests > 50 * mc->simulated_requests);
  const auto hf = models::compute_headline(*mf, *full), hc = models::compute_headline(*mc, *coarse);
  for (double models::Headline::*k : {&models::Headline::site_bytes, &models::Headline::edge_bytes, &models::Headline::cross_border_bytes})
    CHECK_MESSAGE(std::abs(hf.*k - hc.*k) / (hf.*k) < 0.01, hf.*k << " vs " << hc.*k);
  CHECK(std::abs(mf->generated - mc->generated) / mf->generated < 0.01);
}

TEST_CASE("an M/M/c site fed by Poisson traffic matches Erlang-C waiting time within 3 percent") {
  // c = 4 servers, mean service 10 ms, offered load 0.7 per server: λ = 280/s.
  const int c = 4;
  const double s = 0.010, rho = 0.7, lambda = rho * c / s;
  const double population = 24192;  // × 1000 requests/user-day / 86400 s = 280/s
  test::TempDir dir;
  const std::string path = dir.write("mmc.yaml", one_region_scenario("IE", 53.35, -6.26, c, "{dist: exponential, mean_ms: 10}",
                                                                     1000, population, 5));
  const auto w = world_of(path);
  const auto m = models::run_event(*w);
  double wait_ns = 0, accepted = 0, busy = 0, capacity = 0;
  for (std::size_t i = 0; i < m->intervals(); ++i) {
    wait_ns += m->site_interval(0, i).wait_ns_sum;
    accepted += m->site_interval(0, i).accepted;
    busy += m->site_interval(0, i).busy_ns;
    capacity += m->site_interval(0, i).capacity_ns;
  }
  REQUIRE(accepted > 4e6);
  // Erlang C: P(wait) = (a^c / c!) / ((1 - ρ) Σ_{k<c} a^k/k! + a^c/c!), a = λ s; W = P(wait) s / (c (1 - ρ)).
  const double a = lambda * s;
  double sum = 0, term = 1;
  for (int k = 0; k < c; ++k) {
    sum += term;
    term *= a / (k + 1);
  }
  const double pwait = term / ((1 - rho) * sum + term);
  const double expected_wait = pwait * s / (c * (1 - rho));
  const double measured_wait = wait_ns / accepted * 1e-9;
  MESSAGE("Erlang-C wait " << expected_wait * 1e3 << " ms, simulated " << measured_wait * 1e3 << " ms");
  CHECK(std::abs(measured_wait - expected_wait) / expected_wait < 0.03);
  CHECK(busy / capacity == doctest::Approx(rho).epsilon(0.01));
  CHECK(m->conservation_error() == 0.0);
}

TEST_CASE("a one-region-one-site scenario matches bytes and latency computed by hand") {
  test::TempDir dir;
  // Region centre on the hub, site on the hub: RTT = 2 × 1 hub × 0.5 ms + 2 ms + 2 × 3 ms = 9 ms.
  // Deterministic 10 ms service, servers to spare: no waiting. 1 MB at 8 Mbps = 1 s, and one
  // slow-start round (BDP 9 kB < the 14.6 kB initial window): completion = 9 + 10 + 1000 + 9 ms.
  const std::string path = dir.write("hand.yaml", one_region_scenario("IE", 53.35, -6.26, 100000,
                                                                      "{dist: deterministic, mean_ms: 10}", 10, 10000, 2));
  const auto w = world_of(path);
  const auto m = models::run_event(*w);
  const auto& f = m->flow(0, 0, 0, models::FlowKind::Serve);
  REQUIRE(f.requests > 0);
  CHECK(f.bytes == f.requests * 1e6);
  CHECK(m->generated == f.requests);
  const sim::Histogram& ttfb = m->ttfb(0, 0);
  CHECK(ttfb.min() == 19000);  // µs
  CHECK(ttfb.max() == 19000);
  CHECK(m->latency(0, 0).min() == 1028000);
  CHECK(m->latency(0, 0).max() == 1028000);
  const auto h = models::compute_headline(*m, *w);
  CHECK(h.cross_border_bytes == 0);
  CHECK(h.eea_exit_bytes == 0);
  // Expected count: 10000 users × 10 requests/day × 2/24 day = 8333.3; Poisson sd 91.
  CHECK(std::abs(f.requests - 10000.0 * 10 * 2 / 24) < 4 * std::sqrt(10000.0 * 10 * 2 / 24));
}

TEST_CASE("serving Irish users from the US counts every byte as cross-border and EEA-exit by policy") {
  test::TempDir dir;
  const std::string path = dir.write("us.yaml", one_region_scenario("US", 39.04, -77.49, 100000,
                                                                    "{dist: deterministic, mean_ms: 10}", 10, 10000, 2));
  const auto w = world_of(path);
  const auto m = models::run_event(*w);
  const auto h = models::compute_headline(*m, *w);
  CHECK(h.site_bytes > 0);
  CHECK(h.cross_border_bytes == h.site_bytes);
  CHECK(h.eea_exit_bytes_by[static_cast<std::size_t>(models::ExitReason::Policy)] == h.site_bytes);
  CHECK(h.eea_exit_share == doctest::Approx(1.0));
  // RTT: 2 × 6000 km / 204.19 km/ms + 2 × 2 hubs × 0.5 ms + 2 ms + 6 ms.
  const double rtt_ms = 2 * 6000 / 204.19 + 2 + 2 + 6;
  CHECK(static_cast<double>(m->ttfb(0, 0).min()) / 1000 == doctest::Approx(rtt_ms + 10).epsilon(0.001));
}

TEST_CASE("a full site drops what it cannot queue when the policy says drop, and conservation holds") {
  test::TempDir dir;
  // One server, 100 ms service, 36 requests/s: far over capacity; waiting room of 2.
  const std::string path = dir.write("drop.yaml", one_region_scenario("IE", 53.35, -6.26, 1, "{dist: exponential, mean_ms: 100}",
                                                                      1000, 3110.4, 1) );
  const auto w = world_of(path, {"policies.routing={queue_limit_per_server: 2, on_queue_full: drop}"});
  const auto m = models::run_event(*w);
  CHECK(m->dropped_total > 0.5 * m->generated);
  CHECK(m->served + m->in_flight > 0);
  CHECK(m->conservation_error() == 0.0);
  CHECK(m->dropped(0, 0) == m->dropped_total);
}

TEST_CASE("requests spill to the next site when the nearest is full, and are counted as spill") {
  test::TempDir dir;
  std::string text = one_region_scenario("IE", 53.35, -6.26, 1, "{dist: exponential, mean_ms: 100}", 1000, 3110.4, 1);
  text = test::replace_once(text, "build_out: [s1]",
                            "  - {id: s2, name: Far, country: US, lat: 39.04, lon: -77.49, hub: IAD, status: existing, servers: 1000}\n"
                            "build_out: [s1, s2]");
  const std::string path = dir.write("spill.yaml", text);
  const auto w = world_of(path, {"policies.routing={queue_limit_per_server: 2, on_queue_full: spill, spill_outside_eea: true}"});
  const auto m = models::run_event(*w);
  double spilled = 0;
  for (std::size_t i = 0; i < m->intervals(); ++i) spilled += m->site_interval(1, i).spilled_in;
  CHECK(spilled > 0.5 * m->generated);
  const auto h = models::compute_headline(*m, *w);
  CHECK(h.eea_exit_bytes_by[static_cast<std::size_t>(models::ExitReason::Spill)] == doctest::Approx(spilled * 1e6));
  CHECK(h.eea_exit_bytes_by[static_cast<std::size_t>(models::ExitReason::Policy)] == 0);
  CHECK(m->dropped_total == 0);
  // Without permission to leave the EEA, the same overload is dropped instead.
  const auto w2 = world_of(path, {"policies.routing={queue_limit_per_server: 2, on_queue_full: spill, spill_outside_eea: false}"});
  const auto m2 = models::run_event(*w2);
  CHECK(m2->dropped_total > 0.5 * m2->generated);
  CHECK(models::compute_headline(*m2, *w2).eea_exit_bytes == 0);
}

TEST_CASE("every served request is in the latency and TTFB histograms, the last ones included") {
  // Completions held past the horizon (in flight) are recorded too: at flush, not dropped.
  test::TempDir dir;
  for (const double rate_per_user_day : {0.1, 100.0}) {  // ~13 requests (fewer than the ring holds), ~13,000
    CAPTURE(rate_per_user_day);
    const std::string path = dir.write("count.yaml", one_region_scenario("IE", 53.35, -6.26, 40, "{dist: exponential, mean_ms: 100}",
                                                                         rate_per_user_day, 3110.4, 1));
    const auto w = world_of(path);
    const auto m = models::run_event(*w);
    REQUIRE(w->scenario().meta.scale == 1);
    std::uint64_t latency = 0, ttfb = 0;
    for (std::size_t c = 0; c < m->countries().size(); ++c)
      for (std::size_t k = 0; k < w->scenario().traffic.classes.size(); ++k) {
        latency += m->latency(c, k).count();
        ttfb += m->ttfb(c, k).count();
      }
    CHECK(m->served + m->in_flight > 0);
    CHECK(static_cast<double>(latency) == m->served + m->in_flight);
    CHECK(static_cast<double>(ttfb) == m->served + m->in_flight);
  }
}

TEST_CASE("hottest_links.csv's first link is the peak link of the summary, exact ties included") {
  // Clover full: Dublin's and Dublin-2's uplinks peak at exactly the same utilisation;
  // every output names the first in link order.
  const auto w = world_of(test::source_path("scenarios/clover-full.yaml"), {"meta.duration_h=6", "meta.scale=100"});
  const auto m = models::run_flow(*w);
  const models::LinkHeadline h = models::summarize_links(*m, *w);
  const auto files = tools::write_csvs({"id", w->scenario().meta.name, "base", w->scenario().meta.seed}, *m, *w);
  const std::string& hot = files.at("hottest_links.csv");
  const std::string first_row = hot.substr(hot.find('\n') + 1);
  // run_id,scenario,variant,seed,rank,link,...: the sixth field.
  std::size_t at = 0;
  for (int i = 0; i < 5; ++i) at = first_row.find(',', at) + 1;
  CHECK(first_row.substr(at, first_row.find(',', at) - at) == h.peak_link);
}

TEST_CASE("edge-cache hits, served beside the generator, count in every figure a site's requests count in") {
  // Every request a hit: none reaches the site, and all of them must still be generated,
  // served, in the histograms, in the edge flow and in the event window they arrive in.
  test::TempDir dir;
  std::string text = one_region_scenario("IE", 53.35, -6.26, 40, "{dist: exponential, mean_ms: 100}", 100, 3110.4, 2);
  text = test::replace_once(text, "      size: {dist: fixed, mean_bytes: 1000000}\n",
                            "      size: {dist: fixed, mean_bytes: 1000000}\n      cacheable: true\n      edge_cache_hit_ratio: 1.0\n");
  text += "events:\n  - {id: cut, kind: link_cut, between: [DUB, IAD], at_offset_h: 0.5, duration_h: 0.5}\n";
  const std::string path = dir.write("edge.yaml", text);
  const auto w = world_of(path);
  for (const int threads : {1, 2}) {
    CAPTURE(threads);
    models::RunOptions o;
    o.threads = threads;
    o.chunk = 100;
    const auto m = models::run_event(*w, o);
    REQUIRE(m->generated > 1000);
    CHECK(m->conservation_error() == 0.0);
    CHECK(m->served == m->generated);
    CHECK(static_cast<double>(m->simulated_requests) == m->generated);
    const auto& edge = m->flow(0, m->edge_site(), 0, models::FlowKind::Edge);
    CHECK(edge.requests == m->generated);
    CHECK(edge.bytes == edge.requests * 1e6);
    CHECK(m->flow(0, 0, 0, models::FlowKind::Serve).requests == 0);
    const auto rtt_us = static_cast<std::uint64_t>(models::edge_path(*w).rtt.count() / 1000);
    CHECK(static_cast<double>(m->ttfb(0, 0).count()) == m->generated);
    CHECK(m->ttfb(0, 0).min() == rtt_us);
    CHECK(m->ttfb(0, 0).max() == rtt_us);
    CHECK(static_cast<double>(m->latency(0, 0).count()) == m->generated);
    CHECK(m->user_ttfb_count == m->generated);
    CHECK(m->user_ttfb_ms_sum / m->user_ttfb_count == doctest::Approx(static_cast<double>(models::edge_path(*w).rtt.count()) * 1e-6));
    // The window holds the arrivals of its half hour: a quarter of the run's (Poisson).
    REQUIRE(m->events.size() == 1);
    const double in_window = static_cast<double>(m->events[0].ttfb_by_country[0].count());
    CHECK(std::abs(in_window - m->generated / 4) < 4 * std::sqrt(m->generated / 4));
  }
  CHECK(csvs(*w, 1) == csvs(*w, 2));
}

TEST_CASE("edge-cache hits mixed with site requests, at a weight above 1 and chunks of a few requests") {
  // Half the reads hit an edge cache; each simulated request stands for 3 real ones. Every
  // count and histogram must hold both kinds at that weight, and how the requests are cut
  // into chunks (here down to 1 and 3) must change nothing.
  test::TempDir dir;
  std::string text = one_region_scenario("IE", 53.35, -6.26, 40, "{dist: exponential, mean_ms: 100}", 100, 3110.4, 2);
  text = test::replace_once(text, "scale: 1}", "scale: 3}");
  text = test::replace_once(text, "      size: {dist: fixed, mean_bytes: 1000000}\n",
                            "      size: {dist: fixed, mean_bytes: 1000000}\n      cacheable: true\n      edge_cache_hit_ratio: 0.5\n");
  text += "events:\n  - {id: cut, kind: link_cut, between: [DUB, IAD], at_offset_h: 0.5, duration_h: 0.5}\n";
  const auto w = world_of(dir.write("mixed.yaml", text));
  std::map<std::string, std::string> reference;
  for (const std::size_t chunk : {std::size_t{1}, std::size_t{3}, std::size_t{1} << 14})
    for (const int threads : {1, 2}) {
      CAPTURE(chunk);
      CAPTURE(threads);
      models::RunOptions o;
      o.threads = threads;
      o.chunk = chunk;
      const auto m = models::run_event(*w, o);
      REQUIRE(m->generated > 5000);
      CHECK(static_cast<double>(m->simulated_requests) * 3 == m->generated);
      CHECK(m->conservation_error() == 0.0);
      const auto& edge = m->flow(0, m->edge_site(), 0, models::FlowKind::Edge);
      const auto& site = m->flow(0, 0, 0, models::FlowKind::Serve);
      CHECK(edge.requests + site.requests == m->served);
      CHECK(std::fmod(edge.requests, 3.0) == 0.0);
      CHECK(edge.bytes == edge.requests * 1e6);
      CHECK(std::abs(edge.requests / m->generated - 0.5) < 5 * std::sqrt(0.25 / (m->generated / 3)));
      CHECK(static_cast<double>(m->ttfb(0, 0).count()) == m->served);
      CHECK(static_cast<double>(m->latency(0, 0).count()) == m->served);
      CHECK(m->ttfb(0, 0).min() == static_cast<std::uint64_t>(models::edge_path(*w).rtt.count() / 1000));
      CHECK(m->user_ttfb_count == m->served);
      // The window's TTFB histogram holds every arrival of its half hour (a quarter of the
      // run), edge hits and site requests alike, each at weight 3.
      REQUIRE(m->events.size() == 1);
      const double in_window = static_cast<double>(m->events[0].ttfb_by_country[0].count());
      CHECK(std::fmod(in_window, 3.0) == 0.0);
      CHECK(std::abs(in_window / 3 - m->generated / 12) < 5 * std::sqrt(m->generated / 12));
      const auto files = tools::write_csvs({"id", w->scenario().meta.name, "base", w->scenario().meta.seed}, *m, *w);
      if (reference.empty()) reference = files;
      CHECK(files == reference);
    }
}

TEST_CASE("the request pipeline hands idle-time work to the generating thread while serving is behind, and back") {
  // Serving holds its first chunk until the generating thread, its queue full, has asked
  // for idle-time work; then the generator holds its next chunk until serving, out of
  // chunks, has asked. Each wait is for the other thread's call, bounded only so that a
  // pipeline that never makes it fails instead of hanging.
  test::TempDir dir;
  const auto w = world_of(dir.write("one.yaml", one_region_scenario("IE", 53.35, -6.26, 40, "{dist: exponential, mean_ms: 100}", 100, 3110.4, 2)));
  const models::Demand demand = models::build_demand(*w);
  models::TrafficGenerator gen(*w, demand, 1);
  std::mutex mu;
  std::condition_variable asked;
  bool generator_asked = false, server_asked = false;
  const auto serving = std::this_thread::get_id();
  auto wait_for = [&](bool& flag) {
    std::unique_lock lock(mu);
    return asked.wait_for(lock, std::chrono::seconds(30), [&] { return flag; });
  };
  std::size_t chunks = 0;
  std::atomic<bool> first_held{false}, then_held{false};
  const std::function<bool()> idle = [&] {
    {
      std::lock_guard lock(mu);
      (std::this_thread::get_id() == serving ? server_asked : generator_asked) = true;
    }
    asked.notify_all();
    return false;
  };
  models::run_request_pipeline(
      gen, 10, 2,
      [&](std::vector<models::Request>&) {
        if (first_held && !then_held) then_held = wait_for(server_asked);  // the generating thread's
      },
      [&](const std::vector<models::Request>&) {
        if (chunks++ == 0) first_held = wait_for(generator_asked);
      },
      idle);
  CHECK(first_held);
  CHECK(then_held);
  CHECK(chunks > 5);
}

TEST_CASE("a request pipeline of chunks of no request is refused") {
  test::TempDir dir;
  const auto w = world_of(dir.write("one.yaml", one_region_scenario("IE", 53.35, -6.26, 40, "{dist: exponential, mean_ms: 100}", 10, 100, 1)));
  models::RunOptions o;
  o.chunk = 0;
  CHECK_THROWS_AS(models::run_event(*w, o), std::invalid_argument);
}
