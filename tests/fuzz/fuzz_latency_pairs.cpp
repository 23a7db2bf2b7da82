// libFuzzer target for `dcsim latency --pairs`: the bytes as the CSV file, read as the
// command reads it, and every good row's pair routed on the default scenario's backbone (the
// World is built once). Bad rows must come back as problems; any crash, sanitizer report,
// exception, inconsistent row or non-finite figure for a good pair is a bug.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "models/scenario/scenario_loader.hpp"
#include "models/network/world.hpp"
#include "tests/fuzz/fuzz_support.hpp"
#include "tools/latency_pairs.hpp"

using namespace dcsim;

namespace {

const models::World& world() {
  static const models::World w(models::load_scenario(fuzz::source_path("scenarios/default.yaml")));
  return w;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  world();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const tools::LatencyPairs pairs = tools::read_latency_pairs(text, "fuzz.csv");
  std::size_t bad = 0;
  for (const tools::LatencyPairRow& row : pairs.rows) {
    if (row.fields.size() != pairs.header.size()) std::abort();
    if (!row.problem.empty()) {  // a bad row has a message and no points
      if (row.src || row.dst) std::abort();
      ++bad;
      continue;
    }
    if (!row.src || !row.dst) std::abort();
    const models::Route route = world().latency().route({*row.src, "", -1}, {*row.dst, "", -1});
    if (!std::isfinite(route.distance_km) || route.distance_km < 0) std::abort();
    if (route.reachable && !(std::isfinite(route.path_km) && route.rtt.count() >= 0)) std::abort();
  }
  if (bad != pairs.bad_rows || (!pairs.problem.empty() && !pairs.rows.empty())) std::abort();
  return 0;
}
