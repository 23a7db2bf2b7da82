// `dcsim merge DIR... -o OUT`: combines the folders of a sharded sweep (or one sweep folder)
// into the merged CSVs an unsharded sweep writes, after checking that every folder holds
// the same sweep and every run folder matches it (each file against its manifest's
// SHA-256). OUT is a new folder written all-or-nothing like a run folder (an existing one
// only with --force, and only a merge dcsim wrote), never one of the inputs nor around
// one; the one exception is `merge DIR -o DIR` for a single sweep folder holding every
// run, which adds the merged CSVs to it as `dcsim sweep` itself does when it finishes.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>

#include <fmt/core.h>

#include "tools/cli.hpp"
#include "tools/cli_options.hpp"
#include "tools/file_io.hpp"
#include "tools/output_path.hpp"
#include "tools/run_folder.hpp"
#include "tools/sweep/commands.hpp"
#include "tools/sweep/sweep_merge.hpp"

namespace dcsim::tools {

namespace {

namespace fs = std::filesystem;

struct MergeOptions {
  std::vector<std::string> inputs;
  std::string out;
  bool force = false;
  bool quiet = false;
};

// A single sweep folder merged into itself: its merged CSVs are derived from its own runs.
bool merges_into_itself(const std::vector<fs::path>& inputs, const fs::path& out) {
  std::error_code ec;
  return inputs.size() == 1 && fs::exists(out, ec) && fs::equivalent(inputs.front(), out, ec);
}

MergeResult merge_into_new_folder(const std::vector<fs::path>& inputs, const MergeOptions& o) {
  const fs::path out = normalise_output_path(o.out);
  refuse_input_overlap(out, inputs);
  RunFolder folder(out.string(), o.force);
  MergeResult r = merge_sweep(inputs, folder.partial());
  folder.commit();
  return r;
}

int merge_command(const MergeOptions& o) {
  std::vector<fs::path> inputs(o.inputs.begin(), o.inputs.end());
  MergeResult r;
  try {
    r = merges_into_itself(inputs, o.out) ? merge_sweep(inputs, o.out) : merge_into_new_folder(inputs, o);
  } catch (const SweepError& e) {
    std::fprintf(stderr, "dcsim merge: %s\n", e.what());
    return kExitInvalid;
  } catch (const OutputPathError& e) {
    std::fprintf(stderr, "dcsim merge: %s\n", e.message.c_str());
    return kExitInvalid;
  } catch (const RunFolderError& e) {
    std::fprintf(stderr, "dcsim merge: %s\n", e.message.c_str());
    return kExitInvalid;
  } catch (const IoError& e) {
    std::fprintf(stderr, "dcsim merge: %s\n", e.what());
    return kExitInvalid;
  }
  if (!o.quiet) {
    fmt::print("merged {} runs from {} folder{} into {}/:", r.runs, inputs.size(), inputs.size() == 1 ? "" : "s", o.out);
    for (std::size_t i = 0; i < r.files.size(); ++i) fmt::print("{} {}", i ? "," : "", r.files[i]);
    fmt::print("\n");
  }
  if (r.claims_failed > 0) {
    std::fprintf(stderr, "dcsim merge: %zu of %zu plan claims failed (assertions_summary.csv):\n", r.claims_failed, r.claims);
    for (const auto& c : r.failed_claims) std::fprintf(stderr, "  %s\n", c.c_str());
    return kExitClaimFailed;
  }
  return kExitOk;
}

}  // namespace

void add_merge_command(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<MergeOptions>();
  CLI::App* cmd = app.add_subcommand("merge", "Merge the folders of a sharded sweep into one set of CSVs (as an unsharded sweep writes)");
  cmd->add_option("DIR", opts->inputs, "Sweep folders (dcsim sweep -o DIR [--shard i/N]); runs are taken from the first folder holding them")
      ->required();
  cmd->add_option("-o,--out", opts->out,
                  "New folder for the merged CSVs (parents are created), never inside an input; or DIR itself when DIR is one "
                  "sweep folder holding every run")
      ->required()
      ->check(non_empty_path());
  cmd->add_flag("--force", opts->force, "Replace the folder if it exists and is a merge dcsim wrote (nothing else is ever replaced)");
  cmd->add_flag("-q,--quiet", opts->quiet, "Print nothing but errors and failed plan claims (no progress, summary or warnings)");
  cmd->callback([opts, &exit_code] { exit_code = merge_command(*opts); });
}

}  // namespace dcsim::tools
