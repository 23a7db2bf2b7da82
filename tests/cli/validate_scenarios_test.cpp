// Every scenario shipped in scenarios/ validates, and mutated copies of them (and of the
// datasets they include) are rejected with exit 1 and a message naming file and line.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <regex>
#include <sstream>
#include <sys/stat.h>

#include "tests/support/run_command.hpp"
#include "tests/support/test_files.hpp"

namespace fs = std::filesystem;
using namespace dcsim;

namespace {

bool is_top_level_scenario(const std::string& text) {
  return text.rfind("meta:", 0) == 0 || text.find("\nmeta:") != std::string::npos;
}

// Top-level scenario files (relative to scenarios/), sorted so runs are repeatable.
std::vector<std::string> scenario_files() {
  std::vector<std::string> out;
  const fs::path root = test::source_path("scenarios");
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file() && e.path().extension() == ".yaml" &&
        is_top_level_scenario(test::read_file(e.path().string())))
      out.push_back(fs::relative(e.path(), root).string());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

std::string join(const std::vector<std::string>& lines, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n && i < lines.size(); ++i) out += lines[i] + "\n";
  return out;
}

// A copy of scenarios/ in a temp dir, so mutations keep includes working.
struct ScenarioCopy {
  test::TempDir dir;
  ScenarioCopy() { fs::copy(test::source_path("scenarios"), dir.path() / "scenarios", fs::copy_options::recursive); }
  std::string path(const std::string& rel) const { return (dir.path() / "scenarios" / rel).string(); }
  void write(const std::string& rel, const std::string& text) const { dir.write("scenarios/" + rel, text); }
};

// Applies a line-level mutation: the first line matching `pattern` is rewritten by `edit`.
// Returns the 1-based line number changed, or 0 when no line matched.
int mutate_first(std::vector<std::string>& lines, const std::regex& pattern,
                 const std::function<std::string(const std::string&)>& edit, int skip = 0) {
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (std::regex_search(lines[i], pattern) && skip-- <= 0) {
      lines[i] = edit(lines[i]);
      return static_cast<int>(i) + 1;
    }
  return 0;
}

void expect_rejected(const std::string& scenario, const std::string& file, int line, const std::string& what) {
  const auto r = test::run_dcsim({"validate", "-q", scenario});
  INFO(what << " in " << file << "\nstderr:\n" << r.err);
  CHECK(r.signal == 0);
  CHECK(r.exit_code == 1);
  if (line > 0) CHECK(r.err.find(file + ":" + std::to_string(line) + ":") != std::string::npos);
}

}  // namespace

TEST_CASE("there are scenarios to check, the default among them") {
  const auto files = scenario_files();
  CHECK(std::find(files.begin(), files.end(), "default.yaml") != files.end());
}

TEST_CASE("every scenario in scenarios/ validates with all its variants") {
  for (const auto& f : scenario_files()) {
    const auto r = test::run_dcsim({"validate", test::source_path("scenarios/" + f)});
    INFO(f << "\n" << r.err);
    CHECK(r.exit_code == 0);
  }
}

TEST_CASE("validate states the run's length and start as a planner reads them") {
  // 72 h read back from nanoseconds printed as 72.00000000000001 h, and the start only as
  // Unix seconds.
  const auto r = test::run_dcsim({"validate", test::source_path("scenarios/clover-migration.yaml")});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("  run        72 h from 2023-09-15T00:00:00Z (1694736000 s Unix), event fidelity") != std::string::npos);
}

TEST_CASE("truncated, negated and misspelled copies of every scenario are rejected") {
  for (const auto& f : scenario_files()) {
    const auto original = lines_of(test::read_file(test::source_path("scenarios/" + f)));
    ScenarioCopy copy;
    const std::string path = copy.path(f);
    {  // truncated right after its first section header (other than include:), so that
       // section is left empty, overriding whatever an included base had for it
      std::size_t cut = original.size() / 3;
      for (std::size_t i = 0; i < original.size(); ++i)
        if (std::regex_match(original[i], std::regex(R"([a-z_]+:\s*)")) && original[i].rfind("include", 0) != 0) {
          cut = i + 1;
          break;
        }
      copy.write(f, join(original, cut));
      expect_rejected(path, path, 0, "truncation");
    }
    {
      auto lines = original;
      const int line = mutate_first(lines, std::regex(R"(^\s*duration_h:\s*[0-9])"),
                                    [](const std::string& l) { return std::regex_replace(l, std::regex(R"(:\s*)"), ": -"); });
      if (line > 0) {
        copy.write(f, join(lines, lines.size()));
        expect_rejected(path, path, line, "negative duration");
      }
    }
    {
      auto lines = original;
      const int line = mutate_first(lines, std::regex(R"(^meta:)"), [](const std::string&) { return "mtea:"; });
      if (line > 0) {
        copy.write(f, join(lines, lines.size()));
        expect_rejected(path, path, line, "misspelled key");
      }
    }
    {
      auto lines = original;
      const int line = mutate_first(lines, std::regex(R"(^build_out:\s*\[)"), [](const std::string& l) {
        const auto open = l.find('['), comma = l.find_first_of(",]", open);
        const std::string first = l.substr(open + 1, comma - open - 1);
        return l.substr(0, open + 1) + first + ", " + first + l.substr(open + 1 + first.size());
      });
      if (line > 0) {
        copy.write(f, join(lines, lines.size()));
        expect_rejected(path, path, line, "duplicated build-out id");
      }
    }
  }
}

TEST_CASE("broken copies of the datasets are rejected at their line") {
  struct DataMutation {
    std::string file, pattern, what;
    std::function<std::string(const std::string&)> edit;
    int skip = 0;
  };
  const std::vector<DataMutation> mutations = {
      {"data/regions.yaml", R"(^\s*population:\s*[0-9])", "negative population",
       [](const std::string& l) { return std::regex_replace(l, std::regex(R"(:\s*)"), ": -"); }},
      {"data/regions.yaml", R"(^\s*lat:)", "misspelled key",
       [](const std::string& l) { return std::regex_replace(l, std::regex("lat:"), "latt:"); }},
      {"data/regions.yaml", R"(^\s*- id:)", "duplicated region id",
       [](const std::string& l) { return std::regex_replace(l, std::regex(R"(id:.*)"), "id: DUPLICATE"); }},
      {"data/regions.yaml", R"(^\s*- id:)", "duplicated region id (second)",
       [](const std::string& l) { return std::regex_replace(l, std::regex(R"(id:.*)"), "id: DUPLICATE"); }, 1},
      {"data/sites.yaml", R"(^\s*hub:)", "broken hub reference",
       [](const std::string& l) { return std::regex_replace(l, std::regex(R"(hub:.*)"), "hub: NOWHERE"); }},
      {"data/sites.yaml", R"(^\s*servers:)", "zero servers",
       [](const std::string& l) { return std::regex_replace(l, std::regex(R"(servers:.*)"), "servers: 0"); }},
      {"data/countries.yaml", R"(^\s*user_share:)", "share above 1",
       [](const std::string& l) { return std::regex_replace(l, std::regex(R"(user_share:.*)"), "user_share: 1.5"); }},
      {"data/backbone.yaml", R"(^\s*(- )?a:)", "broken link end",
       [](const std::string& l) { return std::regex_replace(l, std::regex(R"(a:\s*[A-Za-z0-9_-]+)"), "a: NOWHERE"); }},
  };
  // Both duplicate-id mutations are needed together: apply them to one copy.
  ScenarioCopy dup;
  {
    auto lines = lines_of(test::read_file(test::source_path("scenarios/data/regions.yaml")));
    mutate_first(lines, std::regex(mutations[2].pattern), mutations[2].edit);
    const int second = mutate_first(lines, std::regex(mutations[3].pattern), mutations[3].edit, 1);
    dup.write("data/regions.yaml", join(lines, lines.size()));
    expect_rejected(dup.path("default.yaml"), dup.path("data/regions.yaml"), second, "duplicated region id");
  }
  for (std::size_t i = 0; i < mutations.size(); ++i) {
    if (i == 2 || i == 3) continue;
    const auto& m = mutations[i];
    ScenarioCopy copy;
    auto lines = lines_of(test::read_file(test::source_path("scenarios/" + m.file)));
    const int line = mutate_first(lines, std::regex(m.pattern), m.edit, m.skip);
    REQUIRE_MESSAGE(line > 0, m.file << " has no line matching " << m.pattern);
    copy.write(m.file, join(lines, lines.size()));
    expect_rejected(copy.path("default.yaml"), copy.path(m.file), line, m.what);
  }
}

TEST_CASE("a FIFO given as the scenario or as an include is refused at once, not read forever") {
  // `timeout` only ends a dcsim that hangs (the bug): the checks are on its exit and message.
  test::TempDir dir;
  const std::string fifo = (dir.path() / "f.yaml").string();
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  auto r = test::run_shell("timeout 60 " + test::shell_quote(DCSIM_EXE) + " validate " + test::shell_quote(fifo));
  CHECK_MESSAGE(r.exit_code == 1, r.err);
  CHECK_MESSAGE(r.err.find("'" + fifo + "' is a FIFO (named pipe), not a regular file") != std::string::npos, r.err);
  const std::string top = dir.write("top.yaml", "include: f.yaml\nmeta: {name: a}\n");
  r = test::run_shell("timeout 60 " + test::shell_quote(DCSIM_EXE) + " validate " + test::shell_quote(top));
  CHECK_MESSAGE(r.exit_code == 1, r.err);
  CHECK_MESSAGE(r.err.find(top + ":1:10: include: '") != std::string::npos, r.err);
  CHECK_MESSAGE(r.err.find("is a FIFO (named pipe), not a regular file") != std::string::npos, r.err);
}
