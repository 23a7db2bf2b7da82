// The table of headline figures (kHeadlineFigures): summary.csv's names and order, lookups
// by name, and the README's figure list and the notebook's figure names checked against it.
#include <doctest/doctest.h>

#include <regex>
#include <set>
#include <string>
#include <vector>

#include "models/run/summary.hpp"
#include "tests/support/test_files.hpp"
#include "tools/json.hpp"

namespace dcsim::test {

namespace {

using models::Headline;
using models::kHeadlineFigures;

Headline with_percentiles(std::vector<double> qs) {
  Headline h;
  for (double q : qs) {
    h.latency_ms.push_back({q, 0});
    h.ttfb_ms.push_back({q, 0});
  }
  return h;
}

/// The README's list of summary.csv figures as the table gives it.
std::string readme_figure_list() {
  std::string out = "| metric | unit | what it is |\n| --- | --- | --- |\n";
  for (const models::HeadlineFigure& f : kHeadlineFigures)
    out += "| `" + std::string(f.name) + "` | " + std::string(models::unit_name(f.unit)) + " | " + std::string(f.description) + " |\n";
  return out;
}

/// The lines of `text` strictly between the line holding `begin` and the next holding `end`.
std::string between(const std::string& text, const std::string& begin, const std::string& end) {
  const std::size_t b = text.find(begin), e = text.find(end, b == std::string::npos ? 0 : b);
  if (b == std::string::npos || e == std::string::npos) return {};
  const std::size_t from = text.find('\n', b) + 1, to = text.rfind('\n', e) + 1;
  return from <= to ? text.substr(from, to - from) : std::string();
}

}  // namespace

TEST_CASE("summary.csv rows keep their names and order") {
  std::vector<std::string> names;
  for (const auto& row : models::headline_rows(with_percentiles({50, 90, 95, 99}))) names.push_back(row.name);
  const std::vector<std::string> expected = {
      "generated_requests", "served_requests", "dropped_requests", "dropped_queue_full_requests", "dropped_home_down_requests",
      "dropped_no_site_requests", "dropped_unreachable_requests", "lost_requests", "denied_requests", "in_flight_requests",
      "dropped_share", "site_bytes", "edge_bytes", "served_bytes", "replica_bytes", "export_bytes", "catchup_bytes", "fetch_bytes",
      "cross_border_bytes", "cross_border_share", "transit_crossing_bytes", "eea_data_site_bytes", "eea_exit_bytes",
      "eea_exit_share", "eea_exit_policy_bytes", "eea_exit_spill_bytes", "eea_exit_failover_bytes",
      "eea_exit_employee_access_bytes", "eea_exit_export_bytes", "eea_exit_replication_bytes", "eea_exit_legacy_location_bytes", "eea_exit_fetch_bytes", "eea_exit_adequacy_bytes",
      "eea_exit_adequacy_certified_bytes", "eea_exit_third_country_bytes", "eea_exit_third_country_share", "latency_mean_ms",
      "latency_p50_ms", "latency_p90_ms", "latency_p95_ms", "latency_p99_ms", "ttfb_mean_ms", "ttfb_p50_ms", "ttfb_p90_ms",
      "ttfb_p95_ms", "ttfb_p99_ms", "mean_site_utilisation", "peak_site_utilisation", "peak_link_utilisation",
      "link_hours_above_80pct_h", "submarine_bytes", "transatlantic_peak_gbps", "conservation_error", "migrated_bytes",
      "migrated_transatlantic_bytes", "migration_remaining_bytes", "eea_exit_share_below_1pct_from_h", "undelivered_bytes", "catchup_owed_at_end_bytes"};
  CHECK(names == expected);
  // Percentiles other than the default ones are named with %g, in the scenario's order.
  std::vector<std::string> odd;
  for (const auto& row : models::headline_rows(with_percentiles({99.9, 10})))
    if (row.figure->is_family()) odd.push_back(row.name);
  CHECK(odd == std::vector<std::string>{"latency_p99.9_ms", "latency_p10_ms", "ttfb_p99.9_ms", "ttfb_p10_ms"});
}

TEST_CASE("each figure of the table reads and writes its own member") {
  Headline h = with_percentiles({50, 95});
  double v = 1;
  for (const auto& f : kHeadlineFigures)
    if (!f.is_family()) f.value(h) = v++;
  std::set<double> seen;
  for (const auto& row : models::headline_rows(h))
    if (!row.figure->is_family()) CHECK_MESSAGE(seen.insert(row.value).second, row.name << " shares a member with another figure");
  CHECK(seen.size() == static_cast<std::size_t>(v - 1));
  CHECK(h.generated_requests == 1);
  CHECK(h.eea_exit_share_below_1pct_from_h == v - 3);
  CHECK(h.undelivered_bytes == v - 2);
  CHECK(h.owed_at_end_bytes == v - 1);
  CHECK(h.get("eea_exit_share") == h.eea_exit_share);
  h.ttfb_ms[1].ms = 42;
  CHECK(h.get("ttfb_p95_ms") == 42);
  CHECK(h.ttfb_p(95) == 42);
  CHECK_FALSE(h.ttfb_p(99).has_value());
  CHECK_THROWS_AS(h.get("ttfb_p99_ms"), std::out_of_range);
}

TEST_CASE("the per-reason figures follow the reasons' names, in enum order") {
  Headline h;
  for (std::size_t r = 0; r < models::kDropReasons; ++r) {
    const std::string name = std::string("dropped_") + models::name(static_cast<models::DropReason>(r)) + "_requests";
    const models::HeadlineFigure* f = models::find_figure(name);
    REQUIRE_MESSAGE(f, name);
    h.dropped_requests_by[r] = 10.0 + static_cast<double>(r);
    CHECK(f->value(h) == 10.0 + static_cast<double>(r));
  }
  for (std::size_t r = 0; r < models::kExitReasons; ++r) {
    const std::string name = std::string("eea_exit_") + models::name(static_cast<models::ExitReason>(r)) + "_bytes";
    const models::HeadlineFigure* f = models::find_figure(name);
    REQUIRE_MESSAGE(f, name);
    h.eea_exit_bytes_by[r] = 20.0 + static_cast<double>(r);
    CHECK(f->value(h) == 20.0 + static_cast<double>(r));
  }
  for (std::size_t b = 0; b < models::kLegalBases; ++b) {
    const std::string name = std::string("eea_exit_") + models::name(static_cast<models::LegalBasis>(b)) + "_bytes";
    const models::HeadlineFigure* f = models::find_figure(name);
    REQUIRE_MESSAGE(f, name);
    h.eea_exit_bytes_by_basis[b] = 30.0 + static_cast<double>(b);
    CHECK(f->value(h) == 30.0 + static_cast<double>(b));
  }
}

TEST_CASE("a summary.csv name is found in the table, with its percentile; other names are not") {
  double q = 0;
  const models::HeadlineFigure* f = models::find_figure("ttfb_p99.9_ms", &q);
  REQUIRE(f);
  CHECK(f->name == "ttfb_p<q>_ms");
  CHECK(q == 99.9);
  CHECK(models::find_figure("latency_p50_ms", &q)->unit == models::FigureUnit::Ms);
  CHECK(q == 50);
  CHECK(models::find_figure("eea_exit_share")->unit == models::FigureUnit::Fraction);
  for (const char* bad : {"eea_exit_shares", "ttfb_p_ms", "ttfb_p.5_ms", "ttfb_p1.2.3_ms", "ttfb_p101_ms", "latency_p<q>_ms", ""})
    CHECK_MESSAGE(models::find_figure(bad) == nullptr, bad);
  // What summary.csv prints with 6 decimals (fractions) and with 3 (everything else).
  CHECK(models::figure_decimals(models::find_figure("peak_site_utilisation")->unit) == 6);
  CHECK(models::figure_decimals(models::find_figure("site_bytes")->unit) == 3);
}

TEST_CASE("the README's list of summary.csv figures is the table's") {
  const std::string readme = read_file(source_path("README.md"));
  const std::string listed = between(readme, "<!-- summary.csv figures:", "<!-- end of summary.csv figures -->");
  CHECK_MESSAGE(listed == readme_figure_list(), "README.md's summary.csv figure list differs from kHeadlineFigures; it should read:\n"
                                                    << readme_figure_list());
}

TEST_CASE("every summary.csv figure the notebook reads is in the table") {
  const nlohmann::json nb = tools::parse_json(read_file(source_path("tools/notebooks/compare_runs.ipynb")));
  std::string code;
  for (const auto& cell : nb["cells"])
    if (cell["cell_type"] == "code")
      for (const auto& line : cell["source"]) code += line.get<std::string>();
  std::smatch list;
  REQUIRE_MESSAGE(std::regex_search(code, list, std::regex(R"(FIGURES = \[([^\]]*)\])")), "the notebook names its figures in FIGURES");
  const std::string names = list[1];
  const std::regex quoted(R"re("([^"]*)")re");
  int count = 0;
  for (std::sregex_iterator it(names.begin(), names.end(), quoted), end; it != end; ++it, ++count)
    CHECK_MESSAGE(models::find_figure((*it)[1].str()) != nullptr, (*it)[1].str() << " is not a summary.csv figure");
  CHECK(count >= 4);
}

}  // namespace dcsim::test
