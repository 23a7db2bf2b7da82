// M/M/c/K closed forms against brute-force stationary distributions (values computed by
// summing p_n directly in Python), and limits: Erlang B, Erlang C, overload.
#include <doctest/doctest.h>

#include <cmath>

#include "models/queueing.hpp"

using namespace dcsim::models;

TEST_CASE("M/M/c/K blocking, waiting probability and queue length match the stationary distribution") {
  // (λ, s, c, waiting room) → P(block), P(c ≤ n < K), Lq, Wq; brute force: p_n ∝ a^n/n!, then ∝ ρ^(n-c).
  struct Case { double lambda, s; int c, w; double pb, pw, lq, wq; };
  const Case cases[] = {
      {3.0, 1.0, 4, 10, 0.007329710373, 0.491317131, 1.254060082, 0.4211066168},
      {5.0, 1.0, 4, 10, 0.2112967154, 0.7544356133, 6.792657703, 1.722487489},   // overloaded: ρ = 1.25
      {4.0, 1.0, 4, 10, 0.0756501182, 0.756501182, 4.160756501, 1.125319693},    // ρ = 1 exactly
      {0.5, 1.0, 1, 0, 0.3333333333, 0.0, 0.0, 0.0},                               // Erlang B, one server
  };
  for (const auto& k : cases) {
    const auto q = mmck(k.lambda, k.s, 1.0, k.c, k.w);
    INFO("lambda " << k.lambda << " c " << k.c);
    CHECK(q.p_block == doctest::Approx(k.pb).epsilon(1e-8));
    CHECK(q.p_wait == doctest::Approx(k.pw).epsilon(1e-8));
    CHECK(q.lq == doctest::Approx(k.lq).epsilon(1e-8));
    CHECK(q.wq_s == doctest::Approx(k.wq).epsilon(1e-8));
  }
}

TEST_CASE("with a large waiting room M/M/c/K tends to Erlang C") {
  const int c = 4;
  const double s = 0.01, rho = 0.7, lambda = rho * c / s, a = lambda * s;
  double sum = 0, term = 1;
  for (int k = 0; k < c; ++k) {
    sum += term;
    term *= a / (k + 1);
  }
  const double pwait = term / ((1 - rho) * sum + term);
  const auto q = mmck(lambda, s, 1.0, c, 100000);
  CHECK(q.p_block < 1e-12);
  CHECK(q.p_wait == doctest::Approx(pwait).epsilon(1e-9));
  CHECK(q.wq_s == doctest::Approx(pwait * s / (c * (1 - rho))).epsilon(1e-9));
  CHECK(q.utilisation == doctest::Approx(rho));
}

TEST_CASE("thousands of servers and heavy overload stay finite and sensible") {
  const auto light = mmck(10000, 0.08, 1.0, 2400, 9600);  // ρ = 0.33
  CHECK(light.p_block == doctest::Approx(0.0));
  CHECK(light.wq_s < 1e-9);
  const auto heavy = mmck(60000, 0.08, 1.0, 2400, 9600);  // ρ = 2: half must be turned away
  CHECK(std::isfinite(heavy.wq_s));
  CHECK(heavy.p_block == doctest::Approx(0.5).epsilon(0.01));
  CHECK(heavy.utilisation == doctest::Approx(1.0).epsilon(0.01));
  CHECK(heavy.lq == doctest::Approx(9600).epsilon(0.01));
}

TEST_CASE("Allen-Cunneen scales the wait by (1 + cs^2) / 2") {
  const auto exp_service = mmck(300, 0.01, 1.0, 4, 1000);
  const auto det_service = mmck(300, 0.01, 0.0, 4, 1000);
  CHECK(det_service.wq_s == doctest::Approx(exp_service.wq_s / 2));
  CHECK(det_service.p_block == exp_service.p_block);
}

TEST_CASE("erlang_b satisfies its recursion and known values") {
  CHECK(erlang_b(1, 1.0) == doctest::Approx(0.5));
  CHECK(erlang_b(2, 1.0) == doctest::Approx(0.2));  // (1/2) / (1 + 1 + 1/2)
  CHECK(erlang_b(0, 3.0) == 1.0);
}
