// The runs a report is asked for: run folders stand for themselves, sweep folders for each
// of their finished runs; and labels that tell the runs apart on the page.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "tools/run_tables.hpp"

namespace dcsim::tools::report {

/// The run folders named on the command line: a run folder (it has manifest.json) stands
/// for itself; a sweep folder (runs/<run_id>/ inside) for each of its finished runs, in the
/// order of its runs.csv. Throws RunFolderDamage for a path that is neither, or a runs.csv
/// that cannot be read.
std::vector<std::filesystem::path> expand_run_dirs(const std::vector<std::string>& args);

/// Makes labels unique for the page: runs sharing a label get " · seed N", and if that is
/// not enough (a sweep's grid points), " · <run id>".
void disambiguate_labels(std::vector<RunResults*> runs);

}  // namespace dcsim::tools::report
