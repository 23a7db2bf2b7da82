// The command line's contract: exit codes 0/1/2, --help and --version.
#include <doctest/doctest.h>

#include <filesystem>

#include "tests/support/run_command.hpp"
#include "tests/support/test_files.hpp"

using dcsim::test::run_dcsim;

namespace {
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("dcsim --version prints the version and exits 0") {
  const auto r = run_dcsim({"--version"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind("dcsim ", 0) == 0);
}
TEST_CASE("dcsim --help lists the commands") {
  const auto r = run_dcsim({"--help"});
  CHECK(r.exit_code == 0);
  CHECK(contains(r.out, "validate"));
}
TEST_CASE("dcsim validate --help documents its options") {
  const auto r = run_dcsim({"validate", "--help"});
  CHECK(r.exit_code == 0);
  for (const char* opt : {"FILE", "--set", "--variant", "--quiet"}) CHECK(contains(r.out, opt));
}
TEST_CASE("no command is a usage error (exit 2)") {
  const auto r = run_dcsim({});
  CHECK(r.exit_code == 2);
  CHECK(!r.err.empty());
}
TEST_CASE("an unknown command or option is a usage error (exit 2)") {
  CHECK(run_dcsim({"frobnicate"}).exit_code == 2);
  CHECK(run_dcsim({"validate", "--no-such-flag", "x.yaml"}).exit_code == 2);
  CHECK(run_dcsim({"validate"}).exit_code == 2);
}
TEST_CASE("an invalid scenario exits 1 with every error on stderr and nothing on stdout") {
  dcsim::test::TempDir dir;
  const std::string text = dcsim::test::read_file(dcsim::test::source_path("tests/data/good/small.yaml"));
  std::string bad = dcsim::test::replace_once(text, "servers: 400", "servers: -1");
  bad = dcsim::test::replace_once(bad, "scale: 100", "scale: 0");
  const std::string path = dir.write("bad.yaml", bad);
  const auto r = run_dcsim({"validate", path});
  CHECK(r.exit_code == 1);
  CHECK(r.signal == 0);
  CHECK(r.out.empty());
  CHECK(contains(r.err, path + ":" + std::to_string(dcsim::test::line_of(bad, "servers: -1"))));
  CHECK(contains(r.err, path + ":" + std::to_string(dcsim::test::line_of(bad, "scale: 0"))));
  CHECK(contains(r.err, "2 errors"));
}
TEST_CASE("a valid scenario prints its summary and exits 0") {
  const auto r = run_dcsim({"validate", dcsim::test::source_path("tests/data/good/small.yaml")});
  CHECK(r.exit_code == 0);
  CHECK(contains(r.out, "valid"));
  CHECK(contains(r.out, "4 in 4 countries"));
  CHECK(contains(r.out, "2 variants"));
}
TEST_CASE("--quiet prints nothing on success") {
  const auto r = run_dcsim({"validate", "-q", dcsim::test::source_path("tests/data/good/small.yaml")});
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
}

TEST_CASE("an unknown command is named, with the list of commands (exit 2)") {
  const auto r = run_dcsim({"frobnicate"});
  CHECK(r.exit_code == 2);
  CHECK_MESSAGE(contains(r.err, "unknown command 'frobnicate'"), r.err);
  for (const char* c : {"validate", "run", "compare", "sweep", "merge", "place", "report", "latency"}) CHECK_MESSAGE(contains(r.err, c), c);
  const auto typo = run_dcsim({"rnu"});
  CHECK(typo.exit_code == 2);
  CHECK_MESSAGE(contains(typo.err, "did you mean 'run'?"), typo.err);
}

TEST_CASE("a number option out of range is a usage error naming the option and its range in plain numbers") {
  dcsim::test::TempDir dir;
  const std::string small = dcsim::test::source_path("tests/data/good/small.yaml");
  const std::string out = (dir.path() / "out").string();
  struct Case {
    std::vector<std::string> args;
    std::string option, range;
  };
  const std::vector<Case> cases = {
      {{"run", small, "-o", out, "--seed", "18446744073709551616"}, "--seed", "from 0 to 9000000000000000000"},
      {{"run", small, "-o", out, "--seed", "-1"}, "--seed", "from 0 to 9000000000000000000"},
      {{"run", small, "-o", out, "--seed", "abc"}, "--seed", "whole number"},
      {{"run", small, "-o", out, "--scale", "0"}, "--scale", "from 1 to 1000000"},
      {{"run", small, "-o", out, "--scale", "2.5"}, "--scale", "whole number"},
      {{"sweep", small, "-o", out, "--jobs", "0"}, "--jobs", "from 1 to 1000000"},
      {{"sweep", small, "-o", out, "--scale", "0"}, "--scale", "from 1 to 1000000"},
      {{"compare", out, "--countries", "41"}, "--countries", "from 0 to 40"},
      {{"report", out, "-o", out + ".html", "--min-flow-pct", "-1"}, "--min-flow-pct", "from 0 to 100"},
      {{"resilience", small, "-o", out, "--n2", "1"}, "--n2", "give 0 (no N-2) or 2 to 30"},  // one failure makes no pair
      {{"run", small, "-o", out, "--window-days", "2"}, "--window-days", "--window"},         // was ignored
  };
  for (const auto& c : cases) {
    const auto r = run_dcsim(c.args);
    INFO(c.option << " " << c.args.back() << ": " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, c.option));
    CHECK(contains(r.err, c.range));
    CHECK_FALSE(contains(r.err, "--set"));
    CHECK(r.err.size() < 300);  // no 309-digit bound
  }
  CHECK(std::filesystem::is_empty(dir.path()));
}

TEST_CASE("an empty -o is a usage error for every command that writes") {
  const std::string small = dcsim::test::source_path("tests/data/good/small.yaml");
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"run", small, "-o", ""}, {"sweep", small, "-o", ""}, {"merge", "x", "-o", ""}, {"report", "x", "-o", ""},
           {"place", small, "-k", "1", "-o", ""}}) {
    const auto r = run_dcsim(args);
    INFO(args[0] << ": " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "empty"));
  }
}
