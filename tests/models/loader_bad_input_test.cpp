// The bad-input corpus: each case breaks the small valid scenario (tests/data/good/small.yaml)
// in one way and checks that the loader reports it at the right file, line and key path,
// with a message a planner can act on. Raw-file cases (syntax, empty, binary, includes)
// write their own files.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>

#include "tests/support/test_files.hpp"

using namespace dcsim;
using test::line_of;

namespace {

std::string small_text() { return test::read_file(test::source_path("tests/data/good/small.yaml")); }

// Loads `text` (written as scenario.yaml) and checks one diagnostic matches all of: key path,
// a part of the message, the line, and the file.
void expect_error_in(const std::string& text, const std::string& key_path,
                     const std::string& message_part, int line, bool all_variants = false,
                     const std::vector<std::string>& overrides = {}) {
  test::TempDir dir;
  const std::string path = dir.write("scenario.yaml", text);
  const auto diags = all_variants ? test::validate_errors(path, overrides)
                                  : test::load_errors(path, models::LoadOptions{overrides, ""});
  REQUIRE_MESSAGE(!diags.empty(), "expected an error at " << key_path);
  bool found = false;
  for (const auto& d : diags)
    if (d.key_path == key_path && d.message.find(message_part) != std::string::npos &&
        d.loc.line == line && d.loc.file_name() == path)
      found = true;
  CHECK_MESSAGE(found, "wanted line " << line << " " << key_path << ": …" << message_part
                                      << "…\ngot:\n" << test::describe(diags));
}

// Replaces `from` by `to` in the small scenario; the error is expected on the line where
// `line_needle` (default: `to`) first appears in the mutated text.
void expect_mutation(const std::string& from, const std::string& to, const std::string& key_path,
                     const std::string& message_part, const std::string& line_needle = "") {
  const std::string text = test::replace_once(small_text(), from, to);
  const int line = line_of(text, line_needle.empty() ? to : line_needle);
  REQUIRE(line > 0);
  expect_error_in(text, key_path, message_part, line);
}

}  // namespace

TEST_CASE("the unmodified small scenario and all its variants are valid") {
  const auto diags = test::validate_errors(test::source_path("tests/data/good/small.yaml"));
  CHECK_MESSAGE(diags.empty(), test::describe(diags));
}

// ---- unknown keys and wrong types -----------------------------------------------------------
TEST_CASE("an unknown top-level section gets a did-you-mean") {
  expect_mutation("outputs:\n", "outptus:\n", "outptus", "did you mean 'outputs'?");
}
TEST_CASE("a misspelled site key gets a did-you-mean") {
  expect_mutation("servers: 400", "servres: 400", "sites[0].servres", "did you mean 'servers'?");
}
TEST_CASE("a misspelled key inside a request class gets a did-you-mean") {
  expect_mutation("rate_per_user_day: 18", "rate_per_user_dya: 18",
                  "traffic.classes.video_view.rate_per_user_dya", "did you mean 'rate_per_user_day'?");
}
TEST_CASE("a key that belongs to another event kind is unknown for this one") {
  expect_mutation("    duration_h: 2\n", "    duration_h: 2\n    demand_factor: 2\n",
                  "events[0].demand_factor", "unknown key 'demand_factor'", "demand_factor: 2");
}
TEST_CASE("text where a whole number belongs is a type error") {
  expect_mutation("servers: 400", "servers: many", "sites[0].servers", "expected a whole number");
}
TEST_CASE("a quoted number is text, not a number") {
  expect_mutation("servers: 1000", "servers: \"1000\"", "sites[2].servers", "got the text \"1000\"");
}
TEST_CASE("a fractional server count is rejected") {
  expect_mutation("servers: 300", "servers: 300.5", "sites[1].servers", "expected a whole number");
}
TEST_CASE("yes/no are not accepted as booleans") {
  expect_mutation("    allowed: true", "    allowed: yes", "policies.employee_access.allowed",
                  "write true or false");
}
TEST_CASE("NaN is not a number a scenario may hold") {
  expect_mutation("pue: 1.2", "pue: .nan", "sites[0].pue", "expected a number");
}
TEST_CASE("a list where a map belongs is reported") {
  expect_mutation("  replication:\n    copies: 1\n    scope: any\n", "  replication: [1, any]\n",
                  "policies.replication", "expected a map of keys, got a list", "replication: [1, any]");
}
TEST_CASE("the same key twice in one map is reported at the second") {
  expect_mutation("    servers: 400\n", "    servers: 400\n    servers: 500\n", "sites[0].servers",
                  "duplicate key", "servers: 500");
}
TEST_CASE("every duplicate key is an error at the second, naming the first by file, line and column") {
  // Each of these used to be read as "the last one wins" (or, for include:, as an unknown key).
  struct Case {
    std::string from, to, key_path, key, first_needle, second_needle;
  };
  const std::vector<Case> cases = {
      {"  duration_h: 24\n", "  duration_h: 24\n  duration_h: 3\n", "meta.duration_h", "duration_h", "duration_h: 24", "duration_h: 3"},
      {"\ncountries:\n", "\nmeta:\n  seed: 8\n\ncountries:\n", "meta", "meta", "meta:", "  seed: 8"},
      {"    upload:\n", "    video_view: {kind: read, rate_per_user_day: 1, size: {dist: fixed, mean_bytes: 1}}\n    upload:\n",
       "traffic.classes.video_view", "video_view", "    video_view:", "video_view: {kind"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.key_path);
    const std::string text = test::replace_once(small_text(), c.from, c.to);
    test::TempDir dir;
    const std::string path = dir.write("scenario.yaml", text);
    const auto diags = test::load_errors(path);
    const int first = line_of(text, c.first_needle);
    const int second = c.key_path == "meta" ? line_of(text, c.second_needle) - 1 : line_of(text, c.second_needle);
    const std::size_t key_at = text.find(c.first_needle) + c.first_needle.find(c.key);
    const std::string first_col = std::to_string(key_at - text.rfind('\n', key_at));
    const std::string wanted = "duplicate key '" + c.key + "' (first at " + path + ":" + std::to_string(first) + ":" + first_col + ")";
    const bool found = std::any_of(diags.begin(), diags.end(), [&](const models::Diagnostic& d) {
      return d.key_path == c.key_path && d.message == wanted && d.loc.line == second && d.loc.file_name() == path;
    });
    CHECK_MESSAGE(found, "wanted line " << second << " " << c.key_path << ": " << wanted << "\ngot:\n" << test::describe(diags));
  }
}
TEST_CASE("duplicate keys in a flow map, a second include: and a --set value are errors too") {
  expect_mutation("  name: small\n", "  name: small\n  x: {a: 1, a: 2}\n", "meta.x.a", "duplicate key 'a' (first at ", "x: {a: 1");
  test::TempDir dir;
  dir.write("a.yaml", "meta: {seed: 1}\n");
  dir.write("b.yaml", "meta: {seed: 2}\n");
  const std::string path = dir.write("s.yaml", "include: a.yaml\nmeta: {name: s}\ninclude: b.yaml\n");
  const auto diags = test::load_errors(path);
  REQUIRE_MESSAGE(diags.size() == 1, test::describe(diags));
  CHECK(diags[0].key_path == "include");
  CHECK(diags[0].loc.line == 3);
  CHECK(diags[0].message == "duplicate key 'include' (first at " + path + ":1:1)");
  const auto set = test::load_errors(test::source_path("tests/data/good/small.yaml"),
                                     models::LoadOptions{{"meta={name: a, seed: 1, seed: 2}"}, ""});
  REQUIRE_MESSAGE(set.size() == 1, test::describe(set));
  CHECK(set[0].loc.file_name() == "--set #1");
  CHECK(set[0].key_path == "meta.seed");
  CHECK(set[0].message.find("duplicate key 'seed'") == 0);
}
TEST_CASE("a missing required key is reported at its section") {
  expect_mutation("  name: small\n", "", "meta.name", "missing required key", "  seed: 7");
}

// ---- negative and absurd values -----------------------------------------------------------
TEST_CASE("a negative population is rejected") {
  expect_mutation("population: 1900000", "population: -1900000", "regions[2].population",
                  "must be in [0, 2000000000]");
}
TEST_CASE("a latitude outside [-90, 90] is rejected") {
  expect_mutation("    lat: 38.72\n", "    lat: 98.72\n", "regions[1].lat", "must be in [-90, 90]",
                  "lat: 98.72");
}
TEST_CASE("a longitude outside [-180, 180] is rejected") {
  expect_mutation("    lon: 10.75\n", "    lon: 190.75\n", "regions[2].lon", "must be in [-180, 180]",
                  "lon: 190.75");
}
TEST_CASE("zero servers at a site is rejected") {
  expect_mutation("servers: 300", "servers: 0", "sites[1].servers", "must be in [1, 100000000]");
}
TEST_CASE("a zero-length run is rejected") {
  expect_mutation("duration_h: 24", "duration_h: 0", "meta.duration_h", "must be in (0,");
}
TEST_CASE("a run longer than five years is rejected") {
  expect_mutation("duration_h: 24", "duration_h: 100000", "meta.duration_h", "must be in (0,");
}
TEST_CASE("scale 0 is rejected") {
  expect_mutation("scale: 100", "scale: 0", "meta.scale", "must be in [1, 1000000]");
}
TEST_CASE("an absurd scale is rejected") {
  expect_mutation("scale: 100", "scale: 1e12", "meta.scale", "must be in [1, 1000000]");
}
TEST_CASE("a negative seed is rejected") {
  expect_mutation("seed: 7", "seed: -7", "meta.seed", "must be in [0,");
}
TEST_CASE("an edge-cache hit ratio above 1 is rejected") {
  expect_mutation("edge_cache_hit_ratio: 0.6", "edge_cache_hit_ratio: 1.6",
                  "traffic.classes.video_view.edge_cache_hit_ratio", "must be in [0, 1]");
}
TEST_CASE("an absurd link length is rejected") {
  expect_mutation("length_km: 5900", "length_km: 59000000", "network.links[3].length_km",
                  "must be in (0, 40000]");
}
TEST_CASE("a negative link capacity is rejected") {
  expect_mutation("{a: LON, b: LIS, kind: submarine, capacity_gbps: 10000}",
                  "{a: LON, b: LIS, kind: submarine, capacity_gbps: -10}",
                  "network.links[1].capacity_gbps", "must be in (0,");
}
TEST_CASE("a percentile above 100 is rejected") {
  expect_mutation("[50, 90, 95, 99]", "[50, 90, 95, 100.5]", "outputs.latency_percentiles[3]",
                  "must be in (0, 100]");
}
TEST_CASE("latency percentiles: duplicates by their column label, labels that would not round-trip, and a missing 50/90/95/99 are rejected") {
  const std::string list = "[50, 90, 95, 99]";
  expect_mutation(list, "[50, 90, 95, 99, 50]", "outputs.latency_percentiles[4]", "percentile listed twice (column p50_ms, first at ");
  expect_mutation(list, "[50, 90, 95, 99, 99.9, 99.90]", "outputs.latency_percentiles[5]", "listed twice (column p99.9_ms");
  expect_mutation(list, "[50, 90, 95, 99, 99.99999, 100]", "outputs.latency_percentiles[4]", "at most 3 decimals");
  expect_mutation(list, "[50, 90, 95, 99, 1e-300]", "outputs.latency_percentiles[4]", "at least 0.001");
  expect_mutation(list, "[50, 95, 99]", "outputs.latency_percentiles", "must include 50, 90, 95 and 99 (dcsim compare, report and place");
  test::TempDir dir;
  const std::string ok = test::replace_once(small_text(), list, "[50, 90, 95, 99, 99.9, 99.999, 0.5]");
  const auto diags = test::load_errors(dir.write("ok.yaml", ok));
  CHECK_MESSAGE(diags.empty(), test::describe(diags));
}
TEST_CASE("a reporting interval longer than the run is rejected") {
  expect_mutation("report_interval_min: 60", "report_interval_min: 2000",
                  "meta.report_interval_min", "longer than the run");
}

// ---- times and enumerations ---------------------------------------------------------------
TEST_CASE("a start time that is not a timestamp is rejected") {
  expect_mutation("\"2023-06-14T00:00:00Z\"", "yesterday", "meta.start_utc", "expected a UTC timestamp");
}
TEST_CASE("an impossible calendar date is rejected") {
  expect_mutation("\"2023-06-14T00:00:00Z\"", "\"2023-02-30T00:00:00Z\"", "meta.start_utc",
                  "expected a UTC timestamp");
}
TEST_CASE("an unknown fidelity lists the allowed values") {
  expect_mutation("fidelity: event", "fidelity: fast", "meta.fidelity", "allowed: event, flow");
}
TEST_CASE("a misspelled residency mode gets a did-you-mean") {
  expect_mutation("    mode: nearest\n", "    mode: neerest\n", "policies.residency.mode",
                  "did you mean 'nearest'?", "mode: neerest");
}
TEST_CASE("a misspelled request-class kind gets a did-you-mean") {
  expect_mutation("    video_view:\n      kind: read", "    video_view:\n      kind: reed",
                  "traffic.classes.video_view.kind", "did you mean 'read'?", "kind: reed");
}
TEST_CASE("an unknown event kind is rejected") {
  expect_mutation("kind: site_outage", "kind: site_outtage", "events[0].kind", "did you mean 'site_outage'?");
}

// ---- identifiers and duplicates -----------------------------------------------------------
TEST_CASE("a duplicate region id is reported at the second definition") {
  const std::string text = test::replace_once(small_text(), "- id: PT17", "- id: IE06");
  expect_error_in(text, "regions[1]", "duplicate id 'IE06'", line_of(text, "name: Lisboa") - 1);
}
TEST_CASE("a duplicate site id is reported at the second definition") {
  const std::string text = test::replace_once(small_text(), "  - id: hamar", "  - id: dublin");
  expect_error_in(text, "sites[1]", "duplicate id 'dublin'", line_of(text, "name: Hamar") - 1);
}
TEST_CASE("a duplicate country code is reported") {
  expect_mutation("{code: PT, name: Portugal", "{code: IE, name: Portugal", "countries[1]",
                  "duplicate id 'IE'");
}
TEST_CASE("a duplicate variant name is reported at the second definition") {
  const std::string text = test::replace_once(small_text(), "  - name: eea-only", "  - name: with-hamar");
  const int second = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(text.rfind("  - name: with-hamar")), '\n'));
  expect_error_in(text, "variants[1]", "duplicate id 'with-hamar'", second);
}
TEST_CASE("a variant may not be named base, the name of the scenario without a variant") {
  const std::string text = test::replace_once(small_text(), "  - name: eea-only", "  - name: base");
  expect_error_in(text, "variants[1].name", "the name 'base' is reserved", line_of(text, "  - name: base"));
}
TEST_CASE("an id with a space is rejected") {
  expect_mutation("  - id: hamar", "  - id: \"ha mar\"", "sites[1].id", "an id is 1-64 letters");
}
TEST_CASE("a request-class name with a space is rejected") {
  expect_mutation("    upload:\n", "    \"up load\":\n", "traffic.classes.up load", "an id is 1-64 letters",
                  "\"up load\":");
}
TEST_CASE("a site listed twice in the build-out is rejected") {
  expect_mutation("build_out: [dublin, us-east]", "build_out: [dublin, us-east, dublin]", "build_out[2]",
                  "listed twice");
}

// ---- dangling references ------------------------------------------------------------------
TEST_CASE("a region in an unknown country is rejected") {
  expect_mutation("    country: PT\n", "    country: PX\n", "regions[1].country", "unknown country 'PX'",
                  "country: PX");
}
TEST_CASE("a country name where a code belongs is rejected") {
  expect_mutation("    country: NO\n    population: 1900000", "    country: Norway\n    population: 1900000",
                  "regions[2].country", "ISO 3166-1 alpha-2", "country: Norway");
}
TEST_CASE("a site on an unknown hub gets a did-you-mean") {
  expect_mutation("hub: OSL", "hub: OSLO", "sites[1].hub", "did you mean 'OSL'?");
}
TEST_CASE("a link to an unknown hub is rejected") {
  expect_mutation("{a: LON, b: OSL,", "{a: LON, b: OSX,", "network.links[2].b", "unknown hub 'OSX'");
}
TEST_CASE("a link from a hub to itself is rejected") {
  expect_mutation("{a: LON, b: LIS,", "{a: LON, b: LON,", "network.links[1]", "two different hubs");
}
TEST_CASE("a build-out naming an unknown site gets a did-you-mean") {
  expect_mutation("build_out: [dublin, us-east]", "build_out: [dublin, us-west]", "build_out[1]",
                  "did you mean 'us-east'?");
}
TEST_CASE("a residency map naming an unknown site is rejected") {
  expect_mutation("    mode: nearest\n", "    mode: map\n    map: {IE: dublin, PT: dublinn}\n    default_site: dublin\n",
                  "policies.residency.map.PT", "unknown site 'dublinn'", "map: {IE: dublin");
}
TEST_CASE("an event at an unknown site is rejected") {
  expect_mutation("    site: dublin\n    at_offset_h: 18", "    site: dublim\n    at_offset_h: 18",
                  "events[0].site", "unknown site 'dublim'", "site: dublim");
}
TEST_CASE("an event at a site outside the build-out is rejected") {
  expect_mutation("    site: dublin\n    at_offset_h: 18", "    site: hamar\n    at_offset_h: 18",
                  "events[0].site", "not in build_out", "site: hamar");
}
TEST_CASE("a cut of a link that does not exist is rejected") {
  expect_mutation("  - kind: policy_switch\n",
                  "  - kind: link_cut\n    at_offset_h: 1\n    between: [LIS, OSL]\n  - kind: policy_switch\n",
                  "events[1].between", "no link between LIS and OSL", "between: [LIS, OSL]");
}
TEST_CASE("a surge in an unknown request class is rejected") {
  expect_mutation("  - kind: policy_switch\n",
                  "  - kind: demand_surge\n    at_offset_h: 1\n    duration_h: 1\n    countries: [PT]\n"
                  "    classes: [video_veiw]\n    demand_factor: 3\n  - kind: policy_switch\n",
                  "events[1].classes[0]", "did you mean 'video_view'?", "classes: [video_veiw]");
}
TEST_CASE("an export to a site outside the build-out is rejected") {
  expect_mutation("      kind: write\n", "      kind: write\n      export: {share: 0.5, site: hamar}\n",
                  "traffic.classes.upload.export.site", "not in build_out", "export: {share");
}

// ---- cross-field rules --------------------------------------------------------------------
TEST_CASE("a disconnected backbone names the cut-off hubs") {
  const std::string text = test::replace_once(
      small_text(), "    - {a: LON, b: OSL, kind: submarine, capacity_gbps: 10000}\n", "");
  expect_error_in(text, "network.links", "hubs cut off from the rest: OSL",
                  line_of(text, "    - {a: DUB, b: LON"));
}
TEST_CASE("eea_only residency with no EEA site leaves EEA regions without a home") {
  // Named at the mode that asks for it: in the file, or the --set that wrote it.
  const std::string text = test::replace_once(small_text(), "  residency:\n    mode: nearest\n", "  residency:\n    mode: eea_only\n");
  expect_error_in(text, "policies.residency.mode", "has no allowed site", line_of(text, "    mode: eea_only"), false,
                  {"build_out=[us-east]", "policies.replication.copies=0", "events=[]"});
  test::TempDir dir;
  const auto diags = test::load_errors(dir.write("scenario.yaml", small_text()),
                                       models::LoadOptions{{"build_out=[us-east]", "policies.residency.mode=eea_only",
                                                            "policies.replication.copies=0", "events=[]"},
                                                           ""});
  REQUIRE(!diags.empty());
  CHECK(test::describe(diags).find("--set #2: policies.residency.mode: region 'IE06' (IE) has no allowed site") != std::string::npos);
}
TEST_CASE("a policy switch into an impossible residency is rejected") {
  const std::string text = small_text();
  expect_error_in(text, "events[1].set", "has no allowed site", line_of(text, "  - kind: policy_switch"),
                  false, {"build_out=[us-east]", "policies.replication.copies=0", "events[0].site=us-east"});
}
TEST_CASE("more replicas than other built sites is rejected") {
  expect_mutation("copies: 1", "copies: 2", "policies.replication.copies", "there are 2 sites in build_out");
}
TEST_CASE("an EEA-scoped replica with a single EEA site is rejected") {
  expect_mutation("    scope: any\n", "    scope: eea\n", "policies.replication.copies",
                  "there are 1 EEA sites in build_out (scope eea)", "copies: 1");
}
TEST_CASE("an edge cache on a write class is rejected") {
  expect_mutation("      kind: write\n", "      kind: write\n      cacheable: true\n      edge_cache_hit_ratio: 0.5\n",
                  "traffic.classes.upload.edge_cache_hit_ratio", "writes cannot", "edge_cache_hit_ratio: 0.5");
}
TEST_CASE("a request class without a size is rejected") {
  const std::string text = test::replace_once(small_text(), "      size: {dist: lognormal, mean_bytes: 2.0e7, cv: 0.8}\n", "");
  expect_error_in(text, "traffic.classes.upload.size", "missing required key",
                  line_of(text, "    upload:") + 1);
}
TEST_CASE("a staff class with no staff locations is rejected") {
  expect_mutation("      staff:\n        - {id: us-staff, country: US, lat: 37.39, lon: -122.08, requests_per_day: 20000}",
                  "      staff: []", "traffic.classes.employee_access.staff", "at least one location");
}
TEST_CASE("23 diurnal weights are rejected") {
  expect_mutation("[0.5, 0.35, ", "[0.35, ", "traffic.diurnal_local_weights", "needs 24 weights");
}
TEST_CASE("all-zero diurnal weights are rejected") {
  std::string zeros = "[0";
  for (int i = 1; i < 24; ++i) zeros += ", 0";
  zeros += "]";
  const std::string base = small_text();
  const auto start = base.find("diurnal_local_weights: [") + std::string("diurnal_local_weights: ").size();
  const auto end = base.find(']', start) + 1;
  expect_mutation(base.substr(start, end - start), zeros, "traffic.diurnal_local_weights", "cannot all be 0");
}
TEST_CASE("a region whose country lacks user_share is rejected") {
  expect_mutation("population_year: 2023, user_share: 0.25}", "population_year: 2023}", "regions[2].country",
                  "needs population and user_share", "    country: NO");
}
TEST_CASE("a region without a country beside a country with a broken code is reported, not a crash") {
  // Found by fuzzing: the broken code left an empty code that the region's empty country matched.
  std::string text = test::replace_once(small_text(), "{code: US, name", "{code: \"U\xc3\x9f\", name");
  text = test::replace_once(text, "    country: NO\n    population: 1900000", "    population: 1900000");
  expect_error_in(text, "regions[2].country", "missing required key", line_of(text, "  - id: NO08"));
}
TEST_CASE("an EU member outside the EEA is rejected") {
  expect_mutation("{code: IE, name: Ireland, eu: true, eea: true,", "{code: IE, name: Ireland, eu: true, eea: false,",
                  "countries[0].eea", "every EU member is in the EEA");
}
TEST_CASE("an event after the end of the run is rejected") {
  expect_mutation("at_offset_h: 18", "at_offset_h: 30", "events[0].at_offset_h", "after the end of the run");
  // At the end exactly it would never happen either (was accepted, and did nothing).
  expect_mutation("at_offset_h: 18", "at_offset_h: 24", "events[0].at_offset_h", "it would never happen");
}
TEST_CASE("an event with two start times is rejected") {
  expect_mutation("    at_offset_h: 18\n", "    at_offset_h: 18\n    at_utc: \"2023-06-14T18:00:00Z\"\n",
                  "events[0].at_offset_h", "not both", "at_offset_h: 18");
}
TEST_CASE("a policy switch may only change policies") {
  expect_mutation("    set:\n      policies.residency.mode: eea_only\n\noutputs", "    set:\n      meta.seed: 3\n\noutputs",
                  "events[1].set.meta.seed", "only set keys under policies", "meta.seed: 3");
}
TEST_CASE("a demand surge needs a duration") {
  expect_mutation("  - kind: policy_switch\n",
                  "  - kind: demand_surge\n    at_offset_h: 1\n    countries: [PT]\n    demand_factor: 3\n  - kind: policy_switch\n",
                  "events[1].duration_h", "needs duration_h", "  - kind: demand_surge");
}
TEST_CASE("a demand surge with an explicit empty list of countries, regions or classes is rejected") {
  const std::string surge = "  - kind: demand_surge\n    at_offset_h: 1\n    duration_h: 1\n    demand_factor: 3\n";
  expect_mutation("  - kind: policy_switch\n", surge + "    countries: []\n  - kind: policy_switch\n", "events[1].countries",
                  "an empty list surges no one", "    countries: []");
  expect_mutation("  - kind: policy_switch\n", surge + "    countries: [PT]\n    regions: []\n  - kind: policy_switch\n",
                  "events[1].regions", "an empty list surges no one", "    regions: []");
  expect_mutation("  - kind: policy_switch\n", surge + "    countries: [PT]\n    classes: []\n  - kind: policy_switch\n",
                  "events[1].classes", "leave classes out to surge every class", "    classes: []");
}
TEST_CASE("variants and include cannot be set with --set") {
  const std::string small = test::source_path("tests/data/good/small.yaml");
  for (const std::string o : {"variants=[{name: x, set: {meta.seed: 1}}]", "variants[0].name=x", "include=[other.yaml]"}) {
    CAPTURE(o);
    const auto diags = test::validate_errors(small, {o});
    REQUIRE_MESSAGE(diags.size() == 1, test::describe(diags));
    CHECK(diags[0].loc.file_name() == "--set #1");
    CHECK(diags[0].message.find("cannot be set with --set") != std::string::npos);
  }
}
TEST_CASE("a variant patching an unknown list item names the variant and suggests the id") {
  const std::string text = test::replace_once(small_text(), "      build_out: [dublin, hamar, us-east]",
                                              "      sites.hamarr.servers: 10");
  expect_error_in(text, "sites.hamarr.servers", "in variant 'with-hamar': no item 'hamarr'",
                  line_of(text, "sites.hamarr.servers"), true);
}
TEST_CASE("a variant setting a bad value is reported at the variant's line") {
  const std::string text = test::replace_once(small_text(), "  - name: eea-only\n    set:\n",
                                              "  - name: eea-only\n    set:\n      meta.scale: 0\n");
  expect_error_in(text, "meta.scale", "in variant 'eea-only': must be in [1", line_of(text, "meta.scale: 0"), true);
}

// ---- several mistakes at once -------------------------------------------------------------
TEST_CASE("every error is reported together, not just the first") {
  std::string text = small_text();
  text = test::replace_once(text, "servers: 400", "servers: -4");
  text = test::replace_once(text, "hub: OSL", "hub: OSLO");
  text = test::replace_once(text, "fidelity: event", "fidelity: fast");
  test::TempDir dir;
  const auto diags = test::load_errors(dir.write("s.yaml", text));
  CHECK(diags.size() == 3);
  std::set<int> lines;
  for (const auto& d : diags) lines.insert(d.loc.line);
  CHECK(lines == std::set<int>{line_of(text, "servers: -4"), line_of(text, "hub: OSLO"),
                               line_of(text, "fidelity: fast")});
}

// ---- names a planner can act on -------------------------------------------------------------
TEST_CASE("a control character in meta.name is rejected at its line") {
  expect_mutation("  name: small\n", "  name: \"small\\nrun\"\n", "meta.name", "control character", "name: \"small");
  expect_mutation("  name: small\n", "  name: \"small\\trun\"\n", "meta.name", "control character", "name: \"small");
}
TEST_CASE("a --set value spanning lines is rejected instead of folded into one line") {
  const auto diags = test::load_errors(test::source_path("tests/data/good/small.yaml"), models::LoadOptions{{"meta.name=small\nrun"}, ""});
  REQUIRE_MESSAGE(diags.size() == 1, test::describe(diags));
  CHECK(diags[0].loc.file_name() == "--set #1");
  CHECK(diags[0].key_path == "meta.name");
  CHECK_MESSAGE(diags[0].message.find("line break") != std::string::npos, diags[0].message);
}
TEST_CASE("a singular key where the plural belongs gets a did-you-mean") {
  expect_mutation("  - kind: policy_switch\n",
                  "  - kind: demand_surge\n    at_offset_h: 1\n    duration_h: 1\n    country: [PT]\n    demand_factor: 3\n"
                  "  - kind: policy_switch\n",
                  "events[1].country", "did you mean 'countries'?", "    country: [PT]");
}
TEST_CASE("a --set or variant patch that names a list item by id gets errors under that id") {
  const std::string small = test::source_path("tests/data/good/small.yaml");
  for (const std::string path : {"sites.hamar.servers", "sites[hamar].servers", "sites[1].servers"}) {
    const auto diags = test::load_errors(small, models::LoadOptions{{path + "=-1"}, ""});
    REQUIRE_MESSAGE(diags.size() == 1, test::describe(diags));
    CHECK(diags[0].loc.file_name() == "--set #1");
    CHECK_MESSAGE(diags[0].key_path == path, test::describe(diags));
    CHECK(diags[0].message.find("must be in [1") != std::string::npos);
  }
  const auto whole = test::load_errors(small, models::LoadOptions{{"sites.hamar={servers: -1}"}, ""});
  CHECK_MESSAGE(std::any_of(whole.begin(), whole.end(), [](const auto& d) { return d.key_path == "sites.hamar.servers"; }),
                test::describe(whole));
  CHECK_MESSAGE(std::none_of(whole.begin(), whole.end(), [](const auto& d) { return d.key_path.rfind("sites[1]", 0) == 0; }),
                test::describe(whole));
  const std::string text = test::replace_once(small_text(), "      build_out: [dublin, hamar, us-east]", "      sites.hamar.servers: -1");
  expect_error_in(text, "sites.hamar.servers", "must be in [1", line_of(text, "sites.hamar.servers: -1"), true);
}

// ---- network.routing ------------------------------------------------------------------------
namespace {
void expect_routing_error(const std::string& routing_line, const std::string& key_path, const std::string& message_part) {
  expect_mutation("  mode: explicit\n  per_hop_ms", "  mode: explicit\n" + routing_line + "\n  per_hop_ms", key_path, message_part,
                  routing_line);
}
}  // namespace

TEST_CASE("network.routing: bad modes, keys, types and values are named with their key path") {
  expect_routing_error("  routing: {mode: ecmpp}", "network.routing.mode", "did you mean 'ecmp'?");
  expect_routing_error("  routing: k_shortests", "network.routing", "did you mean 'k_shortest'?");
  expect_routing_error("  routing: {mode: ecmp, paths: 3}", "network.routing.paths", "unknown key 'paths'");
  expect_routing_error("  routing: {mode: k_shortest, k: 0}", "network.routing.k", "must be in [1, 16]");
  expect_routing_error("  routing: {mode: k_shortest, k: -2}", "network.routing.k", "must be in [1, 16]");
  expect_routing_error("  routing: {mode: k_shortest, k: 100000}", "network.routing.k", "must be in [1, 16]");
  expect_routing_error("  routing: {mode: k_shortest, k: three}", "network.routing.k", "whole number");
  expect_routing_error("  routing: {mode: k_shortest, max_stretch: 0.5}", "network.routing.max_stretch", "must be in [1, 10]");
  expect_routing_error("  routing: {mode: ecmp, ecmp_tolerance_ms: -1}", "network.routing.ecmp_tolerance_ms", "must be in [0, 100]");
  expect_routing_error("  routing: [ecmp]", "network.routing", "expected a map");
}

// ---- traffic.growth and traffic.weekly_local_weights -----------------------------------------
namespace {
void expect_traffic_error(const std::string& line, const std::string& key_path, const std::string& message_part,
                          const std::string& line_needle = "") {
  expect_mutation("  daily_active_share: 0.6\n", "  daily_active_share: 0.6\n" + line + "\n", key_path, message_part,
                  line_needle.empty() ? line : line_needle);
}
}  // namespace

TEST_CASE("traffic.growth and weekly weights: bad months, countries, keys and values are named with their key path") {
  expect_traffic_error("  weekly_local_weights: [1, 1, 1, 1, 1, 1]", "traffic.weekly_local_weights", "needs 7 weights");
  expect_traffic_error("  weekly_local_weights: [0, 0, 0, 0, 0, 0, 0]", "traffic.weekly_local_weights", "cannot all be 0");
  expect_traffic_error("  weekly_local_weights: [1, 1, 1, 1, 1, 1, -1]", "traffic.weekly_local_weights[6]", "must be in [0, 1000]");
  expect_traffic_error("  growth: {annual_rat: 0.1}", "traffic.growth.annual_rat", "did you mean 'annual_rate'?");
  expect_traffic_error("  growth: {annual_rate: -1.5}", "traffic.growth.annual_rate", "must be in [-0.99, 100]");
  expect_traffic_error("  growth: {annual_rate: fast}", "traffic.growth.annual_rate", "number");
  expect_traffic_error("  growth: 0.1", "traffic.growth", "expected a map");
  expect_traffic_error("  growth: {monthly_users: {NO: {\"2024-13\": 1.0e6}}}", "traffic.growth.monthly_users.NO.2024-13",
                       "expected a month as \"YYYY-MM\"");
  expect_traffic_error("  growth: {monthly_users: {NO: {\"2024-01\": -5}}}", "traffic.growth.monthly_users.NO.2024-01", "must be in [0");
  expect_traffic_error("  growth: {monthly_users: {NX: {\"2024-01\": 1.0e6}}}", "traffic.growth.monthly_users.NX", "unknown country 'NX'");
  expect_traffic_error("  growth: {monthly_users: {US: {\"2024-01\": 1.0e6}}}", "traffic.growth.monthly_users.US", "has no region");
  expect_traffic_error("  growth: {monthly_users: {NO: 1.0e6}}", "traffic.growth.monthly_users.NO", "expected a map of months");
  expect_traffic_error("  growth: {monthly_users: [NO]}", "traffic.growth.monthly_users", "expected a map of countries");
}

TEST_CASE("more than 1,000 events is an error at events, with the reason") {
  std::string events = "events:\n";
  for (int i = 0; i < 999; ++i)  // and the small scenario's own two
    events += "  - {id: s" + std::to_string(i) + ", kind: capacity_change, site: dublin, capacity_factor: 1.1, at_offset_h: 0.5}\n";
  const std::string text = test::replace_once(small_text(), "events:\n", events);
  expect_error_in(text, "events", "1001 events; at most 1000", line_of(text, "  - {id: s0,"));  // where the list starts
  // 1,000 are allowed.
  const std::string fewer = test::replace_once(text, "  - {id: s0, kind: capacity_change, site: dublin, capacity_factor: 1.1, at_offset_h: 0.5}\n", "");
  test::TempDir dir;
  CHECK(test::load_errors(dir.write("ok.yaml", fewer), models::LoadOptions{}).empty());
}
