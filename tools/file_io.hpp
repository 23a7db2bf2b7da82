// Whole-file reads and writes whose errors carry the operating system's reason ("No space
// left on device", "Permission denied"), which iostreams drop. Writes go through write(2)
// and a checked close(2), so a short write or a failed close on a full disk is an error
// here, not a silently truncated file.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace dcsim::tools {

/// A file that could not be read or written; what() names the path and the OS reason.
/// A sweep stops at the first one (the next run would meet the same full disk).
struct IoError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// "cannot <action> '<path>': <strerror(err)>"
IoError io_error(const std::string& action, const std::filesystem::path& path, int err);

/// The whole file. Throws IoError (a missing file says "No such file or directory"); anything
/// but a regular file (a FIFO, a device, a directory) is refused before a byte is read.
/// dcsim's one way to read a whole file: every command reads through it.
std::string read_file_text(const std::filesystem::path& path);
/// All of standard input. Throws IoError naming "standard input".
std::string read_stdin_text();

/// Creates or truncates `path` and writes `content`. Throws IoError.
void write_file_text(const std::filesystem::path& path, std::string_view content);

/// A file written in pieces through a buffer (merged sweep CSVs can be large). close()
/// reports a failed write or close; without it the destructor closes and ignores errors.
class FileWriter {
 public:
  explicit FileWriter(std::filesystem::path path);  ///< creates or truncates; throws IoError
  ~FileWriter();
  FileWriter(const FileWriter&) = delete;
  FileWriter& operator=(const FileWriter&) = delete;

  void write(std::string_view text);  ///< throws IoError
  void close();                       ///< throws IoError

 private:
  void flush();
  std::filesystem::path path_;
  int fd_ = -1;
  std::string buffer_;
};

/// Flushes stdout. Throws IoError naming "standard output" when a write to it failed
/// (stdout on a full disk, or /dev/full).
void flush_stdout();

}  // namespace dcsim::tools
