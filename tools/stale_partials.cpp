// Finding and removing partial folders of dead dcsim processes on this host.
#include "tools/stale_partials.hpp"

#include <cerrno>
#include <csignal>
#include <optional>
#include <unistd.h>

#include "tools/file_io.hpp"

namespace dcsim::tools {

namespace fs = std::filesystem;

namespace {

std::string this_host() {
  char name[256] = {0};
  if (::gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

// The PID in ".NAME.partial-PID", or nullopt for any other name.
std::optional<long> partial_pid(const std::string& name) {
  static const std::string kTag = ".partial-";
  if (name.size() < 2 || name[0] != '.') return std::nullopt;
  const std::size_t at = name.rfind(kTag);
  if (at == std::string::npos || at == 0) return std::nullopt;
  const std::string digits = name.substr(at + kTag.size());
  if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stol(digits);
}

bool process_gone(long pid) { return pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH; }

bool marker_says(const fs::path& dir, const std::string& expected) {
  // Read only a plain file: a FIFO named like the marker would block the command.
  std::error_code ec;
  if (!fs::is_regular_file(fs::symlink_status(dir / kPartialMarker, ec))) return false;
  try {
    return read_file_text(dir / kPartialMarker) == expected;
  } catch (const IoError&) {
    return false;  // unreadable: not provably ours, so it is left alone
  }
}

std::string marker_for(const std::string& host, long pid) {
  return "dcsim partial folder\nhost " + host + "\npid " + std::to_string(pid) + "\n";
}

}  // namespace

std::string partial_marker_text() { return marker_for(this_host(), static_cast<long>(::getpid())); }

std::vector<fs::path> remove_stale_partials(const fs::path& parent) {
  const std::string host = this_host();
  std::vector<fs::path> stale, removed;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(parent.empty() ? fs::path(".") : parent, ec)) {
    const auto pid = partial_pid(e.path().filename().string());
    if (!pid || !fs::is_directory(fs::symlink_status(e.path(), ec))) continue;
    if (marker_says(e.path(), marker_for(host, *pid)) && process_gone(*pid)) stale.push_back(e.path());
  }
  for (const fs::path& p : stale) {
    std::error_code rm;
    fs::remove_all(p, rm);
    if (!rm) removed.push_back(p);
  }
  return removed;
}

}  // namespace dcsim::tools
