// Ziggurat normal and exponential samplers and exp_det (lognormal's exp): golden values
// from an independent Python transcription (tests/sim/samplers_golden.py), the generated
// tables' invariants, the distributions themselves (chi-square over cells aligned with the
// layers, so a wrong wedge, layer or tail shows up in its own cells; Kolmogorov-Smirnov
// against the exact CDF; the tails beyond the base strip and the wedges sampled directly),
// and exp_det's error in ulps. Fixed seeds: deterministic.
#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <numbers>
#include <vector>

#include "sim/distributions.hpp"
#include "sim/sampler_tables.hpp"

using namespace dcsim::sim;
namespace zig = dcsim::sim::detail;

namespace {

// The same fold as samplers_golden.py: normal values beyond the tail start enter as float
// bits (they come from log(), whose last double bit may differ between libm versions).
std::uint64_t checksum(const std::function<double(RandomStream&)>& draw, bool normal) {
  RandomStream rng(2, 7);
  std::uint64_t h = 0;
  for (int i = 0; i < (1 << 20); ++i) {
    const double x = draw(rng);
    const std::uint64_t bits = normal && std::fabs(x) >= zig::kNormalR
                                   ? std::bit_cast<std::uint32_t>(static_cast<float>(x))
                                   : std::bit_cast<std::uint64_t>(x);
    h = mix64(h ^ bits) + 1;
  }
  return mix64(h ^ rng.next_u64());  // also pins how many 64-bit draws were consumed
}

// Upper p = 0.001 point of chi-square with df degrees of freedom (Wilson-Hilferty).
double chi2_critical(int df) {
  const double a = 2.0 / (9.0 * df);
  return df * std::pow(1.0 - a + 3.0902 * std::sqrt(a), 3);
}

// Chi-square of draws binned at `edges` (ascending; cells [e_k, e_k+1) plus one below the
// first and one from the last edge up) against cell probabilities from cdf_between.
void check_chi2(const std::vector<double>& edges, int n, const std::function<double()>& draw,
                const std::function<double(double, double)>& prob_between) {
  std::vector<double> observed(edges.size() + 1, 0.0);
  for (int i = 0; i < n; ++i) {
    const double x = draw();
    observed[std::upper_bound(edges.begin(), edges.end(), x) - edges.begin()] += 1;
  }
  double chi2 = 0;
  int df = -1;
  for (std::size_t c = 0; c < observed.size(); ++c) {
    const double lo = c == 0 ? -INFINITY : edges[c - 1];
    const double hi = c == edges.size() ? INFINITY : edges[c];
    const double expected = prob_between(lo, hi) * n;
    REQUIRE(expected >= 5);  // cells are chosen so that the approximation holds
    chi2 += (observed[c] - expected) * (observed[c] - expected) / expected;
    ++df;
  }
  CAPTURE(df);
  CHECK(chi2 < chi2_critical(df));
}

// Largest gap between the empirical CDF of xs and cdf (Kolmogorov-Smirnov D) times sqrt(n).
double ks_statistic(std::vector<double> xs, const std::function<double(double)>& cdf) {
  std::sort(xs.begin(), xs.end());
  const double n = static_cast<double>(xs.size());
  double d = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const double f = cdf(xs[i]);
    d = std::max({d, f - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - f});
  }
  return d * std::sqrt(n);
}
constexpr double kKsCritical = 1.949;  // sqrt(n) D at p = 0.001

// x_i of layer i, recovered from the table (w = x_i / 2^bits).
double layer_x(const zig::ZigguratLayer* layers, int i, int bits) {
  return i == 256 ? 0.0 : std::ldexp(layers[i].w, bits);
}

// P(a <= X < b) for X ~ N(0, 1), without cancellation in either tail.
double normal_between(double a, double b) {
  if (a >= 0) return 0.5 * (std::erfc(a / std::sqrt(2.0)) - std::erfc(b / std::sqrt(2.0)));
  if (b <= 0) return normal_between(-b, -a);
  return normal_between(0, -a) + normal_between(0, b);
}

// Edges at the layer bounds x_255 < ... < x_1 = r, each band split in `split`, then `extra`.
std::vector<double> layer_edges(const zig::ZigguratLayer* layers, int bits, int split) {
  std::vector<double> edges;
  for (int i = 255; i >= 1; --i) {
    const double lo = layer_x(layers, i + 1, bits);
    const double hi = layer_x(layers, i, bits);
    for (int s = 0; s < split; ++s) edges.push_back(lo + (hi - lo) * s / split);
  }
  edges.push_back(layer_x(layers, 1, bits));
  return edges;
}

}  // namespace

TEST_CASE("ziggurat draws are fixed forever (golden values from the Python transcription)") {
  // From tests/sim/samplers_golden.py; update only on purpose, together with the script.
  RandomStream a(1, 0);
  const double normal_first[] = {0x1.c1c229fca74f0p-3,  -0x1.c0a43f6b209f5p-2,
                                 0x1.41e6d3b413585p-3,  0x1.4283fb144f335p-1,
                                 -0x1.f79b16f088aa8p-4, -0x1.fc0e3940f8a48p-1,
                                 -0x1.5dcf75689825dp-1, 0x1.c9b0362675aa7p-1};
  for (const double expected : normal_first) CHECK(standard_normal(a) == expected);
  RandomStream b(1, 0);
  const double exp_first[] = {0x1.bc42fe9f12f42p-3, 0x1.43ea097e8a593p-2, 0x1.1b669fc9a6831p-4,
                              0x1.33919df7d7c19p-1, 0x1.0611992e4abd7p-4, 0x1.b057fea69663ep-1,
                              0x1.fcfd105bca1c8p-2, 0x1.2fc5529a96cf1p+0};
  for (const double expected : exp_first) CHECK(standard_exponential(b) == expected);

  // The first wedge and tail exits of stream (1, 1).
  auto nth = [](int n, double (*draw)(RandomStream&)) {
    RandomStream rng(1, 1);
    for (int i = 0; i < n; ++i) draw(rng);
    return draw(rng);
  };
  CHECK(nth(230, standard_normal) == -0x1.520bee2025a37p-3);
  CHECK(nth(615, standard_normal) == doctest::Approx(-0x1.f2cdbf19c10f9p+1).epsilon(1e-15));
  CHECK(nth(100, standard_exponential) == 0x1.a53eb6fb8301cp+1);
  CHECK(nth(607, standard_exponential) == 0x1.f0f7dd61969b9p+2);

  CHECK(checksum(standard_normal, true) == mix64(0xc66888a9858174afULL ^ 0x8589b99d31a97bd7ULL));
  CHECK(checksum(standard_exponential, false) ==
        mix64(0x95cb95e4cbbf54d4ULL ^ 0x169d55960fccc625ULL));

  RandomStream c(1, 0);
  const double lognormal_first[] = {0x1.12aad5431339ep+1, 0x1.f2fbbdcfb850dp-1,
                                    0x1.fdaf34952042ap+0, 0x1.c167dd280fbffp+1,
                                    0x1.6c2d00412b4b8p+0, 0x1.009cf272ffe81p-1,
                                    0x1.73d65cbe217abp-1, 0x1.3475989168407p+2};
  for (const double expected : lognormal_first) CHECK(lognormal(c, 0.5, 1.2) == expected);
  const std::pair<double, double> exp_points[] = {
      {-699.5, 0x1.c89c2e339b392p-1010}, {-20.25, 0x1.b93de1e27ca3bp-30},
      {-1.0, 0x1.78b56362cef38p-2},      {-1e-10, 0x1.ffffffff24190p-1},
      {0.0, 1.0},                        {1e-300, 1.0},
      {0.5, 0x1.a61298e1e069cp+0},       {1.0, 0x1.5bf0a8b145769p+1},
      {2.302585092994046, 0x1.4000000000001p+3}, {88.7, 0x1.f4705bbffae5cp+127},
      {707.9, 0x1.37a86bbe7fb43p+1021}};
  for (const auto& [x, expected] : exp_points) {
    CAPTURE(x);
    CHECK(zig::exp_det(x) == expected);
  }
}

TEST_CASE("normal, exponential and lognormal are affine / exp transforms of the unit draws") {
  RandomStream a(5, 5);
  RandomStream b(5, 5);
  for (int i = 0; i < 1000; ++i) {
    REQUIRE(normal(a, 3.0, 2.0) == 3.0 + 2.0 * standard_normal(b));
    REQUIRE(exponential(a, 4.0) == 4.0 * standard_exponential(b));
    REQUIRE(lognormal(a, {0.5, 0.25}) == zig::exp_det(0.5 + 0.25 * standard_normal(b)));
  }
  CHECK(a == b);
}

TEST_CASE("ziggurat tables: published r, equal layer areas, consistent thresholds") {
  CHECK(zig::kNormalR == doctest::Approx(3.6541528853610088).epsilon(1e-15));
  CHECK(zig::kExpR == doctest::Approx(7.69711747013104972).epsilon(1e-15));
  struct Case {
    const zig::ZigguratLayer* layers;
    const double* f;
    int bits;
    double (*density)(double);  // unnormalised
    double tail;                // integral of density beyond r
  };
  const double r_n = zig::kNormalR;
  const Case cases[] = {
      {zig::kNormalLayers, zig::kNormalF, 52, [](double x) { return std::exp(-x * x / 2); },
       std::sqrt(std::numbers::pi / 2) * std::erfc(r_n / std::sqrt(2.0))},
      {zig::kExpLayers, zig::kExpF, 53, [](double x) { return std::exp(-x); },
       std::exp(-zig::kExpR)},
  };
  for (const Case& c : cases) {
    const double r = layer_x(c.layers, 1, c.bits);
    const double v = r * c.density(r) + c.tail;
    CHECK(layer_x(c.layers, 0, c.bits) * c.density(r) == doctest::Approx(v).epsilon(1e-14));
    for (int i = 0; i <= 256; ++i) {
      CAPTURE(i);
      const double x = layer_x(c.layers, i, c.bits);
      CHECK(c.f[i] == doctest::Approx(c.density(x)).epsilon(1e-14));
      if (i == 256) break;
      const double next = layer_x(c.layers, i + 1, c.bits);
      CHECK(next < x);
      // k = floor(2^bits * x_(i+1) / x_i): the fast path never accepts beyond x_(i+1).
      const double k = static_cast<double>(c.layers[i].k);
      CHECK(std::fabs(k - std::ldexp(next / x, c.bits)) <= 2.0);
      if (i >= 1) CHECK(x * (c.f[i + 1] - c.f[i]) == doctest::Approx(v).epsilon(1e-9));
    }
  }
}

TEST_CASE("standard_normal frequencies match the normal law in every layer band and the tail") {
  // 4 cells per layer band on each side (2,040 cells), the tail beyond r in two cells per
  // side: a wrong wedge test, threshold or tail would stand out in its own cells.
  std::vector<double> pos = layer_edges(zig::kNormalLayers, 52, 4);
  pos.push_back(zig::kNormalR + 0.25);
  std::vector<double> edges;
  for (auto it = pos.rbegin(); it != pos.rend(); ++it) edges.push_back(-*it);
  edges.insert(edges.end(), pos.begin() + 1, pos.end());  // pos[0] = 0: one edge at 0
  RandomStream rng(21, 1);
  check_chi2(edges, 4'000'000, [&] { return standard_normal(rng); }, normal_between);
}

TEST_CASE("standard_exponential frequencies match Exp(1) in every layer band and the tail") {
  std::vector<double> edges = layer_edges(zig::kExpLayers, 53, 4);
  edges.erase(edges.begin());  // x_256 = 0: nothing below
  edges.push_back(zig::kExpR + 1.0);
  edges.push_back(zig::kExpR + 2.0);
  RandomStream rng(21, 2);
  check_chi2(edges, 4'000'000, [&] { return standard_exponential(rng); },
             [](double a, double b) {
               return (a <= 0 ? 1.0 : std::exp(-a)) - (std::isinf(b) ? 0.0 : std::exp(-b));
             });
}

TEST_CASE("Kolmogorov-Smirnov: both samplers follow the exact CDF") {
  constexpr int kN = 1'000'000;
  RandomStream rng(22, 1);
  std::vector<double> xs(kN);
  for (double& x : xs) x = standard_normal(rng);
  CHECK(ks_statistic(xs, [](double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }) <
        kKsCritical);
  for (double& x : xs) x = standard_exponential(rng);
  CHECK(ks_statistic(xs, [](double x) { return -std::expm1(-x); }) < kKsCritical);
}

TEST_CASE("the tails beyond the base strip follow the conditional laws") {
  // A first draw in layer 0 with its point beyond r enters the tail code directly.
  constexpr int kN = 200'000;
  RandomStream rng(23, 1);
  const double r = zig::kNormalR;
  std::vector<double> xs(kN);
  for (int i = 0; i < kN; ++i) {
    const std::uint64_t u = i % 2 == 0 ? 0xFFFFFFFFFFFFFE00ULL : 0xFFFFFFFFFFFFFF00ULL;
    const double x = zig::standard_normal_slow(rng, u);
    REQUIRE(std::fabs(x) >= r);
    REQUIRE((x < 0) == (i % 2 == 1));  // bit 8 is the sign
    xs[i] = std::fabs(x);
  }
  // P(X <= x | X > r) for the normal.
  const double tail = std::erfc(r / std::sqrt(2.0));
  CHECK(ks_statistic(xs, [&](double x) { return 1.0 - std::erfc(x / std::sqrt(2.0)) / tail; }) <
        kKsCritical);

  // The exponential's tail is r + Exp(1).
  for (double& x : xs) {
    x = zig::standard_exponential_slow(rng, 0xFFFFFFFFFFFFFF00ULL);
    REQUIRE(x >= zig::kExpR);
    x -= zig::kExpR;
  }
  CHECK(ks_statistic(xs, [](double x) { return -std::expm1(-x); }) < kKsCritical);
}

TEST_CASE("consecutive ziggurat draws are uncorrelated, also in magnitude") {
  constexpr int kN = 400'000;
  for (const bool normal : {true, false}) {
    CAPTURE(normal);
    RandomStream rng(24, normal ? 1 : 2);
    auto draw = [&] { return normal ? std::fabs(standard_normal(rng)) : standard_exponential(rng); };
    double prev = draw();
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (int i = 0; i < kN; ++i) {
      const double x = draw();
      sx += prev;
      sy += x;
      sxx += prev * prev;
      syy += x * x;
      sxy += prev * x;
      prev = x;
    }
    const double cov = sxy / kN - (sx / kN) * (sy / kN);
    const double corr =
        cov / std::sqrt((sxx / kN - (sx / kN) * (sx / kN)) * (syy / kN - (sy / kN) * (sy / kN)));
    CHECK(std::fabs(corr) < 5.0 / std::sqrt(static_cast<double>(kN)));
  }
}

TEST_CASE("a point in a wedge is accepted with probability (f(x) - f(x_i)) / (f(x_i+1) - f(x_i))") {
  // The first draw is crafted to land at a chosen point of layer i's wedge; the slow path
  // then returns exactly that point (accepted) or a fresh draw (rejected, restart).
  constexpr int kTrials = 20'000;
  struct Sampler {
    const zig::ZigguratLayer* layers;
    const double* f;
    int shift;  // bits = u >> shift
    double (*slow)(RandomStream&, std::uint64_t);
    double (*density)(double);
  };
  const Sampler samplers[] = {
      {zig::kNormalLayers, zig::kNormalF, 12, zig::standard_normal_slow,
       [](double x) { return std::exp(-x * x / 2); }},
      {zig::kExpLayers, zig::kExpF, 11, zig::standard_exponential_slow,
       [](double x) { return std::exp(-x); }},
  };
  RandomStream rng(25, 1);
  for (const Sampler& s : samplers) {
    for (const int i : {1, 2, 40, 128, 200, 254, 255}) {
      for (const double frac : {0.2, 0.5, 0.8}) {
        CAPTURE(s.shift);
        CAPTURE(i);
        CAPTURE(frac);
        const double lo = layer_x(s.layers, i + 1, 64 - s.shift);
        const double hi = layer_x(s.layers, i, 64 - s.shift);
        const auto bits = static_cast<std::uint64_t>((lo + frac * (hi - lo)) / s.layers[i].w);
        REQUIRE(bits >= s.layers[i].k);
        const std::uint64_t u = (bits << s.shift) | static_cast<std::uint64_t>(i);
        const double x = static_cast<double>(bits) * s.layers[i].w;
        const double p = (s.density(x) - s.f[i]) / (s.f[i + 1] - s.f[i]);
        int accepted = 0;
        for (int t = 0; t < kTrials; ++t) accepted += s.slow(rng, u) == x ? 1 : 0;
        const double se = std::sqrt(p * (1 - p) / kTrials);
        CHECK(std::fabs(accepted / double(kTrials) - p) < 4.5 * se + 1.0 / kTrials);
      }
    }
  }
}

TEST_CASE("exp_det is within 0.52 ulp of e^x and agrees with libm to 1 ulp") {
  // The error is measured against expl where long double has a 64-bit significand (x86);
  // elsewhere only the comparison with std::exp remains.
  auto ulps = [](double got, long double exact) {
    const double nearest = static_cast<double>(exact);
    const double ulp = std::nextafter(nearest, INFINITY) - nearest;
    return static_cast<double>(std::fabs(static_cast<long double>(got) - exact) / ulp);
  };
  constexpr bool kPrecise = std::numeric_limits<long double>::digits >= 64;
  RandomStream rng(26, 1);
  double worst = 0;
  int differ = 0;
  constexpr int kN = 500'000;
  for (int i = 0; i < kN; ++i) {
    // Half the points over the whole range, half within |x| < 2 (where lognormal lives).
    const double x = i % 2 == 0 ? uniform(rng, -708.0, 708.0) : uniform(rng, -2.0, 2.0);
    const double got = zig::exp_det(x);
    const double lib = std::exp(x);
    REQUIRE(std::fabs(got - lib) <= std::nextafter(lib, INFINITY) - lib);
    differ += got != lib ? 1 : 0;
    if constexpr (kPrecise) worst = std::max(worst, ulps(got, std::exp(static_cast<long double>(x))));
  }
  MESSAGE("exp_det: worst error " << worst << " ulp, differs from libm in " << differ << " of "
                                  << kN);
  if constexpr (kPrecise) CHECK(worst < 0.52);
  CHECK(differ < kN / 200);  // both are nearly correctly rounded (0.1% differ here)

  // Outside [-700, 708] and for NaN, std::exp decides.
  CHECK(zig::exp_det(-INFINITY) == 0.0);
  CHECK(zig::exp_det(INFINITY) == INFINITY);
  CHECK(std::isnan(zig::exp_det(std::nan(""))));
  CHECK(zig::exp_det(709.5) == std::exp(709.5));
  CHECK(zig::exp_det(-740.0) == std::exp(-740.0));
  CHECK(zig::exp_det(-705.0) == std::exp(-705.0));
  CHECK(zig::exp_det(-0.0) == 1.0);
  // Monotone over 2,000 consecutive doubles around a few points, one where the table
  // index changes (x = ln 2 / 256, halfway to the next multiple of ln 2 / 128).
  for (const double x0 : {-3.0, -1e-9, std::numbers::ln2 / 256, 5.0}) {
    double x = x0;
    for (int i = 0; i < 1000; ++i) x = std::nextafter(x, -INFINITY);
    double prev = zig::exp_det(x);
    for (int i = 0; i < 2000; ++i) {
      x = std::nextafter(x, INFINITY);
      const double y = zig::exp_det(x);
      REQUIRE(y >= prev);
      prev = y;
    }
  }
}
