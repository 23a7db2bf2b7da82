// Implementation of the sweep test helpers.
#include "tests/sweep/sweep_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <sys/wait.h>

#include "tests/support/test_files.hpp"

namespace dcsim::test {

namespace fs = std::filesystem;

std::string dcsim_command(const std::vector<std::string>& args) {
  std::string cmd = shell_quote(DCSIM_EXE);
  for (const auto& a : args) cmd += " " + shell_quote(a);
  return cmd;
}

std::string clover_sweep() { return source_path("scenarios/sweeps/clover-seeds.yaml"); }
std::vector<std::string> quick_options() { return {"--scale", "2000", "--set", "meta.duration_h=2", "-q"}; }

std::vector<std::string> merged_files(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".csv") names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

void check_same_csvs(const fs::path& a, const fs::path& b) {
  const auto names = merged_files(a);
  CHECK(names == merged_files(b));
  CHECK(names.size() >= 10);  // the run CSVs, summary_by_run.csv, summary.csv, runs.csv
  for (const auto& n : names) {
    const std::string x = read_file((a / n).string()), y = read_file((b / n).string());
    CHECK_MESSAGE(x == y, n << " differs between " << a << " and " << b);
  }
}

std::size_t finished_runs(const fs::path& dir) {
  std::size_t n = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir / "runs", ec))
    if (fs::exists(e.path() / "manifest.json")) ++n;
  return n;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace dcsim::test
