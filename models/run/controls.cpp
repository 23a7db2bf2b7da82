// Event windows and control points.
#include "models/run/controls.hpp"

#include <algorithm>

namespace dcsim::models {

const char* event_kind_name(EventKind k) {
  switch (k) {
    case EventKind::SiteOutage: return "site_outage";
    case EventKind::LinkCut: return "link_cut";
    case EventKind::SrlgCut: return "srlg_cut";
    case EventKind::SiteOnline: return "site_online";
    case EventKind::SiteOffline: return "site_offline";
    case EventKind::CapacityChange: return "capacity_change";
    case EventKind::DemandSurge: return "demand_surge";
    case EventKind::PolicySwitch: return "policy_switch";
  }
  return "?";
}

std::vector<Control> build_controls(const Scenario& s, sim::SimTime horizon) {
  std::vector<Control> controls;
  for (std::size_t i = 0; i < s.events.size(); ++i) {
    const ScenarioEvent& ev = s.events[i];
    controls.push_back({sim::at(ev.at), i, true});
    if (ev.duration && sim::at(ev.at + *ev.duration) <= horizon) controls.push_back({sim::at(ev.at + *ev.duration), i, false});
  }
  std::stable_sort(controls.begin(), controls.end(), [](const Control& a, const Control& b) { return a.t < b.t; });
  return controls;
}

std::vector<EventEffect> make_event_effects(const Scenario& s, sim::SimTime horizon, std::size_t countries) {
  std::vector<EventEffect> out;
  for (const ScenarioEvent& ev : s.events) {
    EventEffect e;
    e.id = ev.id;
    e.kind = event_kind_name(ev.kind);
    e.start = sim::at(ev.at);
    e.end = ev.duration ? std::min(horizon, sim::at(ev.at + *ev.duration)) : horizon;
    switch (ev.kind) {
      case EventKind::LinkCut: e.target = ev.link_a + "-" + ev.link_b; break;
      case EventKind::SrlgCut: e.target = ev.srlg; break;
      case EventKind::DemandSurge:
        for (const auto& c : ev.countries) e.target += (e.target.empty() ? "" : " ") + c;
        for (const auto& g : ev.regions) e.target += (e.target.empty() ? "" : " ") + g;
        break;
      case EventKind::PolicySwitch:
        for (const auto& [k, v] : ev.policy_set) e.target += (e.target.empty() ? "" : " ") + k + "=" + v;
        break;
      default: e.target = ev.site;
    }
    e.ttfb_by_country.assign(countries, sim::Histogram(kLatencyPrecisionBits));
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace dcsim::models
