// The routing matrix: directed links × columns, a 1 where a column's bytes cross a link.
// A column is one origin → site pair in one direction (2p toward the site, 2p + 1 back),
// so link loads are the matrix times the columns' bytes (Eigen, sparse: a column crosses a
// handful of links), and bandwidth is shared among the columns crossing each link.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

namespace dcsim::models {

struct PathTable;

/// A link with no capacity limit.
inline constexpr double kUnlimited = std::numeric_limits<double>::infinity();

class RoutingMatrix {
 public:
  /// `column_links[j]`: the links column j crosses (ids below `links`).
  RoutingMatrix(std::size_t links, const std::vector<std::vector<std::uint32_t>>& column_links);
  /// The columns of a path table: pair p's links toward the site (2p), and back (2p + 1).
  static RoutingMatrix of_paths(const PathTable& paths);
  ~RoutingMatrix();
  RoutingMatrix(RoutingMatrix&&) noexcept;
  RoutingMatrix& operator=(RoutingMatrix&&) noexcept;

  std::size_t links() const;
  std::size_t columns() const;
  /// y += R x (x per column, y per link).
  void multiply_add(const std::vector<double>& x, std::vector<double>& y) const;
  /// y += R e_j v: one column's value on its links.
  void add_column(std::size_t column, double value, double* y) const;
  /// Calls fn(link) for each link of a column.
  template <class Fn>
  void for_links(std::size_t column, Fn&& fn) const {
    for (std::uint32_t l : column_links_[column]) fn(static_cast<std::size_t>(l));
  }

  /// Weighted max-min fair rates by progressive filling: column j wants `demand[j]` and
  /// weighs `weight[j]` (its concurrent transfers); link l carries at most `capacity[l]`
  /// (kUnlimited: no limit). Every column's rate grows as weight × a common level until its
  /// demand is met or a link it crosses is full; then it stays. The result: no link over
  /// capacity, no column over its demand, and every column held below its demand crosses a
  /// full link on which no column has a higher rate per weight (the definition of max-min
  /// fairness, weighted).
  std::vector<double> max_min_rates(const std::vector<double>& demand, const std::vector<double>& weight,
                                    const std::vector<double>& capacity) const;

 private:
  struct Sparse;
  std::unique_ptr<Sparse> sparse_;
  std::vector<std::vector<std::uint32_t>> column_links_;
  std::vector<std::vector<std::uint32_t>> link_columns_;
};

}  // namespace dcsim::models
