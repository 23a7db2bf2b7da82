// `dcsim place` refuses problems it cannot solve, with exit 1, a message naming the key
// path, and nothing written: more sites asked for than there are candidates, a candidate
// listed twice or already built, an empty candidate list, and constraints no choice meets.
#include <doctest/doctest.h>

#include <filesystem>

#include "tests/support/run_command.hpp"
#include "tests/support/test_files.hpp"

namespace fs = std::filesystem;
using namespace dcsim;

namespace {
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
std::string placement() { return test::source_path("scenarios/placement-europe.yaml"); }

// Runs `dcsim place` with `args` into a fresh folder; checks exit 1 and that nothing was written.
test::CommandResult place_fails(const std::vector<std::string>& args) {
  test::TempDir dir;
  const std::string out = (dir.path() / "out" / "place").string();
  std::vector<std::string> all = {"place", placement(), "-o", out, "-q", "--set", "meta.duration_h=2"};
  all.insert(all.end(), args.begin(), args.end());
  const auto r = test::run_dcsim(all);
  CHECK_MESSAGE(r.exit_code == 1, r.err);
  CHECK(r.out.empty());
  CHECK(fs::is_empty(dir.path()));
  return r;
}
}  // namespace

TEST_CASE("dcsim place with -k above the number of candidates left is an error, not fewer sites") {
  const auto r = place_fails({"-k", "3", "--set", "placement.candidates=[madrid, warsaw]"});
  CHECK_MESSAGE(contains(r.err, "-k 3, but placement.candidates leaves 2 sites to choose from (madrid, warsaw)"), r.err);
  // Excluded countries leave fewer.
  const auto ex = place_fails({"-k", "2", "--set", "placement.candidates=[madrid, warsaw]", "--set",
                               "placement.constraints.exclude_countries=[PL]"});
  CHECK_MESSAGE(contains(ex.err, "leaves 1 site to choose from (madrid)"), ex.err);
}

TEST_CASE("dcsim place refuses a candidate listed twice, one already built, and an empty candidate list") {
  auto r = place_fails({"-k", "1", "--set", "placement.candidates=[frankfurt, frankfurt]"});
  CHECK_MESSAGE(contains(r.err, "placement.candidates[1]: 'frankfurt' listed twice"), r.err);
  r = place_fails({"-k", "1", "--set", "placement.candidates=[dublin, madrid]"});
  CHECK_MESSAGE(contains(r.err, "placement.candidates[0]: 'dublin' is already built (in build_out)"), r.err);
  r = place_fails({"-k", "1", "--set", "placement.candidates=[]"});
  CHECK_MESSAGE(contains(r.err, "placement.candidates: an empty list leaves nothing to choose from"), r.err);
}

TEST_CASE("dcsim place with a candidate list runs its winner (the winner's scenario has that candidate built)") {
  test::TempDir dir;
  const std::string out = (dir.path() / "place").string();
  const auto r = test::run_dcsim({"place", placement(), "-o", out, "-q", "--set", "meta.duration_h=2", "-k", "1", "--set",
                                  "placement.candidates=[madrid, warsaw]", "--set", "placement.constraints.require_countries=[PL, PL]",
                                  "--winner-scale", "1000"});
  CHECK_MESSAGE(r.exit_code == 0, r.err);  // was: the winner's reload refused 'warsaw' as already built
  CHECK(fs::exists(fs::path(out) / "placement.csv"));
  CHECK(fs::exists(fs::path(out) / "winner" / "summary.csv"));
}

TEST_CASE("dcsim place with constraints no choice meets exits 1 and runs no winner") {
  auto r = place_fails({"-k", "1", "--set", "placement.constraints.require_countries=[PL, DE]"});
  CHECK_MESSAGE(contains(r.err, "require_countries asks for a new site in 2 countries, but -k 1 adds only 1"), r.err);
  r = place_fails({"-k", "1", "--set", "placement.candidates=[madrid, warsaw]", "--set", "placement.constraints.budget_meur=1"});
  CHECK_MESSAGE(contains(r.err, "no choice of 1 site meeting placement.constraints was found"), r.err);
  CHECK_MESSAGE(contains(r.err, "capital cost above the budget"), r.err);
}
