// Helpers shared by subcommands.
#include "tools/cli.hpp"

#include <filesystem>

namespace dcsim::tools {

std::string default_scenario_path() {
  // From the repository root (where planners run it), else the source tree this was built from.
  const std::string local = "scenarios/default.yaml";
  if (std::filesystem::exists(local)) return local;
  return std::string(DCSIM_SOURCE_DIR) + "/" + local;
}

}  // namespace dcsim::tools
