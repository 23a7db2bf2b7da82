// Helpers of the fuzz targets (see fuzz_support.hpp).
#include "tests/fuzz/fuzz_support.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace dcsim::fuzz {

namespace fs = std::filesystem;

std::string source_path(const std::string& relative) { return std::string(DCSIM_SOURCE_DIR) + "/" + relative; }

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("fuzz: cannot read " + p.string());
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

void write_file(const fs::path& p, std::string_view text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out) throw std::runtime_error("fuzz: cannot write " + p.string());
}

namespace {

constexpr std::string_view kScratchPrefix = "dcsim-fuzz-";

// A target that crashed or was killed never ran its atexit cleanup: its scratch folder
// (named for its process id) is removed by the next target once that process is gone.
void remove_stale_scratch(const fs::path& base) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(base, ec)) {
    const std::string name = e.path().filename().string();
    if (!name.starts_with(kScratchPrefix)) continue;
    const long pid = std::strtol(name.c_str() + kScratchPrefix.size(), nullptr, 10);
    if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) fs::remove_all(e.path(), ec);
  }
}

fs::path make_scratch() {
  std::error_code ec;
  fs::path base = "/dev/shm";
  if (!fs::is_directory(base, ec) || ::access(base.c_str(), W_OK) != 0) base = fs::temp_directory_path();
  remove_stale_scratch(base);
  const fs::path dir = base / (std::string(kScratchPrefix) + std::to_string(::getpid()));
  fs::remove_all(dir, ec);
  fs::create_directories(dir);
  return dir;
}

void remove_scratch() {
  std::error_code ec;
  fs::remove_all(scratch_dir(), ec);
}

bool safe_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() == '.') return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) return false;
  return true;
}

}  // namespace

const fs::path& scratch_dir() {
  static const fs::path dir = [] {
    fs::path d = make_scratch();
    std::atexit(remove_scratch);
    return d;
  }();
  return dir;
}

void reset_dir(const fs::path& dir) {
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir);
}

std::vector<std::pair<std::string, std::string>> split_bundle(std::string_view data) {
  std::vector<std::pair<std::string, std::string>> files;
  constexpr std::string_view kMark = "=== ";
  std::size_t pos = data.starts_with(kMark) ? 0 : data.find("\n=== ");
  while (pos != std::string_view::npos) {
    if (data[pos] == '\n') ++pos;  // the newline before a marker ends the previous file
    const std::size_t name_start = pos + kMark.size();
    const std::size_t name_end = std::min(data.find('\n', name_start), data.size());
    const std::size_t body = std::min(name_end + 1, data.size());
    const std::size_t next = data.find("\n=== ", name_end);
    const std::string_view name = data.substr(name_start, name_end - name_start);
    const std::string_view text = data.substr(body, (next == std::string_view::npos ? data.size() : next + 1) - body);
    if (safe_name(name)) files.emplace_back(std::string(name), std::string(text));
    pos = next;
  }
  return files;
}

void silence_stdout() {
  std::fflush(stdout);
  const int null = ::open("/dev/null", O_WRONLY);
  if (null >= 0) {
    ::dup2(null, STDOUT_FILENO);
    ::close(null);
  }
}

}  // namespace dcsim::fuzz
