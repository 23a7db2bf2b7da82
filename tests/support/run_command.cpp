// run_dcsim and run_shell through /bin/sh, with every argument single-quoted.
#include "tests/support/run_command.hpp"

#include <cstdlib>
#include <sys/wait.h>

#include "tests/support/test_files.hpp"

namespace dcsim::test {

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

CommandResult run_shell(const std::string& command) {
  TempDir dir;
  const std::string out = (dir.path() / "stdout").string(), err = (dir.path() / "stderr").string();
  const std::string cmd = "(" + command + ") >" + shell_quote(out) + " 2>" + shell_quote(err) + " </dev/null";
  const int status = std::system(cmd.c_str());
  CommandResult r;
  if (WIFEXITED(status)) {
    r.exit_code = WEXITSTATUS(status);
    // The shell reports a signal-killed child as 128 + signal.
    if (r.exit_code > 128) {
      r.signal = r.exit_code - 128;
      r.exit_code = -1;
    }
  } else if (WIFSIGNALED(status)) {
    r.signal = WTERMSIG(status);
  }
  r.out = read_file(out);
  r.err = read_file(err);
  return r;
}

CommandResult run_dcsim(const std::vector<std::string>& args) {
  std::string cmd = shell_quote(DCSIM_EXE);
  for (const auto& a : args) cmd += " " + shell_quote(a);
  return run_shell(cmd);
}

}  // namespace dcsim::test
