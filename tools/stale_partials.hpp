// Partial folders (".NAME.partial-PID") that killed dcsim processes left behind. Each
// partial folder holds a marker file naming the host and process that made it; a later
// command writing beside it removes it only when the marker is there, names this host and
// the folder's PID, and that process is gone. Anything else (another host's partial on a
// shared file system, a live process's, a folder that only looks like one) is left alone.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace dcsim::tools {

/// The marker's file name inside a partial folder (removed before the folder is committed).
inline constexpr const char* kPartialMarker = ".dcsim-partial";

/// The marker's text for this process.
std::string partial_marker_text();

/// Removes the stale partial folders in `parent`; returns the ones removed.
std::vector<std::filesystem::path> remove_stale_partials(const std::filesystem::path& parent);

}  // namespace dcsim::tools
