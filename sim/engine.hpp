// The simulation engine: a clock plus an EventQueue, and a loop that hands each event's
// payload to one handler the model passes to run(). Models dispatch on the payload (a
// small struct with a kind field, or a std::variant) with a switch or std::visit; the
// handler is a template parameter, so the call is inlined: no virtual call per event.
// Invariants: now() never decreases; events never fire before the time they were set for.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

#include "sim/event_queue.hpp"
#include "sim/source_location.hpp"
#include "sim/time.hpp"

namespace dcsim::sim {

/// Why a run() / run_until() call returned.
enum class StopReason {
  kEmpty,       ///< no pending events remain
  kReachedEnd,  ///< the next pending event lies after the end time
  kStopped,     ///< a handler called stop()
};

/// A discrete-event engine over one payload type. Not thread-safe: one engine per thread.
/// Store picks the key ordering structure: LadderQueue (default) or QuadHeap.
template <class Payload, class Store = LadderQueue>
class Engine {
 public:
  using payload_type = Payload;

  /// An engine whose clock starts at `start`.
  explicit Engine(SimTime start = SimTime{}) : now_(start) {}

  SimTime now() const { return now_; }

  /// Schedules `payload` at absolute time t >= now(); throws std::logic_error (naming the
  /// caller's file:line) for a time in the past or kNever.
  EventHandle schedule_at(SimTime t, const Payload& payload, Priority prio = 0,
                          SourceLocation where = SourceLocation::current()) {
    if (t < now_ || t == kNever) [[unlikely]] {
      fail(where, "schedule_at(" + format(t) + ") with now() = " + format(now_));
    }
    return queue_.push(t, prio, payload);
  }
  /// Schedules `payload` at now() + delay, delay >= 0.
  EventHandle schedule_after(SimDuration delay, const Payload& payload, Priority prio = 0,
                             SourceLocation where = SourceLocation::current()) {
    if (delay.count() < 0 || now_ >= kNever - delay) [[unlikely]] {
      fail(where, "schedule_after(" + format(delay) + ") at now() = " + format(now_));
    }
    return queue_.push(now_ + delay, prio, payload);
  }

  /// From inside a handler: schedules the event being handled again, with its payload,
  /// at t >= now() (the "hold" pattern of an entity that always has one next event). It
  /// reuses the event's slot, and orders exactly as schedule_at(t, payload, prio) called
  /// at this point would. At most once per handler call; throws std::logic_error otherwise.
  EventHandle reschedule_at(SimTime t, Priority prio = 0,
                            SourceLocation where = SourceLocation::current()) {
    if (t < now_ || t == kNever) [[unlikely]] {
      fail(where, "reschedule_at(" + format(t) + ") with now() = " + format(now_));
    }
    if (!queue_.holding()) [[unlikely]] {
      fail(where, "reschedule_at outside a handler, or twice for one event");
    }
    return queue_.push_held(t, prio);
  }

  /// Cancels a pending event; false if it already fired or was cancelled before.
  bool cancel(EventHandle h) { return queue_.cancel(h); }
  /// True while the event is scheduled and neither fired nor cancelled.
  bool pending(EventHandle h) const { return queue_.pending(h); }

  /// Processes events until none remain or a handler calls stop().
  /// handler(Engine&, const Payload&) is called once per event, with now() at its time.
  template <class Handler>
  StopReason run(Handler&& handler) {
    return run_until(kNever, handler);
  }

  /// Processes every event with time <= end (until stop()); unless stopped, now() is `end`
  /// afterwards (for a finite end), so the next run continues from there.
  template <class Handler>
  StopReason run_until(SimTime end, Handler&& handler) {
    if (running_) throw std::logic_error("Engine::run called from inside a handler");
    struct Running {  // cleared even if a handler throws
      Engine& e;
      explicit Running(Engine& engine) : e(engine) { e.running_ = true; }
      ~Running() {
        e.queue_.release_held();
        e.running_ = false;
      }
    } running{*this};
    stop_requested_ = false;
    StopReason reason = StopReason::kStopped;
    while (!stop_requested_) {
      if (!queue_.pop_and_hold(end, now_, current_)) {
        reason = queue_.empty() ? StopReason::kEmpty : StopReason::kReachedEnd;
        if (end != kNever) now_ = end;
        break;
      }
      ++processed_;
      handler(*this, std::as_const(current_));
      queue_.release_held();  // unless the handler called reschedule_at
    }
    return reason;
  }

  /// Asks the running loop to return after the current handler.
  void stop() { stop_requested_ = true; }

  /// Events handed to a handler since construction.
  std::uint64_t events_processed() const { return processed_; }
  /// Events currently pending.
  std::size_t pending_count() const { return queue_.size(); }
  /// Most events pending at once since construction.
  std::size_t peak_pending() const { return queue_.peak_size(); }
  /// Pre-sizes the queue for n pending events (avoids growth during a run).
  void reserve(std::size_t n) { queue_.reserve(n); }

 private:
  [[noreturn]] static void fail(const SourceLocation& where, const std::string& what) {
    throw std::logic_error(std::string(where.file_name()) + ":" + std::to_string(where.line()) +
                           ": " + what);
  }

  EventQueue<Payload, Store> queue_;
  SimTime now_;
  Payload current_{};  // the event being handled (its slot is held while it runs)
  std::uint64_t processed_ = 0;
  bool stop_requested_ = false;
  bool running_ = false;
};

}  // namespace dcsim::sim
