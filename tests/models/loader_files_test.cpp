// Bad files rather than bad values: syntax errors, empty and binary files, wrong top level,
// includes that are missing, cyclic or directories, alias bombs and deep nesting.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <unistd.h>

#include "tests/support/test_files.hpp"

using namespace dcsim;

namespace {

// Loads `text` as a scenario and returns the single diagnostic it must produce.
models::Diagnostic only_error(const std::string& text, const std::string& name = "s.yaml") {
  test::TempDir dir;
  const std::string path = dir.write(name, text);
  const auto diags = test::load_errors(path);
  REQUIRE_MESSAGE(diags.size() == 1, test::describe(diags));
  return diags.front();
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("a YAML syntax error names its line") {
  const auto d = only_error("meta:\n  name: x\n  seed: [1, 2\n");
  CHECK(contains(d.message, "YAML syntax error"));
  CHECK(d.loc.line >= 3);
}
TEST_CASE("a tab used for indentation is a syntax error, not a crash") {
  const auto d = only_error("meta:\n\tname: x\n");
  CHECK(contains(d.message, "YAML syntax error"));
  CHECK(d.loc.line == 2);
}
TEST_CASE("an empty file is reported as empty") {
  CHECK(contains(only_error("").message, "file is empty"));
}
TEST_CASE("a file of only comments is reported as empty") {
  CHECK(contains(only_error("# nothing here\n\n# still nothing\n").message, "file is empty"));
}
TEST_CASE("a binary file is rejected before parsing") {
  std::string garbage("\x7f" "ELF\x02\x01\x01\x00\x00\x00", 10);
  CHECK(contains(only_error(garbage).message, "binary file"));
}
TEST_CASE("high-bit garbage without NUL bytes fails cleanly") {
  std::string garbage;
  for (int i = 0; i < 512; ++i) garbage += static_cast<char>(0x80 + (i * 37) % 127);
  test::TempDir dir;
  const auto diags = test::load_errors(dir.write("g.yaml", garbage));
  CHECK(!diags.empty());
}
TEST_CASE("a top-level list is rejected") {
  CHECK(contains(only_error("- a\n- b\n").message, "top level must be a map"));
}
TEST_CASE("a top-level scalar is rejected") {
  CHECK(contains(only_error("just words\n").message, "top level must be a map"));
}
TEST_CASE("two YAML documents in one file are rejected") {
  CHECK(contains(only_error("meta: {name: a}\n---\nmeta: {name: b}\n").message, "more than one YAML document"));
}
TEST_CASE("a missing include names the include line and the file") {
  const auto d = only_error("# top\ninclude: [data/nowhere.yaml]\nmeta: {}\n");
  CHECK(contains(d.message, "nowhere.yaml"));
  CHECK(contains(d.message, "no such file"));
  CHECK(d.loc.line == 2);
  CHECK(d.key_path == "include[0]");
}
TEST_CASE("an include cycle is detected and shows the chain") {
  test::TempDir dir;
  dir.write("b.yaml", "include: a.yaml\n");
  const std::string a = dir.write("a.yaml", "include: b.yaml\nmeta: {name: a}\n");
  const auto diags = test::load_errors(a);
  REQUIRE(diags.size() == 1);
  CHECK(contains(diags[0].message, "include cycle: a.yaml → b.yaml → a.yaml"));
  CHECK(diags[0].loc.file_name() == (dir.path() / "b.yaml").string());
}
TEST_CASE("a directory given as a scenario is rejected") {
  test::TempDir dir;
  std::filesystem::create_directories(dir.path() / "d.yaml");
  const auto diags = test::load_errors((dir.path() / "d.yaml").string());
  REQUIRE(diags.size() == 1);
  CHECK(contains(diags[0].message, "is a directory"));
}
TEST_CASE("a file that does not exist is reported") {
  const auto diags = test::load_errors("/nonexistent/dir/x.yaml");
  REQUIRE(diags.size() == 1);
  CHECK(contains(diags[0].message, "no such file"));
}
TEST_CASE("an unreadable file is reported") {
  if (::geteuid() == 0) return;  // root reads everything: nothing to test
  test::TempDir dir;
  const std::string p = dir.write("locked.yaml", "meta: {}\n");
  std::filesystem::permissions(p, std::filesystem::perms::none);
  const auto diags = test::load_errors(p);
  REQUIRE(diags.size() == 1);
  CHECK(contains(diags[0].message, "unreadable"));
}
TEST_CASE("an alias bomb is stopped, not expanded") {
  std::string text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  std::string prev = "a";
  for (int i = 0; i < 9; ++i) {
    const std::string name = "l" + std::to_string(i);
    text += name + ": &" + name + " [";
    for (int k = 0; k < 10; ++k) text += (k ? ", *" : "*") + prev;
    text += "]\n";
    prev = name;
  }
  CHECK(contains(only_error(text).message, "more than"));
}
TEST_CASE("nesting deeper than 64 levels is rejected") {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "[";
  for (int i = 0; i < 100; ++i) text += "]";
  CHECK(contains(only_error("meta: " + text + "\n").message, "deeper"));
}
TEST_CASE("a complex key is rejected") {
  CHECK(contains(only_error("? [a, b]\n: 1\n").message, "a key must be a plain name"));
}
TEST_CASE("input on which yaml-cpp emits documents forever ends in an error (found by fuzzing)") {
  // yaml-cpp 0.7 parses this 1.6 KB text as an endless stream of empty documents; the
  // loader must stop at the second one instead of hanging.
  const auto diags = test::load_errors(test::source_path("tests/data/bad/fuzz-endless-documents.yaml"));
  REQUIRE(diags.size() == 1);
  CHECK(contains(diags[0].message, "more than one YAML document"));
}
TEST_CASE("a key without a value is read as null and reported by the section reader") {
  test::TempDir dir;
  const auto diags = test::load_errors(dir.write("k.yaml", "meta:\n  name:\n"));
  CHECK(!diags.empty());
}
TEST_CASE("a device given as a scenario or as an include is refused as not a regular file") {
  // Anything but a regular file is refused before it is opened: a FIFO would block the read
  // forever (tests/cli/validate_scenarios_test.cpp runs that case), a device may never end.
  const auto diags = test::load_errors("/dev/null");
  REQUIRE_MESSAGE(diags.size() == 1, test::describe(diags));
  CHECK(contains(diags[0].message, "'/dev/null' is a character device, not a regular file"));
  test::TempDir dir;
  const std::string path = dir.write("s.yaml", "meta: {name: a}\ninclude: [/dev/null]\n");
  const auto inc = test::load_errors(path);
  REQUIRE_MESSAGE(inc.size() == 1, test::describe(inc));
  CHECK(contains(inc[0].message, "'/dev/null' is a character device, not a regular file"));
  CHECK(inc[0].loc.file_name() == path);
  CHECK(inc[0].loc.line == 2);
  CHECK(inc[0].key_path == "include[0]");
}
TEST_CASE("a directory given as an include is refused as not a regular file") {
  test::TempDir dir;
  std::filesystem::create_directories(dir.path() / "d.yaml");
  const auto diags = test::load_errors(dir.write("s.yaml", "include: d.yaml\nmeta: {name: a}\n"));
  REQUIRE_MESSAGE(diags.size() == 1, test::describe(diags));
  CHECK(contains(diags[0].message, "is a directory, not a regular file"));
  CHECK(diags[0].key_path == "include");
}
TEST_CASE("YAML merge keys are reported as not supported, not as an unknown key") {
  test::TempDir dir;
  const std::string text = "x-site: &s {servers: 10}\nmeta:\n  <<: *s\n  name: a\n";
  const auto diags = test::load_errors(dir.write("m.yaml", text));
  const auto it = std::find_if(diags.begin(), diags.end(), [](const models::Diagnostic& d) { return d.key_path == "meta.<<"; });
  REQUIRE_MESSAGE(it != diags.end(), test::describe(diags));
  CHECK(contains(it->message, "merge keys ('<<: *anchor') are not supported"));
  CHECK(it->loc.line == 3);
  for (const auto& d : diags) CHECK_MESSAGE(!contains(d.message, "unknown key '<<'"), test::describe(diags));
}
