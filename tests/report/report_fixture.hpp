// Run folders for the report tests, made once per test process from
// tests/report/data/tiny.yaml (four European regions and one overseas, Dublin, Hamar and
// US East, a Dublin outage and a policy switch), plus helpers to read the page back.
#pragma once

#include <filesystem>
#include <string>

#include "tests/support/test_files.hpp"
#include "tools/report/report.hpp"

namespace dcsim::test {

struct TinyRuns {
  TempDir dir;
  std::filesystem::path base, with_hamar, eea_only;
};

/// The base run and two variants of the tiny scenario (made on first use).
const TinyRuns& tiny_runs();

/// `dcsim run` of `scenario` into `out` (fails the test when the run fails).
void make_run(const std::string& scenario, const std::filesystem::path& out, const std::string& variant = "");

/// A copy of a run folder (to tamper with).
std::filesystem::path copy_run(const std::filesystem::path& from, const std::filesystem::path& to);

/// Rewrites `file` of a run folder with `text` and puts its new SHA-256 in manifest.json, as
/// a bug in a writer would leave it: to reach the checks behind the hash check.
void reseal(const std::filesystem::path& run, const std::string& file, const std::string& text);

/// Occurrences of `needle` in `text`.
int count_of(const std::string& text, const std::string& needle);

/// Empty when every element that is opened is closed in order (void elements, comments,
/// the doctype and <style> content aside); else a description of the first problem.
std::string tag_balance_problem(const std::string& html);

/// Empty when the page fetches nothing (no http(s) or protocol-relative src/href, no
/// url(...), @import, <script> or <link>); else what was found.
std::string external_reference(const std::string& html);

}  // namespace dcsim::test
