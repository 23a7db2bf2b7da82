// The headline figures of a run, defined once: writers print them, tests check them,
// sweeps average them over seeds. Shares are of bytes handled by sites (served, replicated,
// exported); edge-cache bytes stay in the user's country and are reported on their own.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "models/run/metrics.hpp"
#include "models/network/world.hpp"

namespace dcsim::models {

struct Headline {
  std::vector<std::pair<std::string, double>> values;  ///< name (unit in the name), value
  double get(const std::string& name) const;
};

/// EEA membership of each Metrics country.
std::vector<bool> eea_countries(const Metrics& m, const World& w);

Headline compute_headline(const Metrics& m, const World& w);

}  // namespace dcsim::models
