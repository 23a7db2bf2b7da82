// reads: nearest_copy: a user's read of their own personal data goes only to a site that
// holds a copy of it (the home or one of the home's replicas), the nearest; content reads
// (videos) still go to the nearest site. Built on Clover full with homes pinned away from
// the nearest site (Irish users' data at Hamar, Norwegians' at Dublin, everyone else's at
// Dublin-2), so nearest reads often land where no copy is; `feed` is the personal-data
// read class.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>

#include "models/run/event_run.hpp"
#include "models/run/flow_run.hpp"
#include "models/run/run_state.hpp"
#include "models/scenario/diagnostics.hpp"
#include "tests/support/test_files.hpp"
#include "tests/support/world_queries.hpp"

using namespace dcsim;
using test::class_index;
using test::copy_holders;

namespace {

std::unique_ptr<models::World> world(const test::TempDir& dir, const std::string& name, const std::string& reads, int copies) {
  const std::string text = "include: [" + test::source_path("scenarios/clover-full.yaml") +
                           "]\nmeta: {name: copies, scale: 1000, duration_h: 6, fidelity: flow}\n"
                           "policies: {routing: {reads: " +
                           reads + "}, replication: {copies: " + std::to_string(copies) +
                           "}, residency: {mode: map, map: {IE: hamar, NO: dublin}, default_site: dublin-2}}\n";
  return test::load_world(dir, name, text);
}

// Personal-data read bytes served by a site holding no copy of the reader's data.
double served_without_copy(const models::Metrics& m, const models::World& w) {
  const auto holders = copy_holders(w);
  const std::size_t feed = class_index(w, "feed");
  double bytes = 0;
  for (std::size_t c = 0; c < m.countries().size(); ++c) {
    const auto it = holders.find(m.countries()[c]);
    for (std::size_t k = 0; k < w.sites().size(); ++k)
      if (it == holders.end() || !it->second.count(k)) bytes += m.flow(c, k, feed, models::FlowKind::Serve).bytes;
  }
  return bytes;
}

double class_site_bytes(const models::Metrics& m, std::size_t cls, std::size_t site) {
  double b = 0;
  for (std::size_t c = 0; c < m.countries().size(); ++c) b += m.flow(c, site, cls, models::FlowKind::Serve).bytes;
  return b;
}

}  // namespace

TEST_CASE("under nearest_copy no site serves a personal-data read it holds no copy of; under nearest some do") {
  test::TempDir dir;
  for (const bool event : {false, true}) {
    CAPTURE(event);
    auto run = [&](const models::World& w) { return event ? models::run_event(w, models::RunOptions{}) : models::run_flow(w); };
    const auto nearest = world(dir, "nearest", "nearest", 1), copy = world(dir, "copy", "nearest_copy", 1);
    const auto mn = run(*nearest), mc = run(*copy);
    CHECK(served_without_copy(*mn, *nearest) > 0);  // the test can fail: reads ignore copies
    CHECK(served_without_copy(*mc, *copy) == 0);
    // Nothing is lost by the rule: the same personal reads are served, somewhere.
    const std::size_t feed = class_index(*copy, "feed");
    double a = 0, b = 0;
    for (std::size_t k = 0; k < copy->sites().size(); ++k) {
      a += class_site_bytes(*mn, feed, k);
      b += class_site_bytes(*mc, feed, k);
    }
    CHECK(b == doctest::Approx(a).epsilon(0.02));
    // Content reads are not bound to copies: video_view goes where it went.
    const std::size_t video = class_index(*copy, "video_view");
    for (std::size_t k = 0; k < copy->sites().size(); ++k)
      CHECK(class_site_bytes(*mc, video, k) == doctest::Approx(class_site_bytes(*mn, video, k)).epsilon(0.05));
  }
}

TEST_CASE("with copies: 0, nearest_copy sends every personal-data read home, as home_only does") {
  test::TempDir dir;
  const auto copy = world(dir, "copy0", "nearest_copy", 0), home = world(dir, "home0", "home_only", 0);
  const auto mc = models::run_flow(*copy), mh = models::run_flow(*home);
  const std::size_t feed = class_index(*copy, "feed");
  for (std::size_t k = 0; k < copy->sites().size(); ++k) {
    CAPTURE(copy->sites()[k].site->id);
    CHECK(class_site_bytes(*mc, feed, k) == doctest::Approx(class_site_bytes(*mh, feed, k)).epsilon(1e-6));
  }
}

TEST_CASE("event and flow fidelity agree on where personal-data reads go under nearest_copy") {
  test::TempDir dir;
  const auto copy = world(dir, "agree", "nearest_copy", 1);
  const auto mf = models::run_flow(*copy), me = models::run_event(*copy, models::RunOptions{});
  const std::size_t feed = class_index(*copy, "feed");
  double total = 0;
  for (std::size_t k = 0; k < copy->sites().size(); ++k) total += class_site_bytes(*mf, feed, k);
  for (std::size_t k = 0; k < copy->sites().size(); ++k) {
    CAPTURE(copy->sites()[k].site->id);
    CHECK(class_site_bytes(*me, feed, k) == doctest::Approx(class_site_bytes(*mf, feed, k)).epsilon(0.03).scale(0.01 * total));
  }
}
