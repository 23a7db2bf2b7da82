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
  const CommandResult q = run_dcsim({"report", t.base.string(), "-o", html.string(), "--title", "Clover & co", "-q"});
  REQUIRE(q.exit_code == 0);
  CHECK(q.err.empty());
  CHECK(read_file(html.string()).find("<title>Clover &amp; co</title>") != std::string::npos);
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
  std::ofstream(broken / "sites.csv", std::ios::app) << "only,three,fields\n";
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

}  // namespace dcsim::test
