// libFuzzer target for the scenario loader: arbitrary bytes as a scenario file, and as a
// --set override on the small scenario. Any crash, sanitizer report, or exception other
// than the loader's own error types is a bug. Run with tools/fuzz.sh.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "models/scenario/doc_patch.hpp"
#include "models/scenario/scenario_loader.hpp"

using namespace dcsim::models;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto file = std::make_shared<const std::string>("fuzz.yaml");
  Diagnostics diags;
  try {
    DocNode tree = parse_yaml(text, file);
    Scenario s = read_scenario(tree, diags);
    (void)s;
    // The same bytes as a command-line override on the parsed tree.
    apply_override(tree, text, 1, diags);
    Scenario patched = read_scenario(tree, diags);
    (void)patched;
  } catch (const YamlSyntaxError&) {
  }
  for (const auto& d : diags.items()) (void)format(d);
  return 0;
}
