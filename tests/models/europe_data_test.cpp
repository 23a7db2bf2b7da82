// Invariants of the shipped Europe datasets: coverage, country totals, users, sites.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include "models/network/world.hpp"
#include "tests/support/test_files.hpp"

using namespace dcsim;

namespace {
const models::Scenario& europe() {
  static const models::Scenario s = models::load_scenario(test::source_path("scenarios/default.yaml"));
  return s;
}
}  // namespace

TEST_CASE("the regions cover the EU-27, the EEA, the UK and Switzerland with at least 100 regions") {
  const auto& s = europe();
  CHECK(s.regions.size() >= 100);
  std::set<std::string> with_regions;
  for (const auto& g : s.regions) with_regions.insert(g.country);
  for (const char* c : {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
                        "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "NO", "IS", "LI",
                        "GB", "CH"})
    CHECK_MESSAGE(with_regions.count(c) == 1, c);
  int eu = 0;
  for (const auto& c : s.countries) eu += c.eu ? 1 : 0;
  CHECK(eu == 27);
}

TEST_CASE("large countries are split at least to NUTS-1") {
  std::map<std::string, int> per_country;
  for (const auto& g : europe().regions) per_country[g.country]++;
  CHECK(per_country["DE"] >= 16);
  CHECK(per_country["FR"] >= 13);
  CHECK(per_country["IT"] >= 5);
  CHECK(per_country["ES"] >= 7);
  CHECK(per_country["PL"] >= 7);
  CHECK(per_country["GB"] >= 12);
}

TEST_CASE("regions add up to their country's population within 2 percent") {
  const auto& s = europe();
  std::map<std::string, double> sum;
  for (const auto& g : s.regions) sum[g.country] += static_cast<double>(g.population);
  for (const auto& [code, total] : sum) {
    const auto* c = s.find_country(code);
    REQUIRE(c);
    REQUIRE(c->population);
    CHECK_MESSAGE(std::abs(total - static_cast<double>(*c->population)) <= 0.02 * static_cast<double>(*c->population), code);
  }
}

TEST_CASE("the default user shares give about 150 million monthly users") {
  const models::World w(europe());
  CHECK(w.total_monthly_users() > 140e6);
  CHECK(w.total_monthly_users() < 160e6);
}

TEST_CASE("the sites catalog holds the Clover sites, the named candidates and the non-European sites") {
  const auto& s = europe();
  for (const char* id : {"dublin", "dublin-2", "hamar", "frankfurt", "amsterdam", "paris", "london", "helsinki",
                         "madrid", "milan", "warsaw", "zurich", "vienna", "us-east", "singapore"})
    CHECK_MESSAGE(s.find_site(id) != nullptr, id);
  CHECK((s.find_site("stockholm") || s.find_site("lulea")));
  int european_candidates = 0;
  for (const auto& st : s.sites)
    if (st.status == models::SiteStatus::Candidate && s.find_country(st.country) &&
        s.find_country(st.country)->population)
      ++european_candidates;
  CHECK(european_candidates >= 30);
  CHECK(!s.in_eea(s.find_site("us-east")->country));
  CHECK(s.in_eea(s.find_site("hamar")->country));
}

TEST_CASE("UTC offsets are Europe's: summer time one hour ahead except where none is kept") {
  for (const auto& g : europe().regions) {
    const double d = g.utc_offset_summer_h - g.utc_offset_h;
    CHECK_MESSAGE((d == 0 || d == 1), g.id);
    if (g.country == "IS") CHECK(d == 0);
    if (g.country == "DE") CHECK(g.utc_offset_h == 1);
  }
}
