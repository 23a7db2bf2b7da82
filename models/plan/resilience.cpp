// Each failure as an extra cut over the whole run, evaluated with the flow model.
#include "models/plan/resilience.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <set>
#include <thread>

#include "models/network/world.hpp"
#include "models/run/flow_run.hpp"
#include "models/run/link_summary.hpp"
#include "models/run/summary.hpp"

namespace dcsim::models {

std::vector<Failure> single_failures(const Scenario& s) {
  std::vector<Failure> out;
  std::set<std::string> groups;
  for (const auto& l : s.network.links) {
    out.push_back({"link", l.a + "-" + l.b, {{l.a, l.b}}});
    groups.insert(l.srlg.begin(), l.srlg.end());
  }
  for (const auto& g : groups) {
    Failure f{"srlg", g, {}};
    for (const auto& l : s.network.links)
      if (std::find(l.srlg.begin(), l.srlg.end(), g) != l.srlg.end()) f.links.emplace_back(l.a, l.b);
    out.push_back(std::move(f));
  }
  return out;
}

namespace {

// The scenario with these links cut from the start to the end, at flow fidelity: one
// srlg_cut of a group of the failure's own, so the routes it moves are counted once (cut
// link by link, a route two of its links move was counted twice: the Irish Sea group's
// 492 routes as 1,069), as a srlg_cut in a run counts them.
Scenario with_failure(const Scenario& base, const Failure& f) {
  Scenario s = base;
  s.meta.fidelity = Fidelity::Flow;
  if (f.links.empty()) return s;
  const std::string group = "dcsim:resilience-failure";  // ':' keeps it apart from the scenario's groups
  for (auto& l : s.network.links)
    for (const auto& [a, b] : f.links)
      if ((l.a == a && l.b == b) || (l.a == b && l.b == a)) {
        l.srlg.push_back(group);
        break;
      }
  ScenarioEvent ev;
  ev.kind = EventKind::SrlgCut;
  ev.id = "resilience-cut";
  ev.srlg = group;
  s.events.push_back(std::move(ev));
  return s;
}

// `routing`: the unfailed scenario's (traffic engineering keeps the traffic matrix it
// measured before the failure and re-solves it over the links that are left).
FailureResult evaluate(const Scenario& base, const Failure& f, const RoutingPlan& routing) {
  const World world(with_failure(base, f));
  FlowOptions fo;
  fo.routing = &routing;
  const auto m = run_flow(world, fo);
  const Headline h = compute_headline(*m, world);
  const LinkHeadline links = summarize_links(*m, world);
  FailureResult r;
  r.failure = f;
  r.peak_link_utilisation = links.peak_utilisation;
  r.peak_link = links.peak_link;
  r.dropped_requests = m->dropped_total;
  r.unreachable_requests = m->dropped_by(DropReason::Unreachable);
  r.dropped_share = h.get("dropped_share");
  r.eea_exit_bytes = h.get("eea_exit_bytes");
  r.eea_exit_share = h.get("eea_exit_share");
  r.ttfb_p95_ms = h.get("ttfb_p95_ms");
  for (std::size_t i = base.events.size(); i < m->events.size(); ++i) r.routes_changed += m->events[i].routes_changed;
  return r;
}

std::vector<FailureResult> evaluate_all(const Scenario& base, const std::vector<Failure>& failures, const RoutingPlan& routing,
                                        const ResilienceOptions& o, std::size_t done_before, std::size_t total) {
  std::vector<FailureResult> out(failures.size());
  std::atomic<std::size_t> next{0}, done{0};
  std::mutex progress_mu;
  auto work = [&] {
    for (std::size_t i = next++; i < failures.size(); i = next++) {
      out[i] = evaluate(base, failures[i], routing);
      const std::size_t d = ++done;
      if (o.progress) {
        std::lock_guard lock(progress_mu);
        o.progress(static_cast<double>(done_before + d) / static_cast<double>(total));
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < std::max(1, o.threads); ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  return out;
}

}  // namespace

// On the figures as resilience.csv prints them (whole requests and bytes, 6 decimals of
// utilisation, 3 of milliseconds): compared raw, differences in the last bits of
// equal-looking figures decided the order (88 of 127 ranks of the Irish Sea scenario).
bool ranks_before(const FailureResult& a, const FailureResult& b) {
  auto printed = [](double x, double scale) { return std::round(x * scale); };  // in double: a year's bytes pass 2^63
  if (printed(a.dropped_requests, 1) != printed(b.dropped_requests, 1)) return a.dropped_requests > b.dropped_requests;
  if (printed(a.peak_link_utilisation, 1e6) != printed(b.peak_link_utilisation, 1e6)) return a.peak_link_utilisation > b.peak_link_utilisation;
  if (printed(a.eea_exit_bytes, 1) != printed(b.eea_exit_bytes, 1)) return a.eea_exit_bytes > b.eea_exit_bytes;
  if (printed(a.ttfb_p95_change_ms, 1e3) != printed(b.ttfb_p95_change_ms, 1e3)) return a.ttfb_p95_change_ms > b.ttfb_p95_change_ms;
  return a.failure.name < b.failure.name;
}

ResilienceOutcome analyse_resilience(const Scenario& scenario, const ResilienceOptions& options) {
  ResilienceOutcome out;
  const std::vector<Failure> singles = single_failures(scenario);
  const std::size_t n2 = static_cast<std::size_t>(std::max(0, options.n2_top));
  const std::size_t pairs = std::min(n2, singles.size()) * (std::min(n2, singles.size()) - (n2 > 0 ? 1 : 0)) / 2;
  const std::size_t total = 1 + singles.size() + pairs;
  RoutingPlan routing;
  {
    Scenario flow = scenario;
    flow.meta.fidelity = Fidelity::Flow;
    routing = routing_plan(World(std::move(flow)));
  }
  out.baseline = evaluate(scenario, Failure{"none", "none", {}}, routing);
  out.ranked = evaluate_all(scenario, singles, routing, options, 1, total);
  auto rank = [&](std::vector<FailureResult>& v) {
    for (auto& r : v) r.ttfb_p95_change_ms = r.ttfb_p95_ms - out.baseline.ttfb_p95_ms;
    std::stable_sort(v.begin(), v.end(), ranks_before);
  };
  rank(out.ranked);
  if (n2 >= 2) {
    std::vector<Failure> combined;
    const std::size_t top = std::min(n2, out.ranked.size());
    for (std::size_t i = 0; i < top; ++i)
      for (std::size_t j = i + 1; j < top; ++j) {
        const Failure& a = out.ranked[i].failure;
        const Failure& b = out.ranked[j].failure;
        Failure f{"pair", a.name + " + " + b.name, a.links};
        f.links.insert(f.links.end(), b.links.begin(), b.links.end());
        combined.push_back(std::move(f));
      }
    auto more = evaluate_all(scenario, combined, routing, options, 1 + singles.size(), total);
    out.ranked.insert(out.ranked.end(), more.begin(), more.end());
    rank(out.ranked);
  }
  return out;
}

}  // namespace dcsim::models
