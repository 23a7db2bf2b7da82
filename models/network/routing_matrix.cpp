// The sparse routing matrix (Eigen) and progressive filling.
#include "models/network/routing_matrix.hpp"

#include <algorithm>
#include <cmath>

#include <Eigen/Dense>
#include <Eigen/SparseCore>

#include "models/network/path_table.hpp"

namespace dcsim::models {

struct RoutingMatrix::Sparse {
  Eigen::SparseMatrix<double> m;
};

RoutingMatrix::RoutingMatrix(std::size_t links, const std::vector<std::vector<std::uint32_t>>& column_links)
    : sparse_(std::make_unique<Sparse>()), column_links_(column_links.size()), link_columns_(links) {
  for (std::size_t j = 0; j < column_links.size(); ++j)
    for (std::uint32_t l : column_links[j]) column_links_[j].push_back({l, 1.0});
  build();
}

RoutingMatrix::RoutingMatrix(std::size_t links, std::size_t columns)
    : sparse_(std::make_unique<Sparse>()), column_links_(columns), link_columns_(links) {}

RoutingMatrix RoutingMatrix::with_shares(std::size_t links, const std::vector<std::vector<LinkShare>>& column_links) {
  RoutingMatrix m(links, column_links.size());
  for (std::size_t j = 0; j < column_links.size(); ++j)
    for (const LinkShare& l : column_links[j]) m.column_links_[j].push_back({l.id, l.share});
  m.build();
  return m;
}

void RoutingMatrix::build() {
  std::vector<Eigen::Triplet<double>> entries;
  for (std::size_t j = 0; j < column_links_.size(); ++j)
    for (const Entry& e : column_links_[j]) {
      entries.emplace_back(static_cast<int>(e.index), static_cast<int>(j), e.share);
      link_columns_[e.index].push_back({static_cast<std::uint32_t>(j), e.share});
    }
  sparse_->m.resize(static_cast<Eigen::Index>(link_columns_.size()), static_cast<Eigen::Index>(column_links_.size()));
  sparse_->m.setFromTriplets(entries.begin(), entries.end());
}

RoutingMatrix RoutingMatrix::of_paths(const PathTable& paths) {
  std::vector<std::vector<LinkShare>> columns(2 * paths.pairs());
  for (std::size_t p = 0; p < paths.pairs(); ++p) {
    columns[2 * p] = paths.links[p];
    for (const LinkShare& l : paths.links[p]) columns[2 * p + 1].push_back({l.id ^ 1U, l.share});
  }
  return with_shares(paths.link_ids, columns);
}

RoutingMatrix::~RoutingMatrix() = default;
RoutingMatrix::RoutingMatrix(RoutingMatrix&&) noexcept = default;
RoutingMatrix& RoutingMatrix::operator=(RoutingMatrix&&) noexcept = default;

std::size_t RoutingMatrix::links() const { return link_columns_.size(); }
std::size_t RoutingMatrix::columns() const { return column_links_.size(); }

void RoutingMatrix::multiply_add(const std::vector<double>& x, std::vector<double>& y) const {
  const Eigen::Map<const Eigen::VectorXd> xs(x.data(), static_cast<Eigen::Index>(x.size()));
  Eigen::Map<Eigen::VectorXd> ys(y.data(), static_cast<Eigen::Index>(y.size()));
  ys += sparse_->m * xs;
}

void RoutingMatrix::add_column(std::size_t column, double value, double* y) const {
  for (Eigen::SparseMatrix<double>::InnerIterator it(sparse_->m, static_cast<Eigen::Index>(column)); it; ++it)
    y[it.row()] += it.value() * value;
}

std::vector<double> RoutingMatrix::max_min_rates(const std::vector<double>& demand, const std::vector<double>& weight,
                                                 const std::vector<double>& capacity) const {
  const std::size_t nc = columns(), nl = links();
  std::vector<double> rate(nc, 0.0);
  // Links that can fill: their columns together want more than they carry. A column that
  // crosses none of them gets its demand.
  std::vector<double> wanted(nl, 0.0);
  multiply_add(demand, wanted);
  std::vector<bool> tight(nl, false);
  for (std::size_t l = 0; l < nl; ++l) tight[l] = wanted[l] > capacity[l];
  std::vector<std::uint32_t> active;
  for (std::size_t j = 0; j < nc; ++j) {
    if (!(demand[j] > 0)) continue;
    bool constrained = false;
    for_links(j, [&](std::size_t l, double) { constrained = constrained || tight[l]; });
    if (constrained && weight[j] > 0) {
      active.push_back(static_cast<std::uint32_t>(j));
    } else {
      rate[j] = demand[j];
    }
  }
  // Progressive filling among the constrained columns, level by level: each round the
  // lowest level at which a column's demand is met or a tight link fills.
  std::vector<double> residual(nl, 0.0), active_weight(nl, 0.0);
  std::vector<std::size_t> active_count(nl, 0);  // exact, where the weights' sum is rounded
  for (std::size_t l = 0; l < nl; ++l)
    if (tight[l]) {
      residual[l] = capacity[l];
      for (const Entry& e : link_columns_[l])
        if (rate[e.index] > 0) residual[l] -= e.share * rate[e.index];
    }
  std::vector<bool> is_active(nc, false);
  for (std::uint32_t j : active) {
    is_active[j] = true;
    for_links(j, [&](std::size_t l, double share) {
      active_weight[l] += share * weight[j];
      ++active_count[l];
    });
  }
  std::sort(active.begin(), active.end(), [&](std::uint32_t a, std::uint32_t b) {
    const double la = demand[a] / weight[a], lb = demand[b] / weight[b];
    return la != lb ? la < lb : a < b;
  });
  std::size_t next_demand = 0;  // columns in `active` before this one are frozen or done
  std::size_t left = active.size();
  auto freeze = [&](std::uint32_t j, double r) {
    rate[j] = r;
    is_active[j] = false;
    --left;
    for_links(j, [&](std::size_t l, double share) {
      active_weight[l] -= share * weight[j];
      --active_count[l];
      residual[l] -= share * r;
    });
  };
  while (left > 0) {
    while (next_demand < active.size() && !is_active[active[next_demand]]) ++next_demand;
    double level = next_demand < active.size() ? demand[active[next_demand]] / weight[active[next_demand]] : kUnlimited;
    std::size_t full = nl;
    for (std::size_t l = 0; l < nl; ++l)
      if (tight[l] && active_count[l] > 0 && active_weight[l] > 0) {
        const double at = std::max(0.0, residual[l]) / active_weight[l];
        if (at < level) {
          level = at;
          full = l;
        }
      }
    if (full == nl) {  // the next column's demand is met before any link fills
      const std::uint32_t j = active[next_demand];
      freeze(j, demand[j]);
      continue;
    }
    std::vector<std::uint32_t> held;
    for (const Entry& e : link_columns_[full])
      if (is_active[e.index]) held.push_back(e.index);
    for (std::uint32_t j : held) freeze(j, std::min(demand[j], weight[j] * level));
    tight[full] = false;  // full: no active column left on it
  }
  return rate;
}

}  // namespace dcsim::models
