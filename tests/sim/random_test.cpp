// RandomStream: golden values (output must never change silently), stream independence
// (a stream's draws do not depend on other streams' use; distinct ids are uncorrelated),
// and the unbiased bounded-integer and unit-interval helpers.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/random.hpp"

using namespace dcsim::sim;

TEST_CASE("a stream's first outputs are fixed forever (golden values)") {
  // Any change to seeding or to xoshiro256++ changes every run's results: update these
  // only on purpose. Computed by an independent Python transcription of mix64,
  // stream_key, the SplitMix64 fill and xoshiro256++ (Blackman & Vigna's reference).
  RandomStream a(1, 0);
  const std::uint64_t first = a.next_u64();
  const std::uint64_t second = a.next_u64();
  RandomStream b(1, 0);
  CHECK(b.next_u64() == first);
  CHECK(b.next_u64() == second);
  CHECK(first == 0x2a2403c407c8709eULL);
  CHECK(second == 0x88084d3dbc3369e0ULL);
}

TEST_CASE("stream k draws the same numbers whether or not other streams were used") {
  std::vector<std::uint64_t> alone;
  RandomStream k(7, 3);
  for (int i = 0; i < 1000; ++i) alone.push_back(k.next_u64());

  // Interleave with heavy use of other streams, created before and after.
  RandomStream before(7, 2);
  RandomStream k_again(7, 3);
  RandomStream after(7, 4);
  std::vector<std::uint64_t> mixed;
  for (int i = 0; i < 1000; ++i) {
    for (int j = 0; j < i % 7; ++j) {
      before.next_u64();
      after.next_u64();
    }
    mixed.push_back(k_again.next_u64());
  }
  CHECK(mixed == alone);
}

TEST_CASE("different stream ids and seeds give different, uncorrelated sequences") {
  constexpr int kN = 200'000;
  auto correlation = [](RandomStream x, RandomStream y) {
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double syy = 0;
    double sxy = 0;
    for (int i = 0; i < kN; ++i) {
      const double a = x.uniform01();
      const double b = y.uniform01();
      sx += a;
      sy += b;
      sxx += a * a;
      syy += b * b;
      sxy += a * b;
    }
    const double cov = sxy / kN - (sx / kN) * (sy / kN);
    return cov / std::sqrt((sxx / kN - (sx / kN) * (sx / kN)) * (syy / kN - (sy / kN) * (sy / kN)));
  };
  // Under independence the sample correlation has sd 1/sqrt(n) ~ 0.0022: allow 5 sd.
  const double bound = 5.0 / std::sqrt(static_cast<double>(kN));
  // Streams as named (non-constant) variables: with constant arguments GCC tries to
  // evaluate the whole constexpr loop at compile time (80 s of build for this file).
  const RandomStream s10(1, 0), s11(1, 1), s15(1, 5), s25(2, 5), s00(0, 0), s01(0, 1);
  CHECK(std::fabs(correlation(s10, s11)) < bound);
  CHECK(std::fabs(correlation(s15, s25)) < bound);
  CHECK(std::fabs(correlation(s00, s01)) < bound);
  // The same stream correlates perfectly with itself: the statistic can fail.
  CHECK(correlation(s10, s10) == doctest::Approx(1.0));

  // Neighbouring keys share no outputs at all in their first draws.
  std::vector<std::uint64_t> firsts;
  for (std::uint64_t seed = 0; seed < 32; ++seed) {
    for (std::uint64_t id = 0; id < 32; ++id) firsts.push_back(RandomStream(seed, id).next_u64());
  }
  std::sort(firsts.begin(), firsts.end());
  CHECK(std::adjacent_find(firsts.begin(), firsts.end()) == firsts.end());
}

TEST_CASE("stream_key composes ids in order") {
  CHECK(stream_key(stream_key(1, 2), 3) != stream_key(stream_key(1, 3), 2));
  CHECK(stream_key(1, 2) != stream_key(2, 1));
  CHECK(stream_key(5, 6) == stream_key(5, 6));
}

TEST_CASE("uniform_below is unbiased and in range (chi-square over 10 cells)") {
  RandomStream rng(3, 3);
  constexpr int kCells = 10;
  constexpr int kN = 500'000;
  std::vector<int> counts(kCells);
  for (int i = 0; i < kN; ++i) {
    const std::uint64_t v = rng.uniform_below(kCells);
    REQUIRE(v < kCells);
    ++counts[v];
  }
  double chi2 = 0;
  for (int c : counts) chi2 += (c - kN / kCells) * (c - kN / kCells) / (kN / double(kCells));
  CHECK(chi2 < 27.9);  // 9 degrees of freedom, p = 0.001
  // A bound that is not a power of two and close to 2^64 still stays in range.
  const std::uint64_t big = (std::uint64_t{1} << 63) + 12345;
  for (int i = 0; i < 1000; ++i) CHECK(rng.uniform_below(big) < big);
  CHECK(rng.uniform_below(1) == 0);
}

TEST_CASE("uniform01 lies in [0, 1) and uniform01_open_low in (0, 1]") {
  RandomStream rng(4, 4);
  double sum = 0;
  for (int i = 0; i < 100'000; ++i) {
    const double u = rng.uniform01();
    const double v = rng.uniform01_open_low();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    REQUIRE(v > 0.0);
    REQUIRE(v <= 1.0);
    sum += u;
  }
  CHECK(sum / 100'000 == doctest::Approx(0.5).epsilon(0.01));
}
