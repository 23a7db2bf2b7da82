// `dcsim latency` in both forms, and its errors.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include "tests/support/run_command.hpp"
#include "tests/support/test_files.hpp"
#include "tools/csv.hpp"

using namespace dcsim;

namespace {
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
std::string scenario() { return test::source_path("scenarios/default.yaml"); }
}  // namespace

TEST_CASE("dcsim latency between two points prints distance, path, RTT and route") {
  const auto r = test::run_dcsim({"latency", "--scenario", scenario(), "53.35,-6.26", "50.11,8.68"});
  CHECK(r.exit_code == 0);
  for (const char* k : {"distance_km", "path_km", "rtt_ms", "route", "countries"}) CHECK(contains(r.out, k));
  CHECK(contains(r.out, "DUB"));
  CHECK(contains(r.out, "FRA"));
}

TEST_CASE("dcsim latency rejects coordinates off the globe or malformed, with exit 1") {
  for (const auto& bad : {"95,10", "10,200", "abc", "53.35;-6.26", "53.35,-6.26x", "nan,3"}) {
    const auto r = test::run_dcsim({"latency", "--scenario", scenario(), "--", bad, "50.11,8.68"});
    INFO(bad << ": " << r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
  }
}

TEST_CASE("dcsim latency with one point, or points and --pairs together, is a usage error") {
  CHECK(test::run_dcsim({"latency", "--scenario", scenario(), "53.35,-6.26"}).exit_code == 2);
  CHECK(test::run_dcsim({"latency", "--scenario", scenario(), "--pairs", "x.csv", "1,2", "3,4"}).exit_code == 2);
}

TEST_CASE("dcsim latency --pairs keeps every column and appends distance, path and RTT") {
  test::TempDir dir;
  const std::string in = dir.write("p.csv",
                                   "name,src_lat,src_lon,dst_lat,dst_lon,note\n"
                                   "dub-fra,53.35,-6.26,50.11,8.68,\"quoted, with comma\"\n"
                                   "lis-waw,38.72,-9.14,52.23,21.01,plain\n");
  const auto r = test::run_dcsim({"latency", "--scenario", scenario(), "--pairs", in});
  REQUIRE(r.exit_code == 0);
  const tools::CsvTable t = tools::parse_csv(r.out);
  CHECK(t.header == std::vector<std::string>{"name", "src_lat", "src_lon", "dst_lat", "dst_lon", "note",
                                             "distance_km", "path_km", "rtt_ms"});
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0][5] == "quoted, with comma");
  CHECK(std::stod(t.rows[0][6]) == doctest::Approx(1090.9).epsilon(0.01));
  CHECK(std::stod(t.rows[1][8]) > std::stod(t.rows[0][8]));  // Lisbon–Warsaw is farther
  // The single-pair form gives the same figures.
  const auto single = test::run_dcsim({"latency", "--scenario", scenario(), "53.35,-6.26", "50.11,8.68"});
  CHECK(contains(single.out, "rtt_ms       " + t.rows[0][8]));
}

TEST_CASE("a malformed pairs CSV names the file and line, exits 1 and prints nothing to stdout") {
  test::TempDir dir;
  const std::string bad_value = dir.write("v.csv", "src_lat,src_lon,dst_lat,dst_lon\n1,2,3,4\n1,x,3,4\n");
  auto r = test::run_dcsim({"latency", "--scenario", scenario(), "--pairs", bad_value});
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(contains(r.err, bad_value + ":3:"));
  const std::string missing = dir.write("m.csv", "src_lat,src_lon,dst_lat\n1,2,3\n");
  r = test::run_dcsim({"latency", "--scenario", scenario(), "--pairs", missing});
  CHECK(r.exit_code == 1);
  CHECK(contains(r.err, "dst_lon"));
  const std::string ragged = dir.write("r.csv", "src_lat,src_lon,dst_lat,dst_lon\n1,2,3\n");
  r = test::run_dcsim({"latency", "--scenario", scenario(), "--pairs", ragged});
  CHECK(r.exit_code == 1);
  CHECK(contains(r.err, ragged + ":2:"));
  r = test::run_dcsim({"latency", "--scenario", scenario(), "--pairs", dir.path().string() + "/nope.csv"});
  CHECK(r.exit_code == 1);
}

TEST_CASE("a pairs CSV saved by a spreadsheet, with a UTF-8 byte-order mark, is read like any other") {
  test::TempDir dir;
  const std::string in = dir.write("bom.csv", "\xEF\xBB\xBFsrc_lat,src_lon,dst_lat,dst_lon\r\n53.35,-6.26,50.11,8.68\r\n");
  const auto r = test::run_dcsim({"latency", "--scenario", scenario(), "--pairs", in});
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  const tools::CsvTable t = tools::parse_csv(r.out);
  CHECK(t.header.front() == "src_lat");
  REQUIRE(t.rows.size() == 1);
  CHECK(std::stod(t.rows[0][4]) == doctest::Approx(1090.9).epsilon(0.01));
}

TEST_CASE("a point far from every backbone hub gets a warning naming the hub it was attached to and how far it is") {
  const auto r = test::run_dcsim({"latency", "--scenario", scenario(), "0,0", "0,0"});
  CHECK(r.exit_code == 0);
  CHECK_MESSAGE(contains(r.err, "warning: 0,0 is"), r.err);
  CHECK_MESSAGE(contains(r.err, "km from the nearest backbone hub, LPA"), r.err);
  // Two points on one spot: there is no detour factor to give.
  CHECK_FALSE(contains(r.out, "1.00× the distance"));
  const auto near = test::run_dcsim({"latency", "--scenario", scenario(), "53.35,-6.26", "50.11,8.68"});
  CHECK(near.err.empty());
  // In the pairs form the warning names the line.
  test::TempDir dir;
  const std::string in = dir.write("far.csv", "src_lat,src_lon,dst_lat,dst_lon\n53.35,-6.26,50.11,8.68\n-33.9,18.4,50.11,8.68\n");
  const auto pairs = test::run_dcsim({"latency", "--scenario", scenario(), "--pairs", in});
  CHECK(pairs.exit_code == 0);
  CHECK_MESSAGE(contains(pairs.err, in + ":3: warning: -33.9,18.4 is"), pairs.err);
  CHECK_FALSE(contains(pairs.err, in + ":2:"));
}

TEST_CASE("--pairs refuses a FIFO or a device as not a regular file, and '-' still reads standard input") {
  test::TempDir dir;
  const std::string fifo = (dir.path() / "p.csv").string();
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  // `timeout` only ends a dcsim that hangs (the bug): the checks are on its exit and message.
  auto r = test::run_shell("timeout 60 " + test::shell_quote(DCSIM_EXE) + " latency --scenario " + test::shell_quote(scenario()) +
                           " --pairs " + test::shell_quote(fifo));
  CHECK_MESSAGE(r.exit_code == 1, r.err);
  CHECK_MESSAGE(contains(r.err, "cannot read '" + fifo + "': it is a FIFO (named pipe), not a regular file"), r.err);
  r = test::run_dcsim({"latency", "--scenario", scenario(), "--pairs", "/dev/null"});
  CHECK(r.exit_code == 1);
  CHECK_MESSAGE(contains(r.err, "cannot read '/dev/null': it is a character device, not a regular file"), r.err);
  const std::string in = dir.write("p2.csv", "src_lat,src_lon,dst_lat,dst_lon\n53.35,-6.26,50.11,8.68\n");
  r = test::run_shell("cat " + test::shell_quote(in) + " | " + test::shell_quote(DCSIM_EXE) + " latency --scenario " +
                      test::shell_quote(scenario()) + " --pairs -");
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(contains(r.out, "rtt_ms"));
}
