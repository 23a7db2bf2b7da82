// All-or-nothing output folders.
#include "tools/run_folder.hpp"

#include <cerrno>
#include <unistd.h>

#include "tools/dcsim_outputs.hpp"
#include "tools/file_io.hpp"
#include "tools/stale_partials.hpp"

namespace dcsim::tools {

namespace fs = std::filesystem;

namespace {

fs::path checked_output_path(const std::string& text) {
  try {
    fs::path p = normalise_output_path(text);
    refuse_symlink(p);
    return p;
  } catch (const OutputPathError& e) {
    throw RunFolderError{e.message};
  }
}

}  // namespace

RunFolder::RunFolder(const std::string& dir, bool force, bool clear_stale) : dir_(checked_output_path(dir)), force_(force) {
  std::error_code ec;
  if (fs::exists(dir_, ec)) {
    if (!fs::is_directory(dir_, ec)) throw RunFolderError{"'" + dir_.string() + "' exists and is not a folder; choose another -o folder"};
    if (!force_) throw RunFolderError{"'" + dir_.string() + "' exists; choose another -o folder or pass --force to replace it"};
    check_replaceable();
  }
  parents_ = std::make_unique<CreatedParents>(dir_);
  const fs::path parent = dir_.has_parent_path() ? dir_.parent_path() : fs::path(".");
  if (clear_stale) remove_stale_partials(parent);
  partial_ = parent / ("." + dir_.filename().string() + ".partial-" + std::to_string(::getpid()));
  fs::remove_all(partial_, ec);
  // Named by the folder asked for: the hidden partial one means nothing to the planner.
  if (!fs::create_directory(partial_, ec)) throw io_error("create the folder", dir_, ec ? ec.value() : EEXIST);
  // The marker tells later commands whose folder this is (tools/stale_partials.hpp).
  try {
    write_file_text(partial_ / kPartialMarker, partial_marker_text());
  } catch (const IoError&) {
    fs::remove_all(partial_, ec);
    throw;
  }
}

RunFolder::~RunFolder() {
  if (committed_ || partial_.empty()) return;
  std::error_code ec;
  fs::remove_all(partial_, ec);
}

void RunFolder::check_replaceable() const {
  if (const std::string why = why_not_dcsim_folder(dir_); !why.empty())
    throw RunFolderError{"'" + dir_.string() + "' is not a folder dcsim wrote (" + why +
                         "); --force replaces only dcsim's own output folders, so nothing was changed: choose another -o folder"};
}

void RunFolder::write(const std::string& name, const std::string& content) {
  const fs::path p = partial_ / name;
  std::error_code ec;
  fs::create_directories(p.parent_path(), ec);
  if (ec) throw io_error("create the folder", p.parent_path(), ec.value());
  try {
    write_file_text(p, content);
  } catch (const IoError& e) {
    // Name the folder the planner asked for, not only the hidden partial one.
    throw IoError(std::string(e.what()) + " (writing '" + dir_.string() + "'; nothing was kept)");
  }
}

void RunFolder::commit() {
  std::error_code ec;
  fs::remove(partial_ / kPartialMarker, ec);
  if (fs::exists(fs::symlink_status(dir_, ec))) {
    if (!force_) throw RunFolderError{"'" + dir_.string() + "' appeared while the command was running; not replaced"};
    // Checked again: it may have changed while the simulation ran.
    check_replaceable();
    // Move the old folder aside first so a crash between the two renames loses nothing.
    const fs::path old = partial_.string() + ".old";
    fs::rename(dir_, old, ec);
    if (ec) throw io_error("replace", dir_, ec.value());
    fs::rename(partial_, dir_, ec);
    if (ec) {
      const int err = ec.value();
      fs::rename(old, dir_, ec);
      throw io_error("move the results into", dir_, err);
    }
    fs::remove_all(old, ec);
  } else {
    fs::rename(partial_, dir_, ec);
    if (ec) throw io_error("move the results into", dir_, ec.value());
  }
  committed_ = true;
  parents_->keep();
}

}  // namespace dcsim::tools
