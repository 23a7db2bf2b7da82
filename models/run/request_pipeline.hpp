// Requests from the traffic generator to the serving loop, in time order, in chunks: on one
// thread, or with the generator running ahead on a second thread through a small bounded
// queue. After each chunk is generated, `prepare` runs on the generating side: it serves
// what needs no state of the serving loop (edge-cache hits the generator set apart). The
// request sequence and what each stage sees are the same either way, so a run's results
// are identical whatever the thread count.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "models/traffic/traffic_generator.hpp"

namespace dcsim::models {

/// Thread CPU seconds each half used (for performance figures): with two threads the larger
/// one bounds the wall time, and unlike wall time neither counts time descheduled.
/// generate_s includes `prepare`.
struct PipelineCpu {
  double generate_s = 0, serve_s = 0;
};

/// Generates every request of `gen` in chunks (at most `chunk` requests), calls `prepare`
/// after each call of next_chunk (the last, empty one included), and hands each chunk to
/// `serve`, in order. threads >= 2: generate and prepare on a second thread. An exception
/// in either half stops both and is rethrown here.
///
/// `idle` (optional, threads >= 2): work either thread may do instead of waiting for the
/// other, called on the generating thread while the queue of chunks is full and on the
/// serving thread while it is empty. It returns whether it did any (then the thread looks
/// at the queue again) or found none (then the thread waits). The serving thread must make
/// such work only inside `serve`: the generating thread wakes when a chunk is taken, so it
/// sees what `serve` made by then. Whichever thread does a piece of it, `idle` must give
/// the same results (see RecordQueue).
PipelineCpu run_request_pipeline(TrafficGenerator& gen, std::size_t chunk, int threads,
                                 const std::function<void(std::vector<Request>&)>& prepare,
                                 const std::function<void(const std::vector<Request>&)>& serve,
                                 const std::function<bool()>& idle = {});

}  // namespace dcsim::models
