// What `dcsim run -o DIR` does to the files around it, tried as a careless user and an
// attacker would: --force replaces only what dcsim wrote, odd spellings of DIR are
// normalised before the simulation, partial folders of killed runs do not pile up, and a
// failed write names its cause and leaves nothing behind.
#include <doctest/doctest.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "tests/support/run_command.hpp"
#include "tests/support/test_files.hpp"

namespace fs = std::filesystem;
using namespace dcsim;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
std::string small() { return test::source_path("tests/data/good/small.yaml"); }

// A one-hour run of the small scenario into `out` (quick), with extra arguments.
std::vector<std::string> quick_run(const fs::path& out, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"run", small(), "-o", out.string(), "-q", "--set", "meta.duration_h=1", "--set", "events=[]"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

std::vector<std::string> listing(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// dcsim started in the background with its output on /dev/null, to be killed.
pid_t spawn_dcsim(const std::vector<std::string>& args) {
  std::vector<std::string> all{DCSIM_EXE};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, 0);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execv(DCSIM_EXE, argv.data());
    ::_exit(127);
  }
  return pid;
}

// The partial folder a running `dcsim run -o dir/NAME` keeps beside its output, once it
// exists with its marker (written right after the folder is made).
fs::path wait_for_partial(const fs::path& dir, const std::string& name) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    // The marker written, not only created: killed between the two, a run's folder has an
    // empty marker, which no later command can tell is dcsim's (so it is kept).
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().filename().string().rfind("." + name + ".partial-", 0) == 0 && fs::file_size(e.path() / ".dcsim-partial", ec) > 0 && !ec)
        return e.path();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return {};
}

// A run of the default scenario at full scale: minutes of work, so it is still running
// (or killed) when the test looks at its partial folder.
std::vector<std::string> long_run(const fs::path& out) {
  return {"run", test::source_path("scenarios/default.yaml"), "-o", out.string(), "-q", "--scale", "1"};
}

}  // namespace

TEST_CASE("run --force refuses a folder dcsim did not write and leaves every file in it") {
  test::TempDir dir;
  dir.write("precious/thesis.txt", "years of work");
  const auto r = test::run_dcsim(quick_run(dir.path() / "precious", {"--force"}));
  CHECK(r.exit_code == 1);
  CHECK_MESSAGE(contains(r.err, "not a folder dcsim wrote"), r.err);
  CHECK(test::read_file((dir.path() / "precious" / "thesis.txt").string()) == "years of work");
  CHECK(listing(dir.path()) == std::vector<std::string>{"precious"});
  CHECK(listing(dir.path() / "precious") == std::vector<std::string>{"thesis.txt"});
}

TEST_CASE("run --force refuses a run folder that also holds a file dcsim did not write, naming it") {
  test::TempDir dir;
  const fs::path run = dir.path() / "run";
  REQUIRE(test::run_dcsim(quick_run(run)).exit_code == 0);
  dir.write("run/notes.txt", "mine");
  const auto r = test::run_dcsim(quick_run(run, {"--force"}));
  CHECK(r.exit_code == 1);
  CHECK_MESSAGE(contains(r.err, "notes.txt"), r.err);
  CHECK(fs::exists(run / "notes.txt"));
  CHECK(fs::exists(run / "manifest.json"));
}

TEST_CASE("-o with a trailing slash writes the run folder at that path, and --force replaces it there") {
  test::TempDir dir;
  const std::string out = (dir.path() / "new").string() + "/";
  auto r = test::run_dcsim(quick_run(out));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(fs::exists(dir.path() / "new" / "manifest.json"));
  CHECK(listing(dir.path()) == std::vector<std::string>{"new"});
  r = test::run_dcsim(quick_run(out, {"--force"}));
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(listing(dir.path()) == std::vector<std::string>{"new"});
  CHECK(listing(dir.path() / "new").size() == 13);  // manifest.json and twelve CSVs
}

TEST_CASE("-o naming the current folder or a symbolic link is refused, even with --force") {
  test::TempDir dir;
  const fs::path run = dir.path() / "run";
  REQUIRE(test::run_dcsim(quick_run(run)).exit_code == 0);
  fs::create_directory_symlink(run, dir.path() / "link");
  auto r = test::run_dcsim(quick_run(dir.path() / "link", {"--force"}));
  CHECK(r.exit_code == 1);
  CHECK_MESSAGE(contains(r.err, "symbolic link"), r.err);
  CHECK(fs::is_symlink(dir.path() / "link"));
  r = test::run_shell("cd " + test::shell_quote(run.string()) + " && " + test::shell_quote(DCSIM_EXE) + " run " +
                      test::shell_quote(small()) + " -o . --force -q --set meta.duration_h=1 --set events=[]");
  CHECK(r.exit_code == 1);
  CHECK(fs::exists(run / "manifest.json"));
  CHECK(listing(dir.path()) == std::vector<std::string>{"link", "run"});
}

TEST_CASE("-o '' is a usage error, not a run into the default folder") {
  test::TempDir dir;
  const auto r = test::run_shell("cd " + test::shell_quote(dir.path().string()) + " && " + test::shell_quote(DCSIM_EXE) + " run " +
                                 test::shell_quote(small()) + " -o '' -q --set meta.duration_h=1 --set events=[]");
  CHECK(r.exit_code == 2);
  CHECK_MESSAGE(contains(r.err, "--out"), r.err);
  CHECK(fs::is_empty(dir.path()));
}

TEST_CASE("a run into missing parent folders creates them, and a failed run removes the ones it created") {
  test::TempDir dir;
  auto r = test::run_dcsim(quick_run(dir.path() / "a" / "b" / "run"));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(fs::exists(dir.path() / "a" / "b" / "run" / "summary.csv"));
  // Conservation cannot fail on demand, but a write can: a file size limit (see below).
  r = test::run_shell("trap '' XFSZ; ulimit -f 4; " + test::shell_quote(DCSIM_EXE) + " run " + test::shell_quote(small()) + " -o " +
                      test::shell_quote((dir.path() / "x" / "y" / "run").string()) + " -q");
  CHECK(r.exit_code == 1);
  CHECK(listing(dir.path()) == std::vector<std::string>{"a"});
}

TEST_CASE("a run that cannot write a file names the OS reason and leaves nothing behind") {
  test::TempDir dir;
  // With SIGXFSZ ignored, a write past `ulimit -f` (here 2 KiB) fails with EFBIG: a full
  // disk as far as dcsim can tell, without root or a small file system.
  const auto r = test::run_shell("trap '' XFSZ; ulimit -f 4; " + test::shell_quote(DCSIM_EXE) + " run " + test::shell_quote(small()) +
                                 " -o " + test::shell_quote((dir.path() / "run").string()) + " -q");
  CHECK(r.exit_code == 1);
  CHECK_MESSAGE(contains(r.err, std::strerror(EFBIG)), r.err);
  CHECK_MESSAGE(contains(r.err, (dir.path() / "run").string()), r.err);
  CHECK(fs::is_empty(dir.path()));
}

TEST_CASE("output that cannot be written to stdout is an error naming the OS reason") {
  test::TempDir dir;
  const std::string pairs = dir.write("p.csv", "src_lat,src_lon,dst_lat,dst_lon\n53.35,-6.26,50.11,8.68\n");
  auto r = test::run_shell(test::shell_quote(DCSIM_EXE) + " latency --pairs " + test::shell_quote(pairs) + " >/dev/full");
  CHECK(r.exit_code == 1);
  CHECK_MESSAGE(contains(r.err, std::strerror(ENOSPC)), r.err);
  r = test::run_shell(test::shell_quote(DCSIM_EXE) + " validate " + test::shell_quote(small()) + " >/dev/full");
  CHECK(r.exit_code == 1);
  CHECK_MESSAGE(contains(r.err, std::strerror(ENOSPC)), r.err);
}

TEST_CASE("the partial folder of a killed run is removed by the next run beside it; a running one's is kept") {
  test::TempDir dir;
  const pid_t killed = spawn_dcsim(long_run(dir.path() / "killed"));
  const fs::path stale = wait_for_partial(dir.path(), "killed");
  ::kill(killed, SIGKILL);
  ::waitpid(killed, nullptr, 0);
  REQUIRE_MESSAGE(!stale.empty(), "the run never made its partial folder");
  REQUIRE(fs::exists(stale));

  const pid_t running = spawn_dcsim(long_run(dir.path() / "running"));
  const fs::path live = wait_for_partial(dir.path(), "running");
  REQUIRE_MESSAGE(!live.empty(), "the run never made its partial folder");
  // A folder that only looks like a partial (no dcsim marker in it) is not dcsim's to remove.
  dir.write(".mine.partial-999999999/notes.txt", "mine");

  const auto r = test::run_dcsim(quick_run(dir.path() / "next"));
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK_FALSE(fs::exists(stale));
  CHECK(fs::exists(live));
  CHECK(fs::exists(dir.path() / ".mine.partial-999999999" / "notes.txt"));
  ::kill(running, SIGKILL);
  ::waitpid(running, nullptr, 0);
}
