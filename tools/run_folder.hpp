// An output folder (a run, a placement, a merged sweep), written all-or-nothing: files go
// into a hidden sibling folder (".NAME.partial-PID", with a marker naming this host and
// process) that is renamed into place only when every file is complete. The -o path is
// normalised and checked before any work; an existing folder is refused unless `force`,
// and even then replaced only when it is an output dcsim wrote (tools/dcsim_outputs.hpp),
// at the final rename. A failed command leaves nothing behind, not even the parent folders
// it created; partial folders of dead dcsim processes beside it are removed.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "tools/output_path.hpp"

namespace dcsim::tools {

/// Thrown when the folder cannot be used; the message names the path. Exit 1. (Failed
/// writes throw IoError, tools/file_io.hpp.)
struct RunFolderError {
  std::string message;
};

class RunFolder {
 public:
  /// Checks `dir` (see above), creates missing parents and the partial folder, and removes
  /// stale partial folders beside it when `clear_stale`. Throws RunFolderError, IoError.
  RunFolder(const std::string& dir, bool force, bool clear_stale = true);
  ~RunFolder();  ///< removes the partial folder (and created parents) unless committed
  RunFolder(const RunFolder&) = delete;
  RunFolder& operator=(const RunFolder&) = delete;

  /// Writes one file into the partial folder, creating subfolders in `name`. Throws IoError.
  void write(const std::string& name, const std::string& content);
  /// Moves the finished folder into place. Throws RunFolderError, IoError.
  void commit();
  const std::filesystem::path& dir() const { return dir_; }
  /// The partial folder, for writers that make their own files in it (dcsim merge).
  const std::filesystem::path& partial() const { return partial_; }

 private:
  void check_replaceable() const;

  std::filesystem::path dir_, partial_;
  std::unique_ptr<CreatedParents> parents_;
  bool force_ = false, committed_ = false;
};

}  // namespace dcsim::tools
