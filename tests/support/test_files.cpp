// Implementation of the shared test helpers.
#include "tests/support/test_files.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <random>
#include <sstream>
#include <unistd.h>

namespace dcsim::test {

namespace fs = std::filesystem;

std::string source_path(const std::string& relative) {
  return std::string(DCSIM_SOURCE_DIR) + "/" + relative;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  path_ = fs::temp_directory_path() /
          ("dcsim-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(path_);
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string TempDir::write(const std::string& name, const std::string& text) const {
  const fs::path p = path_ / name;
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << text;
  REQUIRE(out.good());
  return p.string();
}

int line_of(const std::string& text, const std::string& needle) {
  const auto pos = text.find(needle);
  if (pos == std::string::npos) return 0;
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(pos), '\n'));
}

std::string replace_once(const std::string& text, const std::string& from, const std::string& to) {
  const auto pos = text.find(from);
  REQUIRE_MESSAGE(pos != std::string::npos, "mutation target not found: " << from);
  REQUIRE_MESSAGE(text.find(from, pos + 1) == std::string::npos,
                  "mutation target not unique: " << from);
  std::string out = text;
  out.replace(pos, from.size(), to);
  return out;
}

std::vector<models::Diagnostic> load_errors(const std::string& path,
                                            const models::LoadOptions& options) {
  try {
    models::load_scenario(path, options);
  } catch (const models::ScenarioError& e) {
    return e.diagnostics();
  }
  return {};
}

std::vector<models::Diagnostic> validate_errors(const std::string& path,
                                                const std::vector<std::string>& overrides) {
  try {
    models::load_all_variants(path, overrides);
  } catch (const models::ScenarioError& e) {
    return e.diagnostics();
  }
  return {};
}

std::string describe(const std::vector<models::Diagnostic>& diags) {
  std::string out;
  for (const auto& d : diags) out += models::format(d) + "\n";
  return out.empty() ? "(no diagnostics)" : out;
}

std::unique_ptr<models::World> load_world(const TempDir& dir, const std::string& name, const std::string& text,
                                          const std::vector<std::string>& overrides) {
  return std::make_unique<models::World>(models::load_scenario(dir.write(name + ".yaml", text), models::LoadOptions{overrides, ""}));
}

}  // namespace dcsim::test
