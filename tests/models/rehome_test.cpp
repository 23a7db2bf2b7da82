// Re-homing moves data instead of teleporting it: when a residency switch or a site coming
// online changes users' homes, a wave (data.rehome: its rate and priority) moves their
// data from the old homes; until it has, their personal-data requests go where the data
// is, and an EEA user's data still outside the EEA leaves it as legacy_location.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "models/run/data_plan.hpp"
#include "models/run/event_run.hpp"
#include "models/run/flow_run.hpp"
#include "models/run/summary.hpp"
#include "tests/support/test_files.hpp"
#include "tests/support/world_queries.hpp"

using namespace dcsim;

namespace {

// Clover 2023 (Dublin, US East, Singapore) with homes spread by capacity over all three,
// switched to EEA-only residency at hour 6.
std::string residency_switch(const std::string& data, const std::string& fidelity = "flow") {
  return "include: [" + test::source_path("scenarios/clover-2023.yaml") +
         "]\n"
         "meta: {name: switch, scale: 1000, duration_h: 48, fidelity: " + fidelity + "}\n"
         "policies: {residency: {mode: capacity_weighted}}\n" + data +
         "events:\n  - {id: eea-only, kind: policy_switch, at_offset_h: 6, set: {policies.residency.mode: eea_only}}\n";
}

const std::string kData = "data: {personal_bytes_per_user: 1.0e8, rehome: {rate_gbps: 1000, priority: reserved}}\n";

// Hamar coming online at 12:00 with homes spread by capacity (every region keeps part of
// its users at the sites it had); `routing`: a policies.routing block, or empty.
std::string hamar_online(const std::string& routing = "") {
  return "include: [" + test::source_path("scenarios/what-if/norway-online.yaml") +
         "]\nmeta: {name: online, scale: 1000, duration_h: 24, report_interval_min: 60, fidelity: flow}\n"
         "policies: {residency: {mode: capacity_weighted}" + (routing.empty() ? "" : ", routing: " + routing) + "}\n";
}
const std::string kRehome50 = "data: {personal_bytes_per_user: 1.0e8, rehome: {rate_gbps: 50}}\n";

// Hamar coming online under `reads`, twice: its users' data moving at 50 Gbps, and (no
// data: section) at the new homes at once.
struct MovingAndTeleported {
  std::unique_ptr<models::World> moving, teleported;
  std::size_t hamar = 0, feed = 0;
};
MovingAndTeleported hamar_worlds(const test::TempDir& dir, const std::string& reads) {
  const std::string online = hamar_online("{reads: " + reads + "}");
  MovingAndTeleported out{test::load_world(dir, "online", online + kRehome50), test::load_world(dir, "plain", online)};
  out.hamar = test::site_index(*out.moving, "hamar");
  out.feed = test::class_index(*out.moving, "feed");
  return out;
}

double exit_share(const models::Metrics& m, std::size_t iv) {
  return m.eea_data_by_interval[iv] > 0 ? m.eea_exit_by_interval[iv] / m.eea_data_by_interval[iv] : 0.0;
}

}  // namespace

TEST_CASE("a residency switch starts a move of the re-homed users' data; the EEA-exit share falls as it goes, not at once") {
  test::TempDir dir;
  const auto moving = test::load_world(dir, "moving", residency_switch(kData));
  const auto teleport = test::load_world(dir, "teleport", residency_switch(""));
  const auto plan = models::plan_data(*moving);
  REQUIRE(plan);
  REQUIRE(plan->active());
  REQUIRE(plan->wave_info().size() == 1);
  CHECK(plan->wave_info()[0].id == "rehome-eea-only");
  const auto& wave = plan->waves()[0];
  // Nothing moves before the switch; then 1000 Gbps until the data is home.
  for (std::size_t iv = 0; iv < 6; ++iv) CHECK(wave[iv].moved_bytes == 0);
  CHECK(wave[6].rate_gbps == doctest::Approx(1000));
  const long done = plan->completed_in()[0];
  REQUIRE(done > 6);
  double moved = 0;
  for (const auto& iv : wave) moved += iv.moved_bytes;
  // By hand: at 1000 Gbps the wave needs moved / 125 GB/s; done in the interval holding that.
  const double hours = moved / (1000e9 / 8) / 3600;
  CHECK(static_cast<double>(done) + 1 >= 6 + hours - 1e-9);
  CHECK(static_cast<double>(done) <= 6 + hours + 1);
  // The bytes moved are EEA users' data homed outside the EEA: every transfer leaves US East
  // or Singapore for Dublin.
  const auto dublin = static_cast<std::size_t>(moving->site_index("dublin"));
  for (const auto& tr : plan->transfers()) CHECK(tr.to == dublin);
  CHECK(moved > 0);

  const auto mm = models::run_flow(*moving), mt = models::run_flow(*teleport);
  CHECK(mm->conservation_error() == doctest::Approx(0).epsilon(1e-9));
  // Before the switch both runs are the same; right after it the teleporting run exits only
  // by what stays (replicas, exports, staff: the same in both), the moving one still exits
  // as legacy_location, less and less, until it is where the teleporting run was at once.
  CHECK(exit_share(*mm, 3) == doctest::Approx(exit_share(*mt, 3)).epsilon(1e-9));
  CHECK(exit_share(*mm, 7) > 1.1 * exit_share(*mt, 7));
  for (std::size_t iv = 8; iv <= static_cast<std::size_t>(done); ++iv) CHECK(exit_share(*mm, iv) <= exit_share(*mm, iv - 1) + 1e-12);
  const auto after = static_cast<std::size_t>(done) + 2;
  CHECK(exit_share(*mm, after) == doctest::Approx(exit_share(*mt, after)).epsilon(1e-3));
  const auto hm = models::compute_headline(*mm, *moving);
  CHECK(hm.eea_exit_bytes_by[static_cast<std::size_t>(models::ExitReason::LegacyLocation)] > 0);
  const auto ht = models::compute_headline(*mt, *teleport);
  CHECK(ht.eea_exit_bytes_by[static_cast<std::size_t>(models::ExitReason::LegacyLocation)] == 0);
  CHECK(ht.eea_exit_bytes < hm.eea_exit_bytes);
  CHECK(hm.migrated_bytes == doctest::Approx(moved));
}

TEST_CASE("a site coming online re-homes users: their data moves to it at the re-home rate, and the event run follows the data") {
  test::TempDir dir;
  // Homes spread by capacity: the users left at home are split by where the data is, not
  // by the new shares.
  const std::string online = hamar_online();
  const auto w = test::load_world(dir, "online", online + kRehome50);
  const auto plain = test::load_world(dir, "plain", online);
  const auto plan = models::plan_data(*w);
  REQUIRE(plan);
  REQUIRE(plan->wave_info().size() == 1);
  CHECK(plan->wave_info()[0].id == "rehome-hamar-online");
  const auto hamar = static_cast<std::size_t>(w->site_index("hamar"));
  double moved = 0;
  for (const auto& tr : plan->transfers()) {
    CHECK(tr.to == hamar);
    CHECK(tr.interval >= 12);  // Hamar comes online at 12:00
    moved += tr.bytes;
  }
  CHECK(moved == doctest::Approx(50e9 / 8 * 12 * 3600).epsilon(1e-6));  // capped all along: far from done
  CHECK(plan->completed_in()[0] < 0);
  // Until the data arrives Hamar serves fewer personal-data requests than with the data
  // teleported, at both fidelities.
  for (const std::string fidelity : {"flow", "event"}) {
    CAPTURE(fidelity);
    auto run = [&](const models::World& x) { return fidelity == "flow" ? models::run_flow(x) : models::run_event(x); };
    const auto mw = run(*w), mp = run(*plain);
    double with_data = 0, teleported = 0;
    for (std::size_t iv = 12; iv < 24; ++iv) {
      with_data += mw->site_interval(hamar, iv).accepted;
      teleported += mp->site_interval(hamar, iv).accepted;
    }
    CHECK(with_data < 0.9 * teleported);
    CHECK(with_data > 0);
    // Writes of personal data go where the user's data is: of the users Hamar takes over,
    // only those whose data has arrived (a small share after 12 h at 50 Gbps), not the
    // new tables' share of everyone.
    const std::size_t nc = mw->countries().size();
    for (std::size_t k = 0; k < w->scenario().traffic.classes.size(); ++k) {
      const auto& cls = w->scenario().traffic.classes[k];
      if (cls.kind != models::ClassKind::Write || !cls.personal_data || cls.origin != models::ClassOrigin::Users) continue;
      CAPTURE(cls.name);
      double at_hamar = 0, at_hamar_teleported = 0;
      for (std::size_t c = 0; c < nc; ++c) {
        at_hamar += mw->flow(c, hamar, k, models::FlowKind::Serve).bytes;
        at_hamar_teleported += mp->flow(c, hamar, k, models::FlowKind::Serve).bytes;
      }
      REQUIRE(at_hamar_teleported > 0);
      CHECK(at_hamar < 0.1 * at_hamar_teleported);
    }
  }
}

TEST_CASE("data.rehome: bad rates and priorities are reported with their key path") {
  test::TempDir dir;
  const auto diags = test::load_errors(dir.write("bad.yaml", residency_switch("data: {personal_bytes_per_user: 1.0e8, rehome: {rate_gbps: -5, priorty: reserved}}\n")));
  bool rate = false, key = false;
  for (const auto& d : diags) {
    rate |= d.key_path == "data.rehome.rate_gbps";
    key |= d.key_path == "data.rehome.priorty" && d.message.find("did you mean 'priority'") != std::string::npos;
  }
  CHECK_MESSAGE(rate, test::describe(diags));
  CHECK_MESSAGE(key, test::describe(diags));
}

TEST_CASE("during a re-homing, a fetching read finds the data where it is: the new site fetches what has not arrived") {
  test::TempDir dir;
  const auto [w, plain, hamar, feed] = hamar_worlds(dir, "nearest_with_fetch");
  for (const bool event : {false, true}) {
    CAPTURE(event);
    const auto mw = test::run_at(*w, event), mp = test::run_at(*plain, event);
    // The share of Hamar's personal-data reads it had to fetch.
    auto fetched_share = [&](const models::Metrics& m) {
      double served = 0, fetched = 0;
      for (std::size_t c = 0; c < m.countries().size(); ++c) {
        served += m.flow(c, hamar, feed, models::FlowKind::Serve).bytes;
        fetched += m.flow(c, hamar, feed, models::FlowKind::Fetch).bytes;
      }
      REQUIRE(served > 0);
      return fetched / served;
    };
    // Users whose data is moving to Hamar read at their old site until it arrives, so
    // Hamar's readers are users whose data stays where it was (the plan's settled homes):
    // it fetches nearly all of it. Teleported, the users the new tables home at Hamar read
    // there without a fetch. (Taking the new tables' homes for the users who stay would
    // count a quarter of them as held at Hamar.)
    const double moving = fetched_share(*mw), teleported = fetched_share(*mp);
    CHECK(moving > 0.9);
    CHECK(moving > teleported + 0.1);
  }
}

TEST_CASE("during a re-homing, nearest_copy sends a user's read to a copy of where the data is, not of the new home") {
  test::TempDir dir;
  const auto [w, plain, hamar, feed] = hamar_worlds(dir, "nearest_copy");
  double moving_flow = 0;
  for (const bool event : {false, true}) {
    CAPTURE(event);
    const auto mw = test::run_at(*w, event), mp = test::run_at(*plain, event);
    double moving = 0, teleported = 0;
    for (std::size_t c = 0; c < mw->countries().size(); ++c) {
      moving += mw->flow(c, hamar, feed, models::FlowKind::Serve).bytes;
      teleported += mp->flow(c, hamar, feed, models::FlowKind::Serve).bytes;
    }
    // Hamar holds only what has arrived (a few per cent after 12 h at 50 Gbps) and is no
    // replica: few personal reads go there until the data does.
    REQUIRE(teleported > 0);
    CHECK(moving < 0.1 * teleported);
    if (!event)
      moving_flow = moving;
    else
      CHECK(moving == doctest::Approx(moving_flow).epsilon(0.1).scale(0.01 * teleported));
  }
}
