// Vose's construction: scale weights to mean 1, pair each "small" bucket with a "large"
// donor, and settle round-off leftovers at probability 1.
#include "sim/alias_table.hpp"

#include <cmath>
#include <initializer_list>
#include <limits>
#include <stdexcept>

namespace dcsim::sim {

AliasTable::AliasTable(std::span<const double> weights) {
  const std::size_t n = weights.size();
  if (n == 0 || n > std::numeric_limits<std::uint32_t>::max()) {
    throw std::invalid_argument("AliasTable: need between 1 and 2^32-1 categories");
  }
  double total = 0.0;
  for (double w : weights) {
    if (!std::isfinite(w) || w < 0.0) {
      throw std::invalid_argument("AliasTable: weights must be finite and >= 0");
    }
    total += w;
  }
  if (!(total > 0.0) || !std::isfinite(total)) {
    throw std::invalid_argument("AliasTable: weights must have a positive finite sum");
  }

  probability_.assign(n, 0.0);
  alias_.assign(n, 0);
  std::vector<double> scaled(n);
  std::vector<std::uint32_t> small;
  std::vector<std::uint32_t> large;
  const double scale = static_cast<double>(n) / total;
  for (std::size_t i = 0; i < n; ++i) {
    scaled[i] = weights[i] * scale;
    (scaled[i] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(i));
  }
  while (!small.empty() && !large.empty()) {
    const std::uint32_t s = small.back();
    small.pop_back();
    const std::uint32_t l = large.back();
    probability_[s] = scaled[s];
    alias_[s] = l;
    scaled[l] = (scaled[l] + scaled[s]) - 1.0;
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // Whatever remains is 1 up to round-off.
  for (const auto* rest : {&large, &small}) {
    for (std::uint32_t i : *rest) {
      probability_[i] = 1.0;
      alias_[i] = i;
    }
  }
}

double AliasTable::probability_of(std::uint32_t i) const {
  double p = probability_[i];
  for (std::size_t j = 0; j < alias_.size(); ++j) {
    if (alias_[j] == i && j != i) p += 1.0 - probability_[j];
  }
  return p / static_cast<double>(probability_.size());
}

}  // namespace dcsim::sim
