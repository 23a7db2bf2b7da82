// M/M/c/K closed forms against brute-force stationary distributions (values computed by
// summing p_n directly in Python), and limits: Erlang B, Erlang C, overload.
#include <doctest/doctest.h>

#include <cmath>
#include <initializer_list>

#include "models/run/queueing.hpp"

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

TEST_CASE("Allen-Cunneen scales the wait by (1 + cs^2) / 2 where the room is far from full") {
  const auto exp_service = mmck(300, 0.01, 1.0, 4, 1000);
  const auto det_service = mmck(300, 0.01, 0.0, 4, 1000);
  CHECK(det_service.wq_s == doctest::Approx(exp_service.wq_s / 2));
  CHECK(det_service.p_block < 1e-100);
  CHECK(exp_service.p_block < 1e-100);
}

TEST_CASE("variable service never pushes the queue past its waiting room") {
  // Overloaded (ρ = 1.1) and very variable service (cs² up to 50): the mean queue approaches
  // the room of 2,400 but stays inside it; just below saturation more variability blocks more.
  for (const double scv : {0.0, 1.0, 4.0, 9.0, 50.0}) {
    CAPTURE(scv);
    const auto q = mmck(1.1 * 600 / 0.036, 0.036, scv, 600, 2400);
    CHECK(q.lq <= 2400);
    CHECK(q.lq > 1500);
    CHECK(q.wq_s == doctest::Approx(q.lq / (1.1 * 600 / 0.036 * (1 - q.p_block))));
  }
  CHECK(mmck(0.98 * 600 / 0.036, 0.036, 9, 600, 2400).p_block > 10 * mmck(0.98 * 600 / 0.036, 0.036, 1, 600, 2400).p_block);
  // Below saturation with a roomy queue, variability does not block.
  CHECK(mmck(0.8 * 600 / 0.036, 0.036, 9, 600, 2400).p_block < 1e-6);
}

namespace {
// Mean and a quantile of accepted requests' waits from wait_quantile, over a fine grid.
double mean_wait(const QueueSteadyState& q) {
  const int n = 200000;
  double sum = 0;
  for (int i = 0; i < n; ++i) sum += wait_quantile(q, (i + 0.5) / n);
  return sum / n;
}
}  // namespace

TEST_CASE("the wait distribution has the queue's mean wait, exponential below saturation and bunched at the full room above") {
  for (const double rho : {0.5, 0.9, 0.99, 1.0, 1.05, 1.5}) {
    CAPTURE(rho);
    const auto q = mmck(rho * 100 / 0.05, 0.05, 1.0, 100, 400);
    CHECK(mean_wait(q) == doctest::Approx(q.wq_s).epsilon(0.002));
    for (double u = 0.01; u < 1; u += 0.07) CHECK(wait_quantile(q, u) <= wait_quantile(q, u + 0.01));
  }
  // Far below saturation with a large room: waits given a wait are exponential.
  const auto light = mmck(0.9 * 100 / 0.05, 0.05, 1.0, 100, 10000);
  const double waits = light.p_wait / (1 - light.p_block), mean_given = light.wq_s / waits;
  const double u95 = 1 - waits * 0.05;  // the 95th percentile of waits given a wait
  CHECK(wait_quantile(light, u95) == doctest::Approx(-mean_given * std::log(0.05)).epsilon(0.01));
  // Overloaded: nearly every accepted request waits about as long as a full room takes to
  // drain (400 ahead at 100 / 0.05 s per second: 0.2 s); none waits much longer.
  const auto heavy = mmck(1.5 * 100 / 0.05, 0.05, 1.0, 100, 400);
  CHECK(wait_quantile(heavy, 0.5) == doctest::Approx(0.2).epsilon(0.05));
  CHECK(wait_quantile(heavy, 0.999) <= 0.2 * 1.02);
}

TEST_CASE("erlang_b satisfies its recursion and known values") {
  CHECK(erlang_b(1, 1.0) == doctest::Approx(0.5));
  CHECK(erlang_b(2, 1.0) == doctest::Approx(0.2));  // (1/2) / (1 + 1 + 1/2)
  CHECK(erlang_b(0, 3.0) == 1.0);
}
