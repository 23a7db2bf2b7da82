// Finding the runs of sweep folders, and labels that tell runs apart.
#include "tools/report/run_inputs.hpp"

#include <algorithm>

#include "tools/file_io.hpp"

namespace dcsim::tools::report {

namespace fs = std::filesystem;

std::vector<fs::path> expand_run_dirs(const std::vector<std::string>& args) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& a : args) {
    const fs::path p(a);
    if (fs::is_regular_file(p / "manifest.json", ec)) {
      out.push_back(p);
      continue;
    }
    if (fs::is_directory(p / "runs", ec)) {
      // A sweep: its runs in the order runs.csv lists them (variants, grid, seeds), else by name.
      std::vector<fs::path> runs;
      if (fs::is_regular_file(p / "runs.csv", ec)) {
        std::string text;
        try {
          text = read_file_text(p / "runs.csv");
        } catch (const IoError& e) {
          throw RunFolderDamage(e.what());
        }
        const RunTable t(p / "runs.csv", text);
        const std::size_t id = t.col("run_id");
        for (std::size_t i = 0; i < t.rows(); ++i)
          if (fs::is_regular_file(p / "runs" / t.text(i, id) / "manifest.json", ec)) runs.push_back(p / "runs" / t.text(i, id));
      } else {
        for (const auto& e : fs::directory_iterator(p / "runs", ec))
          if (e.is_directory() && fs::is_regular_file(e.path() / "manifest.json", ec)) runs.push_back(e.path());
        std::sort(runs.begin(), runs.end());
      }
      if (runs.empty()) throw RunFolderDamage(a + ": a sweep folder with no finished runs in runs/");
      out.insert(out.end(), runs.begin(), runs.end());
      continue;
    }
    if (!fs::exists(p, ec)) throw RunFolderDamage(a + ": no such run folder");
    if (fs::is_regular_file(p / "summary.csv", ec)) throw RunFolderDamage((p / "manifest.json").string() + ": missing (not a complete run folder?)");
    throw RunFolderDamage(a + ": not a run folder (no manifest.json) nor a sweep folder (no runs/)");
  }
  return out;
}

void disambiguate_labels(std::vector<RunResults*> runs) {
  auto duplicated = [&](const RunResults* r) {
    return std::count_if(runs.begin(), runs.end(), [&](const RunResults* o) { return o->label == r->label; }) > 1;
  };
  std::vector<RunResults*> dup;
  for (RunResults* r : runs)
    if (duplicated(r)) dup.push_back(r);
  for (RunResults* r : dup) r->label += " · seed " + std::to_string(r->manifest.seed);
  dup.clear();
  for (RunResults* r : runs)
    if (duplicated(r)) dup.push_back(r);
  for (RunResults* r : dup) r->label += " · " + (r->manifest.run_id.empty() ? r->dir.filename().string() : r->manifest.run_id);
}

}  // namespace dcsim::tools::report
