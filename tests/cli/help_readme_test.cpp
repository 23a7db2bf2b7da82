// The README's command list and `dcsim COMMAND --help` name the same options: every option
// a command's --help lists appears on that command's line(s) of the README's Commands
// block, and every option written there exists; usage lines say "dcsim", not a build path;
// -o is --out everywhere and -q is --quiet everywhere.
#include <doctest/doctest.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "tests/support/run_command.hpp"
#include "tests/support/test_files.hpp"

using namespace dcsim;

namespace {

const char* const kCommands[] = {"validate", "run", "compare", "sweep", "merge", "place", "resilience", "report", "latency"};

// Long options (and -x short forms) in a text: "--set", "-o".
std::set<std::string> options_in(const std::string& text, bool short_too) {
  std::set<std::string> out;
  const std::regex long_opt(R"((^|[\s\[|(,])(--[a-z0-9][a-z0-9-]*))");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), long_opt); it != std::sregex_iterator(); ++it) out.insert((*it)[2]);
  if (short_too) {
    const std::regex short_opt(R"((^|[\s\[|(,])(-[a-zA-Z])(?=[\s\]|,)]|$))");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), short_opt); it != std::sregex_iterator(); ++it) out.insert((*it)[2]);
  }
  return out;
}

// The README's Commands block: each "dcsim COMMAND ..." line, by command.
std::map<std::string, std::string> readme_commands() {
  const std::string readme = test::read_file(test::source_path("README.md"));
  const std::size_t head = readme.find("## Commands");
  REQUIRE(head != std::string::npos);
  const std::size_t open = readme.find("```", head);
  const std::size_t close = readme.find("```", open + 3);
  REQUIRE(close != std::string::npos);
  std::istringstream block(readme.substr(open + 3, close - open - 3));
  std::map<std::string, std::string> out;
  for (std::string line; std::getline(block, line);) {
    if (line.rfind("dcsim ", 0) != 0) continue;
    const std::string rest = line.substr(6);
    const std::string cmd = rest.substr(0, rest.find(' '));
    // A comment after '#' explains; its words are not options of the command.
    out[cmd] += " " + rest.substr(0, rest.find("  #"));
  }
  return out;
}

// The options section of `dcsim COMMAND --help` (lines that start with an option).
std::string help_options(const std::string& help) {
  std::istringstream in(help);
  std::string out;
  for (std::string line; std::getline(in, line);) {
    const auto first = line.find_first_not_of(' ');
    if (first != std::string::npos && line[first] == '-') out += line.substr(first, line.find(' ', first) - first) + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("every option of every command's --help is in the README's command list, and the other way round") {
  const auto readme = readme_commands();
  for (const char* name : kCommands) {
    const std::string cmd = name;
    CAPTURE(cmd);
    const auto r = test::run_dcsim({cmd, "--help"});
    REQUIRE(r.exit_code == 0);
    REQUIRE_MESSAGE(readme.count(cmd), "the README's Commands block has no 'dcsim " << cmd << "' line");
    const std::string opts = help_options(r.out);
    std::set<std::string> in_help = options_in(opts, true);
    in_help.erase("--help");
    in_help.erase("-h");
    const std::set<std::string> in_readme = options_in(readme.at(cmd), true);
    for (const auto& o : in_help) CHECK_MESSAGE(in_readme.count(o), "dcsim " << cmd << " --help lists " << o << "; the README does not");
    for (const auto& o : in_readme) CHECK_MESSAGE(in_help.count(o), "the README writes dcsim " << cmd << " " << o << "; --help does not list it");
    // One spelling per option across commands.
    CHECK_MESSAGE(opts.find("--output") == std::string::npos, "-o is --out in every command");
    if (in_help.count("-q")) CHECK(in_help.count("--quiet"));
    if (in_help.count("-o")) CHECK(in_help.count("--out"));
    // The usage line names the program as a planner types it.
    CHECK_MESSAGE(r.out.find("Usage: dcsim " + cmd) != std::string::npos, r.out.substr(0, 200));
  }
}
