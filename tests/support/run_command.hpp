// Runs the dcsim executable as a planner would and captures exit status, stdout, stderr.
#pragma once

#include <string>
#include <vector>

namespace dcsim::test {

struct CommandResult {
  int exit_code = -1;     ///< exit status, or -1 when killed by a signal
  int signal = 0;         ///< the signal that ended it, or 0
  std::string out, err;
};

/// Runs DCSIM_EXE with `args` (each passed as one argument, shell-quoted).
CommandResult run_dcsim(const std::vector<std::string>& args);

/// `s` as one single-quoted /bin/sh word.
std::string shell_quote(const std::string& s);

/// Runs a /bin/sh command line (stdin from /dev/null), capturing what run_dcsim does.
CommandResult run_shell(const std::string& command);

}  // namespace dcsim::test
