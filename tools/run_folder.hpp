// A run's output folder, written all-or-nothing: files go into a hidden sibling folder
// (".NAME.partial-PID") and the folder is renamed into place only when every file is
// complete. An existing folder is refused unless `force` is set; then it is replaced
// only at the final rename. A failed run leaves nothing behind.
#pragma once

#include <filesystem>
#include <string>

namespace dcsim::tools {

/// Thrown when the folder cannot be used or written; the message names the path.
struct RunFolderError {
  std::string message;
};

class RunFolder {
 public:
  /// Checks that `dir` can be written (absent, or `force`); throws RunFolderError.
  RunFolder(std::filesystem::path dir, bool force);
  ~RunFolder();  ///< removes the partial folder unless committed
  RunFolder(const RunFolder&) = delete;
  RunFolder& operator=(const RunFolder&) = delete;

  /// Writes one file into the partial folder, creating subfolders in `name` (throws
  /// RunFolderError on I/O failure).
  void write(const std::string& name, const std::string& content);
  /// Moves the finished folder into place.
  void commit();
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_, partial_;
  bool force_ = false, committed_ = false;
};

}  // namespace dcsim::tools
