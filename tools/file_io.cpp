// Whole-file I/O on file descriptors, with errno kept for the message.
#include "tools/file_io.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace dcsim::tools {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kWriterBuffer = 1 << 20;

// write(2) until all of `data` is out; EINTR is retried. Returns 0 or the errno.
int write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return 0;
}

int open_for_writing(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw io_error("create", path, errno);
  return fd;
}

// read(2) until end of file; EINTR is retried. Returns 0 or the errno.
int read_all(int fd, std::string& text) {
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) return 0;
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    text.append(buf, static_cast<std::size_t>(n));
  }
}

}  // namespace

IoError io_error(const std::string& action, const fs::path& path, int err) {
  return IoError("cannot " + action + " '" + path.string() + "': " + std::strerror(err));
}

std::string read_file_text(const fs::path& path) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever; the
  // file type is checked on the open descriptor, so what is read is what was checked.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) throw io_error("read", path, errno);
  struct stat st{};
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    throw io_error("read", path, err);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    const char* what = S_ISDIR(st.st_mode)    ? "a directory"
                       : S_ISFIFO(st.st_mode) ? "a FIFO (named pipe)"
                       : S_ISCHR(st.st_mode)  ? "a character device"
                       : S_ISBLK(st.st_mode)  ? "a block device"
                       : S_ISSOCK(st.st_mode) ? "a socket"
                                              : "not a file";
    throw IoError("cannot read '" + path.string() + "': it is " + what + ", not a regular file");
  }
  // Back to blocking reads (a regular file ignores the flag, but a later reader may not).
  if (const int flags = ::fcntl(fd, F_GETFL); flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  std::string text;
  const int err = read_all(fd, text);
  ::close(fd);
  if (err != 0) throw io_error("read", path, err);
  return text;
}

std::string read_stdin_text() {
  std::string text;
  if (const int err = read_all(STDIN_FILENO, text); err != 0) throw IoError(std::string("cannot read standard input: ") + std::strerror(err));
  return text;
}

void write_file_text(const fs::path& path, std::string_view content) {
  const int fd = open_for_writing(path);
  if (const int err = write_all(fd, content)) {
    ::close(fd);
    throw io_error("write", path, err);
  }
  if (::close(fd) != 0) throw io_error("write", path, errno);
}

FileWriter::FileWriter(fs::path path) : path_(std::move(path)), fd_(open_for_writing(path_)) { buffer_.reserve(kWriterBuffer); }

FileWriter::~FileWriter() {
  if (fd_ >= 0) ::close(fd_);
}

void FileWriter::write(std::string_view text) {
  if (buffer_.size() + text.size() > kWriterBuffer) flush();
  if (text.size() > kWriterBuffer) {
    if (const int err = write_all(fd_, text)) throw io_error("write", path_, err);
    return;
  }
  buffer_.append(text);
}

void FileWriter::flush() {
  if (const int err = write_all(fd_, buffer_)) throw io_error("write", path_, err);
  buffer_.clear();
}

void FileWriter::close() {
  if (fd_ < 0) return;
  flush();
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) throw io_error("write", path_, errno);
}

void flush_stdout() {
  errno = 0;
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    const int err = errno != 0 ? errno : EIO;
    throw IoError(std::string("cannot write to standard output: ") + std::strerror(err));
  }
}

}  // namespace dcsim::tools
