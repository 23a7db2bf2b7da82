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
#include "tools/csv.hpp"

using namespace dcsim;
namespace fs = std::filesystem;

namespace {

tools::CsvTable table(const fs::path& dir, const std::string& name) { return tools::parse_csv(test::read_file((dir / name).string())); }

std::size_t column(const tools::CsvTable& t, const std::string& name) {
  for (std::size_t i = 0; i < t.header.size(); ++i)
    if (t.header[i] == name) return i;
  FAIL("no column " << name);
  return 0;
}

double sum(const tools::CsvTable& t, const std::string& name) {
  const std::size_t c = column(t, name);
  double s = 0;
  for (const auto& r : t.rows) s += std::stod(r[c]);
  return s;
}

double figure(const tools::CsvTable& summary, const std::string& metric) {
  const std::size_t m = column(summary, "metric"), v = column(summary, "value");
  for (const auto& r : summary.rows)
    if (r[m] == metric) return std::stod(r[v]);
  FAIL("no figure " << metric);
  return 0;
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
                                    fidelity, "--scale", "5000", "--set", "meta.duration_h=60"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const auto days = table(out, "days.csv"), sites = table(out, "sites.csv"), summary = table(out, "summary.csv");
    const auto migrations = table(out, "migrations.csv"), storage = table(out, "storage.csv");
    REQUIRE(days.rows.size() == 3);  // 60 h: days 0, 1 and half of 2
    CHECK(sum(days, "site_served_requests") == doctest::Approx(sum(sites, "accepted")).epsilon(1e-6));
    CHECK(sum(days, "site_served_bytes") == doctest::Approx(sum(sites, "bytes")).epsilon(1e-6));
    CHECK(sum(days, "eea_exit_bytes") == doctest::Approx(figure(summary, "eea_exit_bytes")).epsilon(1e-6));
    CHECK(sum(days, "eea_exit_legacy_location_bytes") == doctest::Approx(figure(summary, "eea_exit_legacy_location_bytes")).epsilon(1e-6));
    CHECK(sum(days, "migrated_bytes") == doctest::Approx(sum(migrations, "moved_bytes")).epsilon(1e-6));
    CHECK(sum(days, "eea_exit_bytes") / sum(days, "eea_data_bytes") == doctest::Approx(figure(summary, "eea_exit_share")).epsilon(1e-4));
    // Stored outside the EEA: storage.csv's EEA users' primary copies at US East and Singapore.
    const std::size_t day_c = column(storage, "day"), site_c = column(storage, "site"), copy_c = column(storage, "copy"),
                      eea_c = column(storage, "eea_users_stored_bytes");
    std::map<std::string, double> outside;
    for (const auto& row : storage.rows)
      if (row[copy_c] == "primary" && (row[site_c] == "us-east" || row[site_c] == "singapore")) outside[row[day_c]] += std::stod(row[eea_c]);
    const std::size_t dd = column(days, "day"), oc = column(days, "eea_users_stored_outside_eea_bytes");
    for (const auto& row : days.rows) CHECK(std::stod(row[oc]) == doctest::Approx(outside[row[dd]]).epsilon(1e-9));
    CHECK(std::stod(days.rows[2][oc]) < std::stod(days.rows[0][oc]));  // the waves empty them
    // The day's peaks name a site and a link.
    CHECK(!days.rows[0][column(days, "peak_site")].empty());
    CHECK(!days.rows[0][column(days, "peak_link")].empty());
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
  REQUIRE(days.rows.size() == 366);
  const std::size_t c = column(days, "site_served_requests");
  const double first = std::stod(days.rows[0][c]), year_on = std::stod(days.rows[364][c]);
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
  const auto summary = table(out, "summary.csv");
  const std::string moved = fmt_pb(figure(summary, "migrated_bytes"));
  CHECK_MESSAGE(r.out.find("  migrations: " + moved + " PB moved (") != std::string::npos, r.out);
  // 60 hours in, the share is still above 1 % (the waves need weeks).
  CHECK_MESSAGE(r.out.find("EEA-exit share never below 1 % for good") != std::string::npos, r.out);
  // A run without migrations prints no such line.
  const auto plain = test::run_dcsim({"run", test::source_path("scenarios/clover-full.yaml"), "-o", (dir.path() / "plain").string(), "--fidelity",
                                      "flow", "--scale", "5000", "--set", "meta.duration_h=2"});
  REQUIRE_MESSAGE(plain.exit_code == 0, plain.err);
  CHECK(plain.out.find("migrations:") == std::string::npos);
}
