// Traffic on the backbone's links. Runs record bytes per origin → site pair (one addition
// per request); the loads per directed link and reporting interval are then the routing
// matrix (routing_matrix.hpp) times the pairs' bytes, computed when an interval closes or
// the paths change (a cut).
// Bytes are kept apart by what carries them: users' requests and responses, and the
// copies sites make (replicas, exports, catch-up).
#pragma once

#include <cstddef>
#include <cstdint>
#include <array>
#include <vector>

#include "models/network/path_table.hpp"
#include "models/network/congestion.hpp"
#include "models/network/routing_matrix.hpp"

namespace dcsim::models {

enum class LinkTraffic : std::uint8_t { User, Replica, Export, Catchup, Migration, Fetch };
inline constexpr std::size_t kLinkTraffic = 6;
const char* name(LinkTraffic t);

class LinkLoads {
 public:
  LinkLoads(std::size_t intervals, const PathTable& paths);
  LinkLoads(const LinkLoads&) = delete;
  LinkLoads& operator=(const LinkLoads&) = delete;

  /// `bytes` crossing the links of `pair` in `interval`: from origin to site
  /// (toward_site), or back. Bytes of an interval already closed are added at once;
  /// interval intervals() (sent at the run's end) loads no interval, only the segment tap.
  /// Inline: called for every request and copy of an event run.
  void add(std::size_t interval, LinkTraffic kind, std::size_t pair, bool toward_site, double bytes) {
    const std::size_t column = 2 * pair + (toward_site ? 0 : 1);
    if (static_cast<std::ptrdiff_t>(interval) == open_ && !segment_) [[likely]] {
      open_bytes_[static_cast<std::size_t>(kind)][column] += bytes;
      dirty_ = true;
      return;
    }
    add_slow(interval, kind, column, bytes);
  }
  /// A hint that add(…, kind, pair, toward_site, …) comes soon: starts loading its cell
  /// (thousands of columns: an add is often a cache miss).
  /// Always inlined: out of line, GCC would delete its calls (see Histogram::prefetch).
  [[gnu::always_inline]] void prefetch(LinkTraffic kind, std::size_t pair, bool toward_site) const {
    __builtin_prefetch(open_bytes_[static_cast<std::size_t>(kind)].data() + 2 * pair + (toward_site ? 0 : 1), 1);
  }
  /// Closes the open interval with the paths in force (before they change, and at the end).
  void flush();
  /// Flushes, then routes what comes next over `paths` (after a cut or its repair).
  void set_paths(const PathTable& paths);

  std::size_t intervals() const { return intervals_; }
  std::size_t link_ids() const { return link_ids_; }
  /// Bytes offered to directed link `id` in `interval` (flushed), by kind.
  double bytes(std::size_t interval, std::size_t id, LinkTraffic kind) const {
    return loads_[(interval * kLinkTraffic + static_cast<std::size_t>(kind)) * link_ids_ + id];
  }

   /// With capacities: what each link carried (<= its capacity) and its mean queueing delay.
  /// The flow model shares the links for each of its steps (record_shared); an event run
  /// lets flush share each interval's offered bytes (share_at_flush).
  bool shared() const { return !carried_.empty(); }
  double carried_bytes(std::size_t interval, std::size_t id) const { return carried_[interval * link_ids_ + id]; }
  double delay_s(std::size_t interval, std::size_t id) const { return delay_s_[interval * link_ids_ + id]; }
  void share_at_flush(std::vector<double> capacity, LinkSharing sharing, std::vector<double> interval_s);
  /// One flow step of `seconds` in `interval`: per link, bytes carried and queueing delay.
  void record_shared(std::size_t interval, const Congestion& c, double seconds, double interval_s);

  /// Also sums every byte added per column into `segment` (nullptr: stop): the flow model's
  /// congestion works on a segment's bytes.
  void tap_segment(std::vector<double>* segment) { segment_ = segment; }
  const RoutingMatrix& matrix() const { return matrix_; }

  /// Keeps each interval's bytes per column (all kinds), for traffic engineering's demand.
  void keep_column_bytes() { column_bytes_.assign(intervals_, std::vector<double>(matrix_.columns(), 0.0)); }
  /// Bytes per column in `interval` (flushed; empty unless keep_column_bytes was called).
  const std::vector<double>& column_bytes(std::size_t interval) const { return column_bytes_[interval]; }
  /// The links each pair crossed under the routing in force when the run started, with the
  /// share of its bytes on each: what paths.csv names a pair's bottleneck from.
  const std::vector<std::vector<LinkShare>>& start_links() const { return start_links_; }
  /// How many paths each pair was split over when the run started (0: unreachable).
  const std::vector<std::uint8_t>& start_path_count() const { return start_path_count_; }

 private:
  void add_slow(std::size_t interval, LinkTraffic kind, std::size_t column, double bytes);

  std::size_t intervals_, link_ids_;
  RoutingMatrix matrix_;
  std::array<std::vector<double>, kLinkTraffic> open_bytes_;  ///< the open interval's bytes per column, by kind
  bool dirty_ = false;
  std::ptrdiff_t open_ = -1;        ///< the interval whose column bytes are being summed
  std::vector<double> loads_;       ///< interval × kind × directed link: bytes
  std::vector<double>* segment_ = nullptr;
  std::vector<std::vector<double>> column_bytes_;  ///< interval × column (keep_column_bytes)
  std::vector<std::vector<LinkShare>> start_links_;
  std::vector<std::uint8_t> start_path_count_;
  std::vector<double> carried_, delay_s_;   ///< interval × directed link (when shared)
  std::vector<double> capacity_, interval_s_;  ///< for share_at_flush
  LinkSharing sharing_;
  bool share_at_flush_ = false;
};

/// Capacity of every directed link id in bytes/s: backbone links both ways, site uplinks
/// as stated (uplink_gbps; none: kUnlimited).
std::vector<double> link_capacities(const World& world, const PathTable& paths);

}  // namespace dcsim::models
