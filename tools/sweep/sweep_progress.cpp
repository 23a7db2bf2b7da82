// Terminal-aware sweep progress.
#include "tools/sweep/sweep_progress.hpp"

#include <algorithm>
#include <chrono>
#include <unistd.h>

namespace dcsim::tools {

namespace {
double now_s() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }
}  // namespace

SweepProgress::SweepProgress(std::string label, std::size_t total, std::size_t already, std::size_t todo, bool quiet, std::FILE* out,
                             std::optional<bool> tty, double quiet_for_s)
    : label_(std::move(label)), total_(total), already_(already), todo_(todo), quiet_(quiet), out_(out),
      tty_(tty ? *tty : ::isatty(::fileno(out)) == 1), quiet_for_s_(quiet_for_s), start_s_(now_s()) {}

void SweepProgress::show(std::size_t done, double running) { show_at(done, running, now_s() - start_s_); }

void SweepProgress::show_at(std::size_t done, double running, double elapsed) {
  if (quiet_ || todo_ == 0 || elapsed < quiet_for_s_) return;
  // This session's share of its own runs sets the pace; the share shown is of all the work
  // (runs done before count as done), so it agrees with the runs-done count beside it.
  const double fraction = std::clamp((static_cast<double>(done) + running) / static_cast<double>(todo_), 0.0, 1.0);
  const double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
  const std::size_t finished = already_ + done;
  const double work = total_ > 0 ? std::clamp((static_cast<double>(already_ + done) + running) / static_cast<double>(total_), 0.0, 1.0) : 1.0;
  if (tty_) {
    const int width = 30, filled = static_cast<int>(work * width);
    std::fprintf(out_, "\r%s [%.*s%*s] %zu/%zu runs  %.0f s elapsed, ~%.0f s left ", label_.c_str(), filled,
                 "##############################", width - filled, "", finished, total_, elapsed, eta);
    shown_ = true;
  } else {
    const int step = static_cast<int>(work * 10);
    if (step == last_step_) return;
    last_step_ = step;
    std::fprintf(out_, "%s: %zu/%zu runs done, %.0f %% of the work, %.0f s elapsed, ~%.0f s left\n", label_.c_str(), finished, total_,
                 work * 100, elapsed, eta);
  }
  std::fflush(out_);
}

void SweepProgress::finish() {
  if (shown_ && tty_) std::fprintf(out_, "\n");
  shown_ = false;
}

}  // namespace dcsim::tools
