// `dcsim merge DIR... -o OUT`: combines the folders of a sharded sweep (or one sweep folder)
// into the merged CSVs an unsharded sweep writes, after checking that every folder holds
// the same sweep and every run folder matches it.
#include <cstdio>
#include <filesystem>
#include <memory>

#include <fmt/core.h>

#include "tools/cli.hpp"
#include "tools/sweep/commands.hpp"
#include "tools/sweep/sweep_merge.hpp"

namespace dcsim::tools {

namespace {

struct MergeOptions {
  std::vector<std::string> inputs;
  std::string out;
  bool quiet = false;
};

int merge_command(const MergeOptions& o) {
  std::vector<std::filesystem::path> inputs(o.inputs.begin(), o.inputs.end());
  MergeResult r;
  try {
    r = merge_sweep(inputs, o.out);
  } catch (const SweepError& e) {
    std::fprintf(stderr, "dcsim merge: %s\n", e.what());
    return kExitInvalid;
  }
  if (!o.quiet) {
    fmt::print("merged {} runs from {} folder{} into {}/:", r.runs, inputs.size(), inputs.size() == 1 ? "" : "s", o.out);
    for (std::size_t i = 0; i < r.files.size(); ++i) fmt::print("{} {}", i ? "," : "", r.files[i]);
    fmt::print("\n");
  }
  return kExitOk;
}

}  // namespace

void add_merge_command(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<MergeOptions>();
  CLI::App* cmd = app.add_subcommand("merge", "Merge the folders of a sharded sweep into one set of CSVs (as an unsharded sweep writes)");
  cmd->add_option("DIR", opts->inputs, "Sweep folders (dcsim sweep -o DIR [--shard i/N]); runs are taken from the first folder holding them")
      ->required();
  cmd->add_option("-o,--out", opts->out, "Folder for the merged CSVs (may be one of the inputs)")->required();
  cmd->add_flag("-q,--quiet", opts->quiet, "Print nothing on success");
  cmd->callback([opts, &exit_code] { exit_code = merge_command(*opts); });
}

}  // namespace dcsim::tools
