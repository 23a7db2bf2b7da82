// Inversion of a piecewise-linear cumulative rate: Λ is tabulated at bin starts, the
// arrival is the time where Λ(after) + Exp(1) is reached (whole periods skipped at once).
#include "sim/arrivals.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace dcsim::sim {

PiecewiseConstantRate::PiecewiseConstantRate(std::vector<double> rates_per_s,
                                             SimDuration bin_width, bool periodic)
    : rates_(std::move(rates_per_s)), width_(bin_width), span_ns_(0), periodic_(periodic) {
  if (rates_.empty()) throw std::invalid_argument("PiecewiseConstantRate: no bins");
  if (width_.count() <= 0) throw std::invalid_argument("PiecewiseConstantRate: bin width <= 0");
  if (width_.count() > INT64_MAX / static_cast<std::int64_t>(rates_.size())) {
    throw std::invalid_argument("PiecewiseConstantRate: span overflows SimTime");
  }
  span_ns_ = width_.count() * static_cast<std::int64_t>(rates_.size());
  cumulative_.assign(rates_.size() + 1, 0.0);
  const double width_s = to_seconds(width_);
  for (std::size_t i = 0; i < rates_.size(); ++i) {
    if (!std::isfinite(rates_[i]) || rates_[i] < 0.0) {
      throw std::invalid_argument("PiecewiseConstantRate: rates must be finite and >= 0");
    }
    cumulative_[i + 1] = cumulative_[i] + rates_[i] * width_s;
  }
}

double PiecewiseConstantRate::rate_at(SimTime t) const {
  std::int64_t ns = t.time_since_epoch().count();
  if (periodic_) {
    ns %= span_ns_;
    if (ns < 0) ns += span_ns_;
  } else if (ns < 0 || ns >= span_ns_) {
    return 0.0;
  }
  return rates_[static_cast<std::size_t>(ns / width_.count())];
}

double PiecewiseConstantRate::cumulative_within(std::int64_t t) const {
  if (t >= span_ns_) return cumulative_.back();
  const std::int64_t bin = t / width_.count();
  const auto i = static_cast<std::size_t>(bin);
  return cumulative_[i] + rates_[i] * static_cast<double>(t - bin * width_.count()) * 1e-9;
}

std::int64_t PiecewiseConstantRate::invert_within(double target) const {
  // First bin whose end lies beyond the target; it has a positive rate.
  auto it = std::upper_bound(cumulative_.begin() + 1, cumulative_.end(), target);
  if (it == cumulative_.end()) --it;  // round-off at the very top
  const auto i = static_cast<std::size_t>(it - cumulative_.begin() - 1);
  const std::int64_t start = static_cast<std::int64_t>(i) * width_.count();
  if (!(rates_[i] > 0.0)) return start + width_.count();
  const double offset_ns = std::max(0.0, (target - cumulative_[i]) / rates_[i] * 1e9);
  return start + std::min(static_cast<std::int64_t>(std::llround(offset_ns)), width_.count());
}

double PiecewiseConstantRate::expected_count(SimTime from, SimTime to) const {
  // Λ from time 0 (or the start of from's period) to t.
  auto lambda = [this](std::int64_t t, std::int64_t base_period) {
    if (!periodic_) return cumulative_within(std::clamp<std::int64_t>(t, 0, span_ns_));
    std::int64_t period = t / span_ns_;
    std::int64_t r = t % span_ns_;
    if (r < 0) {
      r += span_ns_;
      --period;
    }
    return static_cast<double>(period - base_period) * cumulative_.back() +
           cumulative_within(r);
  };
  const std::int64_t a = from.time_since_epoch().count();
  const std::int64_t b = to.time_since_epoch().count();
  if (b <= a) return 0.0;
  const std::int64_t base = periodic_ ? a / span_ns_ - (a % span_ns_ < 0 ? 1 : 0) : 0;
  return lambda(b, base) - lambda(a, base);
}

SimTime PiecewiseConstantRate::next_arrival(SimTime after, RandomStream& rng) const {
  const double draw = exponential(rng, 1.0);
  const double total = cumulative_.back();
  std::int64_t t = after.time_since_epoch().count();
  if (!periodic_) {
    t = std::max<std::int64_t>(t, 0);
    if (t >= span_ns_) return kNever;
    const double target = cumulative_within(t) + draw;
    if (target >= total) return kNever;
    return SimTime{SimDuration{std::max(t, invert_within(target))}};
  }
  if (!(total > 0.0)) return kNever;
  std::int64_t period = t / span_ns_;
  std::int64_t r = t % span_ns_;
  if (r < 0) {
    r += span_ns_;
    --period;
  }
  double target = cumulative_within(r) + draw;
  const double whole = std::floor(target / total);
  target -= whole * total;
  if (target >= total) target = std::nextafter(total, 0.0);  // round-off guard
  if (whole > static_cast<double>(INT64_MAX / span_ns_ - period - 1)) return kNever;
  period += static_cast<std::int64_t>(whole);
  const std::int64_t at_ns = period * span_ns_ + invert_within(target);
  return SimTime{SimDuration{std::max(t, at_ns)}};
}

}  // namespace dcsim::sim
