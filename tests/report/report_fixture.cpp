// Report test fixtures: tiny run folders and HTML checks.
#include "tests/report/report_fixture.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <vector>

#include "tests/support/run_command.hpp"
#include "tools/sha256.hpp"

namespace dcsim::test {

namespace fs = std::filesystem;

void make_run(const std::string& scenario, const fs::path& out, const std::string& variant) {
  std::vector<std::string> args{"run", scenario, "-o", out.string(), "-q"};
  if (!variant.empty()) args.insert(args.end(), {"--variant", variant});
  const CommandResult r = run_dcsim(args);
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
}

const TinyRuns& tiny_runs() {
  static TinyRuns t;  // its TempDir is removed at exit
  static const bool made = [] {
    const std::string scenario = source_path("tests/report/data/tiny.yaml");
    t.base = t.dir.path() / "base";
    t.with_hamar = t.dir.path() / "with-hamar";
    t.eea_only = t.dir.path() / "eea-only";
    make_run(scenario, t.base);
    make_run(scenario, t.with_hamar, "with-hamar");
    make_run(scenario, t.eea_only, "eea-only");
    return true;
  }();
  (void)made;
  return t;
}

fs::path copy_run(const fs::path& from, const fs::path& to) {
  fs::create_directories(to);
  fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  return to;
}

void reseal(const fs::path& run, const std::string& file, const std::string& text) {
  const std::string before = tools::sha256_hex(read_file((run / file).string()));
  { std::ofstream(run / file, std::ios::binary | std::ios::trunc) << text; }
  std::string manifest = read_file((run / "manifest.json").string());
  const std::size_t at = manifest.find(before);
  REQUIRE_MESSAGE(at != std::string::npos, file << "'s SHA-256 is not in the manifest");
  manifest.replace(at, before.size(), tools::sha256_hex(text));
  std::ofstream(run / "manifest.json", std::ios::binary | std::ios::trunc) << manifest;
}

int count_of(const std::string& text, const std::string& needle) {
  int n = 0;
  for (std::size_t p = text.find(needle); p != std::string::npos; p = text.find(needle, p + needle.size())) ++n;
  return n;
}

std::string tag_balance_problem(const std::string& html) {
  static const std::vector<std::string> kVoid{"meta", "br", "img", "input", "link", "hr", "col", "wbr", "source", "area", "base"};
  std::vector<std::string> stack;
  std::size_t i = 0;
  while ((i = html.find('<', i)) != std::string::npos) {
    if (html.compare(i, 4, "<!--") == 0) {
      const std::size_t e = html.find("-->", i);
      if (e == std::string::npos) return "an unclosed comment";
      i = e + 3;
      continue;
    }
    const std::size_t close = html.find('>', i);
    if (close == std::string::npos) return "a '<' with no '>' at byte " + std::to_string(i);
    const std::string tag = html.substr(i + 1, close - i - 1);
    i = close + 1;
    if (tag.empty()) return "an empty tag";
    if (tag[0] == '!') continue;  // doctype
    if (tag[0] == '/') {
      const std::string name = tag.substr(1);
      if (stack.empty()) return "</" + name + "> closes nothing";
      if (stack.back() != name) return "</" + name + "> closes <" + stack.back() + ">";
      stack.pop_back();
      continue;
    }
    const std::string name = tag.substr(0, tag.find_first_of(" \t\n/"));
    if (tag.back() == '/' || std::find(kVoid.begin(), kVoid.end(), name) != kVoid.end()) continue;
    stack.push_back(name);
    if (name == "style") {  // raw text up to </style>
      const std::size_t e = html.find("</style>", i);
      if (e == std::string::npos) return "an unclosed <style>";
      i = e;
    }
  }
  if (!stack.empty()) return "<" + stack.back() + "> is never closed";
  return {};
}

std::string external_reference(const std::string& html) {
  static const std::regex kPatterns[] = {
      std::regex(R"((src|href)\s*=\s*["']?\s*(https?:)?//)", std::regex::icase), std::regex(R"(url\s*\()", std::regex::icase),
      std::regex(R"(@import)", std::regex::icase), std::regex(R"(<script)", std::regex::icase), std::regex(R"(<link)", std::regex::icase),
      std::regex(R"(<iframe|<img|<object|<embed)", std::regex::icase)};
  for (const auto& re : kPatterns) {
    std::smatch m;
    if (std::regex_search(html, m, re)) return "found '" + m.str() + "'";
  }
  return {};
}

}  // namespace dcsim::test
