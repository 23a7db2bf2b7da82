// Loader behaviour on valid input: includes, overrides, variants, policy switches, units.
#include <doctest/doctest.h>

#include "tests/support/test_files.hpp"

using namespace dcsim;

namespace {
std::string small_path() { return test::source_path("tests/data/good/small.yaml"); }
}  // namespace

TEST_CASE("the small scenario loads into base units") {
  const models::Scenario s = models::load_scenario(small_path());
  CHECK(s.meta.name == "small");
  CHECK(s.meta.seed == 7);
  CHECK(s.meta.start_utc_s == 1686700800);  // 2023-06-14T00:00:00Z
  CHECK(s.meta.duration == sim::hours(24));
  CHECK(s.meta.report_interval == sim::minutes(60));
  CHECK(s.meta.scale == 100);
  REQUIRE(s.regions.size() == 4);
  CHECK(s.regions[1].utc_offset_summer_h == 1);
  REQUIRE(s.traffic.diurnal_local.size() == 24);
  double sum = 0;
  for (double w : s.traffic.diurnal_local) sum += w;
  CHECK(sum == doctest::Approx(24.0));  // normalised to mean 1
  REQUIRE(s.traffic.classes.size() == 3);
  CHECK(s.traffic.classes[0].service_time.mean == sim::milliseconds(20));
  CHECK(s.traffic.classes[2].origin == models::ClassOrigin::Staff);
  CHECK(s.network.per_hop == sim::microseconds(50));
  CHECK(s.build_out == std::vector<std::string>{"dublin", "us-east"});
  REQUIRE(s.events.size() == 2);
  CHECK(s.events[0].at == sim::hours(18));
  CHECK(s.events[0].duration == sim::hours(2));
  CHECK(s.events[1].at == sim::hours(12));
}

TEST_CASE("a policy switch carries the policies in force after it") {
  const models::Scenario s = models::load_scenario(small_path());
  CHECK(s.policies.residency == models::ResidencyMode::Nearest);
  CHECK(s.events[1].policies_after.residency == models::ResidencyMode::EeaOnly);
  // Everything the switch did not name stays as it was.
  CHECK(s.events[1].policies_after.replication_copies == 1);
  CHECK(s.events[1].policies_after.employee_access_approved_share == doctest::Approx(0.5));
}

TEST_CASE("--set overrides a leaf by list item id, by index and creates map keys") {
  models::LoadOptions o;
  o.overrides = {"sites.dublin.servers=999", "sites[2].servers=5", "meta.seed=11",
                 "traffic.classes.video_view.rate_per_user_day=40", "build_out=[dublin, hamar, us-east]"};
  const models::Scenario s = models::load_scenario(small_path(), o);
  CHECK(s.find_site("dublin")->servers == 999);
  CHECK(s.find_site("us-east")->servers == 5);
  CHECK(s.meta.seed == 11);
  CHECK(s.traffic.classes[0].rate_per_user_day == 40);
  CHECK(s.build_out.size() == 3);
}

TEST_CASE("a --set through a single value or without '=' is an error naming the override") {
  const auto d1 = test::load_errors(small_path(), {{"meta.name.x=1"}, ""});
  REQUIRE(d1.size() == 1);
  CHECK(d1[0].loc.file_name() == "--set #1");
  CHECK(d1[0].message.find("single value") != std::string::npos);
  const auto d2 = test::load_errors(small_path(), {{"meta.seed"}, ""});
  REQUIRE(d2.size() == 1);
  CHECK(d2[0].message.find("key.path=value") != std::string::npos);
  const auto d3 = test::load_errors(small_path(), {{"meta.seed=[1"}, ""});
  REQUIRE(d3.size() == 1);
  CHECK(d3[0].message.find("not valid YAML") != std::string::npos);
  const auto d4 = test::load_errors(small_path(), {{"meta.sed=3"}, ""});
  REQUIRE(d4.size() == 1);
  CHECK(d4[0].message.find("did you mean 'seed'") != std::string::npos);
}

TEST_CASE("a variant patches the base, and --set applies on top of it") {
  const auto with_hamar = models::load_scenario(small_path(), {{}, "with-hamar"});
  CHECK(with_hamar.variant == "with-hamar");
  CHECK(with_hamar.build_out == std::vector<std::string>{"dublin", "hamar", "us-east"});
  const auto both = models::load_scenario(small_path(), {{"build_out=[us-east, hamar, dublin]"}, "with-hamar"});
  CHECK(both.build_out == std::vector<std::string>{"us-east", "hamar", "dublin"});
  const auto diags = test::load_errors(small_path(), {{}, "with-hamer"});
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].message.find("did you mean 'with-hamar'") != std::string::npos);
}

TEST_CASE("load_all_variants returns the base and every variant") {
  const auto all = models::load_all_variants(small_path());
  REQUIRE(all.size() == 3);
  CHECK(all[0].variant.empty());
  CHECK(all[1].variant == "eea-only");
  CHECK(all[1].policies.residency == models::ResidencyMode::EeaOnly);
  CHECK(all[2].variant == "with-hamar");
}

TEST_CASE("includes resolve relative to the including file, lists concatenate and maps merge") {
  test::TempDir dir;
  std::string base = test::read_file(small_path());
  // Move the regions list into data/regions.yaml, itself including data/more/extra.yaml.
  const auto start = base.find("regions:\n");
  const auto end = base.find("sites:\n");
  std::string regions = base.substr(start, end - start);
  base.erase(start, end - start);
  const auto uki = regions.find("  - id: UKI");
  const std::string extra = "regions:\n" + regions.substr(uki);
  regions.erase(uki);
  dir.write("data/more/extra.yaml", extra);
  // The included file's meta: map merges into the including file's (which wins on values).
  dir.write("data/regions.yaml", "include: more/extra.yaml\nmeta:\n  name: overridden\n  description: merged under the base\n" + regions);
  const std::string top = dir.write("top.yaml", "include: [data/regions.yaml]\n" + base);
  const models::Scenario s = models::load_scenario(top);
  REQUIRE(s.regions.size() == 4);
  CHECK(s.regions[0].id == "UKI");  // the nested include came first
  CHECK(s.meta.name == "small");
  CHECK(s.meta.description == "merged under the base");
}

TEST_CASE("an error inside an included file names that file and its line") {
  test::TempDir dir;
  std::string base = test::read_file(small_path());
  const auto start = base.find("sites:\n");
  const auto end = base.find("build_out:");
  std::string sites = base.substr(start, end - start);
  base.erase(start, end - start);
  sites = test::replace_once(sites, "servers: 300", "servers: -300");
  const std::string inc = dir.write("data/sites.yaml", sites);
  const std::string top = dir.write("top.yaml", "include: data/sites.yaml\n" + base);
  const auto diags = test::load_errors(top);
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].loc.file_name() == (dir.path() / "data/sites.yaml").string());
  CHECK(diags[0].loc.line == test::line_of(sites, "servers: -300"));
  CHECK(diags[0].key_path == "sites[1].servers");
}

TEST_CASE("an including file replaces a list of plain values but extends a list of records") {
  test::TempDir dir;
  std::string base = test::read_file(small_path());
  dir.write("base.yaml", base);
  const std::string top = dir.write("top.yaml",
                                    "include: base.yaml\n"
                                    "build_out: [us-east]\n"
                                    "policies: {replication: {copies: 0}}\n"
                                    "countries:\n  - {code: FR, name: France, eu: true, eea: true}\n");
  // The base's events act on Dublin, which this build-out drops: an override clears them
  // (an include would extend them; see the next test).
  const models::Scenario s = models::load_scenario(top, models::LoadOptions{{"events=[]"}, ""});
  CHECK(s.build_out == std::vector<std::string>{"us-east"});
  CHECK(s.countries.size() == 6);  // five from the base plus France
  CHECK(s.policies.replication_copies == 0);
  CHECK(s.policies.employee_access_approved_share == doctest::Approx(0.5));  // the rest of the map kept
}

TEST_CASE("an empty list of records in an including file adds nothing to the included records") {
  test::TempDir dir;
  dir.write("base.yaml", test::read_file(small_path()));
  const models::Scenario base = models::load_scenario(dir.path().string() + "/base.yaml");
  const models::Scenario s = models::load_scenario(dir.write("top.yaml", "include: base.yaml\nsites: []\nregions: []\nevents: []\n"));
  CHECK(s.sites.size() == base.sites.size());
  CHECK(s.regions.size() == base.regions.size());
  CHECK(s.events.size() == base.events.size());
}
