// Sweeps as first-class inputs: `dcsim compare` and `dcsim report` on two 10-seed sweeps
// give one column (row) per variant with mean ± 95 % interval, labels that tell every run
// apart, --country picks countries, the report stays under 1 MB and shows the plan claims
// at the top; percentile intervals are never narrower than the histogram's resolution.
#include <doctest/doctest.h>

#include <filesystem>
#include <regex>
#include <sstream>

#include "models/run/metrics.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/test_files.hpp"
#include "tools/csv.hpp"
#include "tools/run_groups.hpp"

namespace fs = std::filesystem;
using namespace dcsim;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// Two sweeps of the small scenario (both variants, 10 seeds, 2 h), made once.
struct Sweeps {
  test::TempDir dir;
  fs::path a, b, run;
  Sweeps() {
    const std::string claims = test::source_path("tests/data/good/claims.yaml");
    const std::string body = "\nvariants: all\nseeds: {count: 10, from: 1}\nset:\n  meta.duration_h: 2\n  events: []\n";
    a = dir.path() / "a";
    b = dir.path() / "b";
    run = dir.path() / "run";
    auto r = test::run_dcsim({"sweep", dir.write("a.yaml", "scenario: " + claims + body), "-o", a.string(), "-q", "--jobs", "2"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    r = test::run_dcsim({"sweep", dir.write("b.yaml", "scenario: " + claims + body + "  meta.scale: 200\n"), "-o", b.string(), "-q", "--jobs", "2"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    r = test::run_dcsim({"run", claims, "-o", run.string(), "-q", "--variant", "with-hamar", "--set", "meta.duration_h=2", "--set", "events=[]"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  }
};
Sweeps& sweeps() {
  static Sweeps s;
  return s;
}

}  // namespace

TEST_CASE("compare on two 10-seed sweeps and a run: one row per variant, mean ± interval, unambiguous labels") {
  Sweeps& s = sweeps();
  const auto r = test::run_dcsim({"compare", s.a.string(), s.b.string(), s.run.string()});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  const auto ls = lines(r.out);
  // Header (2 lines), the small scenario's two variants × 2 sweeps, the run, the note on intervals.
  REQUIRE(ls.size() == 2 + 4 + 1 + 1);
  CHECK(contains(ls[2], "small · with-hamar · 10 seeds · scale 100"));
  CHECK(contains(ls[3], "small · eea-only · 10 seeds · scale 100"));
  CHECK(contains(ls[4], "small · with-hamar · 10 seeds · scale 200"));
  CHECK(contains(ls[6], "small · with-hamar · seed 7 · scale 100"));
  for (std::size_t i = 2; i < 6; ++i) CHECK_MESSAGE(contains(ls[i], " ± "), ls[i]);
  CHECK_FALSE(contains(ls[6], " ± "));  // a single run has no interval
  CHECK(contains(ls.back(), "95 % confidence interval"));
  // --country picks the columns; an unknown one is a usage error naming what exists.
  const auto pt = test::run_dcsim({"compare", s.a.string(), "--country", "PT,NO"});
  REQUIRE(pt.exit_code == 0);
  CHECK(contains(pt.out, "PT p95"));
  CHECK(contains(pt.out, "NO p95"));
  CHECK_FALSE(contains(pt.out, "IE p95"));
  // A country named twice is one column.
  const auto twice = test::run_dcsim({"compare", s.a.string(), "--country", "PT,PT"});
  REQUIRE(twice.exit_code == 0);
  CHECK(twice.out.find("PT p95") == twice.out.rfind("PT p95"));
  const auto xx = test::run_dcsim({"compare", s.a.string(), "--country", "XX"});
  CHECK(xx.exit_code == 2);
  CHECK(contains(xx.err, "'XX'"));
}

TEST_CASE("the digits of an estimate follow its interval; no latency interval is narrower than the resolution") {
  CHECK(tools::format_estimate({205.3634, 0.2851, 10}, 1) == "205.36 ± 0.29");
  CHECK(tools::format_estimate({205.3634, 3.1, 10}, 1) == "205.4 ± 3.1");
  CHECK(tools::format_estimate({205.3634, std::nan(""), 1}, 1) == "205.4");
  CHECK(tools::separated({10, 1, 10}, {13, 1, 10}));
  CHECK_FALSE(tools::separated({10, 2, 10}, {13, 2, 10}));
  // The sweep's summary.csv: every percentile's half width is at least mean × resolution.
  const auto t = tools::parse_csv(test::read_file((sweeps().a / "summary.csv").string()));
  const auto col = [&](const std::string& n) { return static_cast<std::size_t>(std::find(t.header.begin(), t.header.end(), n) - t.header.begin()); };
  std::size_t percentiles = 0;
  for (const auto& row : t.rows) {
    if (!std::regex_match(row[col("metric")], std::regex("(ttfb|latency)_p[0-9.]+_ms"))) continue;
    ++percentiles;
    const double mean = std::stod(row[col("mean")]), hw = std::stod(row[col("ci95_half_width")]);
    CHECK_MESSAGE(hw >= mean * models::kLatencyRelativeError - 1e-3, row[col("metric")]);
  }
  CHECK(percentiles > 0);
}

TEST_CASE("report on two 10-seed sweeps: one column per variant with intervals, claims on top, under 1 MB") {
  Sweeps& s = sweeps();
  const fs::path out = s.dir.path() / "report.html";
  const auto r = test::run_dcsim({"report", s.a.string(), s.b.string(), "-o", out.string(), "-q"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  const std::string html = test::read_file(out.string());
  CHECK(html.size() < 1024 * 1024);
  // Four columns (2 sweeps × 2 variants), not 40.
  std::size_t maps = 0;
  for (std::size_t p = 0; (p = html.find("<figure class=\"run-map\">", p)) != std::string::npos; ++p) ++maps;
  CHECK(maps == 4);
  CHECK(contains(html, "small · with-hamar · 10 seeds · scale 200"));
  CHECK(contains(html, "10 seeds (maps and charts: seed 1)"));
  CHECK(contains(html, "<span class=\"ci\">± "));
  // Plan claims come first, before the headline figures.
  const auto claims = html.find("<section id=\"claims\">"), headline = html.find("<section id=\"headline\">");
  REQUIRE(claims != std::string::npos);
  CHECK(claims < headline);
  CHECK(contains(html, "All 24 claims pass"));
  CHECK(contains(html, "(10/10 seeds)"));
}
