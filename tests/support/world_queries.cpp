// Look-ups the model tests share.
#include "tests/support/world_queries.hpp"

#include <stdexcept>

#include "models/run/event_run.hpp"
#include "models/run/flow_run.hpp"
#include "models/run/run_state.hpp"

namespace dcsim::test {

std::size_t class_index(const models::World& w, const std::string& name) {
  const auto& c = w.scenario().traffic.classes;
  for (std::size_t k = 0; k < c.size(); ++k)
    if (c[k].name == name) return k;
  throw std::runtime_error("no class " + name);
}

std::size_t site_index(const models::World& w, const std::string& id) {
  for (std::size_t s = 0; s < w.sites().size(); ++s)
    if (w.sites()[s].site->id == id) return s;
  throw std::runtime_error("no site " + id);
}

std::map<std::string, std::set<std::size_t>> copy_holders(const models::World& w) {
  const models::RunState state(w);
  std::map<std::string, std::set<std::size_t>> out;
  for (std::size_t r = 0; r < w.regions().size(); ++r)
    for (const auto& [home, p] : state.tables().home_shares(r)) {
      auto& s = out[w.regions()[r].region->country];
      s.insert(static_cast<std::size_t>(home));
      for (auto rep : state.tables().replicas(home)) s.insert(rep);
    }
  return out;
}

std::unique_ptr<models::Metrics> run_at(const models::World& w, bool event) {
  return event ? models::run_event(w, models::RunOptions{}) : models::run_flow(w);
}

}  // namespace dcsim::test
