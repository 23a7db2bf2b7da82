// What edge caches serve in an event run, recorded on the generating thread. An edge hit
// queues nowhere and its latency depends only on the request (the edge path is fixed), so
// it needs none of the state the serving loop keeps: serving it beside the generator
// takes its work off the loop, which bounds a two-thread run, and its request never
// crosses to the other thread. Everything here is added into the run's Metrics once, at
// the end. Histograms and counts are integers (a request's weight is a whole number), and
// each edge flow cell's bytes are added in the same order as before, so every figure is
// the same as when the serving loop recorded them, except the last bits of the mean-TTFB
// sum (user_ttfb_ms_sum: one product instead of a sum per hit), which only flow runs'
// placement scores read.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "models/network/path_table.hpp"
#include "models/run/metrics.hpp"
#include "models/traffic/traffic_generator.hpp"
#include "sim/histogram.hpp"
#include "sim/time.hpp"

namespace dcsim::models {

class EdgeTally {
 public:
  /// Shaped like `m` (countries, classes, event windows); edge: the edge path.
  EdgeTally(const Metrics& m, const PathProps& edge, double bytes_per_ns, double weight)
      : classes_(m.classes().size()),
        edge_(edge),
        bytes_per_ns_(bytes_per_ns),
        weight_(weight),
        latency_(m.countries().size() * classes_, sim::Histogram(kLatencyPrecisionBits)),
        cells_(m.countries().size() * classes_) {
    for (const EventEffect& e : m.events) windows_.push_back({e.start, e.end, std::vector<std::uint64_t>(m.countries().size(), 0)});
  }

  /// The requests `hits` (in time order); info(stream) gives a hit's Metrics country and
  /// class index. Their latency-histogram buckets are scattered over hundreds of
  /// histograms: each is started loading a few hits ahead of its record, so the misses
  /// overlap.
  template <class StreamInfoOf>
  void serve(const std::vector<EdgeHit>& hits, StreamInfoOf&& info) {
    scratch_.clear();
    for (const EdgeHit& h : hits) {
      const auto [country, cls] = info(h.stream);
      scratch_.push_back({country * classes_ + cls,
                          static_cast<std::uint64_t>((edge_.rtt + transfer_time(h.size_bytes, edge_, bytes_per_ns_)).count() / 1000)});
    }
    constexpr std::size_t kAhead = 8;
    const std::size_t n = hits.size();
    for (std::size_t i = 0; i < std::min(n, kAhead); ++i) latency_[scratch_[i].cell].prefetch(scratch_[i].latency_us);
    for (std::size_t i = 0; i < n; ++i) {
      if (i + kAhead < n) latency_[scratch_[i + kAhead].cell].prefetch(scratch_[i + kAhead].latency_us);
      record(hits[i], scratch_[i].cell, scratch_[i].latency_us);
    }
  }

  /// Adds what was served into m (once, after the run). The sums a request adds one by one
  /// in the serving loop are added here as count × figure.
  void add_to(Metrics& m) const {
    const std::size_t countries = m.countries().size();
    const auto w = static_cast<std::uint64_t>(weight_);
    for (std::size_t c = 0; c < countries; ++c)
      for (std::size_t k = 0; k < classes_; ++k) {
        const std::size_t i = c * classes_ + k;
        m.latency(c, k).merge(latency_[i]);
        if (cells_[i].requests == 0) continue;
        // Every edge hit's time to first byte is the edge path's RTT: one record of all
        // of them is the same (integer) histogram as one record each.
        m.ttfb(c, k).record(ttfb_us(), cells_[i].requests * w);
        FlowCell& f = m.flow(c, m.edge_site(), k, FlowKind::Edge);
        f.requests += static_cast<double>(cells_[i].requests) * weight_;
        f.bytes += cells_[i].bytes;
      }
    for (std::size_t e = 0; e < windows_.size(); ++e)
      for (std::size_t c = 0; c < countries; ++c) m.events[e].ttfb_by_country[c].record(ttfb_us(), windows_[e].requests[c] * w);
    std::uint64_t hits = 0;  // simulated
    for (const Cell& c : cells_) hits += c.requests;
    const double requests = static_cast<double>(hits) * weight_;
    m.generated += requests;
    m.served += requests;
    m.user_ttfb_ms_sum += sim::to_milliseconds(edge_.rtt) * requests;
    m.user_ttfb_count += requests;
    m.simulated_requests += hits;
  }

 private:
  struct Cell {
    std::uint64_t requests = 0;  ///< simulated
    double bytes = 0;            ///< real
  };
  struct Window {
    sim::SimTime start, end;
    std::vector<std::uint64_t> requests;  ///< simulated, per country
  };
  struct HitRecord {  // what serve() computes of a hit before recording it
    std::size_t cell;
    std::uint64_t latency_us;
  };

  std::uint64_t ttfb_us() const { return static_cast<std::uint64_t>(edge_.rtt.count() / 1000); }

  void record(const EdgeHit& h, std::size_t cell, std::uint64_t latency_us) {
    latency_[cell].record(latency_us, static_cast<std::uint64_t>(weight_));
    for (Window& win : windows_)
      if (h.t >= win.start && h.t < win.end) ++win.requests[cell / classes_];
    Cell& c = cells_[cell];
    ++c.requests;
    c.bytes += h.size_bytes * weight_;
  }

  std::size_t classes_;
  PathProps edge_;
  double bytes_per_ns_;
  double weight_;
  std::vector<sim::Histogram> latency_;  ///< country × class, µs
  std::vector<Cell> cells_;              ///< country × class
  std::vector<Window> windows_;          ///< per event
  std::vector<HitRecord> scratch_;       ///< serve()'s hits, in order
};

}  // namespace dcsim::models
