// Terminal-aware progress reporting.
#include "tools/progress.hpp"

#include <algorithm>
#include <cstdio>
#include <unistd.h>

namespace dcsim::tools {

Progress::Progress(std::string label, bool quiet)
    : label_(std::move(label)), quiet_(quiet), tty_(::isatty(2) == 1), start_(std::chrono::steady_clock::now()) {}

void Progress::update(double fraction) {
  if (quiet_) return;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  if (elapsed < 2.0) return;
  fraction = std::clamp(fraction, 0.0, 1.0);
  const double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
  if (tty_) {
    const int width = 30, filled = static_cast<int>(fraction * width);
    std::fprintf(stderr, "\r%s [%.*s%*s] %3.0f%%  %.0f s elapsed, ~%.0f s left ", label_.c_str(), filled,
                 "##############################", width - filled, "", fraction * 100, elapsed, eta);
    shown_ = true;
  } else {
    const int step = static_cast<int>(fraction * 10);
    if (step == last_step_) return;
    last_step_ = step;
    std::fprintf(stderr, "%s: %3.0f%% after %.0f s, ~%.0f s left\n", label_.c_str(), fraction * 100, elapsed, eta);
  }
  std::fflush(stderr);
}

void Progress::finish() {
  if (shown_ && tty_) std::fprintf(stderr, "\n");
}

}  // namespace dcsim::tools
