// Progress of a sweep on stderr: runs finished, the share of all the work done (finished
// runs, earlier sessions' included, plus the running ones' own progress), time elapsed and
// an estimate of the time left. A bar redrawn in place on a terminal; a line per 10 % of
// the work otherwise (logs, Slurm output files); nothing for the first two seconds.
#pragma once

#include <cstdio>
#include <optional>
#include <string>

namespace dcsim::tools {

class SweepProgress {
 public:
  /// `total` runs in this process's share, `already` of them finished before, `todo` to run.
  /// `tty` defaults to whether `out` is a terminal.
  SweepProgress(std::string label, std::size_t total, std::size_t already, std::size_t todo, bool quiet, std::FILE* out = stderr,
                std::optional<bool> tty = std::nullopt, double quiet_for_s = 2.0);

  /// `done` runs finished in this session; `running` the summed fractions of running runs.
  void show(std::size_t done, double running);
  /// The same at a given time since the start (for tests).
  void show_at(std::size_t done, double running, double elapsed_s);
  /// Ends the bar's line.
  void finish();

 private:
  std::string label_;
  std::size_t total_, already_, todo_;
  bool quiet_;
  std::FILE* out_;
  bool tty_;
  double quiet_for_s_;
  double start_s_;
  int last_step_ = -1;
  bool shown_ = false;
};

}  // namespace dcsim::tools
