// policies.content.everywhere_share: the popular head of content (videos) is placed at
// every site; the long tail stays where it was uploaded (the uploader's home and its
// replicas). A read of tail content is fetched by the site serving it when that site holds
// no copy, or under reads: nearest_copy goes to the nearest copy. Built on Clover full with
// homes pinned (Irish users' data at Hamar, Norwegians' at Dublin, everyone else's at
// Dublin-2); `video_view` is the content read class.
#include <doctest/doctest.h>

#include <map>
#include <sstream>

#include "models/run/event_run.hpp"
#include "models/run/flow_run.hpp"
#include "models/run/run_state.hpp"
#include "tests/support/test_files.hpp"
#include "tests/support/world_queries.hpp"

using namespace dcsim;
using test::class_index;

namespace {

std::unique_ptr<models::World> world(const test::TempDir& dir, const std::string& name, double everywhere, const std::string& reads,
                                     int copies, int scale = 1000) {
  std::ostringstream share;
  share << everywhere;
  const std::string text = "include: [" + test::source_path("scenarios/clover-full.yaml") +
                           "]\nmeta: {name: content, scale: " + std::to_string(scale) + ", duration_h: 6, fidelity: flow}\n"
                           "policies: {routing: {reads: " + reads + "}, replication: {copies: " + std::to_string(copies) +
                           "}, residency: {mode: map, map: {IE: hamar, NO: dublin}, default_site: dublin-2},"
                           " content: {everywhere_share: " + share.str() + "}}\n";
  return test::load_world(dir, name, text);
}

double site_bytes(const models::Metrics& m, std::size_t cls, std::size_t site, models::FlowKind kind) {
  double b = 0;
  for (std::size_t c = 0; c < m.countries().size(); ++c) b += m.flow(c, site, cls, kind).bytes;
  return b;
}

}  // namespace

TEST_CASE("the long tail of content is where it was uploaded: at the uploaders' homes, in proportion to their users") {
  test::TempDir dir;
  const auto w = world(dir, "homes", 0.8, "nearest", 0);
  const models::RunState state(*w);
  std::map<int, double> users;
  double all = 0;
  for (const auto& r : w->regions()) {
    const std::string& cc = r.region->country;
    const std::string home = cc == "IE" ? "hamar" : cc == "NO" ? "dublin" : "dublin-2";
    users[w->site_index(home)] += r.monthly_users;
    all += r.monthly_users;
  }
  const auto& homes = state.tables().content_homes();
  REQUIRE(homes.size() == 3);
  for (const auto& [site, share] : homes) {
    CAPTURE(w->sites()[static_cast<std::size_t>(site)].site->id);
    CHECK(share == doctest::Approx(users[site] / all).epsilon(1e-12));
  }
}

TEST_CASE("a site serving a long-tail video it holds no copy of fetches it; the popular head is served where it is read") {
  test::TempDir dir;
  for (const int copies : {0, 1}) {
    CAPTURE(copies);
    const auto w = world(dir, "tail" + std::to_string(copies), 0.8, "nearest", copies);
    const auto everywhere = world(dir, "all" + std::to_string(copies), 1.0, "nearest", copies);
    const models::RunState state(*w);
    const auto& t = state.tables();
    const std::size_t video = class_index(*w, "video_view"), feed = class_index(*w, "feed");
    const auto m = test::run_at(*w, false), me = test::run_at(*everywhere, false);
    double fetched = 0;
    for (std::size_t s = 0; s < w->sites().size(); ++s) {
      CAPTURE(w->sites()[s].site->id);
      const double served = site_bytes(*m, video, s, models::FlowKind::Serve);
      // Where a video is read does not depend on where it is (reads: nearest).
      CHECK(served == doctest::Approx(site_bytes(*me, video, s, models::FlowKind::Serve)).epsilon(1e-9));
      // The tail share of what it serves, for the uploads it holds no copy of.
      double missing = 0;
      for (const auto& [home, share] : t.content_homes())
        if (t.fetch_source(s, home) != static_cast<int>(s)) missing += share;
      CHECK(site_bytes(*m, video, s, models::FlowKind::Fetch) == doctest::Approx(served * 0.2 * missing).epsilon(1e-9));
      fetched += site_bytes(*m, video, s, models::FlowKind::Fetch);
      CHECK(site_bytes(*me, video, s, models::FlowKind::Fetch) == 0);
    }
    CHECK(fetched > 0);  // the test can fail: sites do hold no copy of some uploads
    // Personal-data reads are not content: under nearest they fetch nothing.
    for (std::size_t s = 0; s < w->sites().size(); ++s) CHECK(site_bytes(*m, feed, s, models::FlowKind::Fetch) == 0);
  }
}

TEST_CASE("the event run draws the long tail per request as the flow model splits it") {
  test::TempDir dir;
  // Scale 100: ~70 000 video reads miss the edge caches in 6 h, enough for the draw.
  const auto w = world(dir, "agree", 0.8, "nearest", 0, 100);
  const auto mf = test::run_at(*w, false), me = test::run_at(*w, true);
  const std::size_t video = class_index(*w, "video_view");
  double total = 0;
  for (std::size_t s = 0; s < w->sites().size(); ++s) total += site_bytes(*mf, video, s, models::FlowKind::Fetch);
  REQUIRE(total > 0);
  double event_total = 0;
  for (std::size_t s = 0; s < w->sites().size(); ++s) {
    CAPTURE(w->sites()[s].site->id);
    const double f = site_bytes(*mf, video, s, models::FlowKind::Fetch), e = site_bytes(*me, video, s, models::FlowKind::Fetch);
    event_total += e;
    if (f > 0.1 * total) CHECK(e == doctest::Approx(f).epsilon(0.05));
  }
  CHECK(event_total == doctest::Approx(total).epsilon(0.03));
}

TEST_CASE("under nearest_copy a long-tail video read goes to the nearest copy of it") {
  test::TempDir dir;
  // Everyone's data (and so every upload) at Dublin, no replicas: the tail is only there.
  auto at_dublin = [&](const std::string& name, double everywhere, int scale) {
    std::ostringstream share;
    share << everywhere;
    return test::load_world(dir, name,
                            "include: [" + test::source_path("scenarios/clover-full.yaml") + "]\nmeta: {name: content, scale: " +
                                std::to_string(scale) + ", duration_h: 6, fidelity: flow}\n"
                                "policies: {routing: {reads: nearest_copy}, replication: {copies: 0},"
                                " residency: {mode: map, map: {}, default_site: dublin}, content: {everywhere_share: " +
                                share.str() + "}}\n");
  };
  const auto half = at_dublin("half", 0.5, 1000), all = at_dublin("all", 1.0, 1000);
  const std::size_t video = class_index(*half, "video_view");
  const auto dublin = static_cast<std::size_t>(half->site_index("dublin"));
  const auto mh = test::run_at(*half, false), ma = test::run_at(*all, false);
  double moved = 0;
  for (std::size_t s = 0; s < half->sites().size(); ++s) {
    if (s == dublin) continue;
    CAPTURE(half->sites()[s].site->id);
    const double a = site_bytes(*ma, video, s, models::FlowKind::Serve);
    // Half of what a site other than Dublin served is long-tail and goes to Dublin.
    CHECK(site_bytes(*mh, video, s, models::FlowKind::Serve) == doctest::Approx(0.5 * a).epsilon(1e-9));
    moved += 0.5 * a;
    CHECK(site_bytes(*mh, video, s, models::FlowKind::Fetch) == 0);
  }
  REQUIRE(moved > 0);
  CHECK(site_bytes(*mh, video, dublin, models::FlowKind::Serve) ==
        doctest::Approx(site_bytes(*ma, video, dublin, models::FlowKind::Serve) + moved).epsilon(1e-9));
  // The event run draws the same split per request (scale 100: enough reads for the draw).
  const auto half100 = at_dublin("half100", 0.5, 100);
  const auto ef = test::run_at(*half100, false), ee = test::run_at(*half100, true);
  CHECK(site_bytes(*ee, video, dublin, models::FlowKind::Serve) ==
        doctest::Approx(site_bytes(*ef, video, dublin, models::FlowKind::Serve)).epsilon(0.03));
}

TEST_CASE("policies.content: a share outside [0, 1] or an unknown key is an error at its key path") {
  test::TempDir dir;
  const std::string base = "include: [" + test::source_path("scenarios/clover-full.yaml") + "]\n";
  auto errors = test::load_errors(dir.write("a.yaml", base + "policies: {content: {everywhere_share: 1.5}}\n"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].key_path == "policies.content.everywhere_share");
  CHECK(errors[0].loc.line == 2);
  CHECK(errors[0].loc.file_name().find("a.yaml") != std::string::npos);
  errors = test::load_errors(dir.write("b.yaml", base + "policies: {content: {everywhere: 0.8}}\n"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].key_path == "policies.content.everywhere");
  errors = test::load_errors(dir.write("c.yaml", base + "policies: {content: {everywhere_share: lots}}\n"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].key_path == "policies.content.everywhere_share");
}
