// Plan claims (`assertions:`): checked after `dcsim run` and `dcsim sweep`, written to
// assertions.csv, a failed claim exits 3 with the folder written; a bad claim (unknown
// metric, country or site, a wrong type, a claim without a bound) exits 1 naming
// file:line:column and key path, and writes nothing.
#include <doctest/doctest.h>

#include <filesystem>

#include "tests/support/run_command.hpp"
#include "tests/support/test_files.hpp"
#include "tools/assertions.hpp"
#include "tools/cli.hpp"
#include "tools/csv.hpp"

namespace fs = std::filesystem;
using namespace dcsim;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
std::string claims() { return test::source_path("tests/data/good/claims.yaml"); }

std::vector<std::string> run_args(const std::string& file, const std::string& out, std::vector<std::string> extra = {}) {
  std::vector<std::string> a = {"run", file, "-o", out, "-q", "--set", "meta.duration_h=2", "--set", "events=[]"};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

// A scenario file with one claim, including small.yaml by absolute path.
std::string claim_file(const test::TempDir& dir, const std::string& claim) {
  return dir.write("claim.yaml", "include: [" + test::source_path("tests/data/good/small.yaml") + "]\nassertions:\n  - " + claim + "\n");
}

}  // namespace

TEST_CASE("claims that hold: exit 0 and assertions.csv says pass for each, with its value and unit") {
  test::TempDir dir;
  const std::string out = (dir.path() / "run").string();
  const auto r = test::run_dcsim(run_args(claims(), out));
  REQUIRE_MESSAGE(r.exit_code == tools::kExitOk, r.err);
  const auto t = tools::parse_csv(test::read_file(out + "/assertions.csv"));
  REQUIRE(t.rows.size() == 6);
  CHECK(t.header == std::vector<std::string>{"run_id", "scenario", "variant", "seed", "assertion", "metric", "country", "site", "min", "max",
                                             "unit", "value", "result", "note"});
  for (const auto& row : t.rows) {
    CHECK_MESSAGE(row[12] == "pass", row[4]);
    CHECK_MESSAGE(!row[11].empty(), row[4]);
  }
  CHECK(t.rows[1][4] == "pt-p95");
  CHECK(t.rows[1][6] == "PT");
  CHECK(t.rows[1][10] == "ms");
  // The manifest lists the file, so report/compare read it checked like every other.
  CHECK(contains(test::read_file(out + "/manifest.json"), "\"assertions.csv\""));
}

TEST_CASE("a claim that fails: the run folder is written, exit 3, stderr and assertions.csv name the claim") {
  test::TempDir dir;
  const std::string out = (dir.path() / "run").string();
  const auto r = test::run_dcsim(run_args(claims(), out, {"--set", "assertions.pt-p95.max=1"}));
  CHECK(r.exit_code == tools::kExitClaimFailed);
  CHECK(r.exit_code == 3);
  CHECK(contains(r.err, "1 of 6 plan claims failed"));
  CHECK(contains(r.err, "pt-p95: ttfb_p95_ms (PT) = "));
  CHECK(contains(r.err, "max 1: FAIL"));
  REQUIRE(fs::exists(out + "/summary.csv"));
  const auto t = tools::parse_csv(test::read_file(out + "/assertions.csv"));
  REQUIRE(t.rows.size() == 6);
  CHECK(t.rows[1][12] == "fail");
  CHECK(t.rows[0][12] == "pass");
  // A minimum that is not reached fails the same way.
  const auto r2 = test::run_dcsim(run_args(claims(), (dir.path() / "run2").string(), {"--set", "assertions.served.min=1e15"}));
  CHECK(r2.exit_code == 3);
  CHECK(contains(r2.err, "served: served_requests"));
}

TEST_CASE("bad claims exit 1 with file:line:column and key path, and write nothing") {
  test::TempDir dir;
  struct Case {
    std::string claim, expect;
  };
  const Case cases[] = {
      {"{id: a, metric: ttfb_p95_mss, max: 1}", "assertions.a.metric: unknown metric 'ttfb_p95_mss'"},
      {"{id: a, metric: eea_exit_shar, max: 1}", "did you mean 'eea_exit_share'?"},
      {"{id: a, metric: ttfb_p95_ms, country: XX, max: 1}", "assertions[0].country: unknown country 'XX'"},
      {"{id: a, metric: ttfb_p95_ms, country: pt, max: 1}", "assertions[0].country:"},
      {"{id: a, metric: peak_site_utilisation, site: nowhere, max: 1}", "assertions[0].site: unknown site 'nowhere'"},
      {"{id: a, metric: ttfb_p95_ms, max: fast}", "assertions[0].max: expected a number, got 'fast'"},
      {"{id: a, metric: [ttfb_p95_ms], max: 1}", "assertions[0].metric:"},
      {"{id: a, metric: ttfb_p95_ms}", "assertions[0]: a claim needs a bound"},
      {"{id: a, metric: ttfb_p95_ms, maximum: 1}", "assertions[0].maximum: unknown key 'maximum'"},
      {"{id: a, metric: eea_exit_share, country: PT, max: 1}", "'eea_exit_share' is not measured per country"},
      {"{id: a, metric: ttfb_p97_ms, country: PT, max: 1}", "not p97"},
      {"{id: a, metric: ttfb_p97_ms, max: 1}", "add 97 to outputs.latency_percentiles"},
      {"{id: a, metric: ttfb_p95_ms, min: 5, max: 1}", "min is above max"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.claim);
    const std::string file = claim_file(dir, c.claim);
    const std::string out = (dir.path() / "run").string();
    const auto r = test::run_dcsim(run_args(file, out));
    CHECK(r.exit_code == tools::kExitInvalid);
    CHECK_MESSAGE(contains(r.err, c.expect), r.err);
    CHECK_MESSAGE(contains(r.err, file + ":3:"), r.err);  // the claim's line, with its column
    CHECK(!fs::exists(out));
    // validate finds the same problem.
    const auto v = test::run_dcsim({"validate", file, "-q"});
    CHECK(v.exit_code == tools::kExitInvalid);
    CHECK(contains(v.err, c.expect));
  }
}

TEST_CASE("a sweep checks each seed and the interval over seeds; a failed claim exits 3 after merging") {
  test::TempDir dir;
  const std::string sweep = dir.write("sweep.yaml", "scenario: " + claims() +
                                                        "\nvariants: [with-hamar]\nseeds: [1, 2, 3]\nset:\n  meta.duration_h: 2\n  events: []\n");
  const fs::path out = dir.path() / "s";
  auto r = test::run_dcsim({"sweep", sweep, "-o", out.string(), "-q", "--jobs", "1"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  const auto per_seed = tools::parse_csv(test::read_file((out / "assertions.csv").string()));
  CHECK(per_seed.rows.size() == 18);
  const auto t = tools::parse_csv(test::read_file((out / "assertions_summary.csv").string()));
  REQUIRE(t.rows.size() == 6);
  const auto col = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(t.header.begin(), t.header.end(), name) - t.header.begin());
  };
  for (const auto& row : t.rows) {
    CHECK(row[col("seeds")] == "3");
    CHECK(row[col("seeds_passed")] == "3");
    CHECK(row[col("result")] == "pass");
    CHECK(!row[col("ci95_low")].empty());
  }

  // The same sweep with a bound between the seeds' values: some seeds pass, the interval does not.
  const auto p95 = tools::parse_csv(test::read_file((out / "runs" / per_seed.rows[1][0] / "assertions.csv").string()));
  const std::string value = p95.rows[1][11];
  const std::string sweep2 = dir.write("sweep2.yaml", "scenario: " + claims() +
                                                          "\nvariants: [with-hamar]\nseeds: [1, 2, 3]\nset:\n  meta.duration_h: 2\n  events: []\n  assertions.pt-p95.max: 1\n");
  r = test::run_dcsim({"sweep", sweep2, "-o", (dir.path() / "s2").string(), "-q", "--jobs", "1"});
  CHECK(r.exit_code == tools::kExitClaimFailed);
  CHECK(contains(r.err, "plan claims failed"));
  CHECK(contains(r.err, "pt-p95 (0 of 3 seeds pass, interval does not)"));
  CHECK(fs::exists(dir.path() / "s2" / "summary.csv"));
  (void)value;
}

TEST_CASE("the interval verdict: every seed within bounds is not enough when the interval crosses the bound") {
  tools::ClaimRow a, b, c;
  for (tools::ClaimRow* r : {&a, &b, &c}) {
    r->assertion = "x";
    r->max = 10;
    r->result = "pass";
  }
  a.value = 9.9;
  b.value = 1.0;
  c.value = 9.0;
  const tools::ClaimInterval ci = tools::claim_interval({a, b, c});
  CHECK(ci.seeds_passed == 3);
  CHECK_FALSE(ci.interval_pass);  // mean 6.63, half width ~11.8: the upper end is above 10
  CHECK_FALSE(ci.pass());
  a.value = 5.0;  // mean 5.5, half width 1.24: the interval stays below 10
  b.value = 5.5;
  c.value = 6.0;
  const tools::ClaimInterval tight = tools::claim_interval({a, b, c});
  CHECK(tight.interval_pass);
  CHECK(tight.pass());
}
