// `dcsim sweep FILE -o DIR`: every run of a sweep (variants × grid points × seeds) into
// DIR/runs/<run_id>/, on --jobs worker threads, optionally only one --shard i/N of them,
// and under mpirun spread over the ranks; unsharded, the merged CSVs and the cross-seed
// summary go to DIR/ at the end. Restarting the same command resumes: finished run folders
// whose files still match their manifests are kept, anything an interrupted attempt left
// (or a damaged run) is removed and redone. A failed write stops the sweep (a full disk).
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <thread>
#include <unistd.h>

#include <fmt/core.h>

#include "models/scenario/diagnostics.hpp"
#include "tools/cli.hpp"
#include "tools/cli_options.hpp"
#include "tools/file_io.hpp"
#include "tools/output_path.hpp"
#include "tools/sweep/commands.hpp"
#include "tools/sweep/mpi_session.hpp"
#include "tools/sweep/sweep_exec.hpp"
#include "tools/sweep/sweep_merge.hpp"
#include "tools/sweep/sweep_plan.hpp"

namespace dcsim::tools {

namespace fs = std::filesystem;

namespace {

struct SweepOptions {
  std::string file;
  std::string out;
  int jobs = 0;
  std::string shard;
  std::int64_t scale = 0;
  std::vector<std::string> overrides;
  bool quiet = false;
};

struct Shard {
  std::size_t index = 1, count = 1;
};

/// "i/N" with 1 <= i <= N; nullopt otherwise.
std::optional<Shard> parse_shard(const std::string& text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == text.size()) return std::nullopt;
  const std::string a = text.substr(0, slash), b = text.substr(slash + 1);
  auto digits = [](const std::string& s) { return s.size() <= 6 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }); };
  if (!digits(a) || !digits(b)) return std::nullopt;
  Shard s{std::stoul(a), std::stoul(b)};
  if (s.count < 1 || s.index < 1 || s.index > s.count) return std::nullopt;
  return s;
}

// Ctrl-C or kill: say how to resume, then die of the signal as usual. Finished run folders
// are complete; what the running ones left is cleared when the sweep is restarted.
extern "C" void on_interrupt(int sig) {
  static const char msg[] = "\ndcsim sweep: interrupted; finished runs are kept; run the same command again to resume\n";
  const ssize_t n = ::write(2, msg, sizeof msg - 1);
  (void)n;
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

class InterruptMessage {
 public:
  InterruptMessage() : int_(std::signal(SIGINT, on_interrupt)), term_(std::signal(SIGTERM, on_interrupt)) {}
  ~InterruptMessage() {
    std::signal(SIGINT, int_);
    std::signal(SIGTERM, term_);
  }
  InterruptMessage(const InterruptMessage&) = delete;
  InterruptMessage& operator=(const InterruptMessage&) = delete;

 private:
  void (*int_)(int);
  void (*term_)(int);
};

// The sweep folder: created, or checked to hold this sweep (sweep.json) before any run.
// Shards of one sweep (a Slurm array, parallel.sh) start together: another may create the
// folder, its runs/ and its sweep.json between any two of our checks, so what counts is
// the sweep.json found at the end, whoever wrote it.
void prepare_folder(const SweepPlan& plan, const fs::path& dir) {
  std::error_code ec;
  const fs::path plan_file = dir / "sweep.json";
  if (!fs::exists(plan_file, ec)) {
    if (fs::is_directory(dir, ec)) {
      // Only foreign files make it not ours (sweep.json may have landed since the check).
      for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        if (name != "runs" && name != "sweep.json" && name.front() != '.')
          throw SweepError("'" + dir.string() + "' exists and is not a sweep folder (no sweep.json); choose another -o folder");
      }
    } else if (fs::exists(dir, ec)) {
      throw SweepError("'" + dir.string() + "' exists and is not a folder");
    }
    fs::create_directories(dir / "runs", ec);
    if (ec) throw SweepError("cannot create '" + (dir / "runs").string() + "': " + ec.message());
    if (!fs::exists(plan_file, ec)) {
      const fs::path tmp = dir / (".sweep.json.tmp-" + std::to_string(::getpid()));
      try {
        write_file_text(tmp, plan_json(plan));
      } catch (const IoError& e) {
        fs::remove(tmp, ec);
        throw SweepError(e.what());
      }
      fs::rename(tmp, plan_file, ec);  // atomic: a concurrent reader sees all of it or nothing
      if (ec) throw SweepError("cannot write '" + plan_file.string() + "': " + ec.message());
    }
  }
  const SweepPlan existing = read_plan(dir);
  if (const std::string why = plan_mismatch(plan, existing, "this command", dir.string()); !why.empty())
    throw SweepError("'" + dir.string() + "' holds another sweep: " + why + "\nuse another -o folder, or remove that one to start over");
}

std::string describe_plan(const SweepPlan& plan) {
  std::vector<std::string> variants;
  std::vector<std::uint64_t> seeds;
  std::size_t points = 0;
  for (const auto& r : plan.runs) {
    if (std::find(variants.begin(), variants.end(), r.variant) == variants.end()) variants.push_back(r.variant);
    if (std::find(seeds.begin(), seeds.end(), r.seed) == seeds.end()) seeds.push_back(r.seed);
    points = std::max(points, r.point + 1);
  }
  const std::size_t grid = variants.empty() ? 0 : points / variants.size();
  std::string s = std::to_string(variants.size()) + (variants.size() == 1 ? " variant" : " variants");
  if (!plan.grid_keys.empty()) s += " × " + std::to_string(grid) + " grid points";
  s += " × " + std::to_string(seeds.size()) + (seeds.size() == 1 ? " seed" : " seeds");
  return s;
}

int sweep_command(const SweepOptions& o) {
  if (MpiSession::launched_by_mpi() && !MpiSession::built_with_mpi()) {
    // Every rank would run every run into the same folder.
    std::fprintf(stderr, "dcsim sweep: started by an MPI launcher, but this dcsim was built without MPI (install libopenmpi-dev and "
                         "reconfigure); or spread the sweep with --shard i/N (tools/batch/parallel.sh, slurm-array.sh)\n");
    return kExitInvalid;
  }
  MpiSession mpi;
  const bool root = mpi.rank() == 0;
  const Shard shard = o.shard.empty() ? Shard{} : *parse_shard(o.shard);
  const bool sharded = !o.shard.empty();

  models::SweepCommandLine cl;
  cl.overrides = o.overrides;
  if (o.scale > 0) cl.scale = o.scale;
  SweepPlan plan;
  try {
    plan = make_plan(o.file, cl);
  } catch (const models::ScenarioError& e) {
    if (root) std::fprintf(stderr, "%s\n", e.what());
    return kExitInvalid;
  }
  fs::path dir;
  try {
    dir = o.out.empty() ? fs::path("sweeps") / folder_name_part(fs::path(o.file).stem().string()) : normalise_output_path(o.out);
    refuse_symlink(dir);
  } catch (const OutputPathError& e) {
    if (root) std::fprintf(stderr, "dcsim sweep: %s\n", e.message.c_str());
    return kExitInvalid;
  }

  int ok = 1;
  if (root) {
    try {
      prepare_folder(plan, dir);
    } catch (const SweepError& e) {
      std::fprintf(stderr, "dcsim sweep: %s\n", e.what());
      ok = 0;
    }
  }
  if (mpi.broadcast(ok) == 0) return kExitInvalid;

  // This process's runs: the shard's, then every size-th of them from this rank's.
  const std::vector<std::size_t> in_shard = plan.shard(shard.index, shard.count);
  std::vector<std::size_t> mine;
  for (std::size_t k = static_cast<std::size_t>(mpi.rank()); k < in_shard.size(); k += static_cast<std::size_t>(mpi.size()))
    mine.push_back(in_shard[k]);

  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int cores_here = std::max(1, cores / std::max(1, mpi.local_size()));
  const int jobs = o.jobs > 0 ? o.jobs : cores_here;
  // More runs at once than cores only makes each slower and adds its memory.
  if (o.jobs > cores_here && root)
    std::fprintf(stderr, "dcsim sweep: warning: --jobs %d is more than the %d core%s %s; the runs will share them (each slower, all in memory at once)\n",
                 o.jobs, cores_here, cores_here == 1 ? "" : "s", mpi.local_size() > 1 ? "each rank has here" : "of this machine");
  std::string label = "dcsim sweep";
  if (sharded) label += " " + o.shard;
  if (mpi.active()) label += fmt::format(" (rank 0 of {})", mpi.size());
  ExecOptions eo{jobs, o.quiet || !root, label};
  ExecResult res;
  {
    InterruptMessage interrupt;
    res = execute_runs(plan, mine, dir, eo);
  }
  for (const auto& f : res.failures) std::fprintf(stderr, "dcsim sweep: %s\n", f.c_str());
  const long failed = mpi.sum(static_cast<long>(res.failures.size()));
  const long ran = mpi.sum(static_cast<long>(res.ran));
  const long skipped = mpi.sum(static_cast<long>(res.skipped));
  const long not_started = mpi.sum(static_cast<long>(res.not_started));
  const int used = std::max(1, res.workers);  // --jobs, at most the runs there were to do
  const std::string where = mpi.active() ? fmt::format("{} ranks × {} job{}", mpi.size(), used, used == 1 ? "" : "s")
                                         : fmt::format("{} job{}", used, used == 1 ? "" : "s");
  if (failed > 0) {
    if (root && not_started > 0)
      std::fprintf(stderr, "dcsim sweep: stopped at the first failed write or read (above); %ld run%s not started; the %ld finished are "
                           "kept; free space or fix the cause and run the same command again\n",
                   not_started, not_started == 1 ? "" : "s", ran + skipped);
    else if (root)
      std::fprintf(stderr, "dcsim sweep: %ld of %zu runs failed; the %ld finished are kept; fix the cause and run the same command again\n",
                   failed, in_shard.size(), ran + skipped);
    return kExitInvalid;
  }
  if (!root) return kExitOk;
  if (!o.quiet)
    fmt::print("sweep of {} ({}){}: {} runs: {} run now, {} already done, in {:.1f} s on {}\n", plan.runs.empty() ? "" : plan.runs.front().scenario,
               describe_plan(plan), sharded ? ", shard " + o.shard : "", in_shard.size(), ran, skipped, res.wall_s, where);
  if (sharded) {
    if (!o.quiet) fmt::print("run folders in {}/runs/; when every shard is done: dcsim merge DIR... -o OUT\n", dir.string());
    return kExitOk;
  }
  MergeResult merged;
  try {
    merged = merge_sweep({dir}, dir);
  } catch (const SweepError& e) {
    std::fprintf(stderr, "dcsim sweep: %s\n", e.what());
    return kExitInvalid;
  }
  if (!o.quiet) {
    fmt::print("wrote {}/: summary.csv (mean and 95 % confidence interval over seeds)", dir.string());
    for (const auto& f : merged.files)
      if (f != "summary.csv") fmt::print(", {}", f);
    fmt::print("; run folders in {}/runs/\n", dir.string());
  }
  if (merged.claims_failed > 0) {
    std::fprintf(stderr, "dcsim sweep: %zu of %zu plan claims failed (assertions_summary.csv in %s):\n", merged.claims_failed, merged.claims,
                 dir.string().c_str());
    for (const auto& c : merged.failed_claims) std::fprintf(stderr, "  %s\n", c.c_str());
    return kExitClaimFailed;
  }
  return kExitOk;
}

}  // namespace

void add_sweep_command(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<SweepOptions>();
  CLI::App* cmd = app.add_subcommand("sweep", "Run a sweep (variants × grid × seeds) into DIR/runs/, then merge its CSVs into DIR/");
  cmd->add_option("FILE", opts->file, "Sweep file (with scenario:) or scenario with a sweep: section")->required();
  cmd->add_option("-o,--out", opts->out, "Sweep folder (default: sweeps/<FILE name>); rerun to resume")->check(non_empty_path());
  cmd->add_option("-j,--jobs", opts->jobs,
                  "Runs at a time (default: the machine's cores, shared among MPI ranks; never more than the runs to do; "
                  "a warning above the cores)")
      ->check(whole_number(1, 1'000'000));
  cmd->add_option("--shard", opts->shard, "Only the i-th of N deterministic slices of the runs (merge them with dcsim merge)")
      ->check(CLI::Validator(
          [](std::string& s) -> std::string {
            return parse_shard(s) ? std::string() : "'" + s + "' is not a shard: expected i/N with 1 <= i <= N (e.g. 2/8)";
          },
          "i/N", "shard"));
  cmd->add_option("--scale", opts->scale, "Users per simulated agent in every run (overrides the sweep's and the scenario's)")
      ->check(whole_number(1, kMaxScale));
  cmd->add_option("--set", opts->overrides, "Override a value in every run: key.path=value; repeatable");
  cmd->add_flag("-q,--quiet", opts->quiet, "Print nothing but errors and failed plan claims (no progress, summary or warnings)");
  cmd->callback([opts, &exit_code] { exit_code = sweep_command(*opts); });
}

void add_sweep_commands(CLI::App& app, int& exit_code) {
  add_sweep_command(app, exit_code);
  add_merge_command(app, exit_code);
}

}  // namespace dcsim::tools
