// Recognising what dcsim wrote, so that --force replaces only dcsim's own outputs and never
// a planner's folder or file that happens to sit at the -o path. A folder counts only when
// every entry in it is one dcsim writes there: a file added by hand makes it someone's.
#pragma once

#include <filesystem>
#include <string>

namespace dcsim::tools {

/// Empty when `dir` is an output folder dcsim wrote and holds nothing else: a run folder
/// (manifest.json and the files it lists), a placement folder (placement.csv and a winner/
/// run folder) or a merged sweep (sweep.json and merged CSVs). Otherwise why not, naming
/// the first entry that is not dcsim's.
std::string why_not_dcsim_folder(const std::filesystem::path& dir);

/// Empty when `file` is a report dcsim wrote (an HTML page with dcsim's generator tag in
/// its head); otherwise why not.
std::string why_not_dcsim_report(const std::filesystem::path& file);

}  // namespace dcsim::tools
