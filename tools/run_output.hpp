// Running a World at its scenario's fidelity and turning the result into run-folder files:
// the one path shared by `dcsim run`, `dcsim place` (the winner's detailed run) and the
// sweep commands.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/run/metrics.hpp"
#include "models/network/world.hpp"

namespace dcsim::models {
class DataPlan;
}

namespace dcsim::tools {

struct RunOutput {
  std::unique_ptr<models::Metrics> metrics;
  std::map<std::string, std::string> files;  ///< CSVs and manifest.json
  std::string run_id, variant;
  double wall_time_s = 0;
  std::string fidelity;
  std::size_t claims = 0, claims_failed = 0;  ///< the scenario's assertions: and how many failed
  std::vector<std::string> failed_claims;      ///< "id: metric value (max …)" of each failed claim
};

/// Runs the world (event or flow, per meta.fidelity); checks conservation (throws
/// std::runtime_error when it fails); builds every file of a run folder. `plan`: the
/// migration schedule to follow (a window of a longer run); nullptr: the world's own.
RunOutput run_world(const models::World& world, const std::function<void(double)>& progress = {}, int threads = 2,
                    const models::DataPlan* plan = nullptr);

}  // namespace dcsim::tools
