// libFuzzer target for sweep files: the bytes are written as a sweep file next to a copy of
// the small test scenario (so `scenario: small.yaml` resolves) and planned as `dcsim sweep`
// plans it: read, expanded into points, and, for sweeps of a few runs, every point's
// scenario loaded and its runs given ids. ScenarioError is the expected failure; any crash,
// sanitizer report, hang or other exception is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "models/scenario/sweep_spec.hpp"
#include "tests/fuzz/fuzz_support.hpp"
#include "tools/sweep/sweep_plan.hpp"

using namespace dcsim;

namespace {

// Planning loads the scenario once per point; past this many runs only the reading and the
// expansion are fuzzed, so an input costs milliseconds, not minutes.
constexpr std::size_t kMaxPlannedRuns = 32;

const std::filesystem::path& sweep_dir() {
  static const std::filesystem::path dir = [] {
    const auto d = fuzz::scratch_dir() / "sweep";
    fuzz::reset_dir(d);
    fuzz::write_file(d / "small.yaml", fuzz::read_file(fuzz::source_path("tests/data/good/small.yaml")));
    return d;
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  sweep_dir();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = (sweep_dir() / "fuzz.yaml").string();
  fuzz::write_file(path, std::string_view(reinterpret_cast<const char*>(data), size));
  try {
    const models::SweepSpec spec = models::read_sweep(path);
    (void)spec.definition_text();
    const auto points = models::sweep_points(spec);
    const std::size_t seeds = spec.seeds.empty() ? 1 : spec.seeds.size();
    if (points.size() * seeds <= kMaxPlannedRuns) {
      const tools::SweepPlan plan = tools::make_plan(path, {});
      const tools::SweepPlan again = tools::parse_plan_json(tools::plan_json(plan), "sweep.json");
      if (!tools::plan_mismatch(plan, again, "planned", "read back").empty() || again.runs.size() != plan.runs.size()) std::abort();
    }
  } catch (const models::ScenarioError& e) {
    (void)e.what();
  }
  return 0;
}
