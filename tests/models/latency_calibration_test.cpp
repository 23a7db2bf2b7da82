// The latency model against measured RTTs between cities (tests/data/rtt_measured.csv,
// sources in scenarios/data/README.md): median absolute error ≤ 15 %, 90th percentile ≤ 35 %.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "models/network/world.hpp"
#include "tests/support/test_files.hpp"
#include "tools/csv.hpp"

using namespace dcsim;

TEST_CASE("the latency model is within the calibration bound on measured city-pair RTTs") {
  const models::World w(models::load_scenario(test::source_path("scenarios/default.yaml")));
  const tools::CsvTable t = tools::parse_csv(test::read_file(test::source_path("tests/data/rtt_measured.csv")));
  auto col = [&](const std::string& name) {
    const auto it = std::find(t.header.begin(), t.header.end(), name);
    REQUIRE(it != t.header.end());
    return static_cast<std::size_t>(it - t.header.begin());
  };
  const std::size_t slat = col("src_lat"), slon = col("src_lon"), dlat = col("dst_lat"), dlon = col("dst_lon"),
                    meas = col("measured_rtt_ms"), sname = col("src_name"), dname = col("dst_name");
  REQUIRE(t.rows.size() >= 20);
  struct Err {
    double rel;
    std::string pair;
  };
  std::vector<Err> errs;
  for (const auto& row : t.rows) {
    const models::Route r = w.latency().route({{std::stod(row[slat]), std::stod(row[slon])}, "", -1},
                                              {{std::stod(row[dlat]), std::stod(row[dlon])}, "", -1});
    REQUIRE(r.reachable);
    const double measured = std::stod(row[meas]), model = sim::to_milliseconds(r.rtt);
    std::ostringstream pair;
    pair << row[sname] << " – " << row[dname] << ": measured " << measured << " ms, model " << model << " ms";
    errs.push_back({std::fabs(model - measured) / measured, pair.str()});
  }
  std::sort(errs.begin(), errs.end(), [](const Err& a, const Err& b) { return a.rel < b.rel; });
  const std::size_t n = errs.size();
  const double median = (errs[(n - 1) / 2].rel + errs[n / 2].rel) / 2;
  const double p90 = errs[static_cast<std::size_t>(std::ceil(0.9 * static_cast<double>(n))) - 1].rel;
  MESSAGE("pairs " << n << ", median |error| " << median * 100 << " %, p90 " << p90 * 100 << " %");
  for (std::size_t i = n - 3; i < n; ++i) MESSAGE("worst: " << errs[i].pair);
  CHECK(median <= 0.15);
  CHECK(p90 <= 0.35);
}
