// Reading manifest.json, checking files against it, and CSV tables with positions.
#include "tools/run_folder_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "tools/file_io.hpp"
#include "tools/json.hpp"
#include "tools/sha256.hpp"

namespace dcsim::tools {

namespace fs = std::filesystem;

namespace {

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }
std::string at_line(const fs::path& p, std::size_t line) { return quoted(p) + (line > 0 ? ":" + std::to_string(line) : ""); }

void read_files(const JsonFields& j, RunManifest& m) {
  const nlohmann::json& files = j.object("files");
  if (files.empty()) throw j.error("files", "lists no files");
  for (const auto& [name, sha] : files.items()) {
    // Names are plain file names dcsim chose; anything else would read outside the folder.
    if (name.empty() || name.find('/') != std::string::npos || name == "." || name == ".." || name == "manifest.json")
      throw j.error("files", "lists a bad file name '" + name + "'");
    if (!sha.is_string() || sha.get<std::string>().size() != 64 ||
        sha.get<std::string>().find_first_not_of("0123456789abcdef") != std::string::npos)
      throw j.error("files", "the SHA-256 of '" + name + "' is not 64 hex digits");
    m.file_sha[name] = sha.get<std::string>();
  }
}

void read_fields(const JsonFields& j, RunManifest& m) {
  m.dcsim_version = j.text("dcsim_version");
  m.run_id = j.text("run_id");
  m.scenario = j.text("scenario");
  m.scenario_path = j.text("scenario_path");
  m.scenario_sha256 = j.text("scenario_sha256");
  m.input_files = j.texts("input_files");
  m.variant = j.text("variant");
  m.overrides = j.texts("overrides");
  m.seed = j.whole_number("seed");
  m.scale = j.signed_number("scale");
  m.fidelity = j.text("fidelity");
  m.start_utc_s = j.signed_number("start_utc_s");
  m.duration_h = j.number("duration_h");
  m.wall_time_s = j.number("wall_time_s");
  m.events_processed = j.whole_number("events_processed");
  m.simulated_requests = j.whole_number("simulated_requests");
  m.warnings = j.texts("warnings");
  read_files(j, m);
}

}  // namespace

// ---- RunTable ----

RunTable::RunTable(fs::path file, std::string_view text) : file_(std::move(file)) {
  try {
    t_ = parse_csv(text);
  } catch (const CsvError& e) {
    throw RunFolderDamage(file_.string() + ":" + std::to_string(e.line) + ": " + e.message);
  }
  static const char* const kLead[] = {"run_id", "scenario", "variant", "seed"};
  for (std::size_t i = 0; i < 4; ++i)
    if (t_.header.size() <= i || t_.header[i] != kLead[i])
      throw RunFolderDamage(file_.string() + ":1: not a dcsim CSV (its header must start with run_id,scenario,variant,seed)");
}

std::optional<std::size_t> RunTable::find_col(std::string_view name) const {
  const auto it = std::find(t_.header.begin(), t_.header.end(), name);
  if (it == t_.header.end()) return std::nullopt;
  return static_cast<std::size_t>(it - t_.header.begin());
}

std::size_t RunTable::col(std::string_view name) const {
  if (const auto c = find_col(name)) return *c;
  throw RunFolderDamage(file_.string() + ":1: no column '" + std::string(name) + "'");
}

double RunTable::number(std::size_t r, std::size_t c) const {
  const auto v = optional_number(r, c);
  if (!v) fail(r, c, "empty");
  return *v;
}

std::optional<double> RunTable::optional_number(std::size_t r, std::size_t c) const {
  const std::string& s = t_.rows[r][c];
  if (s.empty()) return std::nullopt;
  double d = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(d)) fail(r, c, "'" + s + "' is not a number");
  return d;
}

bool RunTable::flag(std::size_t r, std::size_t c) const {
  const std::string& s = t_.rows[r][c];
  if (s == "1" || s == "true") return true;
  if (s == "0" || s == "false") return false;
  fail(r, c, "'" + s + "' is not 0 or 1");
}

void RunTable::fail(std::size_t r, std::size_t c, const std::string& what) const {
  fail_row(r, "column " + t_.header[c] + ": " + what);
}

void RunTable::fail_row(std::size_t r, const std::string& what) const {
  throw RunFolderDamage(file_.string() + ":" + std::to_string(t_.row_lines[r]) + ": " + what);
}

// ---- RunFolderReader ----

RunFolderReader::RunFolderReader(const fs::path& dir) {
  m_.dir = dir;
  const fs::path path = m_.path();
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw RunFolderDamage(quoted(dir) + ": not a run folder (no such folder)");
  if (!fs::is_regular_file(path, ec)) throw RunFolderDamage(quoted(path) + ": missing (not a complete run folder?)");
  std::string text;
  try {
    text = read_file_text(path);
  } catch (const IoError& e) {
    throw RunFolderDamage(e.what());
  }
  nlohmann::json json;
  try {
    json = parse_json(text);
  } catch (const JsonError& e) {
    throw RunFolderDamage(at_line(path, e.line) + ": malformed JSON: " + e.message);
  }
  if (!json.is_object() || !json.contains("dcsim_version"))
    throw RunFolderDamage(quoted(path) + ": not a manifest dcsim wrote (no dcsim_version)");
  try {
    read_fields(JsonFields(json, text), m_);
  } catch (const JsonError& e) {
    throw RunFolderDamage(at_line(path, e.line) + ": " + e.message);
  }
}

std::string RunFolderReader::verified_text(const std::string& name) const {
  const fs::path p = m_.dir / name;
  const auto sha = m_.file_sha.find(name);
  if (sha == m_.file_sha.end()) throw RunFolderDamage(quoted(p) + ": not listed in " + quoted(m_.path()) + " (not a file of this run)");
  std::error_code ec;
  if (!fs::exists(p, ec)) throw RunFolderDamage(quoted(p) + ": missing (" + quoted(m_.path()) + " lists it)");
  // A FIFO or device in its place would block the read or never end; dcsim writes files.
  if (!fs::is_regular_file(p, ec)) throw RunFolderDamage(quoted(p) + ": not a regular file (dcsim wrote a file here)");
  std::string text;
  try {
    text = read_file_text(p);
  } catch (const IoError& e) {
    throw RunFolderDamage(e.what());
  }
  if (sha256_hex(text) != sha->second)
    throw RunFolderDamage(quoted(p) + " does not match the SHA-256 in its manifest (changed or damaged since dcsim wrote it)");
  return text;
}

RunTable RunFolderReader::table(const std::string& name) const { return RunTable(m_.dir / name, verified_text(name)); }

void RunFolderReader::verify_all() const {
  for (const auto& [name, sha] : m_.file_sha) (void)verified_text(name);
}

}  // namespace dcsim::tools
