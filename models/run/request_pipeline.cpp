// The single-threaded loop and the two-thread producer/consumer.
#include "models/run/request_pipeline.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <time.h>  // POSIX clock_gettime (per-thread CPU time)

namespace dcsim::models {

namespace {

double thread_cpu_s() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

using Prepare = std::function<void(std::vector<Request>&)>;
using Serve = std::function<void(const std::vector<Request>&)>;
using Idle = std::function<bool()>;

PipelineCpu run_one_thread(TrafficGenerator& gen, std::size_t chunk_size, const Prepare& prepare, const Serve& serve) {
  PipelineCpu cpu;
  std::vector<Request> chunk;
  chunk.reserve(chunk_size);
  for (;;) {
    const double t0 = thread_cpu_s();
    const bool more = gen.next_chunk(chunk, chunk_size);
    prepare(chunk);  // also after the last: it may hold what was set apart
    const double t1 = thread_cpu_s();
    cpu.generate_s += t1 - t0;
    if (!more) break;
    serve(chunk);
    cpu.serve_s += thread_cpu_s() - t1;
    chunk.clear();
  }
  return cpu;
}

// The generator runs ahead on its own thread, handing over full chunks through a small
// bounded queue; this thread serves them in order. Served chunks go back to the generator
// to be refilled, so no chunk is allocated after the first few.
PipelineCpu run_two_threads(TrafficGenerator& gen, std::size_t chunk_size, const Prepare& prepare, const Serve& serve, const Idle& idle) {
  constexpr std::size_t kMaxQueued = 4;
  // What both threads write, on cache lines of its own (not beside the serving loop's
  // stack frames: see GeneratingSide in event_run.cpp).
  struct alignas(64) Shared {
    std::mutex mu;
    std::condition_variable changed;
    std::deque<std::vector<Request>> ready;
    std::vector<std::vector<Request>> spare;
    bool done = false, abort = false;
    std::exception_ptr failure;
    PipelineCpu cpu;
  } shared;
  // Plain references, not a structured binding: clang before 16 (the fuzz build's) cannot
  // capture a binding in a lambda.
  std::mutex& mu = shared.mu;
  std::condition_variable& changed = shared.changed;
  std::deque<std::vector<Request>>& ready = shared.ready;
  std::vector<std::vector<Request>>& spare = shared.spare;
  bool &done = shared.done, &abort = shared.abort;
  std::exception_ptr& failure = shared.failure;
  PipelineCpu& cpu = shared.cpu;
  // Idle-time work while `waiting()` holds (checked under the lock, which is released for
  // the work itself), until there is none left: then the caller sleeps on `changed`.
  auto work_while = [&](std::unique_lock<std::mutex>& lock, auto waiting) {
    while (idle && waiting()) {
      lock.unlock();
      const bool did = idle();
      lock.lock();
      if (!did) break;
    }
  };
  std::thread producer([&] {
    const double start = thread_cpu_s();
    try {
      for (;;) {
        std::vector<Request> chunk;
        {
          std::lock_guard lock(mu);
          if (!spare.empty()) {
            chunk = std::move(spare.back());
            spare.pop_back();
          }
        }
        chunk.clear();
        chunk.reserve(chunk_size);
        const bool more = gen.next_chunk(chunk, chunk_size);
        prepare(chunk);  // also after the last: it may hold what was set apart
        std::unique_lock lock(mu);
        if (!more || abort) break;
        // The queue full: the serving thread is behind. Take some of its idle-time work
        // instead of sleeping, as long as there is some and the queue stays full.
        work_while(lock, [&] { return ready.size() >= kMaxQueued && !abort; });
        changed.wait(lock, [&] { return ready.size() < kMaxQueued || abort; });
        if (abort) break;
        ready.push_back(std::move(chunk));
        changed.notify_all();
      }
    } catch (...) {
      std::lock_guard lock(mu);
      failure = std::current_exception();
    }
    std::lock_guard lock(mu);
    done = true;
    cpu.generate_s = thread_cpu_s() - start;
    changed.notify_all();
  });
  const double serve_start = thread_cpu_s();
  try {
    for (;;) {
      std::vector<Request> chunk;
      {
        std::unique_lock lock(mu);
        // Nothing to serve: the generator is behind; do idle-time work meanwhile.
        work_while(lock, [&] { return ready.empty() && !done; });
        changed.wait(lock, [&] { return !ready.empty() || done; });
        if (ready.empty()) break;
        chunk = std::move(ready.front());
        ready.pop_front();
        changed.notify_all();
      }
      serve(chunk);
      std::lock_guard lock(mu);
      spare.push_back(std::move(chunk));
    }
  } catch (...) {
    {
      std::lock_guard lock(mu);
      abort = true;
      changed.notify_all();
    }
    producer.join();
    throw;
  }
  producer.join();
  if (failure) std::rethrow_exception(failure);
  cpu.serve_s = thread_cpu_s() - serve_start;
  return cpu;
}

}  // namespace

PipelineCpu run_request_pipeline(TrafficGenerator& gen, std::size_t chunk, int threads, const Prepare& prepare, const Serve& serve,
                                 const Idle& idle) {
  if (chunk == 0) throw std::invalid_argument("run_request_pipeline: chunk must be at least 1 request");
  return threads >= 2 ? run_two_threads(gen, chunk, prepare, serve, idle) : run_one_thread(gen, chunk, prepare, serve);
}

}  // namespace dcsim::models
