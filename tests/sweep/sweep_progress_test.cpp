// The sweep's progress display: a bar redrawn in place on a terminal, a line per 10 %
// otherwise, nothing in the first seconds or when quiet.
#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include "tools/sweep/sweep_progress.hpp"

using dcsim::tools::SweepProgress;

namespace {

// Everything written to a temporary FILE.
std::string captured(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string out;
  for (int c; (c = std::fgetc(f)) != EOF;) out += static_cast<char>(c);
  return out;
}

std::size_t count(const std::string& s, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t pos = 0; (pos = s.find(part, pos)) != std::string::npos; pos += part.size()) ++n;
  return n;
}

}  // namespace

TEST_CASE("on a terminal the sweep progress is one bar with runs done and the time left") {
  std::FILE* f = std::tmpfile();
  REQUIRE(f);
  SweepProgress p("dcsim sweep", 40, 10, 30, false, f, true);
  p.show_at(3, 0.0, 1.0);  // too early
  CHECK(captured(f).empty());
  p.show_at(3, 0.0, 3.0);
  p.show_at(15, 0.0, 10.0);
  p.finish();
  const std::string out = captured(f);
  CHECK(out.find('\r') == 0);
  CHECK(out.find("13/40 runs") != std::string::npos);  // 10 done before + 3
  CHECK(out.find("25/40 runs") != std::string::npos);
  CHECK(out.find("10 s elapsed, ~10 s left") != std::string::npos);  // half of the 30 in 10 s
  CHECK(count(out, "\n") == 1);
  std::fclose(f);
}

TEST_CASE("off a terminal the sweep progress is a line per 10 %, and nothing when quiet") {
  std::FILE* f = std::tmpfile();
  REQUIRE(f);
  SweepProgress p("dcsim sweep 1/2", 100, 0, 100, false, f, false);
  for (std::size_t done = 0; done <= 100; ++done) p.show_at(done, 0.0, 5.0 + static_cast<double>(done));
  p.finish();
  const std::string out = captured(f);
  CHECK(count(out, "\n") == 11);  // 0 %, 10 %, ..., 100 %
  CHECK(out.find('\r') == std::string::npos);
  CHECK(out.find("dcsim sweep 1/2: 50/100 runs done, 50 % of the work") != std::string::npos);

  std::FILE* g = std::tmpfile();
  SweepProgress quiet("dcsim sweep", 10, 0, 10, true, g, false);
  quiet.show_at(5, 0.5, 100.0);
  CHECK(captured(g).empty());
  // Running runs count by their own progress.
  SweepProgress partial("x", 4, 0, 4, false, g, false);
  partial.show_at(1, 1.0, 10.0);
  CHECK(captured(g).find("1/4 runs done, 50 % of the work") != std::string::npos);
  std::fclose(f);
  std::fclose(g);
}

TEST_CASE("a progress line's run count and percentage agree: runs in progress and runs done before count as work") {
  std::FILE* f = std::tmpfile();
  REQUIRE(f);
  // 40 runs at once, one finished and the others a fifth done.
  SweepProgress all("x", 40, 0, 40, false, f, false, 0.0);
  all.show_at(1, 39 * 0.2, 10.0);
  // A resumed sweep: 30 done before, 6 of the other 10 done now.
  SweepProgress resumed("y", 40, 30, 10, false, f, false, 0.0);
  resumed.show_at(6, 0.0, 10.0);
  const std::string out = captured(f);
  CHECK_MESSAGE(out.find("x: 1/40 runs done, 22 % of the work") != std::string::npos, out);
  CHECK_MESSAGE(out.find("y: 36/40 runs done, 90 % of the work") != std::string::npos, out);
  std::fclose(f);
}
