// The report's builders without a browser: the map's element counts for a known run,
// well-formed and self-contained HTML, escaping, several runs side by side, events on the
// time axis, run folders moved away from their scenario, and broken run folders.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <regex>
#include <set>
#include <fstream>
#include <sstream>

#include "models/scenario/scenario_loader.hpp"
#include "models/network/world.hpp"
#include "tests/report/report_fixture.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/test_files.hpp"
#include "tools/csv.hpp"
#include "tools/report/html.hpp"
#include "tools/report/run_inputs.hpp"

namespace dcsim::test {

namespace fs = std::filesystem;
using namespace tools::report;

namespace {

tools::CsvTable read_csv(const fs::path& p) { return tools::parse_csv(read_file(p.string())); }

std::size_t col(const tools::CsvTable& t, const std::string& name) {
  const auto it = std::find(t.header.begin(), t.header.end(), name);
  REQUIRE(it != t.header.end());
  return static_cast<std::size_t>(it - t.header.begin());
}

/// What the map should draw, counted straight from border.csv by the documented rule:
/// a line for every origin × site with EEA-exit bytes, or with at least 0.1 % of the bytes.
struct ExpectedFlows {
  int drawn = 0, exits = 0, hidden = 0;
};
ExpectedFlows expected_flows(const fs::path& run, const std::set<std::string>& placed_origins) {
  const tools::CsvTable t = read_csv(run / "border.csv");
  const std::size_t bytes = col(t, "bytes"), exit = col(t, "eea_exit_bytes"), origin = col(t, "origin_country");
  double total = 0;
  for (const auto& r : t.rows) total += std::stod(r[bytes]);
  ExpectedFlows e;
  for (const auto& r : t.rows) {
    const double b = std::stod(r[bytes]), x = std::stod(r[exit]);
    const bool drawn = placed_origins.count(r[origin]) && (x > 0 || (b > 0 && b >= 0.001 * total));
    e.drawn += drawn;
    e.exits += drawn && x > 0;
    e.hidden += !drawn && b > 0;
  }
  return e;
}

void write_text(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

std::string build(const std::vector<fs::path>& dirs) {
  std::vector<tools::RunResults> runs;
  for (const auto& d : dirs) runs.push_back(tools::read_run_results(d));
  return build_report(runs);
}

}  // namespace

TEST_CASE("the map of a known run draws each region, each built site and the flows the rule keeps") {
  const TinyRuns& t = tiny_runs();
  const tools::RunResults run = tools::read_run_results(t.base);
  REQUIRE(run.places.available);
  MapCounts c;
  const std::string svg = map_svg(run, map_scales({run}), ReportOptions{}, &c);
  // tiny.yaml: IE06, PT17, NO08, UKI on the map and La Réunion beyond it; Dublin and US East built.
  CHECK(c.regions == 5);
  CHECK(c.regions_off_map == 1);
  CHECK(c.sites == 2);
  CHECK(count_of(svg, "<circle class=\"region\"") == 4);
  CHECK(count_of(svg, "<circle class=\"region off-map\"") == 1);
  CHECK(count_of(svg, "<path class=\"site\"") == 1);
  CHECK(count_of(svg, "<path class=\"site off-map\"") == 1);
  CHECK(svg.find("Beyond the map") != std::string::npos);
  CHECK(svg.find("La Réunion (FR)") != std::string::npos);
  // Every origin can be placed: five countries with regions, and US staff (employee access).
  const ExpectedFlows e = expected_flows(t.base, {"IE", "PT", "NO", "GB", "FR", "US"});
  CHECK(e.drawn >= 8);
  CHECK(c.flows == e.drawn);
  CHECK(c.eea_exit_flows == e.exits);
  CHECK(c.flows_hidden == e.hidden);
  CHECK(count_of(svg, "<path class=\"flow") == e.drawn);
  CHECK(count_of(svg, "<path class=\"flow eea-exit\"") == e.exits);
  // EEA users' replication to US East leaves the EEA; US staff reading Dublin does too.
  CHECK(svg.find("class=\"flow eea-exit\" data-origin=\"IE\" data-site=\"us-east\"") != std::string::npos);
  CHECK(svg.find("class=\"flow eea-exit\" data-origin=\"US\" data-site=\"dublin\"") != std::string::npos);
  CHECK(count_of(svg, "<rect class=\"staff\"") == 1);
}

TEST_CASE("a lower flow threshold draws more lines, EEA-exit flows are drawn whatever their size") {
  const tools::RunResults run = tools::read_run_results(tiny_runs().base);
  ReportOptions all;
  all.flow_min_share = 0;
  ReportOptions few;
  few.flow_min_share = 0.5;  // only flows of half the bytes or more
  MapCounts c_all, c_few;
  map_svg(run, map_scales({run}), all, &c_all);
  map_svg(run, map_scales({run}), few, &c_few);
  CHECK(c_all.flows_hidden == 0);
  CHECK(c_few.flows < c_all.flows);
  CHECK(c_few.eea_exit_flows == c_all.eea_exit_flows);
  CHECK(c_few.flows == c_few.eea_exit_flows);
}

TEST_CASE("a one-run report is well-formed, self-contained HTML with every part") {
  const std::string html = build({tiny_runs().base});
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK_MESSAGE(tag_balance_problem(html).empty(), tag_balance_problem(html));
  CHECK_MESSAGE(external_reference(html).empty(), external_reference(html));
  for (const char* part : {"id=\"headline\"", "<table class=\"compare\"", "<svg class=\"map\"", "id=\"basemap\"", "latency-countries",
                           "latency-classes", "<svg class=\"chart utilisation\"", "<table class=\"events\"", "<table class=\"flows\""})
    CHECK_MESSAGE(html.find(part) != std::string::npos, part);
  CHECK(count_of(html, "id=\"basemap\"") == 1);
  // The flow map and the backbone map each show it.
  CHECK(count_of(html, "<use href=\"#basemap\"/>") == 2);
  CHECK(count_of(html, "<svg class=\"map backbone\"") == 1);
  CHECK(html.find("<section id=\"backbone\">") != std::string::npos);
  // The basemap has every shipped country, EEA ones shaded.
  CHECK(count_of(html, "<path class=\"land") >= 50);
  CHECK(html.find("class=\"land eea\" data-country=\"IE\"") != std::string::npos);
  CHECK(html.find("class=\"land\" data-country=\"CH\"") != std::string::npos);
  CHECK(html.size() < 400 * 1024);
  // The caption says how much leaves the EEA and why, not only how many lines are red.
  CHECK(html.find("leaving the EEA</b> (") != std::string::npos);
  CHECK(html.find("of EEA users' site bytes") != std::string::npos);
  CHECK(html.find(": replication ") != std::string::npos);
}

TEST_CASE("the checkers themselves catch unbalanced tags and external references") {
  CHECK_FALSE(tag_balance_problem("<div><span></div>").empty());
  CHECK_FALSE(tag_balance_problem("<div>").empty());
  CHECK(tag_balance_problem("<div><meta charset=x><br><path d=\"\"/></div>").empty());
  CHECK_FALSE(external_reference("<img src=\"https://example.org/x.png\">").empty());
  CHECK_FALSE(external_reference("<a href=\"//cdn/x\">").empty());
  CHECK_FALSE(external_reference("<style>a{background:url(x.png)}</style>").empty());
  CHECK(external_reference("<svg xmlns=\"http://www.w3.org/2000/svg\"><use href=\"#basemap\"/></svg>").empty());
}

TEST_CASE("names from the scenario and the CSVs are escaped") {
  const TinyRuns& t = tiny_runs();
  // The with-hamar build-out has a site named Hamar <Innlandet> & "Co".
  std::string html = build({t.with_hamar});
  CHECK(html.find("Hamar &lt;Innlandet&gt; &amp; &quot;Co&quot;") != std::string::npos);
  CHECK(html.find("<Innlandet>") == std::string::npos);
  // A variant name with markup in the manifest (what a hand-edited or foreign folder could hold).
  TempDir tmp;
  const fs::path copy = copy_run(t.base, tmp.path() / "tampered");
  write_text(copy / "manifest.json", replace_once(read_file((copy / "manifest.json").string()), "\"variant\": \"base\"",
                                                  "\"variant\": \"<script>x</script> & \\\"y\\\"\""));
  html = build({copy});
  CHECK(html.find("&lt;script&gt;x&lt;/script&gt; &amp; &quot;y&quot;") != std::string::npos);
  CHECK(html.find("<script>") == std::string::npos);
  CHECK_MESSAGE(tag_balance_problem(html).empty(), tag_balance_problem(html));
}

TEST_CASE("several runs are compared side by side") {
  const TinyRuns& t = tiny_runs();
  const std::vector<fs::path> dirs{t.base, t.with_hamar, t.eea_only};
  const std::string html = build(dirs);
  CHECK_MESSAGE(tag_balance_problem(html).empty(), tag_balance_problem(html));
  // One column per run in the headline table, one map and one utilisation chart per run.
  const std::string table = html.substr(html.find("<table class=\"compare\""));
  const std::string head = table.substr(0, table.find("</thead>"));
  CHECK(count_of(head, "<th scope=\"col\">") == 4);
  CHECK(head.find(">base<") == std::string::npos);  // a run of the base is named after its scenario
  CHECK(head.find("report-tiny") != std::string::npos);
  CHECK(head.find("with-hamar") != std::string::npos);
  CHECK(head.find("eea-only") != std::string::npos);
  CHECK(count_of(html, "<svg class=\"map\"") == 3);
  CHECK(count_of(html, "<use href=\"#basemap\"/>") == 6);  // a flow map and a backbone map per run
  CHECK(count_of(html, "id=\"basemap\"") == 1);
  CHECK(count_of(html, "<svg class=\"chart utilisation\"") == 3);
  // A latency bar per run and country (ALL included) with requests, and per run and class.
  int country_bars = 0, class_bars = 0;
  for (const auto& d : dirs) {
    const tools::CsvTable l = read_csv(d / "latency.csv");
    const std::size_t country = col(l, "origin_country"), cls = col(l, "class"), measure = col(l, "measure"), req = col(l, "requests");
    for (const auto& r : l.rows) {
      if (std::stod(r[req]) <= 0) continue;
      country_bars += r[cls] == "ALL" && r[measure] == "ttfb";
      class_bars += r[country] == "ALL" && r[measure] == "completion";
    }
  }
  CHECK(country_bars > 3 * 5);
  CHECK(count_of(html, "class=\"lat-bar\"") == country_bars + class_bars);
  // The Hamar build-out has three built sites: three utilisation lines in its chart.
  const std::size_t hamar_chart = html.find("aria-label=\"Site utilisation over the run: with-hamar\"");
  REQUIRE(hamar_chart != std::string::npos);
  const std::string chart = html.substr(hamar_chart, html.find("</svg>", hamar_chart) - hamar_chart);
  CHECK(count_of(chart, "class=\"util-line\"") == 3);
  // Best values are marked when runs differ.
  CHECK(html.find("class=\"best\"") != std::string::npos);
}

TEST_CASE("what-if events are drawn on the time axis of the utilisation chart") {
  const TinyRuns& t = tiny_runs();
  const tools::RunResults run = tools::read_run_results(t.base);
  REQUIRE(run.events.size() == 2);
  std::vector<std::string> order;
  for (const auto& s : run.sites) order.push_back(s.site);
  const std::string svg = utilisation_chart(run, order);
  CHECK(count_of(svg, "class=\"event-band\"") == 2);
  CHECK(count_of(svg, "<g class=\"event-lane\"") == 2);
  CHECK(svg.find("dublin-outage · site_outage · dublin") != std::string::npos);
  CHECK(count_of(svg, "class=\"util-line\"") == 2);
  // The hour axis is in UTC from the run's start: 18:00 is where the outage begins.
  CHECK(svg.find(">18:00<") != std::string::npos);
  const std::string table = events_table(run);
  CHECK(count_of(table, "<tr><td>") == 2);
  CHECK(table.find("dublin-outage") != std::string::npos);
  // A run without events has no event table.
  tools::RunResults quiet = run;
  quiet.events.clear();
  CHECK(events_table(quiet).empty());
  CHECK(count_of(utilisation_chart(quiet, order), "class=\"event-band\"") == 0);
}

TEST_CASE("places.csv holds the countries, regions, sites and staff exactly as the run's World had them") {
  const models::World world(models::load_scenario(source_path("tests/report/data/tiny.yaml")));
  const tools::RunPlaces places = tools::read_run_results(tiny_runs().base).places;
  REQUIRE(places.available);
  REQUIRE(places.regions.size() == world.regions().size());
  for (std::size_t i = 0; i < places.regions.size(); ++i) {
    const tools::RegionPlace& p = places.regions[i];
    const models::WorldRegion& r = world.regions()[i];
    CHECK(p.id == r.region->id);
    CHECK(p.name == r.region->name);
    CHECK(p.country == r.region->country);
    CHECK(p.lat == r.pos.lat);  // exact: the text reads back as the same double
    CHECK(p.lon == r.pos.lon);
    CHECK(p.monthly_users == r.monthly_users);
  }
  REQUIRE(places.sites.size() == world.sites().size());
  for (std::size_t i = 0; i < places.sites.size(); ++i) {
    const tools::SitePlace& p = places.sites[i];
    const models::WorldSite& s = world.sites()[i];
    CHECK(p.id == s.site->id);
    CHECK(p.lat == s.pos.lat);
    CHECK(p.lon == s.pos.lon);
    CHECK(p.built == s.built);
    CHECK(p.eea == s.eea);
    const models::Country* c = world.scenario().find_country(s.site->country);
    CHECK(p.adequacy == (c && c->adequacy));
  }
  std::set<std::string> eea;
  for (const auto& c : world.scenario().countries)
    if (c.eea) eea.insert(c.code);
  CHECK(places.eea_countries == eea);
  REQUIRE(places.staff.size() == 1);
  CHECK(places.staff[0].country == "US");
}

TEST_CASE("a run folder moved away from its deleted scenario draws the same map") {
  TempDir tmp;
  const std::string scenario = tmp.write("scenario/tiny.yaml", read_file(source_path("tests/report/data/tiny.yaml")));
  make_run(scenario, tmp.path() / "run");
  const tools::RunResults before = tools::read_run_results(tmp.path() / "run");
  fs::rename(tmp.path() / "run", tmp.path() / "moved");
  fs::remove_all(tmp.path() / "scenario");
  const tools::RunResults moved = tools::read_run_results(tmp.path() / "moved");
  REQUIRE(moved.places.available);
  CHECK(moved.places.note.empty());
  MapCounts c;
  const std::string svg = map_svg(moved, map_scales({moved}), ReportOptions{}, &c);
  CHECK(svg == map_svg(before, map_scales({before}), ReportOptions{}));
  CHECK(c.regions == 5);
  CHECK(c.sites == 2);
  CHECK(c.flows > 0);
}

TEST_CASE("a run folder whose manifest lists no places.csv is reported without positions, and says why") {
  TempDir tmp;
  const fs::path copy = copy_run(tiny_runs().base, tmp.path() / "old");
  fs::remove(copy / "places.csv");
  const std::string manifest = read_file((copy / "manifest.json").string());
  write_text(copy / "manifest.json", std::regex_replace(manifest, std::regex(R"("places\.csv": "[0-9a-f]{64}", )"), ""));
  const tools::RunResults run = tools::read_run_results(copy);
  CHECK_FALSE(run.places.available);
  CHECK(run.places.note.find("no places.csv") != std::string::npos);
  const std::string html = build_report({run});
  CHECK_MESSAGE(tag_balance_problem(html).empty(), tag_balance_problem(html));
  CHECK(html.find("Region and site positions unavailable") != std::string::npos);
  CHECK(html.find("No map positions: its manifest lists no places.csv") != std::string::npos);
  CHECK(count_of(html, "class=\"region") == 0);
  CHECK(count_of(html, "<path class=\"flow") == 0);
  // Everything that needs only the CSVs is still there, the flows as a table.
  CHECK(html.find("<table class=\"compare\"") != std::string::npos);
  CHECK(html.find("<details open>") != std::string::npos);
  CHECK(count_of(html, "class=\"lat-bar\"") > 5);
  CHECK(html.find("<svg class=\"chart utilisation\"") != std::string::npos);
}

TEST_CASE("a run folder with a missing CSV is an error naming the file") {
  TempDir tmp;
  for (const char* file : {"summary.csv", "border.csv", "latency.csv", "sites.csv", "events.csv", "places.csv", "manifest.json"}) {
    CAPTURE(file);
    const fs::path copy = copy_run(tiny_runs().base, tmp.path() / file);
    fs::remove(copy / file);
    try {
      (void)tools::read_run_results(copy);
      FAIL("no error for a missing " << file);
    } catch (const tools::RunFolderDamage& e) {
      const std::string message = e.what();
      CHECK(message.find((copy / file).string()) != std::string::npos);
      CHECK(message.find("missing") != std::string::npos);
    }
  }
}

TEST_CASE("a malformed CSV or manifest is an error naming the file, the line and the problem") {
  TempDir tmp;
  const fs::path base = tiny_runs().base;
  struct Case {
    const char* file;
    std::string (*mutate)(std::string);
    const char* expect;
  };
  const Case cases[] = {
      {"border.csv", [](std::string s) { return s.replace(s.find(",1,dublin,IE,1,0,") + 17, 1, "x"); }, "border.csv:2: column bytes: "},
      {"latency.csv", [](std::string s) { return s + "a,b\n"; }, "fields like the header"},
      {"sites.csv", [](std::string s) { return s.substr(s.find('\n') + 1); }, "not a dcsim CSV"},
      {"summary.csv", [](std::string s) { return s.replace(s.find("metric"), 6, "metrik"); }, "no column 'metric'"},
      {"summary.csv", [](std::string s) { return s.replace(s.find(",eea_exit_share,"), 16, ",eea_exit_shares,"); },
       "summary.csv:25: 'eea_exit_shares' is not a headline figure"},
      {"summary.csv", [](std::string s) { return s.replace(s.find(",served_requests,"), 17, ",generated_requests,"); },
       "summary.csv:3: 'generated_requests' is listed twice"},
      {"summary.csv", [](std::string s) { return s.erase(s.find("\n", s.find("peak_site_utilisation")) + 1, std::string::npos); },
       "summary.csv: no row for the headline figure 'peak_link_utilisation'"},
      {"places.csv", [](std::string s) { return s.replace(s.find(",region,"), 8, ",planet,"); }, "column kind: 'planet' is not country, region, site, hub or staff"},
      {"manifest.json", [](std::string s) { return s.replace(s.find("\"seed\": "), 8, "\"seed\": -"); }, "seed: must be a whole number from 0 (got -"},
      {"events.csv", [](std::string s) { return s + "\"unclosed\n"; }, "not closed"},
      {"manifest.json", [](std::string s) { return s.substr(0, s.size() / 2); }, "malformed JSON"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.file);
    const fs::path copy = copy_run(base, tmp.path() / c.file);
    // Each file resealed in the manifest, so the reader's own checks are what is tested.
    if (std::string(c.file) == "manifest.json") {
      write_text(copy / c.file, c.mutate(read_file((copy / c.file).string())));
    } else {
      reseal(copy, c.file, c.mutate(read_file((copy / c.file).string())));
    }
    try {
      (void)tools::read_run_results(copy);
      FAIL("no error for a malformed " << c.file);
    } catch (const tools::RunFolderDamage& e) {
      const std::string message = e.what();
      CHECK_MESSAGE(message.find(c.expect) != std::string::npos, message);
      CHECK(message.find(c.file) != std::string::npos);
    }
  }
}

TEST_CASE("a sweep folder stands for each of its finished runs, in its order, with distinct labels") {
  TempDir tmp;
  const std::string sweep = tmp.write("sweep.yaml", "scenario: " + source_path("tests/report/data/tiny.yaml") +
                                                        "\nvariants: [with-hamar, eea-only]\nseeds: [1, 2]\n");
  const fs::path folder = tmp.path() / "sweep";
  const CommandResult made = run_dcsim({"sweep", sweep, "-o", folder.string(), "--jobs", "1", "-q"});
  REQUIRE_MESSAGE(made.exit_code == 0, made.err);
  fs::create_directories(folder / "runs" / "unfinished");  // a run still in progress has no manifest yet
  const auto dirs = expand_run_dirs({folder.string(), tiny_runs().base.string()});
  REQUIRE(dirs.size() == 5);
  const tools::CsvTable listed = read_csv(folder / "runs.csv");
  for (std::size_t i = 0; i < 4; ++i) CHECK(dirs[i] == folder / "runs" / listed.rows[i][col(listed, "run_id")]);
  CHECK(dirs[4] == tiny_runs().base);
  std::vector<tools::RunResults> runs;
  for (const auto& d : dirs) runs.push_back(tools::read_run_results(d));
  std::vector<tools::RunResults*> ptrs;
  for (auto& r : runs) ptrs.push_back(&r);
  disambiguate_labels(ptrs);
  std::set<std::string> labels;
  for (const auto& r : runs) labels.insert(r.label);
  CHECK(labels == std::set<std::string>{"with-hamar · seed 1", "with-hamar · seed 2", "eea-only · seed 1", "eea-only · seed 2", "report-tiny"});
  // Neither a run folder nor a sweep: errors that say so.
  CHECK_THROWS_AS(expand_run_dirs({(tmp.path() / "nothing").string()}), tools::RunFolderDamage);
  fs::create_directories(tmp.path() / "empty");
  CHECK_THROWS_AS(expand_run_dirs({(tmp.path() / "empty").string()}), tools::RunFolderDamage);
  fs::create_directories(tmp.path() / "no-runs" / "runs");
  CHECK_THROWS_AS(expand_run_dirs({(tmp.path() / "no-runs").string()}), tools::RunFolderDamage);
}

TEST_CASE("the projection is Lambert azimuthal equal-area centred on 52N 10E") {
  const Point c = laea_km(52, 10);
  CHECK(c.x == doctest::Approx(0).epsilon(1e-9));
  CHECK(c.y == doctest::Approx(0).epsilon(1e-9));
  // Azimuthal: the distance from the centre is the chord 2R sin(angle / 2) of the great circle.
  const double lat = 38.72, lon = -9.14;  // Lisbon
  const double p0 = 52 * std::numbers::pi / 180, p = lat * std::numbers::pi / 180, dl = (lon - 10) * std::numbers::pi / 180;
  const double angle = std::acos(std::sin(p0) * std::sin(p) + std::cos(p0) * std::cos(p) * std::cos(dl));
  const Point l = laea_km(lat, lon);
  CHECK(std::hypot(l.x, l.y) == doctest::Approx(2 * 6371 * std::sin(angle / 2)).epsilon(1e-9));
  CHECK(l.x < 0);
  CHECK(l.y < 0);
  // Meridians converge north: due north of the centre stays at x = 0.
  CHECK(laea_km(70, 10).x == doctest::Approx(0).epsilon(1e-9));
  const MapFrame f;
  for (const auto& [la, lo] : {std::pair{38.72, -9.14}, {60.17, 24.94}, {37.98, 23.73}, {64.15, -21.94}, {34.95, 33.15}, {28.25, -15.9}, {71.0, 25.8}})
    CHECK_MESSAGE(f.contains(la, lo), la << "," << lo);
  for (const auto& [la, lo] : {std::pair{39.04, -77.49}, {1.29, 103.85}, {-21.1, 55.45}, {16.24, -61.55}}) CHECK_FALSE(f.contains(la, lo));
  const Point nw = f.to_px(64.15, -21.94), se = f.to_px(34.95, 33.15);
  CHECK(nw.x < se.x);
  CHECK(nw.y < se.y);  // y grows downwards
}

TEST_CASE("the shipped outlines cover every country of the Europe dataset") {
  std::set<std::string> have;
  for (const auto& r : europe_outlines()) {
    have.insert(r.country);
    CHECK(r.lat_lon.size() >= 4);
  }
  CHECK(europe_outlines().size() > 100);
  const models::Scenario s = models::load_scenario(source_path("scenarios/default.yaml"));
  int european = 0;
  for (const auto& c : s.countries) {
    bool has_region = false;
    for (const auto& r : s.regions) has_region = has_region || r.country == c.code;
    if (!has_region) continue;
    ++european;
    CHECK_MESSAGE(have.count(c.code), "no outline for " << c.code);
  }
  CHECK(european >= 30);
}

TEST_CASE("regions fall inside their own country's outline on the map") {
  // Catches swapped coordinates or a projection that does not match the outlines'.
  const models::Scenario s = models::load_scenario(source_path("scenarios/default.yaml"));
  const MapFrame f;
  auto inside = [&](const Point& p, const OutlineRing& r) {
    bool in = false;
    for (std::size_t i = 0, j = r.lat_lon.size() - 1; i < r.lat_lon.size(); j = i++) {
      const Point a = f.to_px(r.lat_lon[i].first, r.lat_lon[i].second), b = f.to_px(r.lat_lon[j].first, r.lat_lon[j].second);
      if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) in = !in;
    }
    return in;
  };
  int on_map = 0, in_own = 0;
  std::vector<std::string> outside;
  for (const auto& r : s.regions) {
    if (!f.contains(r.lat, r.lon)) continue;
    ++on_map;
    const Point p = f.to_px(r.lat, r.lon);
    bool found = false;
    for (const auto& ring : europe_outlines()) found = found || (ring.country == r.country && inside(p, ring));
    if (found) ++in_own;
    else outside.push_back(r.id);
  }
  CHECK(on_map >= 140);
  // A few coastal or island population centres may sit just off the simplified coast.
  CHECK_MESSAGE(in_own >= on_map * 95 / 100, "outside their country: " << outside.size());
}

TEST_CASE("text helpers format units, shares and clocks for planners") {
  CHECK(human_bytes(5387726244520067.0) == "5.39 PB");
  CHECK(human_bytes(38015988687.83) == "38 GB");
  CHECK(human_bytes(512) == "512 B");
  CHECK(human_count(2705504000.0) == "2.71 bn");
  CHECK(human_count(12400) == "12.4 k");
  CHECK(percent(0.978633) == "97.9%");
  CHECK(percent(0.000008) == "0.0008%");
  CHECK(percent(0) == "0%");
  CHECK(percent(1) == "100.0%");
  CHECK(percent(0.03) == "3.0%");
  CHECK(escape("a<b>&\"c\"'") == "a&lt;b&gt;&amp;&quot;c&quot;&#39;");
  CHECK(num(-0.0001, 2) == "0");
  CHECK(num(2.50, 2) == "2.5");
  CHECK(utc_clock(1686700800 + 18 * 3600, 1686700800) == "18:00");
  CHECK(utc_clock(1686700800 + 24 * 3600, 1686700800) == "24:00");
  CHECK(utc_clock(1686700800 + 26 * 3600, 1686700800) == "+1d 02:00");
  CHECK(truncate_chars("Região Autónoma dos Açores", 6) == "Região…");
  CHECK(truncate_chars("Açores", 6) == "Açores");
  const auto ticks = nice_ticks(234, 6);
  CHECK(ticks.front() == 0);
  CHECK(ticks.back() == 250);
  CHECK(ticks[1] == 50);
}

TEST_CASE("the same run folders give the same report, byte for byte") {
  const TinyRuns& t = tiny_runs();
  CHECK(build({t.base, t.with_hamar}) == build({t.base, t.with_hamar}));
}

}  // namespace dcsim::test

namespace dcsim::test {

TEST_CASE("a run with stored data shows EEA users' data outside the EEA by day and when each wave completed") {
  TempDir dir;
  const std::string scenario = dir.write("moving.yaml", "include: [" + source_path("scenarios/clover-full.yaml") +
                                                            "]\nmeta: {name: moving, duration_h: 72, fidelity: flow, scale: 1000}\n"
                                                            "data:\n  personal_bytes_per_user: 1.0e9\n  content_bytes_per_user: 2.0e9\n"
                                                            "  legacy:\n    - {sites: {us-east: 1.0}}\n"
                                                            "    - {kind: content, sites: {us-east: 1.0}}\n"
                                                            "migrations:\n  - {id: fast-wave, from: [us-east], to: home, "
                                                            "at_offset_h: 0, rate_gbps: 8000, priority: reserved}\n"
                                                            "  - {id: video-wave, kind: content, from: [us-east], to: home, "
                                                            "at_offset_h: 0, rate_gbps: 80000, priority: reserved}\n");
  const fs::path run = dir.path() / "run";
  make_run(scenario, run);
  const std::string html = build({run});
  CHECK_MESSAGE(tag_balance_problem(html).empty(), tag_balance_problem(html));
  REQUIRE(html.find("<section id=\"storage\">") != std::string::npos);
  CHECK(count_of(html, "class=\"storage-line\"") == 1);
  CHECK(html.find(">fast-wave done</text>") != std::string::npos);
  // A content wave (done too) is not marked on these charts of personal data.
  CHECK(read_csv(run / "migrations.csv").rows.size() == 6);
  CHECK(html.find("video-wave") == std::string::npos);
  // The caption's figures are storage.csv's: EEA users' personal bytes at non-EEA sites, day
  // 0 and the last day (their videos, also at US East and Singapore as the head, are not).
  const tools::CsvTable t = read_csv(run / "storage.csv");
  const std::size_t day = col(t, "day"), eea = col(t, "site_in_eea"), bytes = col(t, "eea_users_stored_bytes"), kind = col(t, "kind");
  double day0 = 0, day2 = 0, content_outside = 0;
  for (const auto& r : t.rows) {
    if (r[eea] != "0") continue;
    if (r[kind] == "content") content_outside += std::stod(r[bytes]);
    if (r[kind] != "personal") continue;
    if (r[day] == "0") day0 += std::stod(r[bytes]);
    if (r[day] == "2") day2 += std::stod(r[bytes]);
  }
  CHECK(day0 > 0);
  CHECK(content_outside > 0);
  CHECK(html.find(human_bytes(day0) + " of EEA users' personal data outside the EEA at the end of day 0, " + human_bytes(day2) +
                  " at the end of day 2") != std::string::npos);
  // A run without stored data has no such section.
  CHECK(build({tiny_runs().base}).find("id=\"storage\"") == std::string::npos);

  // The EEA-exit share by day (days.csv), falling as the wave empties US East, with the
  // same wave marker.
  REQUIRE(html.find("<section id=\"exit-share\">") != std::string::npos);
  CHECK(count_of(html, "class=\"exit-share-line\"") == 1);
  const tools::CsvTable d = read_csv(run / "days.csv");
  const std::size_t share = col(d, "eea_exit_share");
  REQUIRE(d.rows.size() == 3);
  const double first = std::stod(d.rows[0][share]), last = std::stod(d.rows[2][share]);
  CHECK(last < first);
  CHECK(html.find("EEA-exit share " + num(first * 100, 2) + " % on day 0, " + num(last * 100, 2) + " % on day 2") != std::string::npos);
}

}  // namespace dcsim::test
