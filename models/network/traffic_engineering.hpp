// Traffic engineering: split each origin–site pair's bytes over its candidate paths so that
// the most utilised link is as little utilised as it can be, for one traffic matrix (the
// peak interval's). A linear programme solved with GLPK (traffic_engineering.cpp is the
// only code that sees it), in two steps:
//   1. minimise U subject to: each pair's splits sum to 1, and on every directed link with
//      a capacity that some split can change, load <= U × capacity;
//   2. keep U at its minimum and minimise the byte-weighted RTT of the splits, so that
//      among the splits reaching that U, pairs stay on their shortest paths where they can
//      (this also makes the answer unique in practice, hence deterministic).
// Loads a split cannot change (a pair with one candidate, a link all of a pair's candidates
// cross such as its site's uplink) are constants of the programme: they do not set U.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace dcsim::models {

struct TeDemand {
  double toward = 0, back = 0;  ///< bytes/s from the origin to the site, and back
  /// Per candidate path: the directed links it crosses toward the site (back: id ^ 1).
  std::vector<std::vector<std::uint32_t>> paths;
  std::vector<double> rtt_ms;  ///< per candidate: its network RTT (the second step's cost)
};

struct TeSolution {
  std::vector<std::vector<double>> split;  ///< per demand, per candidate: share of its bytes (sum 1)
  double max_utilisation = 0;              ///< U at the optimum (links a split can change)
};

/// `capacity` per directed link id, bytes/s (infinite: no limit, never constrained).
/// Throws std::runtime_error when GLPK does not reach an optimum.
TeSolution min_max_utilisation(const std::vector<TeDemand>& demands, const std::vector<double>& capacity);

}  // namespace dcsim::models
