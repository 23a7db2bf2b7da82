// Writers: turn a finished run's Metrics (and the World it ran on) into the tidy CSV files
// and manifest.json of a run folder. Every CSV starts with run_id,scenario,variant,seed;
// one row per observation; units in column names; numbers locale-free and deterministic.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "models/run/metrics.hpp"
#include "models/network/world.hpp"

namespace dcsim::tools {

/// Who the run was: the leading columns of every CSV and the manifest's identity.
struct RunIdentity {
  std::string run_id;
  std::string scenario;  ///< meta.name
  std::string variant;   ///< "base" when none
  std::uint64_t seed = 0;
};

/// The run_id,scenario,variant,seed cells every CSV row of a run starts with (comma ended).
std::string row_lead(const RunIdentity& id);
/// Bytes and request counts: integers in real units (fractions come only from flow fidelity).
std::string count(double v);

/// Stable id from what defines a run: scenario content, variant, seed, scale, overrides.
std::string make_run_id(const models::Scenario& s, const std::string& scenario_sha256);

/// SHA-256 over the files the scenario read, in order (the scenario's fingerprint).
std::string scenario_fingerprint(const models::Scenario& s);

/// links.csv (tools/links_csv.cpp).
std::string links_csv(const RunIdentity& id, const models::Metrics& m, const models::World& w);
/// hottest_links.csv (tools/links_csv.cpp): the five directed links or uplinks with the
/// highest peak utilisation, hottest first.
std::string hottest_links_csv(const RunIdentity& id, const models::Metrics& m, const models::World& w);
/// migrations.csv: each wave by day (written only for a scenario with migrations).
std::string migrations_csv(const RunIdentity& id, const models::Metrics& m, const models::World& w);
/// Only with `data:`: stored personal data by day × site × copy.
std::string storage_csv(const RunIdentity& id, const models::Metrics& m, const models::World& w);
/// days.csv: the run by day since the start (site totals, EEA exits, migrations, peaks).
std::string days_csv(const RunIdentity& id, const models::Metrics& m, const models::World& w);

/// CSV file name → content.
std::map<std::string, std::string> write_csvs(const RunIdentity& id, const models::Metrics& m, const models::World& w);

struct ManifestInfo {
  double wall_time_s = 0;
  double peak_rss_mib = 0;
  std::string fidelity;
  std::string scenario_sha256;
  std::vector<std::string> warnings;  ///< e.g. sites with too few simulated servers
};
std::string write_manifest(const RunIdentity& id, const models::Metrics& m, const models::World& w,
                           const ManifestInfo& info, const std::map<std::string, std::string>& files);

}  // namespace dcsim::tools
