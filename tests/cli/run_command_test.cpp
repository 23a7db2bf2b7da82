// `dcsim run` and `dcsim compare` as a planner uses them: run folders written whole or not
// at all, never overwritten without --force, byte-identical for the same seed.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sys/stat.h>

#include "tests/support/run_command.hpp"
#include "tests/support/test_files.hpp"
#include "tools/csv.hpp"

namespace fs = std::filesystem;
using namespace dcsim;

namespace {
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
std::string small() { return test::source_path("tests/data/good/small.yaml"); }
const char* kFiles[] = {"manifest.json", "summary.csv", "flows.csv",  "border.csv",        "latency.csv",
                        "sites.csv",     "paths.csv",   "events.csv", "event_latency.csv", "places.csv",
                        "links.csv",     "hottest_links.csv", "days.csv"};
}  // namespace

TEST_CASE("dcsim run writes a complete run folder whose CSVs start with the run columns") {
  test::TempDir dir;
  const std::string out = (dir.path() / "run").string();
  const auto r = test::run_dcsim({"run", small(), "-o", out, "--set", "meta.duration_h=2", "--set", "events=[]"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  for (const char* f : kFiles) CHECK_MESSAGE(fs::exists(fs::path(out) / f), f);
  for (const char* f : kFiles) {
    if (std::string(f) == "manifest.json") continue;
    const auto t = tools::parse_csv(test::read_file((fs::path(out) / f).string()));
    REQUIRE(t.header.size() >= 4);
    CHECK(t.header[0] == "run_id");
    CHECK(t.header[1] == "scenario");
    CHECK(t.header[2] == "variant");
    CHECK(t.header[3] == "seed");
  }
  const std::string manifest = test::read_file((fs::path(out) / "manifest.json").string());
  for (const char* k : {"\"dcsim_version\"", "\"scenario_sha256\"", "\"seed\": 7", "\"wall_time_s\"", "\"events_processed\"",
                        "\"peak_rss_mib\"", "\"relative_error\": 0.000000000000"})
    CHECK_MESSAGE(contains(manifest, k), k);
  // Nothing partial is left beside the folder.
  for (const auto& e : fs::directory_iterator(dir.path())) CHECK(e.path().filename().string().find("partial") == std::string::npos);
}

TEST_CASE("dcsim run refuses an existing folder without --force and replaces a run folder with --force") {
  test::TempDir dir;
  const std::string out = (dir.path() / "run").string();
  fs::create_directories(out);
  dir.write("run/keep.txt", "mine");
  auto r = test::run_dcsim({"run", small(), "-o", out, "--set", "meta.duration_h=1", "--set", "events=[]"});
  CHECK(r.exit_code == 1);
  CHECK(contains(r.err, "--force"));
  CHECK(fs::exists(fs::path(out) / "keep.txt"));
  fs::remove(fs::path(out) / "keep.txt");
  fs::remove(out);
  r = test::run_dcsim({"run", small(), "-o", out, "-q", "--seed", "1", "--set", "meta.duration_h=1", "--set", "events=[]"});
  REQUIRE(r.exit_code == 0);
  const std::string seed1 = test::read_file((fs::path(out) / "flows.csv").string());
  r = test::run_dcsim({"run", small(), "-o", out, "-q", "--seed", "2", "--set", "meta.duration_h=1", "--set", "events=[]"});
  CHECK(r.exit_code == 1);
  r = test::run_dcsim({"run", small(), "-o", out, "--force", "-q", "--seed", "2", "--set", "meta.duration_h=1", "--set", "events=[]"});
  CHECK(r.exit_code == 0);
  CHECK(test::read_file((fs::path(out) / "flows.csv").string()) != seed1);
  for (const auto& e : fs::directory_iterator(dir.path())) CHECK(e.path().filename() == "run");
}

TEST_CASE("an invalid scenario makes dcsim run exit 1 and write nothing") {
  test::TempDir dir;
  const std::string out = (dir.path() / "run").string();
  const auto r = test::run_dcsim({"run", small(), "-o", out, "--set", "meta.scale=0"});
  CHECK(r.exit_code == 1);
  CHECK(contains(r.err, "meta.scale"));
  CHECK(!fs::exists(out));
  CHECK(fs::is_empty(dir.path()));
}

TEST_CASE("two runs with the same seed write byte-identical CSVs; another seed differs") {
  test::TempDir dir;
  const std::vector<std::string> common{"--set", "meta.duration_h=3", "--set", "events=[]", "-q"};
  auto args = [&](const std::string& out, const std::string& seed) {
    std::vector<std::string> a{"run", small(), "-o", (dir.path() / out).string(), "--seed", seed};
    a.insert(a.end(), common.begin(), common.end());
    return a;
  };
  REQUIRE(test::run_dcsim(args("a", "4")).exit_code == 0);
  REQUIRE(test::run_dcsim(args("b", "4")).exit_code == 0);
  REQUIRE(test::run_dcsim(args("c", "5")).exit_code == 0);
  for (const char* f : kFiles) {
    if (std::string(f) == "manifest.json") continue;  // holds wall time
    CHECK_MESSAGE(test::read_file((dir.path() / "a" / f).string()) == test::read_file((dir.path() / "b" / f).string()), f);
  }
  CHECK(test::read_file((dir.path() / "a" / "flows.csv").string()) != test::read_file((dir.path() / "c" / "flows.csv").string()));
}

TEST_CASE("dcsim compare prints one line per run folder and rejects a folder that is not a run") {
  test::TempDir dir;
  for (const char* v : {"with-hamar", "eea-only"})
    REQUIRE(test::run_dcsim({"run", small(), "--variant", v, "-o", (dir.path() / v).string(), "-q", "--set", "meta.duration_h=2",
                             "--set", "events=[]"}).exit_code == 0);
  const auto r = test::run_dcsim({"compare", (dir.path() / "with-hamar").string(), (dir.path() / "eea-only").string()});
  CHECK(r.exit_code == 0);
  CHECK(contains(r.out, "with-hamar"));
  CHECK(contains(r.out, "eea-only"));
  CHECK(contains(r.out, "EEA-exit"));
  const auto bad = test::run_dcsim({"compare", dir.path().string()});
  CHECK(bad.exit_code == 1);
}

TEST_CASE("dcsim compare checks every file it reads against the manifest's SHA-256 and names a changed one") {
  test::TempDir dir;
  const fs::path a = dir.path() / "a", b = dir.path() / "b";
  for (const fs::path& p : {a, b})
    REQUIRE(test::run_dcsim({"run", small(), "-o", p.string(), "-q", "--set", "meta.duration_h=2", "--set", "events=[]"}).exit_code == 0);
  // One figure edited by hand: the table would show it beside the real one.
  std::string summary = test::read_file((b / "summary.csv").string());
  const auto pos = summary.find("eea_exit_share,");
  REQUIRE(pos != std::string::npos);
  summary.insert(pos + std::string("eea_exit_share,").size(), "1");
  { std::ofstream(b / "summary.csv", std::ios::binary | std::ios::trunc) << summary; }
  auto r = test::run_dcsim({"compare", a.string(), b.string()});
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK_MESSAGE(contains(r.err, (b / "summary.csv").string()), r.err);
  CHECK_MESSAGE(contains(r.err, "SHA-256"), r.err);
  // A file the manifest lists but that is gone is named too.
  fs::remove(a / "latency.csv");
  r = test::run_dcsim({"compare", a.string()});
  CHECK(r.exit_code == 1);
  CHECK_MESSAGE(contains(r.err, (a / "latency.csv").string()), r.err);
  // A FIFO in its place is named too, not read (which would wait for a writer forever).
  REQUIRE(::mkfifo((a / "latency.csv").c_str(), 0644) == 0);
  r = test::run_dcsim({"compare", a.string()});
  CHECK(r.exit_code == 1);
  CHECK_MESSAGE(contains(r.err, "not a regular file"), r.err);
}

TEST_CASE("a run of a scenario whose path is not UTF-8 can still be compared") {
  // Linux paths may hold any byte; the manifest records the path as it is (json_quote).
  test::TempDir dir;
  const std::string scenario = dir.write("caf\xe9.yaml", test::read_file(small()));
  const fs::path run = dir.path() / "run";
  REQUIRE(test::run_dcsim({"run", scenario, "-o", run.string(), "-q", "--set", "meta.duration_h=2", "--set", "events=[]"}).exit_code == 0);
  REQUIRE(contains(test::read_file((run / "manifest.json").string()), "caf\xe9.yaml"));
  const auto r = test::run_dcsim({"compare", run.string()});
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(contains(r.out, "small"));
}

TEST_CASE("dcsim run --window warns about the window's own simulated requests, as its manifest does") {
  test::TempDir dir;
  // Clover full for 10 days at scale 20,000: ~1.36e6 simulated requests in all (no sampling
  // warning), ~1.36e5 in its one-day window (warned).
  const std::string out = (dir.path() / "w").string();
  const auto r = test::run_dcsim({"run", test::source_path("scenarios/clover-full.yaml"), "-o", out, "--scale", "20000", "--set",
                                  "meta.duration_h=240", "--window", "2023-06-15"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK_MESSAGE(contains(r.err, "simulates about 1.36e+05 requests"), r.err);  // was: the whole run's, no warning
  CHECK(contains(test::read_file((fs::path(out) / "manifest.json").string()), "simulates about 1.36e+05 requests"));
}

TEST_CASE("dcsim run --window runs some days of a run alone; a window that is not one is an error and writes nothing") {
  test::TempDir dir;
  // small.yaml with three days from 2023-06-14T00:00Z, at flow fidelity.
  const std::vector<std::string> base{"run", small(), "-q", "--fidelity", "flow", "--set", "meta.duration_h=72", "--set", "events=[]"};
  auto with = [&](std::vector<std::string> extra, const std::string& out) {
    std::vector<std::string> args = base;
    args.push_back("-o");
    args.push_back(out);
    args.insert(args.end(), extra.begin(), extra.end());
    return test::run_dcsim(args);
  };
  const std::string out = (dir.path() / "window").string();
  const auto ok = with({"--window", "2023-06-15", "--window-days", "5"}, out);
  REQUIRE_MESSAGE(ok.exit_code == 0, ok.err);
  const std::string manifest = test::read_file((fs::path(out) / "manifest.json").string());
  CHECK(contains(manifest, "\"window\": \"2023-06-15T00:00:00Z +48 h of the run from 2023-06-14T00:00:00Z\""));
  CHECK(contains(manifest, "\"duration_h\": 48.000000"));  // to the run's end, not 5 days
  const auto days = tools::parse_csv(test::read_file((fs::path(out) / "days.csv").string()));
  CHECK(days.rows.size() == 2);
  const std::pair<std::vector<std::string>, std::string> bad[] = {
      {{"--window", "15 June"}, "not a date"},
      {{"--window", "2023-02-30"}, "not a date"},
      {{"--window", "2023-06-15T12:00:00Z"}, "whole number of days"},
      {{"--window", "2023-06-17"}, "within the run"},
      {{"--window", "2023-06-01"}, "within the run"},
      {{"--window", "2023-06-15", "--set", "meta.report_interval_min=7"}, "divide a day"},
  };
  for (const auto& [args, why] : bad) {
    CAPTURE(args[1]);
    const std::string nowhere = (dir.path() / "bad").string();
    const auto r = with(args, nowhere);
    CHECK(r.exit_code == 1);
    CHECK_MESSAGE(contains(r.err, why), r.err);
    CHECK(!fs::exists(nowhere));
  }
}
