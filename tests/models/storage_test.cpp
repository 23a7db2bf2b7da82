// Stored personal data (storage.csv): bytes stored change only by writes, deletions and
// migrations. Per site and day, end = previous end + written − deleted + migrated in −
// migrated out; over all sites, the stock is the start plus writes minus deletions; a
// migrated byte leaves its source and arrives at its destination once; a home's replica
// sites hold what is at home. Built on Clover full (EEA-only homes at Dublin, Dublin-2 and
// Hamar, one replica; US East and Singapore in service) with Irish users' data starting at
// US East and a wave moving it to Dublin.
#include <doctest/doctest.h>

#include <cmath>

#include "models/run/data_plan.hpp"
#include "models/run/event_run.hpp"
#include "models/run/flow_run.hpp"
#include "models/run/run_state.hpp"
#include "models/scenario/diagnostics.hpp"
#include "tests/support/test_files.hpp"

using namespace dcsim;

namespace {

std::string scenario(double hours, double deletion_per_day, const std::string& extra = "", const std::string& data_extra = "") {
  return "include: [" + test::source_path("scenarios/clover-full.yaml") +
         "]\n"
         "meta: {name: storage, scale: 1000, duration_h: " +
         std::to_string(hours) +
         ", fidelity: flow}\n"
         "data:\n  personal_bytes_per_user: 1.0e9\n  deletion_per_day: " +
         std::to_string(deletion_per_day) +
         "\n  legacy:\n    - {users: {countries: [IE]}, sites: {us-east: 1.0}}\n" +
         data_extra +
         "migrations:\n  - {id: ie, users: {countries: [IE]}, from: [us-east], to: dublin, at_offset_h: 2, rate_gbps: 100, "
         "priority: reserved}\n" +
         extra;
}

const models::StorageDay& at(const models::Metrics& m, std::size_t sites, std::size_t day, std::size_t site, std::size_t copy,
                             models::StoredKind kind = models::StoredKind::Personal) {
  return m.storage[models::storage_index(day, sites, site, kind, copy)];
}

double start_of(const models::Metrics& m, std::size_t site, std::size_t copy, models::StoredKind kind = models::StoredKind::Personal) {
  return m.storage_start[models::storage_cell(site, kind, copy)];
}

}  // namespace

TEST_CASE("stored bytes are conserved per site and day, and in all: start + written - deleted + in - out + fill - release") {
  test::TempDir dir;
  // Without and with a re-homing step: Dublin-2 dark until 30 h, so its opening changes the
  // homes and the replica sites (Dublin's replica moves to it).
  const std::string opening =
      "events:\n  - {id: d2-dark, kind: site_offline, site: dublin-2, at_offset_h: 0}\n"
      "  - {id: d2-online, kind: site_online, site: dublin-2, at_offset_h: 30}\n";
  for (const bool step : {false, true}) {
    // With content too (deleted at its own rate): its copies follow the replica sites alike.
    const auto w = test::load_world(dir, step ? "step" : "conserve",
                                    scenario(72, 0.01,
                                             std::string(step ? opening : "") +
                                                 "policies: {content: {everywhere_share: 0.8, everywhere_bytes_share: 0.1}}\n",
                                             "  content_bytes_per_user: 2.0e9\n  content_deletion_per_day: 0.02\n"));
    for (const bool event : {false, true}) {
      CAPTURE(step);
      CAPTURE(event);
      const auto m = event ? models::run_event(*w, models::RunOptions{}) : models::run_flow(*w);
      const std::size_t ns = w->sites().size(), days = m->storage.size() / (ns * models::kStorageCells);
      REQUIRE(days == 3);
      double start = 0, written = 0, deleted = 0, in = 0, out = 0, end = 0, fill = 0, release = 0;
      for (std::size_t k = 0; k < ns; ++k) start += start_of(*m, k, 0);
      for (std::size_t c = 0; c < models::kStorageCopies; ++c)
        for (std::size_t k = 0; k < ns; ++k) {
          double previous = start_of(*m, k, c);
          for (std::size_t d = 0; d < days; ++d) {
            const models::StorageDay& s = at(*m, ns, d, k, c);
            // Relative to the bytes involved (a site a wave empties ends at 0 from petabytes).
            const double expected = previous + s.written_bytes - s.deleted_bytes + s.migrated_in_bytes - s.migrated_out_bytes +
                                    s.replica_fill_bytes - s.replica_release_bytes;
            CHECK(std::abs(s.stored_bytes - expected) <=
                  1e-9 * (previous + s.written_bytes + s.migrated_in_bytes + s.migrated_out_bytes + s.replica_fill_bytes + s.replica_release_bytes));
            CHECK(s.eea_users_bytes <= s.stored_bytes * (1 + 1e-12));
            previous = s.stored_bytes;
            if (c == 0) {
              written += s.written_bytes;
              deleted += s.deleted_bytes;
              in += s.migrated_in_bytes;
              out += s.migrated_out_bytes;
              // A step moves homes, not primary copies: those stay until a wave moves them.
              CHECK(s.replica_fill_bytes + s.replica_release_bytes <= 1e-9 * previous);
            } else {
              fill += s.replica_fill_bytes;
              release += s.replica_release_bytes;
            }
          }
          if (c == 0) end += previous;
        }
      CHECK(written > 0);
      CHECK(deleted > 0);
      CHECK(end == doctest::Approx(start + written - deleted).epsilon(1e-9));
      // A migrated byte leaves once and arrives once, as much as the wave moved.
      double moved = 0;
      for (const auto& tr : m->migration_transfers) moved += tr.bytes;
      CHECK(in == doctest::Approx(out).epsilon(1e-9));
      CHECK(in == doctest::Approx(moved).epsilon(1e-6));
      CHECK(moved > 0);
      // Dublin-2's opening makes it a replica site of data already stored: copies are made.
      if (step) CHECK(fill > 0);
      if (!step) CHECK(fill + release == 0);
      // Content: per site, copy and day the same identity, and its copies follow the step's
      // replica sites too.
      double content_fill = 0;
      for (std::size_t c = 0; c < models::kStorageCopies; ++c)
        for (std::size_t k = 0; k < ns; ++k) {
          double previous = start_of(*m, k, c, models::StoredKind::Content);
          for (std::size_t d = 0; d < days; ++d) {
            const models::StorageDay& s = at(*m, ns, d, k, c, models::StoredKind::Content);
            const double expected = previous + s.written_bytes - s.deleted_bytes + s.migrated_in_bytes - s.migrated_out_bytes +
                                    s.replica_fill_bytes - s.replica_release_bytes;
            CHECK(std::abs(s.stored_bytes - expected) <= 1e-9 * (previous + s.written_bytes + s.replica_fill_bytes + s.replica_release_bytes));
            if (previous > 0) CHECK(s.deleted_bytes > 0.0);
            content_fill += s.replica_fill_bytes;
            previous = s.stored_bytes;
          }
          if (c == 0) CHECK(previous >= 0);
        }
      if (step) CHECK(content_fill > 0);
      if (!step) CHECK(content_fill == 0);
    }
  }
}

TEST_CASE("reporting intervals longer than a day: every day they span has its end stock") {
  test::TempDir dir;
  const auto w = test::load_world(dir, "long", scenario(96, 0, "", "  content_bytes_per_user: 2.0e9\n"), {"meta.report_interval_min=2880"});
  const auto m = models::run_flow(*w);
  const std::size_t ns = w->sites().size(), days = m->storage.size() / (ns * models::kStorageCells);
  REQUIRE(days == 4);
  const std::size_t dublin = static_cast<std::size_t>(w->site_index("dublin"));
  for (const auto kind : {models::StoredKind::Personal, models::StoredKind::Content}) {
    double previous = start_of(*m, dublin, 0, kind);
    for (std::size_t d = 0; d < days; ++d) {
      CAPTURE(d);
      const models::StorageDay& s = at(*m, ns, d, dublin, 0, kind);
      CHECK(s.stored_bytes > 0);
      CHECK(s.stored_bytes == doctest::Approx(previous + s.written_bytes - s.deleted_bytes + s.migrated_in_bytes - s.migrated_out_bytes)
                                  .epsilon(1e-9));
      previous = s.stored_bytes;
    }
  }
}

TEST_CASE("a wave empties its source into its destination, and replicas hold what is at home") {
  test::TempDir dir;
  const auto w = test::load_world(dir, "move", scenario(72, 0));
  const auto m = models::run_flow(*w);
  const std::size_t ns = w->sites().size();
  const auto us = static_cast<std::size_t>(w->site_index("us-east")), dublin = static_cast<std::size_t>(w->site_index("dublin"));
  double ie = 0;
  for (const auto& r : w->regions())
    if (r.region->country == "IE") ie += r.monthly_users;
  // At the start US East holds every Irish user's data (1 GB each); under EEA-only
  // residency no other EEA user's, so when they have gone it holds none.
  CHECK(start_of(*m, us, 0) >= ie * 1e9 * (1 - 1e-12));
  // US East's replica sites (Singapore: same jurisdiction) hold a copy of it, as the
  // replicas of writes taken there do, until the wave has moved it.
  const models::RunState state(*w);
  REQUIRE(!state.tables().replicas(static_cast<int>(us)).empty());
  for (auto rep : state.tables().replicas(static_cast<int>(us))) {
    CHECK(start_of(*m, rep, 1) >= ie * 1e9 * (1 - 1e-12));
    CHECK(at(*m, ns, m->storage.size() / (ns * models::kStorageCells) - 1, rep, 1).eea_users_bytes == doctest::Approx(0).epsilon(1e-6));
  }
  const std::size_t last = m->storage.size() / (ns * models::kStorageCells) - 1;
  const auto& us_end = at(*m, ns, last, us, 0);
  const auto& dublin_end = at(*m, ns, last, dublin, 0);
  // 100 Gbps over 70 h moves 3.15 PB: more than Ireland's stock, so US East ends empty
  // of it and Dublin holds it.
  REQUIRE(ie * 1e9 < 100e9 / 8 * 70 * 3600);
  CHECK(us_end.eea_users_bytes == doctest::Approx(0).epsilon(1e-6));
  CHECK(dublin_end.eea_users_bytes > ie * 1e9);
  // Replicas: with copies, every primary byte at an EEA home has a copy at a replica site;
  // without, none.
  double primary_home = 0, replica = 0;
  for (std::size_t k = 0; k < ns; ++k) {
    if (k != us) primary_home += at(*m, ns, last, k, 0).stored_bytes;
    replica += at(*m, ns, last, k, 1).stored_bytes;
  }
  REQUIRE(w->scenario().policies.replication_copies > 0);
  CHECK(replica > 0);
  const auto none = test::load_world(dir, "none", scenario(72, 0, "policies: {replication: {copies: 0}}\n"));
  const auto mn = models::run_flow(*none);
  double replica_none = 0;
  for (std::size_t k = 0; k < ns; ++k) replica_none += at(*mn, ns, last, k, 1).stored_bytes;
  CHECK(replica_none == 0);
  CHECK(primary_home > 0);
}

TEST_CASE("without data: no stored data is kept; with data but no legacy stock, all of it is at the homes") {
  test::TempDir dir;
  const std::string base = "include: [" + test::source_path("scenarios/clover-full.yaml") + "]\nmeta: {name: nodata, scale: 1000, duration_h: 3, fidelity: flow}\n";
  const auto plain = test::load_world(dir, "plain", base);
  CHECK(models::run_flow(*plain)->storage.empty());
  const auto homes = test::load_world(dir, "homes", base + "data: {personal_bytes_per_user: 1.0e9}\n");
  const auto m = models::run_flow(*homes);
  REQUIRE(!m->storage.empty());
  double start = 0, users = 0, eea_users = 0;
  for (std::size_t k = 0; k < homes->sites().size(); ++k) {
    start += start_of(*m, k, 0);
    // EEA users' data rests in the EEA (Clover full's residency), primary and replica.
    if (!homes->sites()[k].eea)
      for (std::size_t c = 0; c < models::kStorageCopies; ++c) CHECK(at(*m, homes->sites().size(), 0, k, c).eea_users_bytes == 0);
  }
  for (const auto& r : homes->regions()) {
    users += r.monthly_users;
    if (r.eea) eea_users += r.monthly_users;
  }
  // Every user with a home in service has 1 GB there (a region without one stores nothing).
  CHECK(start <= users * 1e9 * (1 + 1e-12));
  CHECK(start >= eea_users * 1e9 * (1 - 1e-12));
}

TEST_CASE("a wave to: home takes each user's data to their home: the end is as if it had never been away") {
  test::TempDir dir;
  const std::string base = "include: [" + test::source_path("scenarios/clover-full.yaml") +
                           "]\nmeta: {name: home, scale: 1000, duration_h: 48, fidelity: flow}\n";
  const std::string away = base +
                           "data:\n  personal_bytes_per_user: 1.0e9\n  legacy:\n    - {sites: {us-east: 0.8, singapore: 0.2}}\n"
                           "migrations:\n  - {id: all, from: [us-east, singapore], to: home, at_offset_h: 1, rate_gbps: 20000, "
                           "priority: reserved}\n";
  const auto moved = test::load_world(dir, "away", away);
  const auto never = test::load_world(dir, "never", base + "data:\n  personal_bytes_per_user: 1.0e9\n");
  const auto ma = models::run_flow(*moved), mn = models::run_flow(*never);
  const std::size_t ns = moved->sites().size(), last = ma->storage.size() / (ns * models::kStorageCells) - 1;
  REQUIRE(mn->storage.size() == ma->storage.size());
  // Several homes received data (Dublin, Dublin-2, Hamar), each as much as it would hold
  // had the data always been there; the legacy sites hold no EEA users' data any more.
  int homes = 0;
  for (std::size_t k = 0; k < ns; ++k)
    for (std::size_t c = 0; c < models::kStorageCopies; ++c) {
      CAPTURE(moved->sites()[k].site->id);
      const double a = at(*ma, ns, last, k, c).eea_users_bytes, b = at(*mn, ns, last, k, c).eea_users_bytes;
      CHECK(a == doctest::Approx(b).epsilon(1e-9));
      if (c == 0 && at(*ma, ns, 0, k, 0).migrated_in_bytes > 0) ++homes;
    }
  CHECK(homes == 3);
  // Each transfer goes from a legacy site to a home, none to itself.
  for (const auto& tr : ma->migration_transfers) {
    CHECK(tr.from != tr.to);
    CHECK(moved->sites()[tr.to].eea);
  }
}
