// dcsim entry point: builds the command tree, runs the chosen subcommand and maps failures
// to exit codes (0 success, 1 invalid input or failed run, 2 usage error).
#include <cstdio>
#include <exception>

#include "dcsim/version.hpp"
#include "models/scenario/diagnostics.hpp"
#include "tools/cli.hpp"
#include "tools/cli_options.hpp"
#include "tools/file_io.hpp"
#include "tools/run_folder.hpp"
#include "tools/run_folder_reader.hpp"

int main(int argc, char** argv) {
  using namespace dcsim::tools;
  // Named "dcsim" so usage lines read as a planner types the command, not as a build path.
  CLI::App app{"dcsim: where to build data centers in Europe, and what that does to "
               "cross-border transfers and user latency", "dcsim"};
  app.set_version_flag("--version", std::string("dcsim ") + dcsim::kVersion);
  app.require_subcommand(1);
  app.footer("Run 'dcsim COMMAND --help' for a command's options. Exit codes: 0 success, "
             "1 invalid input or failed run, 2 usage error, 3 a plan claim (assertions:) failed (run, sweep, merge; "
             "the outputs are written).");
  int exit_code = kExitOk;
  add_validate_command(app, exit_code);
  add_latency_command(app, exit_code);
  add_run_command(app, exit_code);
  add_compare_command(app, exit_code);
  add_place_command(app, exit_code);
  add_resilience_command(app, exit_code);
  add_sweep_commands(app, exit_code);
  add_report_command(app, exit_code);

  // CLI11 would say "A subcommand is required" for a misspelled command.
  if (argc > 1 && argv[1][0] != '-') {
    if (const std::string msg = unknown_command_message(app, argv[1]); !msg.empty()) {
      std::fprintf(stderr, "%s\n", msg.c_str());
      return kExitUsage;
    }
  }
  try {
    app.parse(argc, argv);
    flush_stdout();
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  } catch (const RunFolderError& e) {
    std::fprintf(stderr, "dcsim: %s\n", e.message.c_str());
    return kExitInvalid;
  } catch (const OutputPathError& e) {
    std::fprintf(stderr, "dcsim: %s\n", e.message.c_str());
    return kExitInvalid;
  } catch (const dcsim::models::ScenarioError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return kExitInvalid;
  } catch (const IoError& e) {
    std::fprintf(stderr, "dcsim: %s\n", e.what());
    return kExitInvalid;
  } catch (const RunFolderDamage& e) {
    std::fprintf(stderr, "dcsim: %s\n", e.what());
    return kExitInvalid;
  } catch (const std::runtime_error& e) {
    std::fprintf(stderr, "dcsim: failed: %s\n", e.what());
    return kExitInvalid;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dcsim: error: %s\n", e.what());
    return kExitInvalid;
  }
  return exit_code;
}
