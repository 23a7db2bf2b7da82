// Run + writers, with the conservation check before anything is written.
#include "tools/run_output.hpp"

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <sys/resource.h>

#include "models/run/flow_run.hpp"
#include "models/run/event_run.hpp"
#include "models/run/scale_warnings.hpp"
#include "tools/assertions.hpp"
#include "tools/csv.hpp"
#include "tools/writers.hpp"

namespace dcsim::tools {

namespace {
double peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}
}  // namespace

RunOutput run_world(const models::World& world, const std::function<void(double)>& progress, int threads, const models::DataPlan* plan) {
  RunOutput out;
  const auto t0 = std::chrono::steady_clock::now();
  const bool flow = world.scenario().meta.fidelity == models::Fidelity::Flow;
  models::RunOptions ro;
  ro.progress = progress;
  ro.threads = threads;
  ro.data_plan = plan;
  models::FlowOptions fo;
  fo.data_plan = plan;
  out.metrics = flow ? models::run_flow(world, fo) : models::run_event(world, ro);
  out.wall_time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const models::Metrics& m = *out.metrics;
  // Event runs count whole requests: exact. Flow runs sum expected values: rounding only.
  if (m.conservation_error() > (flow ? 1e-9 : 0.0)) {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "conservation check failed: generated %.0f != served %.0f + dropped %.0f + lost %.0f + denied %.0f + in flight %.0f",
                  m.generated, m.served, m.dropped_total, m.lost, m.denied, m.in_flight);
    throw std::runtime_error(buf);
  }
  const models::Scenario& s = world.scenario();
  ManifestInfo info;
  info.scenario_sha256 = scenario_fingerprint(s);
  info.wall_time_s = out.wall_time_s;
  info.peak_rss_mib = peak_rss_mib();
  info.fidelity = flow ? "flow" : "event";
  if (const std::string w = models::scale_warning_text(s); !w.empty()) info.warnings.push_back(w);
  out.fidelity = info.fidelity;
  out.variant = s.variant.empty() ? "base" : s.variant;
  out.run_id = make_run_id(s, info.scenario_sha256);
  const RunIdentity id{out.run_id, s.meta.name, out.variant, s.meta.seed};
  out.files = write_csvs(id, m, world);
  if (!s.assertions.empty()) {
    // Claims are judged from the CSVs just made, the way a report or sweep reads them back.
    const auto results = evaluate_assertions(s.assertions, [&](const std::string& name) { return RunTable(name, out.files.at(name)); });
    const std::string lead = row_lead(id);
    out.files["assertions.csv"] = assertions_csv(lead, results);
    out.claims = results.size();
    for (const AssertionResult& r : results)
      if (!r.pass) {
        ++out.claims_failed;
        out.failed_claims.push_back(claim_text(r));
      }
  }
  out.files["manifest.json"] = write_manifest(id, m, world, info, out.files);
  return out;
}

}  // namespace dcsim::tools
