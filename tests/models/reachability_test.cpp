// "No path" is unreachable, never 0 ms: a site a cut leaves without a path gets no
// traffic, and requests from a region cut off from every site are dropped as unreachable,
// at both fidelities. The cuts are the Europe data's own: Singapore's only link, and the
// three links that join Iceland to the rest of the backbone.
#include <doctest/doctest.h>

#include <cmath>

#include "models/run/flow_run.hpp"
#include "models/run/event_run.hpp"
#include "models/run/summary.hpp"
#include "tests/support/test_files.hpp"

using namespace dcsim;

namespace {

// The default scenario, small and short, with `events` appended (YAML list items).
std::unique_ptr<models::World> default_with(const test::TempDir& dir, const std::string& fidelity, const std::string& events) {
  const std::string text = "include: [" + test::source_path("scenarios/default.yaml") +
                           "]\n"
                           "meta: {name: cut, scale: 1000, duration_h: 3, fidelity: " +
                           fidelity + "}\n" + (events.empty() ? "" : "events:\n" + events);
  return std::make_unique<models::World>(models::load_scenario(dir.write(fidelity + "-" + std::to_string(events.size()) + ".yaml", text)));
}

std::unique_ptr<models::Metrics> run(const models::World& w) {
  return w.scenario().meta.fidelity == models::Fidelity::Flow ? models::run_flow(w) : models::run_event(w);
}

// Everything a site received: offered requests and bytes of every kind.
double site_arrivals(const models::Metrics& m, std::size_t site) {
  double n = 0;
  for (std::size_t i = 0; i < m.intervals(); ++i) n += m.site_interval(site, i).arrivals;
  return n;
}
double site_bytes(const models::Metrics& m, std::size_t site) {
  double b = 0;
  for (std::size_t c = 0; c < m.countries().size(); ++c)
    for (std::size_t k = 0; k < m.classes().size(); ++k)
      for (std::size_t f = 0; f < models::kFlowKinds; ++f) b += m.flow(c, site, k, static_cast<models::FlowKind>(f)).bytes;
  return b;
}
std::size_t country_index(const models::Metrics& m, const std::string& code) {
  for (std::size_t c = 0; c < m.countries().size(); ++c)
    if (m.countries()[c] == code) return c;
  FAIL("no country " << code);
  return 0;
}

}  // namespace

TEST_CASE("a site a cut leaves without a path gets no traffic, and the EEA-exit share does not move") {
  for (const std::string fidelity : {"event", "flow"}) {
    CAPTURE(fidelity);
    test::TempDir dir;
    const auto ref_world = default_with(dir, fidelity, "");
    const auto cut_world = default_with(dir, fidelity, "  - {id: sin, kind: link_cut, between: [SIN, BOM], at_offset_h: 0}\n");
    const auto ref = run(*ref_world), cut = run(*cut_world);
    const auto sg = static_cast<std::size_t>(cut_world->site_index("singapore"));
    REQUIRE(site_arrivals(*ref, sg) + site_bytes(*ref, sg) > 0);  // it has traffic when it is reachable
    CHECK(site_arrivals(*cut, sg) == 0);
    CHECK(site_bytes(*cut, sg) == 0);
    const auto h_ref = models::compute_headline(*ref, *ref_world), h_cut = models::compute_headline(*cut, *cut_world);
    // What still reached Singapore (replicas, staff) moves elsewhere or is dropped: the
    // share of European bytes that leave the EEA barely changes (it was 51 % instead of 2 %
    // when "no path" counted as the nearest site).
    CHECK(std::fabs(h_cut.eea_exit_share - h_ref.eea_exit_share) < 0.1 * h_ref.eea_exit_share);
    // Staff in Singapore reach no site: their requests are dropped as unreachable, and the
    // event says so.
    const std::size_t sg_country = country_index(*cut, "SG");
    double sg_dropped = 0;
    for (std::size_t k = 0; k < cut->classes().size(); ++k) sg_dropped += cut->dropped(sg_country, k);
    CHECK(sg_dropped > 0);
    CHECK(cut->dropped_by(models::DropReason::Unreachable) == doctest::Approx(sg_dropped).epsilon(1e-9));
    CHECK(cut->events.at(0).dropped_by[static_cast<std::size_t>(models::DropReason::Unreachable)] == doctest::Approx(sg_dropped).epsilon(1e-9));
  }
}

TEST_CASE("a region cut off from every site has its requests dropped as unreachable, not served") {
  for (const std::string fidelity : {"event", "flow"}) {
    CAPTURE(fidelity);
    test::TempDir dir;
    const auto w = default_with(dir, fidelity,
                                "  - {id: kef-edi, kind: link_cut, between: [KEF, EDI], at_offset_h: 0}\n"
                                "  - {id: kef-ebj, kind: link_cut, between: [KEF, EBJ], at_offset_h: 0}\n"
                                "  - {id: kef-dub, kind: link_cut, between: [KEF, DUB], at_offset_h: 0}\n");
    const auto m = run(*w);
    const std::size_t is = country_index(*m, "IS");
    double served_by_sites = 0, dropped = 0;
    for (std::size_t s = 0; s < m->sites().size(); ++s)
      for (std::size_t k = 0; k < m->classes().size(); ++k) served_by_sites += m->flow(is, s, k, models::FlowKind::Serve).requests;
    for (std::size_t k = 0; k < m->classes().size(); ++k) dropped += m->dropped(is, k);
    // Nothing from Iceland reaches a site (edge caches in Iceland still serve what they
    // hold); the rest is dropped as unreachable.
    CHECK(served_by_sites == 0);
    CHECK(dropped > 0);
    CHECK(m->dropped_by(models::DropReason::Unreachable) >= dropped * (1 - 1e-9));
    double event_unreachable = 0;
    for (const auto& e : m->events) event_unreachable = std::max(event_unreachable, e.dropped_by[static_cast<std::size_t>(models::DropReason::Unreachable)]);
    CHECK(event_unreachable == doctest::Approx(m->dropped_by(models::DropReason::Unreachable)).epsilon(1e-9));
    CHECK(m->conservation_error() < 1e-9);
  }
}
