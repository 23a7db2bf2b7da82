// Legacy data and migration waves: users whose personal data is still at a legacy site are
// served there (EEA exits under legacy_location when it is outside the EEA), a wave moves
// it at its rate (or, in background, at what the busiest link on its path leaves spare),
// and the legacy share falls as the bytes arrive, not at once. Built on the default
// scenario (Dublin, US East, Singapore) with Irish users' data starting at US East.
#include <doctest/doctest.h>

#include <cmath>

#include "models/run/data_plan.hpp"
#include "models/run/event_run.hpp"
#include "models/run/flow_run.hpp"
#include "models/run/summary.hpp"
#include "models/scenario/diagnostics.hpp"
#include "tests/support/test_files.hpp"

using namespace dcsim;

namespace {

constexpr double kPerUser = 1e9;  // stored personal bytes per monthly user at the start

std::string with_migration(double rate_gbps, const std::string& priority, double hours, const std::string& extra = "") {
  return "include: [" + test::source_path("scenarios/default.yaml") +
         "]\n"
         "meta: {name: mig, scale: 1000, duration_h: " +
         std::to_string(hours) +
         ", fidelity: flow}\n"
         "data:\n  personal_bytes_per_user: " +
         std::to_string(kPerUser) +
         "\n  legacy:\n    - {users: {countries: [IE]}, sites: {us-east: 1.0}}\n"
         "migrations:\n  - {id: ie, users: {countries: [IE]}, from: [us-east], to: dublin, at_offset_h: 2, rate_gbps: " +
         std::to_string(rate_gbps) + ", priority: " + priority + "}\n" + extra;
}

double ie_users(const models::World& w) {
  double u = 0;
  for (const auto& r : w.regions())
    if (r.region->country == "IE") u += r.monthly_users;
  return u;
}

double legacy_exits(const models::Headline& h) {
  return h.eea_exit_bytes_by[static_cast<std::size_t>(models::ExitReason::LegacyLocation)];
}

}  // namespace

TEST_CASE("a reserved wave over one path finishes when its bytes at its rate have gone, and the share falls as they go") {
  test::TempDir dir;
  const double rate_gbps = 400;
  const auto w = test::load_world(dir, "reserved", with_migration(rate_gbps, "reserved", 30));
  const auto plan = models::plan_data(*w);
  REQUIRE(plan);
  REQUIRE(plan->active());
  // The stock: Irish users x bytes per user, plus what they write meanwhile (small).
  const double stock = ie_users(*w) * kPerUser;
  const double by_hand_h = 2 + stock / (rate_gbps * 1e9 / 8) / 3600;  // starts at 2 h
  const long done = plan->completed_in()[0];
  REQUIRE(done >= 0);
  // Completion is in the interval (1 h) that holds the hand-computed time, or the next
  // (the writes made meanwhile move too).
  CHECK(static_cast<double>(done) + 1 >= by_hand_h);
  CHECK(static_cast<double>(done) <= by_hand_h + 1);
  // Moved bytes: the stock and the writes, each moved once; nothing before the start.
  double moved = 0;
  for (const auto& iv : plan->waves()[0]) moved += iv.moved_bytes;
  CHECK(moved >= stock);
  CHECK(moved <= stock * 1.05);
  CHECK(plan->waves()[0][0].moved_bytes == 0);
  CHECK(plan->waves()[0][1].moved_bytes == 0);
  // The share of Irish users still at US East falls step by step.
  for (std::size_t r = 0; r < w->regions().size(); ++r) {
    if (w->regions()[r].region->country != "IE") {
      CHECK(plan->legacy_sites(r).empty());
      continue;
    }
    REQUIRE(plan->legacy_sites(r).size() == 1);
    CHECK(plan->legacy_share(0, r, 0) == 1.0);
    CHECK(plan->legacy_share(3, r, 0) < 1.0);
    CHECK(plan->legacy_share(3, r, 0) > 0.0);
    for (std::size_t iv = 1; iv < 30; ++iv) CHECK(plan->legacy_share(iv, r, 0) <= plan->legacy_share(iv - 1, r, 0));
    CHECK(plan->legacy_share(29, r, 0) == 0.0);
  }
}

TEST_CASE("a background wave moves only what user traffic leaves spare, and finishes later when users need more") {
  test::TempDir dir;
  // US East's uplink is the path's narrowest link: 100 Gbps each way, shared with the
  // users it serves (far regions, staff, exports). A reserved wave at 400 Gbps takes all
  // of the 100 from them; in background the wave gets at most what the users leave of the
  // 100, so it finishes later.
  const std::vector<std::string> uplink = {"sites.us-east.uplink_gbps=100"};
  const auto wr = test::load_world(dir, "r", with_migration(400, "reserved", 100), uplink);
  const auto wb = test::load_world(dir, "b", with_migration(400, "background", 100), uplink);
  const auto reserved = models::plan_data(*wr), background = models::plan_data(*wb);
  REQUIRE(reserved->completed_in()[0] >= 0);
  const long bg = background->completed_in()[0];
  CHECK((bg < 0 || bg >= reserved->completed_in()[0]));
  // Behind the reserved wave until that one is done, by what the users keep of the 100 Gbps.
  double moved_r = 0, moved_b = 0;
  bool behind = false;
  for (std::size_t iv = 0; iv < static_cast<std::size_t>(reserved->completed_in()[0]); ++iv) {
    moved_r += reserved->waves()[0][iv].moved_bytes;
    moved_b += background->waves()[0][iv].moved_bytes;
    CHECK(moved_b <= moved_r * (1 + 1e-12));
    behind = behind || moved_b < moved_r * (1 - 1e-3);
  }
  CHECK(behind);
  bool limited = false;
  for (const auto& iv : background->waves()[0]) {
    CHECK(iv.rate_gbps <= 100 * (1 + 1e-9));
    if (iv.moved_bytes > 0 && iv.bottleneck_link >= 0) limited = true;
  }
  CHECK(limited);
}

// The Irish users' requests go to US East while their data is there, so its uplink carries
// their responses as well as the wave: the room a background wave gets counts them, and a
// reserved wave takes the capacity but never more.
TEST_CASE("no wave runs a link over its capacity: background counts the requests for data not yet moved, reserved stops at capacity") {
  test::TempDir dir;
  for (const std::string priority : {"background", "reserved"}) {
    CAPTURE(priority);
    const auto w = test::load_world(dir, priority, with_migration(400, priority, 40), {"sites.us-east.uplink_gbps=100"});
    const auto plan = models::plan_data(*w);
    REQUIRE(plan);
    models::FlowOptions o;
    o.data_plan = plan.get();
    o.latency = false;
    const auto m = models::run_flow(*w, o);
    // Uplinks are the last link ids, two per site (into it, then out of it).
    const std::size_t out_of_us = m->link_loads->link_ids() - 2 * w->sites().size() + 2 * static_cast<std::size_t>(w->site_index("us-east")) + 1;
    double max_all = 0, max_wave = 0, user_bytes = 0;
    for (std::size_t iv = 0; iv < m->intervals(); ++iv) {
      double all = 0;
      for (std::size_t k = 0; k < models::kLinkTraffic; ++k) all += m->link_loads->bytes(iv, out_of_us, static_cast<models::LinkTraffic>(k));
      const double wave = m->link_loads->bytes(iv, out_of_us, models::LinkTraffic::Migration);
      user_bytes += m->link_loads->bytes(iv, out_of_us, models::LinkTraffic::User);
      max_all = std::max(max_all, all * 8 / 3600 / 1e9);
      max_wave = std::max(max_wave, wave * 8 / 3600 / 1e9);
    }
    REQUIRE(user_bytes > 0);
    CHECK(max_wave <= 100 * (1 + 1e-9));  // reserved: was 400
    CHECK(max_wave > 50);
    // Users + wave: 100.133 Gbps when the room was the loads of a run without legacy data
    // (the Irish users' responses from US East left out).
    if (priority == "background") CHECK(max_all <= 100 * (1 + 2e-4));
  }
}

TEST_CASE("until their data has moved, Irish users' personal data is served at US East and leaves the EEA as legacy_location") {
  for (const std::string fidelity : {"flow", "event"}) {
    CAPTURE(fidelity);
    test::TempDir dir;
    // Slow wave (it does not finish in the run), and no wave at all: exits by legacy location
    // fall as the wave goes, and the EEA-exit share with them.
    std::string slow = with_migration(50, "reserved", 12);
    std::string never = with_migration(50, "reserved", 12);
    never = test::replace_once(never, "at_offset_h: 2,", "at_offset_h: 11.999,");  // starts 3.6 s before the end: moves next to nothing
    slow = test::replace_once(slow, "fidelity: flow", "fidelity: " + fidelity);
    never = test::replace_once(never, "fidelity: flow", "fidelity: " + fidelity);
    const auto ws = test::load_world(dir, "slow", slow), wn = test::load_world(dir, "never", never);
    const auto ms = fidelity == "flow" ? models::run_flow(*ws) : models::run_event(*ws);
    const auto mn = fidelity == "flow" ? models::run_flow(*wn) : models::run_event(*wn);
    const auto hs = models::compute_headline(*ms, *ws), hn = models::compute_headline(*mn, *wn);
    REQUIRE(legacy_exits(hn) > 0);
    CHECK(legacy_exits(hs) < legacy_exits(hn));
    CHECK(legacy_exits(hs) > 0);
    CHECK(hs.eea_exit_share < hn.eea_exit_share);
    CHECK(ms->conservation_error() == doctest::Approx(0).epsilon(1e-9));
    // Content (videos) is not personal data: its traffic does not follow the legacy site.
    const auto us = static_cast<std::size_t>(wn->site_index("us-east"));
    std::size_t ie = 0;
    while (mn->countries()[ie] != "IE") ++ie;
    for (std::size_t k = 0; k < mn->classes().size(); ++k) {
      const bool personal = wn->scenario().traffic.classes[k].personal_data;
      const double at_us = mn->flow(ie, us, k, models::FlowKind::Serve).bytes;
      if (!personal) CHECK(at_us == 0);
      if (personal && wn->scenario().traffic.classes[k].origin == models::ClassOrigin::Users) CHECK(at_us > 0);
    }
  }
}

TEST_CASE("without legacy data nothing changes: the plan is empty and the run identical") {
  test::TempDir dir;
  const std::string base = "include: [" + test::source_path("scenarios/default.yaml") + "]\nmeta: {name: nodata, scale: 1000, duration_h: 3, fidelity: flow}\n";
  const auto plain = test::load_world(dir, "plain", base);
  const auto with_stock = test::load_world(dir, "stock", base + "data: {personal_bytes_per_user: 1.0e9}\n");
  CHECK(models::plan_data(*plain) == nullptr);
  const auto stock_plan = models::plan_data(*with_stock);  // keeps the stored data only
  REQUIRE(stock_plan);
  CHECK(!stock_plan->active());
  CHECK(stock_plan->transfers().empty());
  const auto a = models::compute_headline(*models::run_flow(*plain), *plain);
  const auto b = models::compute_headline(*models::run_flow(*with_stock), *with_stock);
  CHECK(a.eea_exit_bytes == b.eea_exit_bytes);
  CHECK(a.site_bytes == b.site_bytes);
}

TEST_CASE("bad data and migration input is an error at its key") {
  test::TempDir dir;
  auto errors_of = [&](const std::string& name, const std::string& text) { return test::describe(test::load_errors(dir.write(name, text))); };
  const std::string good = with_migration(100, "reserved", 6);
  CHECK(test::load_errors(dir.write("good.yaml", good)).empty());
  CHECK(errors_of("site.yaml", test::replace_once(good, "to: dublin", "to: hamar")).find("migrations[0].to: site 'hamar' is not in build_out") !=
        std::string::npos);
  CHECK(errors_of("same.yaml", test::replace_once(good, "to: dublin", "to: us-east")).find("also a source") != std::string::npos);
  CHECK(errors_of("prio.yaml", test::replace_once(good, "priority: reserved", "priority: urgent")).find("migrations[0].priority") !=
        std::string::npos);
  CHECK(errors_of("rate.yaml", test::replace_once(good, "rate_gbps: 100", "rate_gbps: -1")).find("migrations[0].rate_gbps") !=
        std::string::npos);
  CHECK(errors_of("share.yaml", test::replace_once(good, "sites: {us-east: 1.0}", "sites: {us-east: 0.8, singapore: 0.4}"))
            .find("more than 1") != std::string::npos);
  CHECK(errors_of("unknown.yaml", test::replace_once(good, "sites: {us-east: 1.0}", "sites: {us-eats: 1.0}")).find("did you mean 'us-east'") !=
        std::string::npos);
  CHECK(errors_of("country.yaml", test::replace_once(good, "users: {countries: [IE]}, from", "users: {countries: [XX]}, from"))
            .find("unknown country 'XX'") != std::string::npos);
  CHECK(errors_of("key.yaml", test::replace_once(good, "rate_gbps:", "rate_gpbs:")).find("rate_gpbs") != std::string::npos);
  CHECK(errors_of("class.yaml", good + "traffic: {classes: {message: {data: private}}}\n").find("traffic.classes.message.data") !=
        std::string::npos);
  // A migration without stored data has nothing to move.
  const std::string no_data = "include: [" + test::source_path("scenarios/default.yaml") +
                              "]\nmigrations:\n  - {id: x, from: [us-east], to: dublin, at_offset_h: 0, rate_gbps: 10}\n";
  CHECK(errors_of("nodata.yaml", no_data).find("data.personal_bytes_per_user") != std::string::npos);
}

// Two waves into Dublin through its 100 Gbps uplink: Irish data from US East and Portuguese
// data from Singapore. Whatever the order listed, a reserved wave takes its rate first and a
// background one gets what is left; a wave that finishes within an interval leaves the rest
// of it to the others.
TEST_CASE("reserved waves take the links before background ones, and a finished wave frees the rest of its interval") {
  test::TempDir dir;
  auto two_waves = [&](const std::string& name, const std::string& first, const std::string& second) {
    return test::load_world(dir, name,
                            "include: [" + test::source_path("scenarios/default.yaml") +
                                "]\n"
                                "meta: {name: two, scale: 1000, duration_h: 30, fidelity: flow}\n"
                                "data:\n  personal_bytes_per_user: 2.0e8\n"
                                "  legacy:\n    - {users: {countries: [IE]}, sites: {us-east: 1.0}}\n"
                                "    - {users: {countries: [PT]}, sites: {singapore: 1.0}}\n"
                                "migrations:\n" +
                                first + second,
                            {"sites.dublin.uplink_gbps=100"});
  };
  const std::string ie_reserved = "  - {id: ie, users: {countries: [IE]}, from: [us-east], to: dublin, at_offset_h: 2, rate_gbps: 70, priority: reserved}\n";
  const std::string pt_background =
      "  - {id: pt, users: {countries: [PT]}, from: [singapore], to: dublin, at_offset_h: 2, rate_gbps: 70, priority: background}\n";
  for (const bool reserved_first : {true, false}) {
    CAPTURE(reserved_first);
    const auto w = reserved_first ? two_waves("rf", ie_reserved, pt_background) : two_waves("bf", pt_background, ie_reserved);
    const auto plan = models::plan_data(*w);
    REQUIRE(plan);
    const std::size_t ie = reserved_first ? 0 : 1, pt = 1 - ie;
    // Interval 3: both under way. The reserved wave has its 70 Gbps (was: 30 or less when
    // listed after the background one); the background one at most the 30 left.
    CHECK(plan->waves()[ie][3].rate_gbps == doctest::Approx(70));
    CHECK(plan->waves()[pt][3].rate_gbps <= 30 * (1 + 1e-9));
    CHECK(plan->waves()[pt][3].rate_gbps > 20);
    // Where the reserved wave finishes within an interval, the background one takes the rest
    // of it: Dublin's uplink stays full (was: the reserved wave's 70 Gbps held for the whole
    // interval, so the uplink ran below capacity while the background wave was held back).
    const long done = plan->completed_in()[ie];
    REQUIRE(done > 3);
    REQUIRE((plan->completed_in()[pt] < 0 || plan->completed_in()[pt] > done));
    models::FlowOptions o;
    o.data_plan = plan.get();
    o.latency = false;
    const auto m = models::run_flow(*w, o);
    const std::size_t into_dublin = m->link_loads->link_ids() - 2 * w->sites().size() + 2 * static_cast<std::size_t>(w->site_index("dublin"));
    auto gbps = [&](std::size_t iv) {
      double bytes = 0;
      for (std::size_t k = 0; k < models::kLinkTraffic; ++k) bytes += m->link_loads->bytes(iv, into_dublin, static_cast<models::LinkTraffic>(k));
      return bytes * 8 / 3600 / 1e9;
    };
    CHECK(gbps(3) == doctest::Approx(100).epsilon(0.01));
    CHECK(gbps(static_cast<std::size_t>(done)) == doctest::Approx(100).epsilon(0.01));
  }
}
