// Requests from the traffic generator to the serving loop, in time order, in chunks: on one
// thread, or with the generator running ahead on a second thread through a small bounded
// queue. The request sequence is the same either way, so a run's results are identical
// whatever the thread count.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "models/traffic/traffic_generator.hpp"

namespace dcsim::models {

/// Thread CPU seconds each half used (for performance figures): with two threads the larger
/// one bounds the wall time, and unlike wall time neither counts time descheduled.
struct PipelineCpu {
  double generate_s = 0, serve_s = 0;
};

/// Generates every request of `gen` and hands each chunk (at most `chunk` requests) to
/// `serve`, in order. threads >= 2: generate on a second thread. An exception in either
/// half stops both and is rethrown here.
PipelineCpu run_request_pipeline(TrafficGenerator& gen, std::size_t chunk, int threads,
                                 const std::function<void(const std::vector<Request>&)>& serve);

}  // namespace dcsim::models
