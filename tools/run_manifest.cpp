// Reading manifest.json and checking files against it.
#include "tools/run_manifest.hpp"


#include "tools/file_io.hpp"
#include "tools/json.hpp"
#include "tools/sha256.hpp"

namespace dcsim::tools {

namespace fs = std::filesystem;

namespace {

std::string quoted_path(const fs::path& p) { return "'" + p.string() + "'"; }
std::string at_line(const fs::path& p, std::size_t line) { return quoted_path(p) + (line > 0 ? ":" + std::to_string(line) : ""); }

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

}  // namespace

RunManifest read_run_manifest(const fs::path& dir) {
  RunManifest m;
  m.dir = dir;
  const fs::path path = m.path();
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw RunFolderDamage(quoted_path(path) + ": missing (not a complete run folder?)");
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
    throw RunFolderDamage(quoted_path(path) + ": not a manifest dcsim wrote (no dcsim_version)");
  try {
    read_fields(JsonFields(json, text), m);
  } catch (const JsonError& e) {
    throw RunFolderDamage(at_line(path, e.line) + ": " + e.message);
  }
  return m;
}

std::string read_verified(const RunManifest& manifest, const std::string& name) {
  const fs::path p = manifest.dir / name;
  const auto sha = manifest.file_sha.find(name);
  if (sha == manifest.file_sha.end())
    throw RunFolderDamage(quoted_path(p) + ": not listed in " + quoted_path(manifest.path()) + " (not a file of this run)");
  std::error_code ec;
  if (!fs::exists(p, ec)) throw RunFolderDamage(quoted_path(p) + ": missing (" + quoted_path(manifest.path()) + " lists it)");
  // A FIFO or device in its place would block the read or never end; dcsim writes files.
  if (!fs::is_regular_file(p, ec)) throw RunFolderDamage(quoted_path(p) + ": not a regular file (dcsim wrote a file here)");
  std::string text;
  try {
    text = read_file_text(p);
  } catch (const IoError& e) {
    throw RunFolderDamage(e.what());
  }
  if (sha256_hex(text) != sha->second)
    throw RunFolderDamage(quoted_path(p) + " does not match the SHA-256 in its manifest (changed or damaged since dcsim wrote it)");
  return text;
}

void verify_run_files(const RunManifest& manifest) {
  for (const auto& [name, sha] : manifest.file_sha) (void)read_verified(manifest, name);
}

}  // namespace dcsim::tools
