// What edge caches serve in an event run, recorded on the generating thread. An edge hit
// queues nowhere and its latency depends only on the request (the edge path is fixed), so
// it needs none of the state the serving loop keeps: serving it beside the generator
// takes its work off the loop, which bounds a two-thread run, and its request never
// crosses to the other thread. Everything here is added into the run's Metrics once, at
// the end (histograms and counts are integers, so the order of adding does not matter).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "models/network/path_table.hpp"
#include "models/run/metrics.hpp"
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
        ttfb_(m.countries().size() * classes_, sim::Histogram(kLatencyPrecisionBits)),
        cells_(m.countries().size() * classes_) {
    for (const EventEffect& e : m.events) windows_.push_back({e.start, e.end, std::vector<sim::Histogram>(m.countries().size(), sim::Histogram(kLatencyPrecisionBits))});
  }

  /// One request of `country` and class `cls` arriving at t, served by the edge.
  void serve(sim::SimTime t, std::size_t country, std::size_t cls, double size_bytes) {
    const sim::SimDuration latency = edge_.rtt + transfer_time(size_bytes, edge_, bytes_per_ns_);
    const auto w = static_cast<std::uint64_t>(weight_);
    const auto ttfb_us = static_cast<std::uint64_t>(edge_.rtt.count() / 1000);
    latency_[country * classes_ + cls].record(static_cast<std::uint64_t>(latency.count() / 1000), w);
    ttfb_[country * classes_ + cls].record(ttfb_us, w);
    for (Window& win : windows_)
      if (t >= win.start && t < win.end) win.ttfb_by_country[country].record(ttfb_us, w);
    Cell& c = cells_[country * classes_ + cls];
    ++c.requests;
    c.bytes += size_bytes * weight_;
    ++requests_;
  }

  /// Adds what was served into m (once, after the run). The sums a request adds one by one
  /// in the serving loop are added here as count × figure.
  void add_to(Metrics& m) const {
    const std::size_t countries = m.countries().size();
    for (std::size_t c = 0; c < countries; ++c)
      for (std::size_t k = 0; k < classes_; ++k) {
        const std::size_t i = c * classes_ + k;
        m.latency(c, k).merge(latency_[i]);
        m.ttfb(c, k).merge(ttfb_[i]);
        if (cells_[i].requests == 0) continue;
        FlowCell& f = m.flow(c, m.edge_site(), k, FlowKind::Edge);
        f.requests += static_cast<double>(cells_[i].requests) * weight_;
        f.bytes += cells_[i].bytes;
      }
    for (std::size_t e = 0; e < windows_.size(); ++e)
      for (std::size_t c = 0; c < countries; ++c) m.events[e].ttfb_by_country[c].merge(windows_[e].ttfb_by_country[c]);
    const double requests = static_cast<double>(requests_) * weight_;
    m.generated += requests;
    m.served += requests;
    m.user_ttfb_ms_sum += sim::to_milliseconds(edge_.rtt) * requests;
    m.user_ttfb_count += requests;
    m.simulated_requests += requests_;
  }

 private:
  struct Cell {
    std::uint64_t requests = 0;  ///< simulated
    double bytes = 0;            ///< real
  };
  struct Window {
    sim::SimTime start, end;
    std::vector<sim::Histogram> ttfb_by_country;
  };
  std::size_t classes_;
  PathProps edge_;
  double bytes_per_ns_;
  double weight_;
  std::vector<sim::Histogram> latency_, ttfb_;  ///< country × class, µs
  std::vector<Cell> cells_;                     ///< country × class
  std::vector<Window> windows_;                 ///< per event
  std::uint64_t requests_ = 0;                  ///< simulated
};

}  // namespace dcsim::models
