// Discrete sampling from n categories with arbitrary non-negative weights in O(1) per draw
// (Walker's alias method, built with Vose's numerically stable O(n) construction).
// Invariant: probability_[i] in [0, 1]; bucket i yields i with that probability, else
// alias_[i]. Construction is deterministic, so draws are reproducible for a given stream.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "sim/random.hpp"

namespace dcsim::sim {

/// Vose alias table over categories 0..n-1 with weights proportional to the input.
class AliasTable {
 public:
  AliasTable() = default;
  /// Weights must be finite, >= 0, with a positive sum; throws std::invalid_argument.
  explicit AliasTable(std::span<const double> weights);

  /// A category drawn with probability weight[i] / sum(weights); two draws per call.
  std::uint32_t sample(RandomStream& rng) const {
    const auto i = static_cast<std::uint32_t>(rng.uniform_below(probability_.size()));
    return rng.uniform01() < probability_[i] ? i : alias_[i];
  }

  std::size_t size() const { return probability_.size(); }
  /// Bucket i as sample() reads it: i below threshold(i), else alias(i) (for flat copies).
  double threshold(std::uint32_t i) const { return probability_[i]; }
  std::uint32_t alias(std::uint32_t i) const { return alias_[i]; }
  /// The normalised probability of category i, recomputed from the table (for tests).
  double probability_of(std::uint32_t i) const;

 private:
  std::vector<double> probability_;
  std::vector<std::uint32_t> alias_;
};

}  // namespace dcsim::sim
