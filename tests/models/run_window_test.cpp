// A window of a long run (dcsim run --window) is that run at those days: run alone, with
// the scenario rebased to the window (users grown since the run's start, events before it
// in force, later ones moved) and the whole run's data plan sliced to it, its intervals
// match the whole run's. A week of the Clover migration with growth, a site coming online
// (a re-homing), an outage under way when the window opens, one inside it and one after.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "models/run/data_plan.hpp"
#include "models/run/event_run.hpp"
#include "models/run/flow_run.hpp"
#include "models/run/run_window.hpp"
#include "tests/support/test_files.hpp"

using namespace dcsim;

namespace {

const std::string kWeek = std::string("include: [") + test::source_path("scenarios/clover-migration.yaml") +
                          "]\nmeta: {name: week, duration_h: 168, scale: 1000, fidelity: flow}\n"
                          "traffic: {growth: {annual_rate: 0.5}}\n"
                          "data: {rehome: {rate_gbps: 50}, content_bytes_per_user: 2.0e9, content_deletion_per_day: 0.01}\n"
                          "events:\n"
                          "  - {id: hamar-online, kind: site_online, site: hamar, at_offset_h: 60}\n"
                          "  - {id: half-dark, kind: site_outage, site: dublin-2, at_offset_h: 90, duration_h: 30, capacity_loss: 0.5}\n"
                          "  - {id: over, kind: site_outage, site: dublin, at_offset_h: 10, duration_h: 5, capacity_loss: 0.5}\n"
                          "  - {id: inside, kind: demand_surge, countries: [PL], demand_factor: 3, at_offset_h: 130, duration_h: 4}\n"
                          "  - {id: after, kind: site_outage, site: hamar, at_offset_h: 150, duration_h: 2}\n"
                          "  - {id: trial, kind: site_online, site: singapore, at_offset_h: 5, duration_h: 10}\n";

double rel(double a, double b) { return a == b ? 0.0 : std::fabs(a - b) / std::max(std::fabs(a), std::fabs(b)); }

}  // namespace

TEST_CASE("the scenario of a window: start, length, growth origin and events rebased") {
  test::TempDir dir;
  const auto w = test::load_world(dir, "week", kWeek);
  const models::Scenario& s = w->scenario();
  const models::RunWindow win{4, 2};
  REQUIRE(models::window_problem(s, win).empty());
  const models::Scenario p = models::window_scenario(s, win);
  CHECK(p.meta.start_utc_s == s.meta.start_utc_s + 4 * 86400);
  CHECK(p.meta.duration == sim::hours(48));
  CHECK(p.traffic.growth.rate_origin_days == 4);
  std::map<std::string, std::pair<double, double>> ev;  // id → (at h, duration h or -1)
  for (const auto& e : p.events) ev[e.id] = {sim::to_seconds(e.at) / 3600, e.duration ? sim::to_seconds(*e.duration) / 3600 : -1};
  CHECK(ev.size() == 4);  // "over" ended before the window, "after" starts after it
  // Singapore's spell online is over: it opens and closes at the start (Singapore dark),
  // and acts first, its last action (15 h) being before Hamar's (60 h).
  CHECK(ev["trial"].first == 0);
  CHECK(ev["trial"].second == 0);
  CHECK(p.events.front().id == "trial");
  CHECK(ev["hamar-online"].first == 0);
  CHECK(ev["hamar-online"].second == -1);
  CHECK(ev["half-dark"].first == 0);
  CHECK(ev["half-dark"].second == doctest::Approx(24));  // 90 + 30 - 96
  CHECK(ev["inside"].first == doctest::Approx(34));  // 130 - 96
  CHECK(ev["inside"].second == doctest::Approx(4));
  // Windows that are not: past the end, no days, an interval that does not divide a day.
  CHECK(!models::window_problem(s, {7, 1}).empty());
  CHECK(!models::window_problem(s, {-1, 1}).empty());
  CHECK(!models::window_problem(s, {2, 0}).empty());
  models::Scenario odd = s;
  odd.meta.report_interval = sim::minutes(7);
  CHECK(!models::window_problem(odd, win).empty());
  // A window running past the end stops there.
  CHECK(models::window_scenario(s, {6, 5}).meta.duration == sim::hours(24));
}

TEST_CASE("at flow fidelity a window's intervals are the whole run's, and the event run follows the same plan") {
  test::TempDir dir;
  const auto whole = test::load_world(dir, "week", kWeek);
  const auto plan = models::plan_data(*whole);
  REQUIRE(plan);
  const auto full = models::run_flow(*whole);
  const models::RunWindow win{4, 2};
  const models::DataPlan part_plan = models::window_plan(*plan, whole->scenario(), win);
  const models::World part(models::window_scenario(whole->scenario(), win));
  models::FlowOptions fo;
  fo.data_plan = &part_plan;
  const auto m = models::run_flow(part, fo);
  const std::size_t first = 96;  // hourly intervals: day 4
  REQUIRE(m->intervals() == 48);
  double worst = 0, busy = 0;
  for (std::size_t s = 0; s < part.sites().size(); ++s)
    for (std::size_t i = 0; i < m->intervals(); ++i) {
      const auto &a = full->site_interval(s, first + i), &b = m->site_interval(s, i);
      worst = std::max({worst, rel(a.arrivals, b.arrivals), rel(a.accepted, b.accepted), rel(a.bytes, b.bytes), rel(a.busy_ns, b.busy_ns)});
      busy += b.busy_ns;
    }
  REQUIRE(busy > 0);
  CHECK(worst < 1e-9);
  for (std::size_t i = 0; i < m->intervals(); ++i) {
    CAPTURE(i);
    CHECK(rel(full->eea_data_by_interval[first + i], m->eea_data_by_interval[i]) < 1e-9);
    CHECK(rel(full->eea_exit_by_interval[first + i], m->eea_exit_by_interval[i]) < 1e-9);
  }
  // Waves and stored data: the whole run's, day 4 and 5.
  REQUIRE(m->migration_waves.size() == full->migration_waves.size());
  for (std::size_t wv = 0; wv < m->migration_waves.size(); ++wv)
    for (std::size_t i = 0; i < m->intervals(); ++i) {
      CHECK(m->migration_waves[wv][i].moved_bytes == full->migration_waves[wv][first + i].moved_bytes);
      CHECK(m->migration_waves[wv][i].remaining_bytes == full->migration_waves[wv][first + i].remaining_bytes);
    }
  const std::size_t per_day = part.sites().size() * models::kStorageCells;
  REQUIRE(m->storage.size() == 2 * per_day);
  // Both kinds are in the slice: content uploaded through the week, at Hamar since it came online.
  const auto hamar = static_cast<std::size_t>(part.site_index("hamar"));
  CHECK(m->storage[models::storage_index(0, part.sites().size(), hamar, models::StoredKind::Content, 0)].written_bytes > 0);
  for (std::size_t k = 0; k < m->storage.size(); ++k) CHECK(m->storage[k].stored_bytes == full->storage[4 * per_day + k].stored_bytes);
  for (std::size_t k = 0; k < per_day; ++k) CHECK(m->storage_start[k] == full->storage[3 * per_day + k].stored_bytes);
  // The window of the week is not the week's start: without the plan's slice and the
  // rebasing, day 4 would look like day 0 (no growth, Hamar dark, all data still away).
  const auto day0 = models::run_flow(*whole);
  CHECK(rel(day0->site_interval(0, 0).arrivals, m->site_interval(0, 0).arrivals) > 1e-3);

  // The event run of the window follows the same plan: the same migration bytes, and its
  // sites take what the flow model's do, within the sampling of a scale-1000 run.
  models::RunOptions ro;
  ro.data_plan = &part_plan;
  const auto e = models::run_event(part, ro);
  double ef = 0, ff = 0;
  for (std::size_t s = 0; s < part.sites().size(); ++s)
    for (std::size_t i = 0; i < m->intervals(); ++i) {
      ef += e->site_interval(s, i).accepted;
      ff += m->site_interval(s, i).accepted;
    }
  CHECK(ef == doctest::Approx(ff).epsilon(0.02));
  for (std::size_t wv = 0; wv < m->migration_waves.size(); ++wv)
    for (std::size_t i = 0; i < m->intervals(); ++i) CHECK(e->migration_waves[wv][i].moved_bytes == m->migration_waves[wv][i].moved_bytes);
}
