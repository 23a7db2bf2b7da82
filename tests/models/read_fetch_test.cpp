// reads: nearest_with_fetch: a user's read of their own personal data goes where reads
// go (the nearest site), and a site holding no copy of the data (not the home, not a
// replica) fetches it from the copy with the shortest path: site-to-site bytes on the
// backbone (flow kind and link traffic `fetch`), the fetch leg's round trip added to the
// read's time to first byte, and an EEA exit of its own (`fetch`) when the serving site
// is outside the EEA. Built on Clover full with homes pinned away from the nearest site
// (Irish users' data at Hamar, Norwegians' at Dublin, everyone else's at Dublin-2);
// `feed` is the personal-data read class.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include "models/run/event_run.hpp"
#include "models/run/flow_run.hpp"
#include "models/run/run_state.hpp"
#include "models/run/summary.hpp"
#include "tests/support/test_files.hpp"
#include "tests/support/world_queries.hpp"

using namespace dcsim;
using test::class_index;
using test::copy_holders;
using test::site_index;

namespace {

std::unique_ptr<models::World> world(const test::TempDir& dir, const std::string& name, const std::string& reads, int copies,
                                     const std::string& extra = "") {
  const std::string text = "include: [" + test::source_path("scenarios/clover-full.yaml") +
                           "]\nmeta: {name: fetch, scale: 1000, duration_h: 6, fidelity: flow}\n"
                           "policies: {routing: {reads: " +
                           reads + "}, replication: {copies: " + std::to_string(copies) +
                           "}, residency: {mode: map, map: {IE: hamar, NO: dublin}, default_site: dublin-2}}\n" + extra;
  return test::load_world(dir, name, text);
}

std::size_t country_index(const models::Metrics& m, const std::string& cc) {
  for (std::size_t c = 0; c < m.countries().size(); ++c)
    if (m.countries()[c] == cc) return c;
  FAIL("no country " << cc);
  return 0;
}

double kind_bytes(const models::Metrics& m, std::size_t cls, models::FlowKind kind) {
  double b = 0;
  for (std::size_t c = 0; c < m.countries().size(); ++c)
    for (std::size_t s = 0; s < m.sites().size(); ++s) b += m.flow(c, s, cls, kind).bytes;
  return b;
}

double link_bytes(const models::Metrics& m, models::LinkTraffic kind) {
  double b = 0;
  for (std::size_t i = 0; i < m.link_loads->intervals(); ++i)
    for (std::size_t id = 0; id < m.link_loads->link_ids(); ++id) b += m.link_loads->bytes(i, id, kind);
  return b;
}

}  // namespace

TEST_CASE("under nearest_with_fetch reads go where nearest sends them and each one served without a copy is fetched") {
  test::TempDir dir;
  for (const bool event : {false, true}) {
    CAPTURE(event);
    const auto nearest = world(dir, "nearest", "nearest", 0), fetch = world(dir, "fetch", "nearest_with_fetch", 0);
    const auto mn = test::run_at(*nearest, event), mf = test::run_at(*fetch, event);
    const std::size_t feed = class_index(*fetch, "feed");
    const auto holders = copy_holders(*fetch);
    double fetched = 0;
    for (std::size_t c = 0; c < mf->countries().size(); ++c)
      for (std::size_t s = 0; s < fetch->sites().size(); ++s) {
        CAPTURE(mf->countries()[c]);
        CAPTURE(fetch->sites()[s].site->id);
        const double served = mf->flow(c, s, feed, models::FlowKind::Serve).bytes;
        const double got = mf->flow(c, s, feed, models::FlowKind::Fetch).bytes;
        // Reads are placed as under nearest (the fetch changes no site choice).
        CHECK(served == mn->flow(c, s, feed, models::FlowKind::Serve).bytes);
        const auto it = holders.find(mf->countries()[c]);
        const bool holds = it != holders.end() && it->second.count(s);
        if (holds)
          CHECK(got == 0);
        else
          CHECK(got == doctest::Approx(served).epsilon(1e-9));
        fetched += got;
      }
    CHECK(fetched > 0);  // the test can fail: nearest reads land where no copy is
    // Nothing else fetches; nearest does not fetch at all.
    double all = 0;
    for (std::size_t k = 0; k < fetch->scenario().traffic.classes.size(); ++k) all += kind_bytes(*mf, k, models::FlowKind::Fetch);
    CHECK(all == doctest::Approx(fetched).epsilon(1e-12));
    CHECK(kind_bytes(*mn, feed, models::FlowKind::Fetch) == 0);
    // Fetched bytes travel on the backbone: every fetch crosses at least one link.
    CHECK(link_bytes(*mf, models::LinkTraffic::Fetch) >= fetched * (1 - 1e-9));
    CHECK(link_bytes(*mn, models::LinkTraffic::Fetch) == 0);
  }
}

TEST_CASE("a site holding a replica serves it without fetching; the others fetch from the nearest copy") {
  test::TempDir dir;
  const auto fetch = world(dir, "fetch1", "nearest_with_fetch", 1);
  const models::RunState state(*fetch);
  const auto& t = state.tables();
  const std::size_t dublin = site_index(*fetch, "dublin"), dublin2 = site_index(*fetch, "dublin-2"), hamar = site_index(*fetch, "hamar");
  // Data homed at Hamar has its replica at the nearest other EEA site.
  REQUIRE(t.replicas(static_cast<int>(hamar)).size() == 1);
  const std::size_t rep = t.replicas(static_cast<int>(hamar)).front();
  CHECK(t.fetch_source(hamar, static_cast<int>(hamar)) == static_cast<int>(hamar));
  CHECK(t.fetch_source(rep, static_cast<int>(hamar)) == static_cast<int>(rep));
  // An Irish site without the replica fetches from the other Irish site (it holds it), not from Norway.
  const std::size_t other = rep == dublin ? dublin2 : dublin;
  CHECK(t.fetch_source(other, static_cast<int>(hamar)) == static_cast<int>(rep));
  // Against the run: with copies 1, the bytes served where no copy is equal the bytes fetched.
  for (const bool event : {false, true}) {
    CAPTURE(event);
    const auto m = test::run_at(*fetch, event);
    const std::size_t feed = class_index(*fetch, "feed");
    const auto holders = copy_holders(*fetch);
    double without = 0;
    for (std::size_t c = 0; c < m->countries().size(); ++c) {
      const auto it = holders.find(m->countries()[c]);
      for (std::size_t s = 0; s < fetch->sites().size(); ++s)
        if (it == holders.end() || !it->second.count(s)) without += m->flow(c, s, feed, models::FlowKind::Serve).bytes;
    }
    CHECK(kind_bytes(*m, feed, models::FlowKind::Fetch) == doctest::Approx(without).epsilon(1e-9));
  }
}

TEST_CASE("a fetched read's time to first byte grows by the fetch leg's round trip") {
  test::TempDir dir;
  const auto nearest = world(dir, "nearest", "nearest", 0), fetch = world(dir, "fetch", "nearest_with_fetch", 0);
  const models::RunState state(*fetch);
  const std::size_t ns = fetch->sites().size();
  const std::size_t dublin = site_index(*fetch, "dublin"), dublin2 = site_index(*fetch, "dublin-2"), hamar = site_index(*fetch, "hamar");
  // Irish users read in Dublin (either site) and their data is at Hamar: every read fetches from there.
  const double leg_a = sim::to_milliseconds(state.paths().site[hamar * ns + dublin].rtt);
  const double leg_b = sim::to_milliseconds(state.paths().site[hamar * ns + dublin2].rtt);
  REQUIRE(leg_a > 5);
  for (const bool event : {false, true}) {
    CAPTURE(event);
    const auto mn = test::run_at(*nearest, event), mf = test::run_at(*fetch, event);
    const std::size_t feed = class_index(*fetch, "feed"), ie = country_index(*mf, "IE");
    REQUIRE(mf->flow(ie, hamar, feed, models::FlowKind::Serve).bytes == 0);
    const double added_ms = (mf->ttfb(ie, feed).mean() - mn->ttfb(ie, feed).mean()) / 1000;
    CHECK(added_ms >= std::min(leg_a, leg_b) * 0.97);
    CHECK(added_ms <= std::max(leg_a, leg_b) * 1.03);
    // Content reads are not fetched: their time to first byte does not move.
    const std::size_t video = class_index(*fetch, "video_view");
    CHECK(mf->ttfb(ie, video).mean() == doctest::Approx(mn->ttfb(ie, video).mean()).epsilon(0.01));
  }
}

TEST_CASE("a fetch from a copy in the EEA by a site outside it is an EEA exit of its own, to that site's legal basis") {
  test::TempDir dir;
  // Data at Dublin, French users' at London; reads nearest, with London and Zurich built:
  // EEA users near them read there, and those sites fetch the data out of the EEA, except
  // French users' data, which is outside already (no copy leaves the EEA to reach Zurich).
  const std::string text = "include: [" + test::source_path("scenarios/clover-full.yaml") +
                           "]\nmeta: {name: fetch-exit, scale: 1000, duration_h: 6, fidelity: flow}\n"
                           "build_out: [dublin, dublin-2, hamar, london, zurich, us-east, singapore]\n"
                           "policies: {routing: {reads: nearest_with_fetch, spill_outside_eea: true}, replication: {copies: 0},"
                           " residency: {mode: map, map: {FR: london}, default_site: dublin}}\n";
  const auto w = test::load_world(dir, "exit", text);
  std::map<std::string, bool> country_eea;
  for (const auto& r : w->regions()) country_eea[r.region->country] = r.eea;
  for (const bool event : {false, true}) {
    CAPTURE(event);
    const auto m = test::run_at(*w, event);
    double fetched_out = 0, exits = 0, fetched_in = 0, fr_outside = 0;
    for (std::size_t c = 0; c < m->countries().size(); ++c)
      for (std::size_t s = 0; s < w->sites().size(); ++s) {
        double bytes = 0;
        for (std::size_t k = 0; k < w->scenario().traffic.classes.size(); ++k) bytes += m->flow(c, s, k, models::FlowKind::Fetch).bytes;
        const double exit = m->exit_bytes(c, s, models::ExitReason::Fetch);
        const std::string& cc = m->countries()[c];
        CAPTURE(cc);
        CAPTURE(w->sites()[s].site->id);
        if (country_eea[cc] && !w->sites()[s].eea && cc != "FR") {
          CHECK(exit == doctest::Approx(bytes).epsilon(1e-12));
          fetched_out += bytes;
        } else {
          CHECK(exit == 0);
          if (w->sites()[s].eea) fetched_in += bytes;
          if (cc == "FR" && !w->sites()[s].eea) fr_outside += bytes;
        }
        exits += exit;
      }
    CHECK(fetched_out > 0);  // the test can fail: EEA users read at London or Zurich
    CHECK(fetched_in > 0);
    CHECK(fr_outside > 0);  // French reads at Zurich fetch from London: outside to outside
    // The UK and Switzerland have adequacy decisions: no fetch exit is a third-country one.
    double adequacy = 0;
    for (std::size_t c = 0; c < m->countries().size(); ++c)
      for (const char* id : {"london", "zurich"})
        adequacy += m->exit_basis_bytes(c, site_index(*w, id), models::LegalBasis::Adequacy);
    CHECK(adequacy >= exits * (1 - 1e-12));
  }
}

TEST_CASE("event and flow fidelity agree on fetched bytes per site") {
  test::TempDir dir;
  const auto fetch = world(dir, "agree", "nearest_with_fetch", 1);
  const auto mf = test::run_at(*fetch, false), me = test::run_at(*fetch, true);
  const std::size_t feed = class_index(*fetch, "feed");
  const double total = kind_bytes(*mf, feed, models::FlowKind::Fetch);
  REQUIRE(total > 0);
  for (std::size_t s = 0; s < fetch->sites().size(); ++s) {
    CAPTURE(fetch->sites()[s].site->id);
    double f = 0, e = 0;
    for (std::size_t c = 0; c < mf->countries().size(); ++c) {
      f += mf->flow(c, s, feed, models::FlowKind::Fetch).bytes;
      e += me->flow(c, s, feed, models::FlowKind::Fetch).bytes;
    }
    CHECK(e == doctest::Approx(f).epsilon(0.03).scale(0.01 * total));
  }
}

TEST_CASE("a read whose site reaches no copy goes to the nearest copy, and is dropped as unreachable when that is cut off too") {
  test::TempDir dir;
  // Dublin's hub cut off from the rest for the whole run: Irish users and the two Dublin
  // sites on one side, every other user, Hamar and the copies of Irish data on the other.
  std::string cut = "events:\n";
  for (const char* other : {"LON", "MAN", "EDI", "EBJ", "KEF", "NYC"})
    cut += std::string("  - {id: cut-") + other + ", kind: link_cut, between: [DUB, " + other + "], at_offset_h: 0}\n";
  const auto copy = world(dir, "copy", "nearest_copy", 0, cut), fetch = world(dir, "fetch", "nearest_with_fetch", 0, cut);
  for (const bool event : {false, true}) {
    CAPTURE(event);
    const auto mc = test::run_at(*copy, event), mf = test::run_at(*fetch, event);
    const std::size_t feed = class_index(*fetch, "feed");
    // No fetch crosses the cut: a site fetches only from a copy on its own side (homes are
    // pinned and there are no replicas, so the copy is the reader's home).
    const std::set<std::string> island{"dublin", "dublin-2"};
    for (std::size_t c = 0; c < mf->countries().size(); ++c) {
      const std::string& cc = mf->countries()[c];
      const std::string home = cc == "IE" ? "hamar" : cc == "NO" ? "dublin" : "dublin-2";
      for (std::size_t s = 0; s < fetch->sites().size(); ++s) {
        if (mf->flow(c, s, feed, models::FlowKind::Fetch).bytes == 0) continue;
        CAPTURE(cc);
        CHECK(island.count(fetch->sites()[s].site->id) == island.count(home));
      }
    }
    CHECK(mf->dropped_by(models::DropReason::Unreachable) > 0);
    CHECK(mf->dropped_by(models::DropReason::Unreachable) == doctest::Approx(mc->dropped_by(models::DropReason::Unreachable)).epsilon(1e-9));
    CHECK(models::compute_headline(*mf, *fetch).conservation_error == doctest::Approx(0).epsilon(1e-9));
  }
}

TEST_CASE("property: over random build-outs, homes and replicas, no site serves a personal-data read it holds no copy of unless it fetched it") {
  test::TempDir dir;
  sim::RandomStream rng(20261205, 16);
  const std::vector<std::string> sites{"dublin", "dublin-2", "hamar", "frankfurt", "paris", "london", "warsaw", "madrid", "us-east", "singapore"};
  const std::vector<std::string> countries{"IE", "NO", "DE", "FR", "PL", "ES", "IT", "SE", "GB", "NL"};
  for (int trial = 0; trial < 8; ++trial) {
    // US East (the analytics export site) and 2-5 more; homes by a random country map, by
    // capacity or nearest; 0-2 replicas anywhere.
    std::vector<std::string> built{"us-east"};
    const std::size_t n = 3 + rng.uniform_below(4);
    while (built.size() < n) {
      const std::string& s = sites[rng.uniform_below(sites.size())];
      if (std::find(built.begin(), built.end(), s) == built.end()) built.push_back(s);
    }
    std::string build = "[", map = "{";
    for (const auto& s : built) build += (build.size() > 1 ? ", " : "") + s;
    build += "]";
    for (const auto& c : countries)
      if (rng.uniform_below(2)) map += (map.size() > 1 ? ", " : "") + c + ": " + built[rng.uniform_below(built.size())];
    map += "}";
    const std::uint64_t mode = rng.uniform_below(3);
    const std::string residency = mode == 0   ? "{mode: map, map: " + map + ", default_site: " + built[rng.uniform_below(built.size())] + "}"
                                  : mode == 1 ? std::string("{mode: capacity_weighted}")
                                              : std::string("{mode: nearest}");
    const std::uint64_t copies = rng.uniform_below(3);
    const std::string reads = rng.uniform_below(2) ? "nearest_copy" : "nearest_with_fetch";
    const std::string text = "include: [" + test::source_path("scenarios/clover-full.yaml") +
                             "]\nmeta: {name: prop, scale: 1000, duration_h: 4, fidelity: flow}\nbuild_out: " + build +
                             "\npolicies: {routing: {reads: " + reads + ", spill_outside_eea: true}, replication: {copies: " +
                             std::to_string(copies) + ", scope: any}, residency: " + residency +
                             ", employee_access: {approved_share: 1}, content: {everywhere_share: 0.7}}\n";
    CAPTURE(text);
    const auto w = test::load_world(dir, "prop" + std::to_string(trial), text);
    const auto holders = copy_holders(*w);
    const std::size_t feed = class_index(*w, "feed"), video = class_index(*w, "video_view");
    for (const bool event : {false, true}) {
      CAPTURE(event);
      const auto m = test::run_at(*w, event);
      CHECK(models::compute_headline(*m, *w).conservation_error == doctest::Approx(0).epsilon(1e-9));
      for (std::size_t c = 0; c < m->countries().size(); ++c) {
        const auto it = holders.find(m->countries()[c]);
        for (std::size_t s = 0; s < w->sites().size(); ++s) {
          const double served = m->flow(c, s, feed, models::FlowKind::Serve).bytes;
          const double fetched = m->flow(c, s, feed, models::FlowKind::Fetch).bytes;
          const bool holds = it != holders.end() && it->second.count(s);
          if (reads == "nearest_copy") {
            CHECK(fetched == 0);
            if (!holds) CHECK(served == 0);
          } else {
            CHECK(fetched <= served * (1 + 1e-9));
            if (!holds) CHECK(fetched == doctest::Approx(served).epsilon(1e-9));
          }
          // Long-tail videos: fetched at most for the tail's share of what a site serves.
          const double video_served = m->flow(c, s, video, models::FlowKind::Serve).bytes;
          CHECK(m->flow(c, s, video, models::FlowKind::Fetch).bytes <= video_served * (event ? 1.0 : 0.3 + 1e-9));
        }
      }
    }
  }
}
