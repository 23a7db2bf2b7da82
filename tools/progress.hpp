// Progress on stderr for long runs: a bar when stderr is a terminal, a line per 10 %
// otherwise; silent for the first two seconds so quick runs print nothing.
#pragma once

#include <chrono>
#include <string>

namespace dcsim::tools {

class Progress {
 public:
  Progress(std::string label, bool quiet);
  void update(double fraction);
  void finish();

 private:
  std::string label_;
  bool quiet_, tty_;
  std::chrono::steady_clock::time_point start_;
  int last_step_ = -1;
  bool shown_ = false;
};

}  // namespace dcsim::tools
