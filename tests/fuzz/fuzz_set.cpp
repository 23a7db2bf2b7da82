// libFuzzer target for `--set` overrides: each input line is one "key.path=value", and the
// lines are applied in order, as repeated --set options are, by the same call `dcsim
// validate FILE --set ...` makes: the small test scenario's base and each of its variants
// loaded with them. Problems must come back as one ScenarioError; any crash, sanitizer
// report or other exception is a bug.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "models/scenario/scenario_loader.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using namespace dcsim::models;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string scenario = dcsim::fuzz::source_path("tests/data/good/small.yaml");
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> overrides;
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    overrides.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  try {
    (void)load_all_variants(scenario, overrides);
  } catch (const ScenarioError& e) {
    (void)e.what();
  }
  return 0;
}
