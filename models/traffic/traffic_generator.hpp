// Synthetic traffic: every demand stream draws its own arrivals, sizes and service times
// from its own random stream, keyed by (seed, region or staff id, class name), and the
// engine merges the streams into one time-ordered sequence of requests. Nothing here
// depends on the state of sites, so the same seed gives the same requests whatever the
// build-out or the thread count: variants are compared on common random numbers.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "models/traffic/demand.hpp"
#include "models/network/world.hpp"
#include "sim/alias_table.hpp"
#include "sim/distributions.hpp"
#include "sim/engine.hpp"
#include "sim/random.hpp"

namespace dcsim::models {

/// One simulated request (it stands for Demand::weight real ones).
struct Request {
  sim::SimTime t{};
  std::uint32_t stream = 0;         ///< index into Demand::streams
  std::uint32_t subject_region = 0; ///< whose data: the user's region, or for staff, a drawn one
  std::uint64_t user = 0;           ///< agent id within subject_region
  double size_bytes = 0;
  sim::SimDuration service{};
  bool edge_hit = false;            ///< served by an edge cache in the user's country
};

/// A user's read an edge cache serves: what serving it needs (set apart from the chunk).
struct EdgeHit {
  sim::SimTime t{};
  std::uint32_t stream = 0;
  double size_bytes = 0;
};

class TrafficGenerator {
 public:
  /// Keeps references to world and demand, which must outlive the generator.
  TrafficGenerator(const World& world, const Demand& demand, std::uint64_t seed);

  /// Appends up to `max` requests in time order (and sets apart up to `max` edge hits, see
  /// set_apart_edge_hits); false once every stream is exhausted and nothing was appended
  /// or set apart.
  bool next_chunk(std::vector<Request>& out, std::size_t max);
  std::uint64_t events_processed() const { return engine_.events_processed(); }

  /// From now on, users' reads that hit an edge cache go to edge_hits() (in time order)
  /// instead of the chunk; the same draws are made either way.
  void set_apart_edge_hits() { set_apart_ = true; }
  /// The edge hits set apart so far; the caller clears it.
  std::vector<EdgeHit>& edge_hits() { return edge_hits_; }

 private:
  struct alignas(64) StreamState {  // one cache line: a request touches one stream's state
    sim::RandomStream rng;
    StepRate::Cursor cursor;
  };
  static_assert(sizeof(StreamState) == 64, "a stream's random state and cursor fill one cache line");
  struct ClassSampler {
    SizeDist size_dist;
    double size_mean;
    sim::LognormalParams size_ln;
    ServiceDist service_dist;
    double service_mean_s;
    sim::LognormalParams service_ln;
    double edge_hit_ratio;
  };
  /// The stream's next arrival after now, or kNever when its rate stays zero to the end.
  sim::SimTime next_arrival(std::uint32_t stream);

  const Demand& demand_;
  std::vector<StreamState> states_;
  // What a request needs of its DemandStream, packed: a DemandStream also holds its rate
  // steps (~100 bytes in all), and each request is of one of ~750 streams in turn.
  struct StreamShape {
    std::uint32_t origin_index;
    std::uint32_t class_index;
    bool region;      ///< a region's users (else staff)
    bool users_read;  ///< a region's users reading (edge hits are set apart)
  };
  std::vector<StreamShape> shapes_;  ///< per stream
  bool set_apart_ = false;
  std::vector<EdgeHit> edge_hits_;
  std::vector<ClassSampler> classes_;
  std::vector<std::uint64_t> agents_;  ///< per region: simulated users (monthly / weight)
  std::unique_ptr<sim::AliasTable> subject_picker_;  ///< staff: whose data, by monthly users
  // One pending event per stream (~750), each re-scheduled in its own slot (hold pattern):
  // the tuned ladder queue beats the 4-ary heap here (tools/bench/README.md, "The traffic
  // generator itself": 63 vs 87 ns per request). Any store gives the same order.
  sim::Engine<std::uint32_t> engine_;
};

}  // namespace dcsim::models
