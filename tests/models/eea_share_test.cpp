// The EEA-exit share is one ratio over one population: of the bytes of EEA users' data that
// sites handle (served to the users, copied, read by staff), the part that leaves the EEA
// (held or read outside it). Staff reading Irish data from the US counts in both terms.
#include <doctest/doctest.h>

#include "models/run/flow_run.hpp"
#include "models/run/event_run.hpp"
#include "models/run/summary.hpp"
#include "tests/support/test_files.hpp"

using namespace dcsim;

namespace {

// Irish users served in Ireland (or in the US); staff in the US reading their data.
std::string staff_scenario(const std::string& site_country, double site_lat, double site_lon, const std::string& hub,
                           const std::string& fidelity) {
  return "meta: {name: staff, seed: 3, start_utc: \"2023-01-10T00:00:00Z\", duration_h: 2, report_interval_min: 60, scale: 10, fidelity: " +
         fidelity +
         "}\n"
         "countries:\n"
         "  - {code: IE, name: Ireland, eu: true, eea: true, population: 100000, population_year: 2023, user_share: 1.0}\n"
         "  - {code: US, name: United States, eu: false, eea: false}\n"
         "regions:\n"
         "  - {id: R1, name: One, country: IE, population: 100000, population_year: 2023, lat: 53.35, lon: -6.26, utc_offset_h: 0}\n"
         "sites:\n"
         "  - {id: s1, name: Site, country: " +
         site_country + ", lat: " + std::to_string(site_lat) + ", lon: " + std::to_string(site_lon) +
         ", hub: " + hub + ", status: existing, servers: 400}\n"
         "build_out: [s1]\n"
         "network:\n"
         "  hubs:\n"
         "    - {id: DUB, name: Dublin, country: IE, lat: 53.35, lon: -6.26}\n"
         "    - {id: IAD, name: Ashburn, country: US, lat: 39.04, lon: -77.49}\n"
         "  links:\n"
         "    - {a: DUB, b: IAD, kind: submarine, length_km: 5900, capacity_gbps: 100}\n"
         "traffic:\n"
         "  daily_active_share: 1.0\n"
         "  diurnal_local_weights: [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]\n"
         "  classes:\n"
         "    get: {kind: read, rate_per_user_day: 10, size: {dist: fixed, mean_bytes: 1000}, service_time: {dist: exponential, mean_ms: 10}}\n"
         "    staff_read:\n"
         "      kind: read\n"
         "      origin: staff\n"
         "      size: {dist: fixed, mean_bytes: 50000}\n"
         "      service_time: {dist: exponential, mean_ms: 10}\n"
         "      staff: [{id: us-staff, country: US, lat: 34.05, lon: -118.24, requests_per_day: 100000}]\n"
         "policies:\n"
         "  replication: {copies: 0}\n";
}

struct Bytes {
  double users = 0, staff = 0;
};

// Site bytes by origin: Irish users, US staff.
Bytes site_bytes(const models::Metrics& m) {
  Bytes b;
  for (std::size_t c = 0; c < m.countries().size(); ++c)
    for (std::size_t k = 0; k < m.classes().size(); ++k)
      for (std::size_t f = 0; f < models::kFlowKinds; ++f) {
        const double bytes = m.flow(c, 0, k, static_cast<models::FlowKind>(f)).bytes;
        (m.countries()[c] == "US" ? b.staff : b.users) += bytes;
      }
  return b;
}

}  // namespace

TEST_CASE("staff abroad reading EEA data count in the EEA-exit share's numerator and denominator alike") {
  for (const std::string fidelity : {"event", "flow"}) {
    CAPTURE(fidelity);
    test::TempDir dir;
    // Data held in Ireland: only the staff reads leave the EEA.
    const models::World in_eea(models::load_scenario(dir.write("ie.yaml", staff_scenario("IE", 53.35, -6.26, "DUB", fidelity))));
    const auto m = fidelity == "flow" ? models::run_flow(in_eea) : models::run_event(in_eea);
    const Bytes b = site_bytes(*m);
    REQUIRE(b.users > 0);
    REQUIRE(b.staff > 0);
    const auto h = models::compute_headline(*m, in_eea);
    CHECK(h.eea_exit_bytes_by[static_cast<std::size_t>(models::ExitReason::EmployeeAccess)] == doctest::Approx(b.staff));
    CHECK(h.eea_data_site_bytes == doctest::Approx(b.users + b.staff));
    CHECK(h.eea_exit_share == doctest::Approx(b.staff / (b.users + b.staff)));

    // Data held in the US: every byte of it is outside the EEA, the staff reads too.
    const models::World in_us(models::load_scenario(dir.write("us.yaml", staff_scenario("US", 39.04, -77.49, "IAD", fidelity))));
    const auto mu = fidelity == "flow" ? models::run_flow(in_us) : models::run_event(in_us);
    const auto hu = models::compute_headline(*mu, in_us);
    CHECK(hu.eea_exit_share == doctest::Approx(1.0));
    CHECK(hu.eea_exit_bytes_by[static_cast<std::size_t>(models::ExitReason::EmployeeAccess)] == 0);
  }
}
