// The legal basis of EEA exits: every exit is recorded under its destination's basis when
// it happened (an adequacy decision; adequacy for certified organisations only, the EU-US
// Data Privacy Framework from 10 July 2023, with the operator certified; or none, a third
// country), the bases add up to the exits, and residency eea_or_adequate lets data rest
// where adequacy is in force. Built on the default scenario's countries (dated decisions).
#include <doctest/doctest.h>

#include "models/run/event_run.hpp"
#include "models/run/flow_run.hpp"
#include "models/run/summary.hpp"
#include "models/scenario/diagnostics.hpp"
#include "tests/support/test_files.hpp"

using namespace dcsim;

namespace {

// The default scenario (Dublin, US East, Singapore), short and small, starting at `start`,
// with `extra` YAML appended at top level.
std::unique_ptr<models::World> scenario(const test::TempDir& dir, const std::string& name, const std::string& fidelity,
                                        const std::string& start, const std::string& extra) {
  const std::string text = "include: [" + test::source_path("scenarios/default.yaml") +
                           "]\n"
                           "meta: {name: basis, scale: 1000, duration_h: 3, fidelity: " +
                           fidelity + ", start_utc: \"" + start + "\"}\n" + extra;
  return std::make_unique<models::World>(models::load_scenario(dir.write(name + "-" + fidelity + ".yaml", text)));
}

models::Headline headline(const models::World& w) {
  const auto m = w.scenario().meta.fidelity == models::Fidelity::Flow ? models::run_flow(w) : models::run_event(w);
  return models::compute_headline(*m, w);
}

double basis(const models::Headline& h, models::LegalBasis b) { return h.eea_exit_bytes_by_basis[static_cast<std::size_t>(b)]; }

void check_bases_add_up(const models::Headline& h) {
  double sum = 0;
  for (double b : h.eea_exit_bytes_by_basis) sum += b;
  CHECK(sum == doctest::Approx(h.eea_exit_bytes).epsilon(1e-9));
}

}  // namespace

TEST_CASE("US exits are a third country before the DPF or without certification, certified adequacy after it with one") {
  for (const std::string fidelity : {"event", "flow"}) {
    CAPTURE(fidelity);
    test::TempDir dir;
    // Nearest residency with the US site alone: every EEA user's byte leaves for the US.
    const std::string us_only = "build_out: [us-east]\n";  // one site: no replicas (copies 0 below)
    const auto before = headline(*scenario(dir, "before", fidelity, "2023-06-14T00:00:00Z", us_only + "policies: {replication: {copies: 0}, transfers: {certified: true}}\n"));
    const auto uncertified =
        headline(*scenario(dir, "uncert", fidelity, "2024-03-01T00:00:00Z", us_only + "policies: {replication: {copies: 0}}\n"));
    const auto certified = headline(*scenario(dir, "cert", fidelity, "2024-03-01T00:00:00Z",
                                              us_only + "policies: {replication: {copies: 0}, transfers: {certified: true}}\n"));
    for (const auto* h : {&before, &uncertified, &certified}) {
      REQUIRE(h->eea_exit_bytes > 0);
      check_bases_add_up(*h);
      CHECK(basis(*h, models::LegalBasis::Adequacy) == 0);  // no decision-based destination here
    }
    CHECK(basis(before, models::LegalBasis::ThirdCountry) == doctest::Approx(before.eea_exit_bytes));
    CHECK(basis(uncertified, models::LegalBasis::ThirdCountry) == doctest::Approx(uncertified.eea_exit_bytes));
    CHECK(basis(certified, models::LegalBasis::AdequacyCertified) == doctest::Approx(certified.eea_exit_bytes));
    CHECK(basis(certified, models::LegalBasis::ThirdCountry) == 0);
    CHECK(certified.eea_exit_third_country_share == 0);
    CHECK(uncertified.eea_exit_third_country_share == doctest::Approx(uncertified.eea_exit_share));
  }
}

TEST_CASE("an adequate destination is never counted as a third country, and a switch to certification counts from its time") {
  test::TempDir dir;
  // London (an adequacy decision since 2021), Singapore (none) and US East (the analytics
  // export site; the operator not certified), nearest residency.
  const auto lw = scenario(dir, "ldn", "flow", "2024-03-01T00:00:00Z", "build_out: [london, singapore, us-east]\n");
  const auto m = models::run_flow(*lw);
  const auto h = models::compute_headline(*m, *lw);
  REQUIRE(h.eea_exit_bytes > 0);
  check_bases_add_up(h);
  CHECK(basis(h, models::LegalBasis::AdequacyCertified) == 0);
  const auto london = static_cast<std::size_t>(lw->site_index("london")), singapore = static_cast<std::size_t>(lw->site_index("singapore"));
  double at_london = 0, at_singapore = 0;
  for (std::size_t c = 0; c < m->countries().size(); ++c) {
    if (m->countries()[c] == "US" || m->countries()[c] == "SG") continue;  // staff there: exits to their own country
    CHECK(m->exit_basis_bytes(c, london, models::LegalBasis::ThirdCountry) == 0);
    CHECK(m->exit_basis_bytes(c, singapore, models::LegalBasis::Adequacy) == 0);
    at_london += m->exit_basis_bytes(c, london, models::LegalBasis::Adequacy);
    at_singapore += m->exit_basis_bytes(c, singapore, models::LegalBasis::ThirdCountry);
  }
  CHECK(at_london > 0);
  CHECK(at_singapore > 0);

  // The operator certifies half-way through: US exits change basis at that time only.
  const auto w = scenario(dir, "switch", "flow", "2024-03-01T00:00:00Z",
                          "build_out: [us-east]\npolicies: {replication: {copies: 0}}\nevents:\n  - {id: dpf, kind: policy_switch, at_offset_h: 1.5, "
                          "set: {policies.transfers.certified: true}}\n");
  const auto s = headline(*w);
  check_bases_add_up(s);
  CHECK(basis(s, models::LegalBasis::AdequacyCertified) > 0);
  CHECK(basis(s, models::LegalBasis::ThirdCountry) > 0);
}

TEST_CASE("eea_or_adequate lets EEA users' data rest at an adequate site that eea_only refuses") {
  test::TempDir dir;
  // London is nearer to Dublin's users than Frankfurt; under eea_only the home is Frankfurt.
  // US East is the analytics export site (the operator not certified: a third country).
  const std::string sites = "build_out: [london, frankfurt, us-east]\n";
  const auto eea_only = scenario(dir, "eo", "flow", "2024-03-01T00:00:00Z",
                                 sites + "policies: {residency: {mode: eea_only}, routing: {spill_outside_eea: false}, replication: {copies: 0}}\n");
  const auto adequate = scenario(dir, "ea", "flow", "2024-03-01T00:00:00Z",
                                 sites + "policies: {residency: {mode: eea_or_adequate}, routing: {spill_outside_eea: false}, replication: {copies: 0}}\n");
  const auto h_only = headline(*eea_only), h_adequate = headline(*adequate);
  check_bases_add_up(h_only);
  check_bases_add_up(h_adequate);
  CHECK(h_only.eea_exit_bytes_by[static_cast<std::size_t>(models::ExitReason::Policy)] == 0);
  // Data held in London still leaves the EEA (it is an exit), under an adequacy decision.
  CHECK(h_adequate.eea_exit_bytes_by[static_cast<std::size_t>(models::ExitReason::Policy)] > 0);
  const double policy = h_adequate.eea_exit_bytes_by[static_cast<std::size_t>(models::ExitReason::Policy)];
  CHECK(basis(h_adequate, models::LegalBasis::Adequacy) >= policy * (1 - 1e-9));
  // Third-country exits are exports to the US and US or Singapore staff reading EEA data
  // (their own country is the destination), under either residency.
  const auto third = [](const models::Headline& x) {
    return x.eea_exit_bytes_by[static_cast<std::size_t>(models::ExitReason::Export)] +
           x.eea_exit_bytes_by[static_cast<std::size_t>(models::ExitReason::EmployeeAccess)];
  };
  CHECK(basis(h_adequate, models::LegalBasis::ThirdCountry) == doctest::Approx(third(h_adequate)));
  CHECK(basis(h_only, models::LegalBasis::ThirdCountry) == doctest::Approx(third(h_only)));
}

TEST_CASE("eea_or_adequate with only a certification-based site and no certification has nowhere to hold EEA data") {
  test::TempDir dir;
  const std::string base = "include: [" + test::source_path("scenarios/default.yaml") +
                           "]\nmeta: {start_utc: \"2024-03-01T00:00:00Z\"}\nbuild_out: [us-east]\n";
  const auto errors = test::load_errors(
      dir.write("nowhere.yaml", base + "policies: {residency: {mode: eea_or_adequate}, replication: {copies: 0}}\n"), {});
  REQUIRE(!errors.empty());
  const std::string first = models::format(errors.front());
  CHECK(first.find("eea_or_adequate") != std::string::npos);
  CHECK(first.find("nowhere.yaml:") != std::string::npos);
  // Certified, the US site is allowed and the scenario loads.
  CHECK_NOTHROW(models::load_scenario(
      dir.write("certified.yaml", base + "policies: {residency: {mode: eea_or_adequate}, replication: {copies: 0}, transfers: {certified: true}}\n")));
}

TEST_CASE("adequacy is read as a flag or as {basis, from, source}, with errors at their key") {
  test::TempDir dir;
  const std::string small = test::read_file(test::source_path("tests/data/good/small.yaml"));
  auto with = [&](const std::string& name, const std::string& adequacy) {
    std::string text = small;
    const std::string flag = "{code: US, name: United States, eu: false, eea: false}";
    REQUIRE(text.find(flag) != std::string::npos);
    text.replace(text.find(flag), flag.size(), "{code: US, name: United States, eu: false, eea: false, adequacy: " + adequacy + "}");
    return dir.write(name, text);
  };
  const auto good = models::load_scenario(with("good.yaml", "{basis: certification, from: \"2023-07-10\", source: DPF}"));
  const models::Country* us = good.find_country("US");
  REQUIRE(us);
  CHECK(us->adequacy);
  CHECK(us->adequacy_basis == models::AdequacyBasis::Certification);
  REQUIRE(us->adequacy_from_utc_s);
  CHECK(*us->adequacy_from_utc_s == 1688947200);  // 2023-07-10T00:00:00Z
  CHECK(us->adequacy_source == "DPF");

  const auto bad_basis = test::load_errors(with("basis.yaml", "{basis: treaty}"), {});
  REQUIRE(!bad_basis.empty());
  CHECK(test::describe(bad_basis).find("countries[4].adequacy.basis") != std::string::npos);
  const auto bad_date = test::load_errors(with("date.yaml", "{basis: decision, from: \"July 2023\"}"), {});
  REQUIRE(!bad_date.empty());
  CHECK(test::describe(bad_date).find("countries[4].adequacy.from") != std::string::npos);
  const auto unknown = test::load_errors(with("key.yaml", "{basis: decision, form: \"2023-07-10\"}"), {});
  REQUIRE(!unknown.empty());
  CHECK(test::describe(unknown).find("form") != std::string::npos);
  const auto wrong_type = test::load_errors(with("type.yaml", "maybe"), {});
  REQUIRE(!wrong_type.empty());
  CHECK(test::describe(wrong_type).find("countries[4].adequacy") != std::string::npos);
}

TEST_CASE("copies caught up at a site outside the EEA leave the EEA when they land, as replicas do when they are made") {
  test::TempDir dir;
  // EEA users' data is held in Dublin (eea_only), which replicates to US East, the only
  // other site; US East is dark for an hour: replicas and exports wait and are copied when
  // it returns, inside the run. The EEA exits by replication and export stay what they
  // would be without the outage (the copies are late, not fewer).
  const std::string certified = "policies: {residency: {mode: eea_only}, routing: {spill_outside_eea: false}, transfers: {certified: false}}\n";
  const std::string two_sites = certified + "build_out: [dublin, us-east]\n";
  const auto plain = scenario(dir, "plain", "flow", "2024-03-01T00:00:00Z", two_sites);
  const auto dark = scenario(dir, "dark", "flow", "2024-03-01T00:00:00Z",
                             two_sites + "events:\n  - {id: us-dark, kind: site_outage, site: us-east, at_offset_h: 1, duration_h: 1}\n");
  const auto mp = models::run_flow(*plain), md = models::run_flow(*dark);
  const auto hp = models::compute_headline(*mp, *plain), hd = models::compute_headline(*md, *dark);
  REQUIRE(hd.catchup_bytes > 0);
  const auto replication = [](const models::Headline& h) {
    return h.eea_exit_bytes_by[static_cast<std::size_t>(models::ExitReason::Replication)];
  };
  REQUIRE(replication(hp) > 0);
  CHECK(replication(hd) == doctest::Approx(replication(hp)).epsilon(0.02));
  const auto exports = [](const models::Headline& h) { return h.eea_exit_bytes_by[static_cast<std::size_t>(models::ExitReason::Export)]; };
  CHECK(exports(hd) == doctest::Approx(exports(hp)).epsilon(0.02));
  check_bases_add_up(hd);
}
