// `dcsim report DIR... -o report.html`: one self-contained HTML page comparing run folders
// (or every run of a sweep folder). The output path is checked first (not an input, not a
// link; an existing file only with --force and only a report dcsim wrote); every folder is
// then read and checked against its manifest before anything is written; the page goes to
// a temporary sibling that is renamed into place, so a failure leaves no file behind (and
// no parent folder it created), exit 1.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <unistd.h>

#include "tools/cli.hpp"
#include "tools/cli_options.hpp"
#include "tools/dcsim_outputs.hpp"
#include "tools/file_io.hpp"
#include "tools/output_path.hpp"
#include "tools/report/report.hpp"
#include "tools/report/run_inputs.hpp"
#include "tools/run_groups.hpp"
#include <map>

namespace dcsim::tools {

namespace {

namespace fs = std::filesystem;

struct ReportCommandOptions {
  std::vector<std::string> dirs;
  std::string out;
  std::string title;
  double min_share_pct = 0.1;
  bool force = false;
  bool quiet = false;
};

// The output file, checked against the rules above. Throws OutputPathError.
fs::path checked_report_path(const ReportCommandOptions& o, const std::vector<fs::path>& inputs) {
  if (!o.out.empty() && o.out.back() == '/')
    throw OutputPathError{"'" + o.out + "' names a folder; give the report a file name, e.g. " + o.out + "report.html"};
  const fs::path out = normalise_output_path(o.out);
  refuse_symlink(out);
  refuse_input_overlap(out, inputs);
  std::error_code ec;
  if (fs::exists(out, ec)) {
    if (fs::is_directory(out, ec)) throw OutputPathError{"'" + out.string() + "' is a folder; give the report a file name"};
    if (!o.force) throw OutputPathError{"'" + out.string() + "' exists; choose another -o file or pass --force to replace it"};
    if (const std::string why = why_not_dcsim_report(out); !why.empty())
      throw OutputPathError{"'" + out.string() + "' is not a report dcsim wrote (" + why +
                            "); --force replaces only dcsim's own reports, so nothing was changed"};
  }
  return out;
}

void write_report(const fs::path& out, const std::string& html) {
  CreatedParents parents(out);
  const fs::path tmp = out.parent_path() / ("." + out.filename().string() + ".partial-" + std::to_string(::getpid()));
  std::error_code ec;
  try {
    write_file_text(tmp, html);
  } catch (const IoError& e) {
    fs::remove(tmp, ec);
    // Name the file asked for, not only the hidden temporary one.
    throw IoError(std::string(e.what()) + " (writing '" + out.string() + "'; nothing was written)");
  }
  fs::rename(tmp, out, ec);
  if (ec) {
    const int err = ec.value();
    fs::remove(tmp, ec);
    throw io_error("write", out, err);
  }
  parents.keep();
}

int run_report(const ReportCommandOptions& o) {
  using namespace report;
  // Resilience folders (dcsim resilience) or resilience.csv files give the N-1 table; the
  // rest are run and sweep folders.
  std::vector<ResilienceInput> resilience;
  std::vector<std::string> run_args;
  try {
    for (const auto& a : o.dirs) {
      const fs::path p(a);
      std::error_code ec;
      const bool file = p.filename() == "resilience.csv" && fs::is_regular_file(p, ec);
      const bool folder = !fs::exists(p / "manifest.json", ec) && fs::is_regular_file(p / "resilience.csv", ec);
      if (file || folder) {
        const fs::path csv = file ? p : p / "resilience.csv";
        resilience.push_back({"Failures of " + csv.parent_path().filename().string() + " (" + csv.string() + ")", read_resilience(csv)});
      } else {
        run_args.push_back(a);
      }
    }
  } catch (const RunFolderDamage& e) {
    std::fprintf(stderr, "dcsim report: %s\n", e.what());
    return kExitInvalid;
  }
  if (run_args.empty()) {
    std::fprintf(stderr, "dcsim report: name at least one run or sweep folder (a resilience table alone has no runs to report)\n");
    return kExitInvalid;
  }
  std::vector<fs::path> dirs;
  try {
    dirs = expand_run_dirs(run_args);
  } catch (const RunFolderDamage& e) {
    std::fprintf(stderr, "dcsim report: %s\n", e.what());
    return kExitInvalid;
  }
  std::vector<fs::path> inputs(o.dirs.begin(), o.dirs.end());
  inputs.insert(inputs.end(), dirs.begin(), dirs.end());
  fs::path out;
  try {
    out = checked_report_path(o, inputs);
  } catch (const OutputPathError& e) {
    std::fprintf(stderr, "dcsim report: %s\n", e.message.c_str());
    return kExitInvalid;
  }

  // Everything the page shows comes from the run folders: no scenario is read, no World built.
  // One column per run folder and per sweep variant × grid point (tools/run_groups.hpp).
  std::vector<RunResults> runs;
  try {
    for (const RunGroup& g : read_run_groups(run_args)) {
      RunResults r = read_run_results(g.runs.front());
      r.label = g.label;
      if (g.from_sweep) {
        r.seeds = g.runs.size();
        for (const auto& [name, e] : g.figures) r.figure_ci[name] = {e.mean, e.half_width};
        // Each claim over the point's seeds: per seed and on the interval, as the sweep judged it.
        std::map<std::string, std::vector<ClaimRow>> by_claim;
        std::vector<std::string> order;
        for (const auto& dir : g.runs) {
          const RunFolderReader run(dir);
          if (!run.lists("assertions.csv")) continue;
          for (ClaimRow& c : read_claims(run.table("assertions.csv"))) {
            if (!by_claim.count(c.assertion)) order.push_back(c.assertion);
            by_claim[c.assertion].push_back(std::move(c));
          }
        }
        r.claims.clear();
        for (const auto& id : order) r.claims.push_back(claim_interval(by_claim[id]));
      }
      const RunPlaces& places = r.places;
      if (!places.note.empty() && !o.quiet) std::fprintf(stderr, "dcsim report: %s: %s\n", r.dir.string().c_str(), places.note.c_str());
      runs.push_back(std::move(r));
    }
  } catch (const RunFolderDamage& e) {
    std::fprintf(stderr, "dcsim report: %s\n", e.what());
    return kExitInvalid;
  }
  ReportOptions opts;
  opts.title = o.title;
  opts.flow_min_share = o.min_share_pct / 100.0;
  const std::string html = build_report(runs, opts, resilience);

  try {
    write_report(out, html);
  } catch (const IoError& e) {
    std::fprintf(stderr, "dcsim report: %s\n", e.what());
    return kExitInvalid;
  }
  if (!o.quiet) std::fprintf(stderr, "dcsim report: %zu run%s, %zu bytes written to %s\n", runs.size(), runs.size() == 1 ? "" : "s", html.size(), out.string().c_str());
  return kExitOk;
}

}  // namespace

void add_report_command(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<ReportCommandOptions>();
  CLI::App* cmd = app.add_subcommand("report", "One self-contained HTML page comparing run folders: map, headline table, latency, site load, events");
  cmd->add_option("DIRS", opts->dirs,
                   "Run folders (dcsim run), sweep folders (one column per variant × grid point), and resilience folders or resilience.csv "
                   "files (dcsim resilience: the N-1 table); each run file is checked against its manifest's SHA-256")
      ->required();
  cmd->add_option("-o,--out", opts->out, "The HTML file to write (parents are created; never inside an input)")->required()->check(non_empty_path());
  cmd->add_option("--title", opts->title, "Page title (default: from the scenario names)");
  cmd->add_option("--min-flow-pct", opts->min_share_pct, "Draw country → site flows of at least this percentage of a run's site bytes (default 0.1; EEA-exit flows are always drawn)")
      ->check(number_between(0.0, 100.0));
  cmd->add_flag("--force", opts->force, "Replace the file if it exists and is a report dcsim wrote (nothing else is ever replaced)");
  cmd->add_flag("-q,--quiet", opts->quiet, "Print nothing but errors (no progress, summary or warnings)");
  cmd->callback([opts, &exit_code] { exit_code = run_report(*opts); });
}

}  // namespace dcsim::tools
