// days.csv adds up: summed over its days, each column is the run's figure from the other
// tables (sites.csv, summary.csv, migrations.csv, storage.csv); its EEA-exit share is the
// day's exits over the day's EEA data; and it follows the growth of a long run.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

#include "tests/support/run_command.hpp"
#include "tests/support/test_files.hpp"
#include "tools/run_folder_reader.hpp"
#include "tools/run_tables.hpp"

using namespace dcsim;
namespace fs = std::filesystem;

namespace {

// The run folder's tables, read as dcsim report reads them (column by name, numbers checked).
tools::RunTable table(const fs::path& dir, const std::string& name) { return tools::RunFolderReader(dir).table(name); }
models::Headline headline(const fs::path& dir) { return tools::read_headline(table(dir, "summary.csv")); }

double sum(const tools::RunTable& t, std::string_view name) {
  const std::size_t c = t.col(name);
  double s = 0;
  for (std::size_t r = 0; r < t.rows(); ++r) s += t.number(r, c);
  return s;
}

// Petabytes with one decimal, as the run summary prints them.
std::string fmt_pb(double bytes) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f", bytes / 1e15);
  return buf;
}

}  // namespace

TEST_CASE("days.csv sums to the run's figures, day by day, for a migration run at both fidelities") {
  for (const std::string fidelity : {"flow", "event"}) {
    CAPTURE(fidelity);
    test::TempDir dir;
    const fs::path out = dir.path() / "run";
    const auto r = test::run_dcsim({"run", test::source_path("scenarios/clover-migration.yaml"), "-o", out.string(), "-q", "--fidelity",
                                    fidelity, "--scale", "5000", "--set", "meta.duration_h=60", "--set", "data.content_bytes_per_user=2e9"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const auto days = table(out, "days.csv"), sites = table(out, "sites.csv");
    const auto migrations = table(out, "migrations.csv"), storage = table(out, "storage.csv");
    const models::Headline h = headline(out);
    REQUIRE(days.rows() == 3);  // 60 h: days 0, 1 and half of 2
    CHECK(sum(days, "site_served_requests") == doctest::Approx(sum(sites, "accepted")).epsilon(1e-6));
    CHECK(sum(days, "site_served_bytes") == doctest::Approx(sum(sites, "bytes")).epsilon(1e-6));
    CHECK(sum(days, "eea_exit_bytes") == doctest::Approx(h.eea_exit_bytes).epsilon(1e-6));
    CHECK(sum(days, "eea_exit_legacy_location_bytes") ==
          doctest::Approx(h.eea_exit_bytes_by[static_cast<std::size_t>(models::ExitReason::LegacyLocation)]).epsilon(1e-6));
    CHECK(sum(days, "migrated_bytes") == doctest::Approx(sum(migrations, "moved_bytes")).epsilon(1e-6));
    // Each wave's legacy exits are those at its own source (border.csv by site): the US
    // East wave's are not the Singapore wave's (both move every EEA country's data).
    const auto border = table(out, "border.csv");
    std::map<std::string, double> legacy_at, legacy_of;
    for (std::size_t i = 0; i < border.rows(); ++i)
      legacy_at[border.text(i, border.col("site"))] += border.number(i, border.col("eea_exit_legacy_location_bytes"));
    for (std::size_t i = 0; i < migrations.rows(); ++i)
      legacy_of[migrations.text(i, migrations.col("migration"))] += migrations.number(i, migrations.col("eea_exit_legacy_location_bytes"));
    REQUIRE(legacy_at["us-east"] > 2 * legacy_at["singapore"]);
    REQUIRE(legacy_at["singapore"] > 0);
    CHECK(legacy_of["eea-from-us-east"] == doctest::Approx(legacy_at["us-east"]).epsilon(1e-6));
    CHECK(legacy_of["eea-from-singapore"] == doctest::Approx(legacy_at["singapore"]).epsilon(1e-6));
    // A link below capacity carries all it is offered, the waves' bytes too (carried_gbps
    // was the offered minus the migration).
    const auto links = table(out, "links.csv");
    std::size_t with_wave = 0;
    for (std::size_t i = 0; i < links.rows(); ++i) {
      if (links.text(i, links.col("capacity_gbps")).empty() || links.number(i, links.col("utilisation")) > 0.99) continue;
      if (links.number(i, links.col("migration_gbps")) > 1) ++with_wave;
      CHECK(links.number(i, links.col("carried_gbps")) == doctest::Approx(links.number(i, links.col("offered_gbps"))).epsilon(1e-5));
    }
    CHECK(with_wave > 10);
    CHECK(sum(days, "eea_exit_bytes") / sum(days, "eea_data_bytes") == doctest::Approx(h.eea_exit_share).epsilon(1e-4));
    // Stored outside the EEA: storage.csv's EEA users' personal data, primary copies, at US
    // East and Singapore (their videos there, the content head, are not counted).
    const std::size_t day_c = storage.col("day"), site_c = storage.col("site"), copy_c = storage.col("copy"),
                      eea_c = storage.col("eea_users_stored_bytes"), kind_c = storage.col("kind");
    std::map<std::string, double> outside;
    double content_outside = 0;
    for (std::size_t i = 0; i < storage.rows(); ++i) {
      if (storage.text(i, site_c) != "us-east" && storage.text(i, site_c) != "singapore") continue;
      if (storage.text(i, kind_c) == "content") content_outside += storage.number(i, eea_c);
      if (storage.text(i, copy_c) == "primary" && storage.text(i, kind_c) == "personal") outside[storage.text(i, day_c)] += storage.number(i, eea_c);
    }
    CHECK(content_outside > 0);
    const std::size_t dd = days.col("day"), oc = days.col("eea_users_stored_outside_eea_bytes");
    for (std::size_t i = 0; i < days.rows(); ++i) CHECK(days.number(i, oc) == doctest::Approx(outside[days.text(i, dd)]).epsilon(1e-9));
    CHECK(days.number(2, oc) < days.number(0, oc));  // the waves empty them
    // The day's peaks name a site and a link.
    CHECK(!days.text(0, days.col("peak_site")).empty());
    CHECK(!days.text(0, days.col("peak_link")).empty());
  }
}

TEST_CASE("days.csv follows user growth: a year on, a day serves the grown demand") {
  test::TempDir dir;
  const fs::path out = dir.path() / "run";
  const auto r = test::run_dcsim({"run", test::source_path("scenarios/clover-full.yaml"), "-o", out.string(), "-q", "--fidelity", "flow",
                                  "--set", "meta.duration_h=8784", "--set", "meta.report_interval_min=360", "--set",
                                  "traffic.growth.annual_rate=0.5"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  const auto days = table(out, "days.csv");
  REQUIRE(days.rows() == 366);
  const std::size_t c = days.col("site_served_requests");
  const double first = days.number(0, c), year_on = days.number(364, c);
  // Day 364 vs day 0: the same weekday-free pattern, 1.5^(364 / 365.25) more users (summer
  // time has moved by then; whole days hide it).
  CHECK(year_on / first == doctest::Approx(std::pow(1.5, 364 / 365.25)).epsilon(0.02));
}

TEST_CASE("dcsim run prints what a migration moved and when the EEA-exit share stayed below 1 %") {
  test::TempDir dir;
  const fs::path out = dir.path() / "run";
  const auto r = test::run_dcsim({"run", test::source_path("scenarios/clover-migration.yaml"), "-o", out.string(), "--fidelity", "flow",
                                  "--scale", "5000", "--set", "meta.duration_h=60"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  const std::string moved = fmt_pb(headline(out).migrated_bytes);
  CHECK_MESSAGE(r.out.find("  migrations: " + moved + " PB moved (") != std::string::npos, r.out);
  // 60 hours in, the share is still above 1 % (the waves need weeks).
  CHECK_MESSAGE(r.out.find("EEA-exit share never below 1 % for good") != std::string::npos, r.out);
  // A run without migrations prints no such line.
  const auto plain = test::run_dcsim({"run", test::source_path("scenarios/clover-full.yaml"), "-o", (dir.path() / "plain").string(), "--fidelity",
                                      "flow", "--scale", "5000", "--set", "meta.duration_h=2"});
  REQUIRE_MESSAGE(plain.exit_code == 0, plain.err);
  CHECK(plain.out.find("migrations:") == std::string::npos);
}
