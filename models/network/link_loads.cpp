// Link loads through the routing matrix.
#include "models/network/link_loads.hpp"

#include <cassert>

namespace dcsim::models {

const char* name(LinkTraffic t) {
  switch (t) {
    case LinkTraffic::User: return "user";
    case LinkTraffic::Replica: return "replica";
    case LinkTraffic::Export: return "export";
    case LinkTraffic::Catchup: return "catchup";
    case LinkTraffic::Migration: return "migration";
    case LinkTraffic::Fetch: return "fetch";
  }
  return "?";
}

LinkLoads::LinkLoads(std::size_t intervals, const PathTable& paths)
    : intervals_(intervals), link_ids_(paths.link_ids), matrix_(RoutingMatrix::of_paths(paths)),
      loads_(intervals * kLinkTraffic * paths.link_ids, 0.0), start_links_(paths.links),
      start_path_count_(paths.path_count) {
  for (auto& v : open_bytes_) v.assign(matrix_.columns(), 0.0);
}

void LinkLoads::add_slow(std::size_t interval, LinkTraffic kind, std::size_t column, double bytes) {
  const std::size_t k = static_cast<std::size_t>(kind);
  if (segment_) (*segment_)[column] += bytes;
  assert(interval <= intervals_);
  if (interval == intervals_) return;  // sent once the run is over: on no interval's links
  const auto i = static_cast<std::ptrdiff_t>(interval);
  if (i != open_) {
    if (i < open_) {  // a straggler (a retried request): straight onto its interval's links
      matrix_.add_column(column, bytes, &loads_[(interval * kLinkTraffic + k) * link_ids_]);
      if (!column_bytes_.empty()) column_bytes_[interval][column] += bytes;
      return;
    }
    flush();
    open_ = i;
  }
  open_bytes_[k][column] += bytes;
  dirty_ = true;
}

void LinkLoads::flush() {
  if (open_ < 0 || !dirty_) return;
  if (share_at_flush_) {  // the interval's bytes as one steady stretch
    const double seconds = interval_s_[static_cast<std::size_t>(open_)];
    std::vector<double> offered(matrix_.columns(), 0.0);
    // Migration waves are planned into the links, not shared (as in the flow model; the
    // last interval's arrive here with the run's end).
    for (std::size_t k = 0; k < kLinkTraffic; ++k)
      if (static_cast<LinkTraffic>(k) != LinkTraffic::Migration)
        for (std::size_t j = 0; j < offered.size(); ++j) offered[j] += open_bytes_[k][j] / seconds;
    record_shared(static_cast<std::size_t>(open_), share_links(matrix_, offered, capacity_, sharing_), seconds, seconds);
  }
  std::vector<double> links(link_ids_);
  for (std::size_t k = 0; k < kLinkTraffic; ++k) {
    std::fill(links.begin(), links.end(), 0.0);
    matrix_.multiply_add(open_bytes_[k], links);
    if (!column_bytes_.empty())
      for (std::size_t j = 0; j < open_bytes_[k].size(); ++j) column_bytes_[static_cast<std::size_t>(open_)][j] += open_bytes_[k][j];
    double* load = &loads_[(static_cast<std::size_t>(open_) * kLinkTraffic + k) * link_ids_];
    for (std::size_t id = 0; id < link_ids_; ++id) load[id] += links[id];
    std::fill(open_bytes_[k].begin(), open_bytes_[k].end(), 0.0);
  }
  dirty_ = false;
}

void LinkLoads::share_at_flush(std::vector<double> capacity, LinkSharing sharing, std::vector<double> interval_s) {
  capacity_ = std::move(capacity);
  sharing_ = sharing;
  interval_s_ = std::move(interval_s);
  share_at_flush_ = true;
}

void LinkLoads::record_shared(std::size_t interval, const Congestion& c, double seconds, double interval_s) {
  if (carried_.empty()) {
    carried_.assign(intervals_ * link_ids_, 0.0);
    delay_s_.assign(intervals_ * link_ids_, 0.0);
  }
  for (std::size_t l = 0; l < link_ids_; ++l) {
    carried_[interval * link_ids_ + l] += c.link_carried[l] * seconds;
    delay_s_[interval * link_ids_ + l] += c.link_delay_s[l] * seconds / interval_s;  // time-weighted mean
  }
}

std::vector<double> link_capacities(const World& world, const PathTable& paths) {
  std::vector<double> out(paths.link_ids, kUnlimited);
  const auto& edges = world.backbone().edges();
  for (std::size_t e = 0; e < edges.size(); ++e) out[2 * e] = out[2 * e + 1] = edges[e].capacity_gbps * 1e9 / 8;
  for (std::size_t k = 0; k < world.sites().size(); ++k)
    if (const auto& up = world.sites()[k].site->uplink_gbps)
      out[paths.uplink_into(k)] = out[paths.uplink_into(k) ^ 1] = *up * 1e9 / 8;
  return out;
}

void LinkLoads::set_paths(const PathTable& paths) {
  flush();
  matrix_ = RoutingMatrix::of_paths(paths);
}

}  // namespace dcsim::models
