// run_dcsim through /bin/sh with every argument single-quoted.
#include "tests/support/run_command.hpp"

#include <cstdlib>
#include <sys/wait.h>

#include "tests/support/test_files.hpp"

namespace dcsim::test {

namespace {
std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}
}  // namespace

CommandResult run_dcsim(const std::vector<std::string>& args) {
  TempDir dir;
  const std::string out = (dir.path() / "stdout").string();
  const std::string err = (dir.path() / "stderr").string();
  std::string cmd = quote(DCSIM_EXE);
  for (const auto& a : args) cmd += " " + quote(a);
  cmd += " >" + quote(out) + " 2>" + quote(err) + " </dev/null";
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

}  // namespace dcsim::test
