// Plan claims, checked: the `assertions:` section of a scenario (models/scenario) names
// figures a plan promises, e.g.
//   assertions:
//     - {id: eea-exit, metric: eea_exit_share, max: 0.001}
//     - {id: pt-p95, metric: ttfb_p95_ms, country: PT, max: 150}
//     - {id: sites, metric: peak_site_utilisation, max: 0.85}
//     - {id: links, metric: peak_link_utilisation, max: 0.80}
// Metrics are the headline figures of kHeadlineFigures (models/run/summary.hpp), looked up
// through that table; with `country:` the latency figures of latency.csv for that country;
// with `site:` a site's utilisation from sites.csv; and the few figures read off other files
// listed in kAssertionExtras below. Claims are checked from the run's own CSVs (the text a
// run is about to write, or a run folder read back), so a run, a sweep's runs and a report
// all judge a claim the same way. A run with a failed claim still writes its folder and
// exits with kExitClaimFailed (3).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "models/scenario/scenario.hpp"
#include "models/scenario/scenario_loader.hpp"
#include "sim/statistics.hpp"
#include "tools/run_folder_reader.hpp"

namespace dcsim::tools {

/// A figure an assertion may name that is not a summary.csv row: read off another file.
struct AssertionExtra {
  std::string_view name, unit, description;
};
inline constexpr AssertionExtra kAssertionExtras[] = {
    {"peak_link_utilisation", "fraction", "Offered over capacity of the busiest directed backbone link or uplink in its busiest interval (links.csv)"},
};

/// Checks every assertion's metric and scope against the figure table and the scenario's
/// outputs (a percentile the run does not compute cannot be claimed); throws
/// models::ScenarioError naming file:line:column and key path for each problem.
void check_assertions(const models::Scenario& s);

/// load_scenario + check_assertions: what every command that runs a scenario reads it with.
models::Scenario load_checked_scenario(const std::string& file, const models::LoadOptions& options);

/// One claim on one run.
struct AssertionResult {
  const models::Assertion* claim = nullptr;
  std::optional<double> value;  ///< nullopt: nothing to measure (e.g. a country without requests)
  bool pass = false;
  std::string unit;
  std::string note;             ///< why a claim without a value fails
};

/// Whether `value` satisfies the claim's bounds.
bool within(const models::Assertion& a, double value);

/// Evaluates every claim from the run's tables; `table(name)` returns a run CSV (it throws
/// RunFolderDamage when the file is missing or malformed).
std::vector<AssertionResult> evaluate_assertions(const std::vector<models::Assertion>& claims,
                                                 const std::function<RunTable(const std::string&)>& table);

/// One line for a person: "pt-p95: ttfb_p95_ms (PT) = 162.300 ms, max 150: fail".
std::string claim_text(const AssertionResult& r);

/// assertions.csv of a run: one row per claim.
std::string assertions_csv(const std::string& lead, const std::vector<AssertionResult>& results);
/// The header of assertions.csv after run_id,scenario,variant,seed.
inline constexpr const char* kAssertionColumns = "assertion,metric,country,site,min,max,unit,value,result,note";

/// A claim of assertions.csv read back (a run folder's, or a merged sweep's rows).
struct ClaimRow {
  std::string run_id, variant, assertion, metric, country, site, unit, result, note;
  std::optional<double> min, max, value;
  bool pass() const { return result == "pass"; }
};
std::vector<ClaimRow> read_claims(const RunTable& t);

/// A claim over the seeds of one variant × grid point: per seed, and on the 95 % interval
/// of the mean (it holds when the whole interval is within the bounds).
struct ClaimInterval {
  ClaimRow claim;  ///< the first seed's row (bounds, metric, scope)
  std::size_t seeds = 0, seeds_passed = 0;
  sim::MeanCi ci;
  bool interval_pass = false;
  bool pass() const { return interval_pass && seeds_passed == seeds; }
};
ClaimInterval claim_interval(const std::vector<ClaimRow>& seeds);

}  // namespace dcsim::tools
