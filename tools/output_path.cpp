// Output path checks shared by run, place, merge, sweep and report.
#include "tools/output_path.hpp"


#include "tools/file_io.hpp"

namespace dcsim::tools {

namespace fs = std::filesystem;

fs::path normalise_output_path(const std::string& text) {
  if (text.empty()) throw OutputPathError{"the output path is empty"};
  fs::path p = fs::path(text).lexically_normal();
  // "new/" stays "new/" after lexically_normal: its last component is empty.
  while (!p.has_filename() && p.has_relative_path()) p = p.parent_path();
  const std::string last = p.filename().string();
  if (last.empty() || last == "." || last == "..")
    throw OutputPathError{"'" + text + "' names " + (p.has_relative_path() ? "the current folder or its parent" : "a root") +
                          ", which dcsim will not create or replace; name a new folder or file"};
  return p;
}

void refuse_symlink(const fs::path& path) {
  std::error_code ec;
  if (fs::is_symlink(fs::symlink_status(path, ec)))
    throw OutputPathError{"'" + path.string() + "' is a symbolic link; dcsim writes its outputs only to plain paths, so name the target itself"};
}

bool is_within(const fs::path& inner, const fs::path& outer) {
  std::error_code ec;
  const fs::path a = fs::weakly_canonical(fs::absolute(inner, ec), ec);
  const fs::path b = fs::weakly_canonical(fs::absolute(outer, ec), ec);
  if (a.empty() || b.empty()) return false;
  auto ai = a.begin();
  for (auto bi = b.begin(); bi != b.end(); ++bi, ++ai) {
    if (bi->empty()) continue;  // a trailing separator
    if (ai == a.end() || *ai != *bi) return false;
  }
  return true;
}

void refuse_input_overlap(const fs::path& out, const std::vector<fs::path>& inputs) {
  for (const fs::path& in : inputs) {
    if (is_within(out, in))
      throw OutputPathError{"'" + out.string() + "' is (inside) the input '" + in.string() + "'; dcsim never writes into what it reads: choose another -o"};
    if (is_within(in, out))
      throw OutputPathError{"'" + out.string() + "' holds the input '" + in.string() + "'; replacing it would delete it: choose another -o"};
  }
}

std::string folder_name_part(const std::string& name) {
  std::string out;
  for (const char c : name) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                      (c == '.' && !out.empty());
    out += safe ? c : '-';
  }
  return out.empty() ? "run" : out;
}

CreatedParents::CreatedParents(const fs::path& path) {
  std::vector<fs::path> missing;
  std::error_code ec;
  for (fs::path p = path.parent_path(); !p.empty() && !fs::exists(fs::symlink_status(p, ec)); p = p.parent_path()) {
    missing.push_back(p);
    if (!p.has_relative_path()) break;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (!fs::create_directory(*it, ec) && ec) {
      const int err = ec.value();
      throw io_error("create the folder", *it, err);
    }
    created_.push_back(*it);
  }
}

CreatedParents::~CreatedParents() {
  std::error_code ec;
  for (auto it = created_.rbegin(); it != created_.rend(); ++it)
    if (!fs::remove(*it, ec)) break;  // not empty (someone else's now) or gone: leave the rest
}

}  // namespace dcsim::tools
