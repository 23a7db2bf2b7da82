// Weighted max-min fair sharing by progressive filling: hand-computed textbook networks,
// and random networks checked against the definition (no link over capacity, no column
// over its demand, every column held below its demand has a full link on which its rate
// per weight is the largest).
#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "models/network/path_table.hpp"
#include "models/network/routing_matrix.hpp"

using namespace dcsim;
using models::RoutingMatrix;

TEST_CASE("a line of two links shares as the textbook says") {
  // Column 0 crosses both links, column 1 only the first, column 2 only the second.
  const RoutingMatrix m(2, {{0, 1}, {0}, {1}});
  const std::vector<double> want(3, 10.0), weight(3, 1.0);
  const auto equal = m.max_min_rates(want, weight, {1.0, 1.0});
  CHECK(equal[0] == doctest::Approx(0.5));
  CHECK(equal[1] == doctest::Approx(0.5));
  CHECK(equal[2] == doctest::Approx(0.5));
  // A wider second link: column 0 is held at 1/2 by the first, column 2 takes the rest.
  const auto wide = m.max_min_rates(want, weight, {1.0, 2.0});
  CHECK(wide[0] == doctest::Approx(0.5));
  CHECK(wide[1] == doctest::Approx(0.5));
  CHECK(wide[2] == doctest::Approx(1.5));
}

TEST_CASE("weights share a full link in proportion, and a small demand is met first") {
  const RoutingMatrix m(1, {{0}, {0}, {0}});
  const auto r = m.max_min_rates({100, 100, 0.5}, {1, 3, 1}, {4.5});
  CHECK(r[2] == doctest::Approx(0.5));  // met: its demand per weight is below the level
  CHECK(r[0] == doctest::Approx(1.0));
  CHECK(r[1] == doctest::Approx(3.0));
  // Nothing is held where the link has room, and unlimited links hold nothing.
  const auto roomy = m.max_min_rates({1, 1, 1}, {1, 1, 1}, {10});
  for (double x : roomy) CHECK(x == 1);
  const auto open = m.max_min_rates({5, 6, 7}, {1, 1, 1}, {models::kUnlimited});
  CHECK(open == std::vector<double>{5, 6, 7});
}

TEST_CASE("on random networks the rates are max-min fair by definition") {
  std::mt19937_64 rng(20261204);
  for (int trial = 0; trial < 200; ++trial) {
    CAPTURE(trial);
    const std::size_t nl = 2 + rng() % 20, nc = 1 + rng() % 60;
    std::vector<std::vector<std::uint32_t>> cols(nc);
    for (auto& c : cols) {
      const std::size_t k = 1 + rng() % std::min<std::size_t>(4, nl);
      while (c.size() < k) {
        const auto l = static_cast<std::uint32_t>(rng() % nl);
        if (std::find(c.begin(), c.end(), l) == c.end()) c.push_back(l);
      }
    }
    std::uniform_real_distribution<double> u(0.01, 10.0);
    std::vector<double> demand(nc), weight(nc), capacity(nl);
    for (std::size_t j = 0; j < nc; ++j) {
      demand[j] = rng() % 10 == 0 ? 0.0 : u(rng);
      weight[j] = u(rng);
    }
    for (auto& c : capacity) c = rng() % 8 == 0 ? models::kUnlimited : u(rng);
    const RoutingMatrix m(nl, cols);
    const auto rate = m.max_min_rates(demand, weight, capacity);
    std::vector<double> load(nl, 0.0);
    m.multiply_add(rate, load);
    for (std::size_t l = 0; l < nl; ++l) CHECK(load[l] <= capacity[l] * (1 + 1e-9) + 1e-12);
    for (std::size_t j = 0; j < nc; ++j) {
      CHECK(rate[j] >= 0);
      CHECK(rate[j] <= demand[j] * (1 + 1e-12));
      if (rate[j] >= demand[j] * (1 - 1e-9)) continue;
      // Held below its demand: some link on its path is full and it is the largest there.
      bool bottleneck = false;
      for (std::uint32_t l : cols[j]) {
        if (load[l] < capacity[l] * (1 - 1e-9)) continue;
        double best = 0;
        for (std::size_t i = 0; i < nc; ++i)
          if (std::find(cols[i].begin(), cols[i].end(), l) != cols[i].end()) best = std::max(best, rate[i] / weight[i]);
        bottleneck = bottleneck || rate[j] / weight[j] >= best * (1 - 1e-9);
      }
      CHECK_MESSAGE(bottleneck, "column " << j << " has no bottleneck");
    }
  }
}

TEST_CASE("a column split over two paths counts on each link by its share there") {
  // Column 0 sends half its bytes over link 0 and half over link 1; column 1 all over link 0.
  // Link 0 (capacity 1) fills when 0.5 r + r = 1: both held at 2/3, link 1 has room to spare.
  const auto m = RoutingMatrix::with_shares(2, {{{0, 0.5}, {1, 0.5}}, {{0, 1.0}}});
  const auto r = m.max_min_rates({10, 10}, {1, 1}, {1.0, 5.0});
  CHECK(r[0] == doctest::Approx(2.0 / 3));
  CHECK(r[1] == doctest::Approx(2.0 / 3));
  std::vector<double> load(2, 0.0);
  m.multiply_add(r, load);
  CHECK(load[0] == doctest::Approx(1.0));
  CHECK(load[1] == doctest::Approx(1.0 / 3));
  // Loads are the matrix times the bytes: half of column 0's on each of its links.
  std::vector<double> bytes(2, 0.0);
  m.multiply_add({4, 0}, bytes);
  CHECK(bytes == std::vector<double>{2, 2});
}
