// Run folders and sweep folders as the columns `dcsim compare` and `dcsim report` show: a
// run folder is one column (its figures as measured); a sweep folder is one column per
// variant × grid point, its headline figures as the mean and 95 % interval over the seeds
// from the sweep's own summary.csv, and its per-country latency as the mean and interval
// over its runs' latency.csv (each run checked against its manifest). Every column has a
// label that names scenario, variant, grid values, seed (or seed count) and scale, so two
// columns never look alike unless they are the same run.
#pragma once

#include <cmath>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "tools/run_tables.hpp"

namespace dcsim::tools {

/// A figure as a column shows it: a run's value (n = 1, no interval) or a mean over seeds.
struct Estimate {
  double mean = std::nan("");
  double half_width = std::nan("");  ///< of the 95 % interval; NaN for one run
  std::size_t n = 0;
  bool has_interval() const { return n >= 2 && std::isfinite(half_width); }
  double low() const { return has_interval() ? mean - half_width : mean; }
  double high() const { return has_interval() ? mean + half_width : mean; }
};

struct RunGroup {
  std::string label;                 ///< scenario · variant · grid · seed N (or N seeds) · scale K
  std::string short_label;           ///< variant (or scenario) and grid only, for narrow places
  std::string scenario, variant;
  std::vector<std::string> grid;     ///< "key=value" of a sweep's grid point
  std::vector<std::filesystem::path> runs;  ///< the run folders (one for a run folder)
  bool from_sweep = false;
  std::int64_t scale = 1;
  std::map<std::string, Estimate> figures;         ///< summary.csv name → estimate
  std::map<std::string, Estimate> ttfb_p95_ms;     ///< country → estimate (all user classes)
  std::map<std::string, double> requests;          ///< country → mean requests
};

/// Reads each argument as a run folder or a sweep folder. Throws RunFolderDamage.
std::vector<RunGroup> read_run_groups(const std::vector<std::string>& args);

/// "205.36 ± 0.29" with the digits the interval supports (two significant digits of the
/// half width), or the value with `plain_decimals` for a single run. `scale` multiplies
/// both (100 for percentages).
std::string format_estimate(const Estimate& e, int plain_decimals, double scale = 1.0);

/// Whether two estimates are told apart: their intervals (a single run's value is a point)
/// do not overlap. "Best" is marked only then.
bool separated(const Estimate& a, const Estimate& b);

}  // namespace dcsim::tools
