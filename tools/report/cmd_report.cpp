// `dcsim report DIR... -o report.html`: one self-contained HTML page comparing run folders
// (or every run of a sweep folder). Every folder is read and checked before anything is
// written; the page goes to a temporary sibling that is renamed into place, so a failure
// leaves no file behind (exit 1) and an existing report is replaced only when complete.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <unistd.h>

#include "tools/cli.hpp"
#include "tools/report/report.hpp"

namespace dcsim::tools {

namespace {

struct ReportCommandOptions {
  std::vector<std::string> dirs;
  std::string out;
  std::string title;
  double min_share_pct = 0.1;
  bool quiet = false;
};

int run_report(const ReportCommandOptions& o) {
  namespace fs = std::filesystem;
  using namespace report;
  std::vector<ReportRun> runs;
  try {
    for (const auto& dir : expand_run_dirs(o.dirs)) {
      ReportRun r{load_run(dir), {}};
      r.geo = load_geography(r.data);
      if (!r.geo.note.empty() && !o.quiet) std::fprintf(stderr, "dcsim report: %s: %s\n", dir.string().c_str(), r.geo.note.c_str());
      runs.push_back(std::move(r));
    }
  } catch (const ReportError& e) {
    std::fprintf(stderr, "dcsim report: %s\n", e.message.c_str());
    return kExitInvalid;
  }
  std::vector<RunData*> data;
  for (auto& r : runs) data.push_back(&r.data);
  disambiguate_labels(data);
  ReportOptions opts;
  opts.title = o.title;
  opts.flow_min_share = o.min_share_pct / 100.0;
  const std::string html = build_report(runs, opts);

  const fs::path out(o.out);
  const fs::path tmp = out.parent_path() / ("." + out.filename().string() + ".partial-" + std::to_string(::getpid()));
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << html;
    f.close();
    if (!f) {
      std::error_code ec;
      fs::remove(tmp, ec);
      std::fprintf(stderr, "dcsim report: cannot write %s\n", out.string().c_str());
      return kExitInvalid;
    }
  }
  std::error_code ec;
  fs::rename(tmp, out, ec);
  if (ec) {
    fs::remove(tmp, ec);
    std::fprintf(stderr, "dcsim report: cannot write %s\n", out.string().c_str());
    return kExitInvalid;
  }
  if (!o.quiet) std::fprintf(stderr, "dcsim report: %zu run%s, %zu bytes written to %s\n", runs.size(), runs.size() == 1 ? "" : "s", html.size(), out.string().c_str());
  return kExitOk;
}

}  // namespace

void add_report_command(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<ReportCommandOptions>();
  CLI::App* cmd = app.add_subcommand("report", "One self-contained HTML page comparing run folders: map, headline table, latency, site load, events");
  cmd->add_option("DIRS", opts->dirs, "Run folders written by dcsim run, or sweep folders (their runs/*)")->required();
  cmd->add_option("-o,--output", opts->out, "The HTML file to write")->required();
  cmd->add_option("--title", opts->title, "Page title (default: from the scenario names)");
  cmd->add_option("--min-flow-pct", opts->min_share_pct, "Draw country → site flows of at least this percentage of a run's site bytes (default 0.1; EEA-exit flows are always drawn)")
      ->check(CLI::Range(0.0, 100.0));
  cmd->add_flag("-q,--quiet", opts->quiet, "No messages on stderr except errors");
  cmd->callback([opts, &exit_code] { exit_code = run_report(*opts); });
}

}  // namespace dcsim::tools
