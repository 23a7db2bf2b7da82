// `dcsim report` as a planner runs it: one HTML file written, exit codes, clear messages,
// and nothing written when a run folder is broken.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "tests/report/report_fixture.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/test_files.hpp"

namespace dcsim::test {

namespace fs = std::filesystem;

namespace {
/// Files in `dir` (names only), to see that a failed report leaves nothing behind.
std::vector<std::string> listing(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}
}  // namespace

TEST_CASE("dcsim report writes one self-contained HTML file and says where") {
  const TinyRuns& t = tiny_runs();
  TempDir out;
  const fs::path html = out.path() / "report.html";
  const CommandResult r = run_dcsim({"report", t.base.string(), t.with_hamar.string(), "-o", html.string()});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.err.find(html.string()) != std::string::npos);
  CHECK(r.err.find("2 runs") != std::string::npos);
  const std::string text = read_file(html.string());
  CHECK(text.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(count_of(text, "<svg class=\"map\"") == 2);
  CHECK(external_reference(text).empty());
  CHECK(listing(out.path()) == std::vector<std::string>{"report.html"});
  // --title and -q.
  const CommandResult q = run_dcsim({"report", t.base.string(), "-o", html.string(), "--title", "Clover & co", "-q", "--force"});
  REQUIRE(q.exit_code == 0);
  CHECK(q.err.empty());
  CHECK(read_file(html.string()).find("<title>Clover &amp; co</title>") != std::string::npos);
}

TEST_CASE("dcsim report reports a run folder moved away from its scenario, which is deleted") {
  // The run folder alone must do: the report reads no scenario and builds no World.
  TempDir tmp;
  const std::string scenario = tmp.write("checkout/tiny.yaml", read_file(source_path("tests/report/data/tiny.yaml")));
  make_run(scenario, tmp.path() / "checkout" / "run");
  fs::create_directories(tmp.path() / "archive");
  fs::rename(tmp.path() / "checkout" / "run", tmp.path() / "archive" / "run");
  fs::remove_all(tmp.path() / "checkout");
  REQUIRE_FALSE(fs::exists(scenario));
  const fs::path html = tmp.path() / "report.html";
  const CommandResult r = run_dcsim({"report", (tmp.path() / "archive" / "run").string(), "-o", html.string()});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.err.find("positions") == std::string::npos);  // no note about missing places
  const std::string text = read_file(html.string());
  CHECK(text.find("Region and site positions unavailable") == std::string::npos);
  CHECK(count_of(text, "<circle class=\"region") == 5);
  CHECK(count_of(text, "<path class=\"site") == 2);
  CHECK(count_of(text, "<path class=\"flow") > 0);
}

TEST_CASE("a run folder with a missing CSV: exit 1, the file named, nothing written") {
  TempDir tmp;
  const fs::path broken = copy_run(tiny_runs().base, tmp.path() / "broken");
  fs::remove(broken / "latency.csv");
  const fs::path out_dir = tmp.path() / "out";
  fs::create_directories(out_dir);
  const fs::path html = out_dir / "report.html";
  const CommandResult r = run_dcsim({"report", tiny_runs().base.string(), broken.string(), "-o", html.string()});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find((broken / "latency.csv").string()) != std::string::npos);
  CHECK(r.err.find("missing") != std::string::npos);
  CHECK(listing(out_dir).empty());
  // An earlier report at that path is left as it was.
  std::ofstream(html) << "earlier";
  CHECK(run_dcsim({"report", broken.string(), "-o", html.string()}).exit_code == 1);
  CHECK(read_file(html.string()) == "earlier");
  CHECK(listing(out_dir) == std::vector<std::string>{"report.html"});
}

TEST_CASE("a malformed CSV: exit 1 with file and line, nothing written") {
  TempDir tmp;
  const fs::path broken = copy_run(tiny_runs().base, tmp.path() / "broken");
  reseal(broken, "sites.csv", read_file((broken / "sites.csv").string()) + "only,three,fields\n");
  const fs::path html = tmp.path() / "report.html";
  const CommandResult r = run_dcsim({"report", broken.string(), "-o", html.string()});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find((broken / "sites.csv").string() + ":") != std::string::npos);
  CHECK(r.err.find("fields like the header") != std::string::npos);
  CHECK_FALSE(fs::exists(html));
}

TEST_CASE("dcsim report usage errors exit 2") {
  CHECK(run_dcsim({"report", tiny_runs().base.string()}).exit_code == 2);  // no -o
  CHECK(run_dcsim({"report", "-o", "/tmp/x.html"}).exit_code == 2);       // no run folder
  CHECK(run_dcsim({"report", tiny_runs().base.string(), "-o", "/tmp/x.html", "--min-flow-pct", "-1"}).exit_code == 2);
  const CommandResult help = run_dcsim({"--help"});
  CHECK(help.out.find("report") != std::string::npos);
}

TEST_CASE("a path that is no run folder: exit 1 and a message naming it") {
  TempDir tmp;
  const CommandResult r = run_dcsim({"report", (tmp.path() / "nope").string(), "-o", (tmp.path() / "r.html").string()});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("nope: no such run folder") != std::string::npos);
  CHECK_FALSE(fs::exists(tmp.path() / "r.html"));
}

TEST_CASE("dcsim report refuses a file it did not write, --force or not, and replaces its own report only with --force") {
  TempDir tmp;
  const fs::path mine = tmp.path() / "mine.html";
  std::ofstream(mine) << "<html>my own page</html>";
  for (const bool force : {false, true}) {
    std::vector<std::string> args{"report", tiny_runs().base.string(), "-o", mine.string()};
    if (force) args.push_back("--force");
    const CommandResult r = run_dcsim(args);
    CHECK(r.exit_code == 1);
    CHECK_MESSAGE(r.err.find(mine.string()) != std::string::npos, r.err);
    CHECK(read_file(mine.string()) == "<html>my own page</html>");
  }
  const fs::path ours = tmp.path() / "ours.html";
  REQUIRE(run_dcsim({"report", tiny_runs().base.string(), "-o", ours.string(), "-q"}).exit_code == 0);
  const std::string first = read_file(ours.string());
  CommandResult r = run_dcsim({"report", tiny_runs().with_hamar.string(), "-o", ours.string(), "-q"});
  CHECK(r.exit_code == 1);
  CHECK_MESSAGE(r.err.find("--force") != std::string::npos, r.err);
  CHECK(read_file(ours.string()) == first);
  r = run_dcsim({"report", tiny_runs().with_hamar.string(), "-o", ours.string(), "-q", "--force"});
  CHECK(r.exit_code == 0);
  CHECK(read_file(ours.string()) != first);
  CHECK(listing(tmp.path()) == std::vector<std::string>{"mine.html", "ours.html"});
}

TEST_CASE("dcsim report never writes into a folder it reads") {
  TempDir tmp;
  const fs::path run = copy_run(tiny_runs().base, tmp.path() / "run");
  const CommandResult r = run_dcsim({"report", run.string(), "-o", (run / "report.html").string()});
  CHECK(r.exit_code == 1);
  CHECK_MESSAGE(r.err.find("input") != std::string::npos, r.err);
  CHECK_FALSE(fs::exists(run / "report.html"));
}

TEST_CASE("dcsim report creates missing parent folders, as dcsim run does") {
  TempDir tmp;
  const fs::path html = tmp.path() / "a" / "b" / "report.html";
  const CommandResult r = run_dcsim({"report", tiny_runs().base.string(), "-o", html.string(), "-q"});
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(fs::exists(html));
}

TEST_CASE("dcsim report checks each file against the manifest's SHA-256 and names a changed one") {
  TempDir tmp;
  const fs::path run = copy_run(tiny_runs().base, tmp.path() / "run");
  std::string summary = read_file((run / "summary.csv").string());
  const auto pos = summary.find("eea_exit_share,");
  REQUIRE(pos != std::string::npos);
  summary.insert(pos + std::string("eea_exit_share,").size(), "1");
  std::ofstream(run / "summary.csv", std::ios::binary | std::ios::trunc) << summary;
  const fs::path html = tmp.path() / "report.html";
  const CommandResult r = run_dcsim({"report", run.string(), "-o", html.string()});
  CHECK(r.exit_code == 1);
  CHECK_MESSAGE(r.err.find((run / "summary.csv").string()) != std::string::npos, r.err);
  CHECK_MESSAGE(r.err.find("SHA-256") != std::string::npos, r.err);
  CHECK_FALSE(fs::exists(html));
}

}  // namespace dcsim::test
