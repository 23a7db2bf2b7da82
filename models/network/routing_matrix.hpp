// The routing matrix: directed links × columns, the share of a column's bytes that cross
// a link (1 on a single path; a fraction where multipath routing splits the column over
// several paths). A column is one origin → site pair in one direction (2p toward the
// site, 2p + 1 back), so link loads are the matrix times the columns' bytes (Eigen,
// sparse: a column crosses a handful of links), and bandwidth is shared among the columns
// crossing each link.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

namespace dcsim::models {

struct PathTable;
struct LinkShare;

/// A link with no capacity limit.
inline constexpr double kUnlimited = std::numeric_limits<double>::infinity();

class RoutingMatrix {
 public:
  /// `column_links[j]`: the links column j crosses (ids below `links`), all of its bytes.
  RoutingMatrix(std::size_t links, const std::vector<std::vector<std::uint32_t>>& column_links);
  /// The same with the share of column j's bytes on each link (in (0, 1]).
  static RoutingMatrix with_shares(std::size_t links, const std::vector<std::vector<LinkShare>>& column_links);
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
  /// Calls fn(link, share) for each link of a column.
  template <class Fn>
  void for_links(std::size_t column, Fn&& fn) const {
    for (const Entry& e : column_links_[column]) fn(static_cast<std::size_t>(e.index), e.share);
  }

  /// Weighted max-min fair rates by progressive filling: column j wants `demand[j]` and
  /// weighs `weight[j]` (its concurrent transfers); link l carries at most `capacity[l]`
  /// (kUnlimited: no limit) of the columns' rates times their shares on it. Every column's
  /// rate grows as weight × a common level until its demand is met or a link it crosses is
  /// full; then it stays (a split column as a whole: its split is the routing's, fixed). The result: no link over
  /// capacity, no column over its demand, and every column held below its demand crosses a
  /// full link on which no column has a higher rate per weight (the definition of max-min
  /// fairness, weighted).
  std::vector<double> max_min_rates(const std::vector<double>& demand, const std::vector<double>& weight,
                                    const std::vector<double>& capacity) const;

 private:
  struct Sparse;
  struct Entry {
    std::uint32_t index;  ///< the link (in column_links_) or the column (in link_columns_)
    double share;
  };
  RoutingMatrix(std::size_t links, std::size_t columns);
  void build();
  std::unique_ptr<Sparse> sparse_;
  std::vector<std::vector<Entry>> column_links_;
  std::vector<std::vector<Entry>> link_columns_;
};

}  // namespace dcsim::models
