// Long horizons: user growth (a compound annual rate, or a table of monthly users per
// country) and the weekly pattern scale every user stream's rate, at both fidelities; bad
// growth tables and weekly weights are reported where they are written.
#include <doctest/doctest.h>

#include <cmath>

#include "models/run/event_run.hpp"
#include "models/run/flow_run.hpp"
#include "models/traffic/demand.hpp"
#include "models/traffic/growth.hpp"
#include "tests/support/test_files.hpp"

using namespace dcsim;

namespace {

// The small scenario (starts Wednesday 2023-06-14 00:00 UTC) with `traffic_extra` under
// traffic:, no events (a surge or outage would blur the day-to-day ratios).
std::string small_with(const std::string& traffic_extra) {
  std::string text = test::read_file(test::source_path("tests/data/good/small.yaml"));
  text = test::replace_once(text, "  daily_active_share: 0.6\n", "  daily_active_share: 0.6\n" + traffic_extra);
  const auto events = text.find("\nevents:\n");
  const auto outputs = text.find("\noutputs:\n");
  REQUIRE(events != std::string::npos);
  REQUIRE(outputs != std::string::npos);
  return text.substr(0, events + 1) + text.substr(outputs + 1);
}

sim::SimTime day(double d) { return sim::at(sim::from_seconds(d * 86400.0)); }

// Expected user requests of region r over simulated day d (every class).
double region_day(const models::Demand& demand, std::size_t r, int d) {
  double n = 0;
  for (const auto& s : demand.streams)
    if (s.origin == models::StreamOrigin::Region && s.origin_index == r) n += s.rate.expected_between(day(d), day(d + 1));
  return n;
}

std::size_t region_of(const models::World& w, const std::string& country) {
  for (std::size_t r = 0; r < w.regions().size(); ++r)
    if (w.regions()[r].region->country == country) return r;
  FAIL("no region in " << country);
  return 0;
}

}  // namespace

TEST_CASE("an annual growth rate compounds by day: a year later every user stream is that much busier") {
  test::TempDir dir;
  const auto flat = test::load_world(dir, "flat", small_with(""), {"meta.duration_h=9000"});
  const auto grown = test::load_world(dir, "grown", small_with("  growth: {annual_rate: 0.25}\n"), {"meta.duration_h=9000"});
  const models::Demand a = models::build_demand(*flat), b = models::build_demand(*grown);
  for (std::size_t r = 0; r < flat->regions().size(); ++r) {
    CHECK(region_day(b, r, 0) == doctest::Approx(region_day(a, r, 0)).epsilon(1e-12));
    // Day 364 is the same weekday-free day of a flat run: the ratio is the growth alone.
    const double expected = std::pow(1.25, 364.0 / 365.25);
    CHECK(region_day(b, r, 364) / region_day(a, r, 364) == doctest::Approx(expected).epsilon(1e-9));
  }
}

TEST_CASE("a table of monthly users sets its country's users month by month, linear between listed months") {
  test::TempDir dir;
  const auto flat = test::load_world(dir, "flat", small_with(""), {"meta.duration_h=2880"});
  const std::size_t no = region_of(*flat, "NO");
  double base_no = 0;
  for (const auto& r : flat->regions())
    if (r.region->country == "NO") base_no += r.monthly_users;
  REQUIRE(base_no > 0);
  // June 2023: twice the modelled users; August 2023: four times; so July three times.
  const std::string table = "  growth:\n    annual_rate: 0.5\n    monthly_users:\n      NO: {\"2023-06\": " + std::to_string(2 * base_no) +
                            ", \"2023-08\": " + std::to_string(4 * base_no) + "}\n";
  const auto grown = test::load_world(dir, "grown", small_with(table), {"meta.duration_h=2880"});
  const models::Demand a = models::build_demand(*flat), b = models::build_demand(*grown);
  const int july_10 = 26, aug_20 = 67, sep_30 = 108;  // days after 2023-06-14
  CHECK(region_day(b, no, 0) / region_day(a, no, 0) == doctest::Approx(2.0).epsilon(1e-6));
  CHECK(region_day(b, no, july_10) / region_day(a, no, july_10) == doctest::Approx(3.0).epsilon(1e-6));
  CHECK(region_day(b, no, aug_20) / region_day(a, no, aug_20) == doctest::Approx(4.0).epsilon(1e-6));
  CHECK(region_day(b, no, sep_30) / region_day(a, no, sep_30) == doctest::Approx(4.0).epsilon(1e-6));  // flat after
  // A country without a table grows at the annual rate.
  const std::size_t ie = region_of(*flat, "IE");
  CHECK(region_day(b, ie, sep_30) / region_day(a, ie, sep_30) == doctest::Approx(std::pow(1.5, sep_30 / 365.25)).epsilon(1e-9));
}

TEST_CASE("weekly weights follow each region's local day; a week's total stays the flat week's") {
  test::TempDir dir;
  const auto flat = test::load_world(dir, "flat", small_with(""), {"meta.duration_h=336"});
  // No traffic on local Sundays; the other days share the week (normalised to mean 1).
  const auto weekly =
      test::load_world(dir, "weekly", small_with("  weekly_local_weights: [1, 1, 1, 1, 1, 1, 0]\n"), {"meta.duration_h=336"});
  const models::Demand a = models::build_demand(*flat), b = models::build_demand(*weekly);
  const std::size_t ie = region_of(*flat, "IE");
  // 2023-06-14 is a Wednesday: local Sunday 18 June is day 4 (Ireland: UTC+1 in June).
  const double sunday_local = [&] {
    double n = 0;
    for (const auto& s : b.streams)
      if (s.origin == models::StreamOrigin::Region && s.origin_index == ie)
        n += s.rate.expected_between(day(4) - sim::hours(1), day(5) - sim::hours(1));
    return n;
  }();
  CHECK(sunday_local == doctest::Approx(0.0));
  CHECK(region_day(b, ie, 2) / region_day(a, ie, 2) == doctest::Approx(7.0 / 6.0).epsilon(1e-9));  // Friday
  double week_a = 0, week_b = 0;
  for (int d = 0; d < 14; ++d) {
    week_a += region_day(a, ie, d);
    week_b += region_day(b, ie, d);
  }
  // Two whole weeks in UTC days; the one-hour offset moves one hour of a Sunday across
  // the run's ends, so equal to within that hour's share.
  CHECK(week_b == doctest::Approx(week_a).epsilon(0.01));
  CHECK(models::local_weekday(*flat, ie, day(4)) == 6);                   // Sunday 01:00 local
  CHECK(models::local_weekday(*flat, ie, day(4) - sim::minutes(61)) == 5);  // Saturday 23:59 local
}

TEST_CASE("growth reaches both fidelities: a run a year on generates the grown demand") {
  test::TempDir dir;
  const std::string text = small_with("  growth: {annual_rate: 1.0}\n");
  const auto w = test::load_world(dir, "grown", text, {"meta.duration_h=48", "meta.start_utc=2023-06-14T00:00:00Z"});
  const auto later = test::load_world(dir, "later", text, {"meta.duration_h=8808"});
  const auto flat = test::load_world(dir, "flat", small_with(""), {"meta.duration_h=48"});
  const models::Demand demand = models::build_demand(*w);
  double expected = 0;
  for (const auto& s : demand.streams) expected += s.rate.expected_total() * demand.weight;
  models::FlowOptions fo;
  fo.latency = false;
  const auto flow = models::run_flow(*w, fo);
  CHECK(flow->generated == doctest::Approx(expected).epsilon(1e-9));
  const auto event = models::run_event(*w, models::RunOptions{});
  CHECK(event->generated == doctest::Approx(expected).epsilon(0.02));
  // A year on, the same two days carry about twice the flat demand.
  const models::Demand year = models::build_demand(*later), base = models::build_demand(*flat);
  double grown_days = 0, flat_days = 0;
  for (std::size_t r = 0; r < w->regions().size(); ++r) {
    grown_days += region_day(year, r, 365) + region_day(year, r, 366);
    flat_days += region_day(base, r, 0) + region_day(base, r, 1);
  }
  CHECK(grown_days / flat_days == doctest::Approx(std::pow(2.0, 365.0 / 365.25)).epsilon(0.02));
}
