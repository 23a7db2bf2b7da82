// The routing matrix and the loads it gives, with Eigen's sparse matrices.
#include "models/network/link_loads.hpp"

#include <array>

#include <Eigen/Dense>
#include <Eigen/SparseCore>

namespace dcsim::models {

const char* name(LinkTraffic t) {
  switch (t) {
    case LinkTraffic::User: return "user";
    case LinkTraffic::Replica: return "replica";
    case LinkTraffic::Export: return "export";
    case LinkTraffic::Catchup: return "catchup";
  }
  return "?";
}

// Column 2p carries pair p's bytes toward its site, 2p + 1 the bytes coming back.
struct LinkLoads::Matrix {
  Eigen::SparseMatrix<double> routes;
  std::array<Eigen::VectorXd, kLinkTraffic> open;  ///< per kind: bytes per column
  bool dirty = false;

  explicit Matrix(const PathTable& paths) {
    std::vector<Eigen::Triplet<double>> entries;
    for (std::size_t p = 0; p < paths.pairs(); ++p)
      for (std::uint32_t id : paths.links[p]) {
        entries.emplace_back(static_cast<int>(id), static_cast<int>(2 * p), 1.0);
        entries.emplace_back(static_cast<int>(id ^ 1U), static_cast<int>(2 * p + 1), 1.0);
      }
    routes.resize(static_cast<Eigen::Index>(paths.link_ids), static_cast<Eigen::Index>(2 * paths.pairs()));
    routes.setFromTriplets(entries.begin(), entries.end());
    for (auto& v : open) v = Eigen::VectorXd::Zero(routes.cols());
  }
};

LinkLoads::LinkLoads(std::size_t intervals, const PathTable& paths)
    : intervals_(intervals), link_ids_(paths.link_ids), matrix_(std::make_unique<Matrix>(paths)),
      loads_(intervals * kLinkTraffic * paths.link_ids, 0.0) {}

LinkLoads::~LinkLoads() = default;

void LinkLoads::add(std::size_t interval, LinkTraffic kind, std::size_t pair, bool toward_site, double bytes) {
  const std::size_t column = 2 * pair + (toward_site ? 0 : 1), k = static_cast<std::size_t>(kind);
  const auto i = static_cast<std::ptrdiff_t>(interval);
  if (i != open_) {
    if (i < open_) return add_closed(interval, k, column, bytes);  // a straggler (a retried request)
    flush();
    open_ = i;
  }
  matrix_->open[k][static_cast<Eigen::Index>(column)] += bytes;
  matrix_->dirty = true;
}

void LinkLoads::add_closed(std::size_t interval, std::size_t kind, std::size_t column, double bytes) {
  double* load = &loads_[(interval * kLinkTraffic + kind) * link_ids_];
  for (Eigen::SparseMatrix<double>::InnerIterator it(matrix_->routes, static_cast<Eigen::Index>(column)); it; ++it)
    load[it.row()] += it.value() * bytes;
}

void LinkLoads::flush() {
  if (open_ < 0 || !matrix_->dirty) return;
  for (std::size_t k = 0; k < kLinkTraffic; ++k) {
    const Eigen::VectorXd links = matrix_->routes * matrix_->open[k];
    double* load = &loads_[(static_cast<std::size_t>(open_) * kLinkTraffic + k) * link_ids_];
    for (Eigen::Index id = 0; id < links.size(); ++id) load[id] += links[id];
    matrix_->open[k].setZero();
  }
  matrix_->dirty = false;
}

void LinkLoads::set_paths(const PathTable& paths) {
  flush();
  matrix_ = std::make_unique<Matrix>(paths);
}

}  // namespace dcsim::models
