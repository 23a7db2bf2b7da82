// The -o path of a command, made safe before any work: normalised ("new/" and "a/../new"
// name the folder "new"), never the current folder, a root or a symbolic link, never inside
// (or around) an input; and the missing parent folders created so that a failure can
// remove exactly the ones it created.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace dcsim::tools {

/// A -o path dcsim will not use; the message says why. Exit 1 (a usage mistake the
/// parser could not see, like a folder that exists).
struct OutputPathError {
  std::string message;
};

/// `text` without "." / ".." steps and trailing slashes. Throws OutputPathError when it is
/// empty or names ".", "..", or a root, which cannot be created or replaced.
std::filesystem::path normalise_output_path(const std::string& text);

/// Throws OutputPathError when `path` is a symbolic link: replacing it would replace the
/// link, writing through it would write somewhere the planner did not name.
void refuse_symlink(const std::filesystem::path& path);

/// True when `inner` is `outer` or lies inside it (resolving links and relative steps).
bool is_within(const std::filesystem::path& inner, const std::filesystem::path& outer);

/// Throws OutputPathError when `out` is one of `inputs`, lies inside one, or holds one:
/// writing there would change what is being read, or replacing it would delete it.
void refuse_input_overlap(const std::filesystem::path& out, const std::vector<std::filesystem::path>& inputs);

/// `name` (a scenario's meta.name) made safe as part of a default folder name: every
/// character but letters, digits, '-', '_' and a non-leading '.' becomes '-', so a name
/// like "../x" or "a/b" cannot make dcsim write outside runs/.
std::string folder_name_part(const std::string& name);

/// The folders missing above an output, created now; unless kept, the destructor removes
/// those it created (deepest first, only while empty), so a failed command leaves nothing.
class CreatedParents {
 public:
  /// Creates every missing folder above `path`. Throws IoError.
  explicit CreatedParents(const std::filesystem::path& path);
  ~CreatedParents();
  CreatedParents(const CreatedParents&) = delete;
  CreatedParents& operator=(const CreatedParents&) = delete;
  void keep() { created_.clear(); }

 private:
  std::vector<std::filesystem::path> created_;  ///< outermost first
};

}  // namespace dcsim::tools
