// Reading manifest.json and checking files against it.
#include "tools/run_manifest.hpp"


#include "tools/file_io.hpp"
#include "tools/sha256.hpp"

namespace dcsim::tools {

namespace fs = std::filesystem;

namespace {

std::string quoted_path(const fs::path& p) { return "'" + p.string() + "'"; }

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
  try {
    m.json = parse_json(text);
  } catch (const JsonError& e) {
    throw RunFolderDamage(quoted_path(path) + ":" + std::to_string(json_line_of(text, e.offset)) + ": malformed JSON: " + e.message);
  }
  if (m.json.kind != JsonValue::Kind::Object || m.json.get("dcsim_version").empty())
    throw RunFolderDamage(quoted_path(path) + ": not a manifest dcsim wrote (no dcsim_version)");
  const JsonValue* files = m.json.find("files");
  if (!files || files->kind != JsonValue::Kind::Object || files->members.empty())
    throw RunFolderDamage(quoted_path(path) + ": lists no files");
  for (const auto& [name, sha] : files->members) {
    // Names are plain file names dcsim chose; anything else would read outside the folder.
    if (name.empty() || name.find('/') != std::string::npos || name == "." || name == ".." || name == "manifest.json")
      throw RunFolderDamage(quoted_path(path) + ": lists a bad file name '" + name + "'");
    if (sha.kind != JsonValue::Kind::String || sha.text.size() != 64)
      throw RunFolderDamage(quoted_path(path) + ": the SHA-256 of '" + name + "' is not 64 hex digits");
    m.file_sha[name] = sha.text;
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
