// Look-ups the model tests share: a class or site by name, the sites that hold copies of
// each country's users' data, and a run at either fidelity.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "models/network/world.hpp"
#include "models/run/metrics.hpp"

namespace dcsim::test {

/// Index of the traffic class named `name` (throws if there is none).
std::size_t class_index(const models::World& w, const std::string& name);
/// Index of the catalog site `id` (throws if there is none).
std::size_t site_index(const models::World& w, const std::string& id);
/// Per country: the sites that hold a copy of some of its users' data (homes and their
/// replicas under the tables at the run's start).
std::map<std::string, std::set<std::size_t>> copy_holders(const models::World& w);
/// The world run at event fidelity (default options) or at flow fidelity.
std::unique_ptr<models::Metrics> run_at(const models::World& w, bool event);

}  // namespace dcsim::test
