// libFuzzer target for the readers of run and sweep folders: the input is a bundle (see
// fuzz_support.hpp) of a run folder's files (manifest.json, summary.csv, border.csv, ...)
// and optionally a sweep's sweep.json and runs.csv. The files are written to scratch and
// read by everything that reads them: the CSV reader itself, the one run-folder reader (read_run_results, as `dcsim report` reads),
// `dcsim compare`, and `dcsim merge` (the run placed under runs/<the plan's first run id>).
// In manifest.json, "@sha256:NAME@" stands for the SHA-256 of the bundle's file NAME, so
// mutated CSVs still get past merge's hash check. The expected failures are the readers'
// own error types and exit code 1; any crash, sanitizer report or other exception is a bug.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "tests/fuzz/fuzz_support.hpp"
#include "tools/cli.hpp"
#include "tools/csv.hpp"
#include "tools/report/run_inputs.hpp"
#include "tools/run_folder_reader.hpp"
#include "tools/run_tables.hpp"
#include "tools/sha256.hpp"
#include "tools/sweep/sweep_merge.hpp"

using namespace dcsim;
namespace fs = std::filesystem;

namespace {

std::string with_hashes(std::string manifest, const std::map<std::string, std::string>& files) {
  const std::string open = "@sha256:";
  for (std::size_t at = manifest.find(open); at != std::string::npos; at = manifest.find(open, at)) {
    const std::size_t close = manifest.find('@', at + open.size());
    if (close == std::string::npos) break;
    const auto f = files.find(manifest.substr(at + open.size(), close - at - open.size()));
    const std::string sha = tools::sha256_hex(f == files.end() ? std::string() : f->second);
    manifest.replace(at, close + 1 - at, sha);
    at += sha.size();
  }
  return manifest;
}

// The CSV reader alone: its table is rectangular, and writing it back reads back the same
// (for more than one column: a lone empty field is a blank line, which the reader skips).
void check_csv(const std::string& text) {
  // Read from a buffer of exactly the text's size: a std::string's terminating NUL would
  // hide a read one past the end from AddressSanitizer.
  const auto exact = std::make_unique<char[]>(text.size());
  std::copy(text.begin(), text.end(), exact.get());
  tools::CsvTable t;
  try {
    t = tools::parse_csv(std::string_view(exact.get(), text.size()));
  } catch (const tools::CsvError& e) {
    if (e.line < 1) std::abort();
    return;
  }
  if (t.rows.size() != t.row_lines.size()) std::abort();
  for (const auto& row : t.rows)
    if (row.size() != t.header.size()) std::abort();
  if (t.header.size() < 2) return;
  auto line = [](const std::vector<std::string>& fields) {
    std::vector<std::string> quoted;
    for (const auto& f : fields) quoted.push_back(tools::csv_field(f));
    return tools::csv_line(quoted);
  };
  std::string again = line(t.header);
  for (const auto& row : t.rows) again += line(row);
  const tools::CsvTable back = tools::parse_csv(again);
  if (back.header != t.header || back.rows != t.rows) std::abort();
}

void compare(const fs::path& run) {
  CLI::App app;
  int exit_code = tools::kExitOk;
  tools::add_compare_command(app, exit_code);
  app.parse("compare " + run.string());
  if (exit_code != tools::kExitOk && exit_code != tools::kExitInvalid) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::silence_stdout();  // compare prints its table
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto bundle = fuzz::split_bundle(std::string_view(reinterpret_cast<const char*>(data), size));
  std::map<std::string, std::string> files(bundle.begin(), bundle.end());
  if (auto m = files.find("manifest.json"); m != files.end()) m->second = with_hashes(m->second, files);

  // merge writes beside the sweep, never into it (it refuses an output inside an input).
  const fs::path root = fuzz::scratch_dir() / "rf", run = root / "run", merged = fuzz::scratch_dir() / "rf-merged";
  fuzz::reset_dir(root);
  std::filesystem::remove_all(merged);
  std::filesystem::create_directories(run);
  for (const auto& [name, text] : files) {
    fuzz::write_file((name == "sweep.json" || name == "runs.csv" ? root : run) / name, text);
    if (name.ends_with(".csv")) check_csv(text);
  }

  try {
    (void)tools::read_run_results(run);
  } catch (const tools::RunFolderDamage& e) {
  }
  compare(run);

  if (!files.count("sweep.json")) return 0;
  try {
    const tools::SweepPlan plan = tools::read_plan(root);
    const std::string id = plan.runs.empty() ? "" : plan.runs.front().run_id;
    if (id.empty() || id.find('/') != std::string::npos || id == "." || id == "..") return 0;
    fs::create_directories(root / "runs");
    fs::rename(run, root / "runs" / id);
    try {
      for (const auto& dir : tools::report::expand_run_dirs({root.string()})) (void)tools::read_run_results(dir);
    } catch (const tools::RunFolderDamage& e) {
    }
    compare(root);  // a sweep folder: its runs.csv grouped by variant × grid point (tools/run_groups.cpp)
    (void)tools::merge_sweep({root}, merged);
  } catch (const tools::SweepError& e) {
  }
  return 0;
}
