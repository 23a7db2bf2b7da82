// AliasTable: the table reproduces the input probabilities exactly (up to round-off),
// draws match them by chi-square for a small and a 10,000-category table, zero-weight
// categories are never drawn, and bad weights are rejected.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include "sim/alias_table.hpp"

using namespace dcsim::sim;

namespace {

// Chi-square statistic of `draws` draws against the weights; returns (chi2, df).
std::pair<double, int> chi_square(const AliasTable& table, const std::vector<double>& w,
                                  int draws, RandomStream& rng) {
  std::vector<double> counts(w.size(), 0.0);
  for (int i = 0; i < draws; ++i) counts[table.sample(rng)] += 1;
  double total = 0;
  for (double x : w) total += x;
  double chi2 = 0;
  int df = -1;
  for (std::size_t i = 0; i < w.size(); ++i) {
    const double expected = w[i] / total * draws;
    if (w[i] == 0) {
      CHECK(counts[i] == 0);
      continue;
    }
    chi2 += (counts[i] - expected) * (counts[i] - expected) / expected;
    ++df;
  }
  return {chi2, df};
}

}  // namespace

TEST_CASE("alias table probabilities equal the normalised weights") {
  const std::vector<double> w{1, 2, 3, 4, 0, 10};
  const AliasTable table(w);
  REQUIRE(table.size() == 6);
  for (std::uint32_t i = 0; i < 6; ++i) {
    CAPTURE(i);
    CHECK(table.probability_of(i) == doctest::Approx(w[i] / 20.0).epsilon(1e-12));
  }
}

TEST_CASE("alias table draws follow the weights and skip zero weights") {
  RandomStream rng(21, 1);
  const std::vector<double> w{1, 2, 3, 4, 0, 10};
  const auto [chi2, df] = chi_square(AliasTable(w), w, 1'000'000, rng);
  CHECK(df == 4);
  CHECK(chi2 < 18.5);  // 4 degrees of freedom, p = 0.001
}

TEST_CASE("a 10,000-category table built from skewed weights samples correctly") {
  RandomStream weights_rng(21, 2);
  std::vector<double> w(10'000);
  for (double& x : w) x = std::pow(weights_rng.uniform01(), 3.0) * 100;  // many small weights
  const AliasTable table(w);
  RandomStream rng(21, 3);
  const auto [chi2, df] = chi_square(table, w, 3'000'000, rng);
  CHECK(chi2 < df + 3.1 * std::sqrt(2.0 * df));  // ~p = 0.001
  double total = 0;
  for (double x : w) total += x;
  CHECK(table.probability_of(1234) == doctest::Approx(w[1234] / total).epsilon(1e-9));
}

TEST_CASE("alias table rejects empty, negative, non-finite and all-zero weights") {
  CHECK_THROWS_AS(AliasTable(std::vector<double>{}), std::invalid_argument);
  CHECK_THROWS_AS(AliasTable(std::vector<double>{1, -1}), std::invalid_argument);
  CHECK_THROWS_AS(AliasTable(std::vector<double>{1, std::nan("")}), std::invalid_argument);
  CHECK_THROWS_AS(AliasTable(std::vector<double>{std::numeric_limits<double>::infinity()}),
                  std::invalid_argument);
  CHECK_THROWS_AS(AliasTable(std::vector<double>{0, 0}), std::invalid_argument);
  RandomStream rng(21, 4);
  const AliasTable single(std::vector<double>{0.3});
  CHECK(single.sample(rng) == 0);
}
