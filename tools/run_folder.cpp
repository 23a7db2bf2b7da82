// All-or-nothing run folders.
#include "tools/run_folder.hpp"

#include <fstream>
#include <unistd.h>

namespace dcsim::tools {

namespace fs = std::filesystem;

RunFolder::RunFolder(fs::path dir, bool force) : dir_(std::move(dir)), force_(force) {
  if (dir_.empty()) throw RunFolderError{"empty output folder name"};
  std::error_code ec;
  if (fs::exists(dir_, ec) && !force_)
    throw RunFolderError{"'" + dir_.string() + "' exists; choose another -o folder or pass --force to replace it"};
  if (fs::exists(dir_, ec) && !fs::is_directory(dir_, ec))
    throw RunFolderError{"'" + dir_.string() + "' exists and is not a folder"};
  const fs::path parent = dir_.has_parent_path() ? dir_.parent_path() : fs::path(".");
  fs::create_directories(parent, ec);
  if (ec) throw RunFolderError{"cannot create '" + parent.string() + "': " + ec.message()};
  partial_ = parent / ("." + dir_.filename().string() + ".partial-" + std::to_string(::getpid()));
  fs::remove_all(partial_, ec);
  fs::create_directory(partial_, ec);
  if (ec) throw RunFolderError{"cannot create '" + partial_.string() + "': " + ec.message()};
}

RunFolder::~RunFolder() {
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(partial_, ec);
}

void RunFolder::write(const std::string& name, const std::string& content) {
  const fs::path p = partial_ / name;
  std::error_code ec;
  fs::create_directories(p.parent_path(), ec);
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) throw RunFolderError{"cannot write '" + p.string() + "'"};
}

void RunFolder::commit() {
  std::error_code ec;
  if (fs::exists(dir_, ec)) {
    if (!force_) throw RunFolderError{"'" + dir_.string() + "' appeared while the run was going; not replaced"};
    // Move the old folder aside first so a crash between the two renames loses nothing.
    const fs::path old = partial_.string() + ".old";
    fs::rename(dir_, old, ec);
    if (ec) throw RunFolderError{"cannot replace '" + dir_.string() + "': " + ec.message()};
    fs::rename(partial_, dir_, ec);
    if (ec) throw RunFolderError{"cannot move the results into '" + dir_.string() + "': " + ec.message()};
    fs::remove_all(old, ec);
  } else {
    fs::rename(partial_, dir_, ec);
    if (ec) throw RunFolderError{"cannot move the results into '" + dir_.string() + "': " + ec.message()};
  }
  committed_ = true;
}

}  // namespace dcsim::tools
