// What a run, placement, resilience or merged sweep folder holds, and how a dcsim report starts.
#include "tools/dcsim_outputs.hpp"

#include <fstream>
#include <vector>

#include "tools/file_io.hpp"
#include "tools/json.hpp"
#include "tools/run_folder_reader.hpp"

namespace dcsim::tools {

namespace fs = std::filesystem;

namespace {

constexpr const char* kRunLead = "run_id,scenario,variant,seed,";

// The first `n` bytes of a file (empty when it cannot be read).
std::string file_head(const fs::path& p, std::size_t n) {
  std::ifstream in(p, std::ios::binary);
  std::string head(n, '\0');
  in.read(head.data(), static_cast<std::streamsize>(n));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head;
}

std::vector<fs::path> entries_of(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path());
  return out;
}

// A regular file, not a link or folder: dcsim writes nothing else into its folders.
bool plain_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(fs::symlink_status(p, ec));
}

std::string foreign(const fs::path& p) { return "'" + p.filename().string() + "' in it is not a file dcsim writes there"; }

std::string why_not_run_folder(const fs::path& dir) {
  RunManifest m;
  try {
    m = RunFolderReader(dir).manifest();
  } catch (const RunFolderDamage& e) {
    return e.what();
  }
  for (const fs::path& p : entries_of(dir)) {
    const std::string name = p.filename().string();
    if (name != "manifest.json" && !m.file_sha.count(name)) return foreign(p);
    if (!plain_file(p)) return "'" + name + "' in it is not a plain file";
  }
  return {};
}

std::string why_not_placement_folder(const fs::path& dir) {
  for (const fs::path& p : entries_of(dir)) {
    const std::string name = p.filename().string();
    if (name == "placement.csv" && plain_file(p) && file_head(p, 64).rfind(std::string(kRunLead) + "rank,", 0) == 0) continue;
    if (name == "winner" && fs::is_directory(fs::symlink_status(p))) {
      if (std::string why = why_not_run_folder(p); !why.empty()) return "its winner/: " + why;
      continue;
    }
    return foreign(p);
  }
  return {};
}

std::string why_not_resilience_folder(const fs::path& dir) {
  for (const fs::path& p : entries_of(dir))
    if (p.filename() != "resilience.csv" || !plain_file(p) || file_head(p, 64).rfind(std::string(kRunLead) + "rank,", 0) != 0)
      return foreign(p);
  return {};
}

std::string why_not_merged_sweep(const fs::path& dir) {
  nlohmann::json plan;
  if (!plain_file(dir / "sweep.json")) return "its sweep.json is not a plain file";
  try {
    plan = parse_json(read_file_text(dir / "sweep.json"));
  } catch (const JsonError&) {
    return "its sweep.json is not JSON";
  } catch (const IoError& e) {
    return e.what();
  }
  if (!plan.is_object() || !plan.contains("dcsim_version") || !plan["dcsim_version"].is_string() ||
      plan["dcsim_version"].get<std::string>().empty() || !plan.contains("runs"))
    return "its sweep.json is not a plan dcsim wrote";
  for (const fs::path& p : entries_of(dir)) {
    const std::string name = p.filename().string();
    if (name == "sweep.json") continue;
    // A sweep folder with its runs is a sweep's, not a merge output to replace.
    if (name == "runs") return "it holds a sweep's runs/ (a sweep folder, not a merge output)";
    // Read only plain files: a FIFO would block the read.
    const bool merged_csv = p.extension() == ".csv" && plain_file(p) &&
                            (file_head(p, 64).rfind(kRunLead, 0) == 0 || file_head(p, 64).rfind("scenario,variant,", 0) == 0);
    if (!merged_csv) return foreign(p);
  }
  return {};
}

}  // namespace

std::string why_not_dcsim_folder(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(fs::symlink_status(dir, ec))) return "not a folder";
  try {
    if (fs::exists(dir / "manifest.json", ec)) return why_not_run_folder(dir);
    if (fs::exists(dir / "placement.csv", ec)) return why_not_placement_folder(dir);
    if (fs::exists(dir / "resilience.csv", ec)) return why_not_resilience_folder(dir);
    if (fs::exists(dir / "sweep.json", ec)) return why_not_merged_sweep(dir);
    if (fs::is_empty(dir, ec)) return "it is empty: dcsim never leaves an empty output folder";
  } catch (const fs::filesystem_error& e) {
    return e.code().message();
  }
  return "it has no manifest.json, placement.csv, resilience.csv or sweep.json";
}

std::string why_not_dcsim_report(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(fs::symlink_status(file, ec))) return "not a plain file";
  // The page's head, as report_page.cpp writes it: doctype, charset, viewport, generator.
  const std::string head = file_head(file, 512);
  if (head.rfind("<!DOCTYPE html>", 0) != 0 || head.find("<meta name=\"generator\" content=\"dcsim ") == std::string::npos)
    return "it has no dcsim generator tag in its head";
  return {};
}

}  // namespace dcsim::tools
