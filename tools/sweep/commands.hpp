// The two subcommands of sweeps, registered together by add_sweep_commands (tools/cli.hpp).
#pragma once

#include <CLI/CLI.hpp>

namespace dcsim::tools {

void add_sweep_command(CLI::App& app, int& exit_code);
void add_merge_command(CLI::App& app, int& exit_code);

}  // namespace dcsim::tools
