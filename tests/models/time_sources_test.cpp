// The event run's time sources in their one order: at equal times a completion, then a
// control, then an arrival; otherwise by time.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "models/run/time_sources.hpp"

using namespace dcsim;
using models::TimeSource;

namespace {

sim::SimTime at_s(int s) { return sim::at(sim::seconds(s)); }

// Completions and controls as sorted lists; processing one logs it. A completion may
// schedule another (as a retried request does).
struct Sources {
  std::vector<int> completions, controls;
  std::vector<std::string> log;
  void advance(int arrival) {
    models::advance_to_arrival(
        at_s(arrival), [&] { return completions.empty() ? sim::kNever : at_s(completions.front()); },
        [&] {
          log.push_back("completion@" + std::to_string(completions.front()));
          completions.erase(completions.begin());
        },
        [&] { return controls.empty() ? sim::kNever : at_s(controls.front()); },
        [&] {
          log.push_back("control@" + std::to_string(controls.front()));
          controls.erase(controls.begin());
        });
    log.push_back("arrival@" + std::to_string(arrival));
  }
};

}  // namespace

TEST_CASE("at equal times a completion goes before a control and a control before an arrival") {
  CHECK(models::goes_before(at_s(5), TimeSource::Completion, at_s(5), TimeSource::Control));
  CHECK(models::goes_before(at_s(5), TimeSource::Control, at_s(5), TimeSource::Arrival));
  CHECK_FALSE(models::goes_before(at_s(5), TimeSource::Arrival, at_s(5), TimeSource::Completion));
  CHECK(models::goes_before(at_s(4), TimeSource::Arrival, at_s(5), TimeSource::Completion));  // time first
  CHECK_FALSE(models::goes_before(at_s(5), TimeSource::Control, at_s(5), TimeSource::Control));
}

TEST_CASE("the three sources are merged in time order with that tie order") {
  Sources s{{5, 10, 12}, {5, 10, 11}, {}};
  s.advance(10);
  s.advance(13);
  CHECK(s.log == std::vector<std::string>{"completion@5", "control@5", "completion@10", "control@10", "arrival@10",
                                          "control@11", "completion@12", "arrival@13"});
  // Nothing left: an arrival far later stops at once.
  s.log.clear();
  s.advance(1000);
  CHECK(s.log == std::vector<std::string>{"arrival@1000"});
}
