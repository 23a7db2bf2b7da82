// What congested links do to the traffic crossing them, for one stretch of time in which
// the offered traffic is steady (a flow step). Each column (an origin → site pair in one
// direction) offers bytes per second as transfers at a user's access rate, so it weighs as
// many concurrent transfers as offered / access rate. Links (and site uplinks) share their
// capacity max-min fairly among those transfers (RoutingMatrix::max_min_rates): a column
// crossing a full link carries less than it offers, and each of its transfers runs at its
// fair share instead of the access rate (slowdown = offered / carried). A link also delays
// every packet by its queue: ρ/(1 - ρ) packet times below saturation (M/M/1), the full
// buffer at or above it, never more than the buffer.
#pragma once

#include <vector>

#include "models/network/routing_matrix.hpp"

namespace dcsim::models {

struct LinkSharing {
  double access_bytes_per_s = 0;  ///< one transfer's rate when nothing else limits it
  double buffer_s = 0.05;         ///< a link's queue at its longest
  double packet_bytes = 1500;
};

struct Congestion {
  std::vector<double> carried;      ///< per column: bytes/s carried (<= offered)
  std::vector<double> slowdown;     ///< per column: access rate / a transfer's rate (>= 1)
  std::vector<double> delay_s;      ///< per column: queueing delay along its links
  std::vector<double> link_offered, link_carried;  ///< per link: bytes/s
  std::vector<double> link_delay_s;                ///< per link
  bool any = false;                 ///< some column slowed or delayed by at least 1 µs
};

/// Per reporting interval, what congestion did to each column (time-weighted over the
/// interval; both empty for an interval in which nothing was slowed or delayed): the flow
/// model's account, which an event run applies to its requests.
struct CongestionTimeline {
  std::vector<std::vector<double>> slowdown, delay_s;
  double undelivered_bytes = 0;  ///< the backlog left when the run ended
};

/// `offered` per column (bytes/s), `capacity` per link (bytes/s, kUnlimited: none).
Congestion share_links(const RoutingMatrix& routes, const std::vector<double>& offered, const std::vector<double>& capacity,
                       const LinkSharing& sharing);

}  // namespace dcsim::models
