// Stored content (storage.csv, kind content): `data.content_bytes_per_user` of each user's
// uploads is stored at the start at the uploader's home and that home's replicas, the
// popular head (`policies.content.everywhere_bytes_share` of the bytes) at every other
// built site; uploads add to it where the uploader's home is at the time, deletions take
// `content_deletion_per_day` of it; waves never move it. Built on Clover full with homes
// pinned (Irish users' data at Hamar, Norwegians' at Dublin, everyone else's at Dublin-2),
// and on Clover migration with Hamar coming online mid-run.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "models/run/data_plan.hpp"
#include "models/run/flow_run.hpp"
#include "models/run/run_state.hpp"
#include "models/run/summary.hpp"
#include "tests/support/test_files.hpp"
#include "tests/support/world_queries.hpp"

using namespace dcsim;
using models::StoredKind;

namespace {

constexpr double kContentPerUser = 2.0e9;

std::string pinned(const std::string& content_policy, double deletion) {
  return "include: [" + test::source_path("scenarios/clover-full.yaml") +
         "]\nmeta: {name: stored-content, scale: 1000, duration_h: 48, fidelity: flow}\n"
         "policies: {replication: {copies: 1}, residency: {mode: map, map: {IE: hamar, NO: dublin}, default_site: dublin-2}, content: " +
         content_policy +
         "}\n"
         "data: {personal_bytes_per_user: 1.0e9, content_bytes_per_user: 2.0e9, content_deletion_per_day: " +
         std::to_string(deletion) + "}\n";
}

const models::StorageDay& at(const models::Metrics& m, std::size_t sites, std::size_t day, std::size_t site, std::size_t copy,
                             StoredKind kind = StoredKind::Content) {
  return m.storage[models::storage_index(day, sites, site, kind, copy)];
}

std::size_t days_of(const models::Metrics& m, std::size_t sites) { return m.storage.size() / (sites * models::kStorageCells); }

}  // namespace

TEST_CASE("stored content at the start: all of it at the uploaders' homes and their replicas, the head at every other built site") {
  test::TempDir dir;
  const auto w = test::load_world(dir, "start", pinned("{everywhere_share: 0.8, everywhere_bytes_share: 0.1}", 0));
  REQUIRE(w->scenario().policies.content_everywhere_bytes_share == 0.1);
  const auto m = models::run_flow(*w);
  const models::RunState state(*w);
  const std::size_t ns = w->sites().size();
  // By hand: each home's uploaders' bytes (users × 2 GB), and of them the EEA users'.
  std::map<std::size_t, double> home_bytes, home_eea;
  for (const auto& r : w->regions()) {
    const std::string& cc = r.region->country;
    const std::size_t home = test::site_index(*w, cc == "IE" ? "hamar" : cc == "NO" ? "dublin" : "dublin-2");
    home_bytes[home] += r.monthly_users * kContentPerUser;
    if (r.eea) home_eea[home] += r.monthly_users * kContentPerUser;
  }
  REQUIRE(home_bytes.size() == 3);
  int built = 0;
  for (std::size_t k = 0; k < ns; ++k) {
    CAPTURE(w->sites()[k].site->id);
    double primary = 0, replica = 0;
    if (home_bytes.count(k)) primary = home_bytes[k];
    for (const auto& [home, bytes] : home_bytes) {
      if (home == k || !w->sites()[k].built) continue;
      const auto& reps = state.tables().replicas(static_cast<int>(home));
      const bool holds_all = std::find(reps.begin(), reps.end(), k) != reps.end();
      replica += holds_all ? bytes : 0.1 * bytes;
    }
    built += w->sites()[k].built ? 1 : 0;
    CHECK(m->storage_start[models::storage_cell(k, StoredKind::Content, 0)] == doctest::Approx(primary).epsilon(1e-12));
    CHECK(m->storage_start[models::storage_cell(k, StoredKind::Content, 1)] == doctest::Approx(replica).epsilon(1e-12));
    // With no deletions and the homes fixed, day 0's end = start + that day's uploads.
    const models::StorageDay& d = at(*m, ns, 0, k, 0);
    CHECK(d.stored_bytes == doctest::Approx(primary + d.written_bytes).epsilon(1e-12));
    CHECK(d.eea_users_bytes <= d.stored_bytes * (1 + 1e-12));
    if (home_eea.count(k)) CHECK(d.eea_users_bytes >= home_eea[k]);
  }
  CHECK(built == 5);  // Dublin, Dublin-2, Hamar, US East, Singapore: the head at each
  // The US sites hold the head only, a tenth of every home's bytes.
  const std::size_t us = test::site_index(*w, "us-east");
  double all = 0;
  for (const auto& [home, bytes] : home_bytes) all += bytes;
  CHECK(m->storage_start[models::storage_cell(us, StoredKind::Content, 1)] == doctest::Approx(0.1 * all).epsilon(1e-12));

  // Without a bytes share the head holds the reads' share of the bytes: 0.8 of it.
  const auto even = test::load_world(dir, "even", pinned("{everywhere_share: 0.8}", 0));
  CHECK(even->scenario().policies.content_everywhere_bytes_share == 0.8);
  const auto me = models::run_flow(*even);
  CHECK(me->storage_start[models::storage_cell(us, StoredKind::Content, 1)] == doctest::Approx(0.8 * all).epsilon(1e-12));
}

TEST_CASE("stored content is conserved, grows by the uploads where they are written and shrinks by its deletion rate") {
  test::TempDir dir;
  const auto w = test::load_world(dir, "conserve", pinned("{everywhere_share: 0.8, everywhere_bytes_share: 0.1}", 0.02));
  const auto m = models::run_flow(*w);
  const std::size_t ns = w->sites().size(), days = days_of(*m, ns), upload = test::class_index(*w, "upload");
  REQUIRE(days == 2);
  double written_primary = 0, deleted = 0;
  for (std::size_t k = 0; k < ns; ++k) {
    CAPTURE(w->sites()[k].site->id);
    double site_written = 0;
    for (std::size_t c = 0; c < models::kStorageCopies; ++c) {
      double previous = m->storage_start[models::storage_cell(k, StoredKind::Content, c)];
      for (std::size_t d = 0; d < days; ++d) {
        const models::StorageDay& s = at(*m, ns, d, k, c);
        CHECK(s.migrated_in_bytes == 0);
        CHECK(s.migrated_out_bytes == 0);
        CHECK(s.stored_bytes == doctest::Approx(previous + s.written_bytes - s.deleted_bytes).epsilon(1e-12));
        // 2 % a day of what is there (the day's uploads lose a little less).
        if (previous > 0) CHECK(s.deleted_bytes == doctest::Approx(0.02 * previous).epsilon(0.02));
        deleted += s.deleted_bytes;
        if (c == 0) site_written += s.written_bytes;
        previous = s.stored_bytes;
      }
    }
    // An upload is stored at its home: what the run served of the upload class there.
    double served = 0;
    for (std::size_t cc = 0; cc < m->countries().size(); ++cc) served += m->flow(cc, k, upload, models::FlowKind::Serve).bytes;
    CHECK(site_written == doctest::Approx(served).epsilon(1e-6));
    written_primary += site_written;
  }
  CHECK(written_primary > 0);
  CHECK(deleted > 0);
}

TEST_CASE("after a site comes online its uploaders' new videos are stored there; what was uploaded before stays") {
  test::TempDir dir;
  const std::string text = "include: [" + test::source_path("scenarios/clover-migration.yaml") +
                           "]\nmeta: {name: online, duration_h: 72, scale: 1000, fidelity: flow}\n"
                           "data: {content_bytes_per_user: 2.0e9}\n"
                           "policies: {content: {everywhere_share: 0.5, everywhere_bytes_share: 0.05}}\n"
                           "events:\n  - {id: hamar-online, kind: site_online, site: hamar, at_offset_h: 30}\n";
  const auto w = test::load_world(dir, "online", text);
  const auto m = models::run_flow(*w);
  const std::size_t ns = w->sites().size(), upload = test::class_index(*w, "upload");
  const std::size_t hamar = test::site_index(*w, "hamar"), dublin = test::site_index(*w, "dublin");
  REQUIRE(days_of(*m, ns) == 3);
  // Hamar holds no one's uploads before it opens, only the head it was filled with.
  CHECK(m->storage_start[models::storage_cell(hamar, StoredKind::Content, 0)] == 0);
  CHECK(m->storage_start[models::storage_cell(hamar, StoredKind::Content, 1)] > 0);
  CHECK(at(*m, ns, 0, hamar, 0).written_bytes == 0);
  // Once open it stores its uploaders' videos, exactly what it serves of the upload class.
  for (std::size_t d = 1; d < 3; ++d) CHECK(at(*m, ns, d, hamar, 0).written_bytes > 0);
  for (std::size_t k = 0; k < ns; ++k) {
    CAPTURE(w->sites()[k].site->id);
    double written = 0, served = 0;
    for (std::size_t d = 0; d < 3; ++d) written += at(*m, ns, d, k, 0).written_bytes;
    for (std::size_t cc = 0; cc < m->countries().size(); ++cc) served += m->flow(cc, k, upload, models::FlowKind::Serve).bytes;
    CHECK(written == doctest::Approx(served).epsilon(1e-6));
    // The re-homing wave moves personal data, never content (no deletions here: content
    // only grows where it is).
    double previous = m->storage_start[models::storage_cell(k, StoredKind::Content, 0)];
    for (std::size_t d = 0; d < 3; ++d) {
      CHECK(at(*m, ns, d, k, 0).migrated_out_bytes == 0);
      CHECK(at(*m, ns, d, k, 0).stored_bytes >= previous);
      previous = at(*m, ns, d, k, 0).stored_bytes;
    }
  }
  // Dublin kept the videos its former users uploaded before the switch while their
  // personal data moved out.
  CHECK(at(*m, ns, 2, dublin, 0).stored_bytes >= m->storage_start[models::storage_cell(dublin, StoredKind::Content, 0)]);
  double personal_out = 0;
  for (std::size_t d = 0; d < 3; ++d) personal_out += at(*m, ns, d, dublin, 0, StoredKind::Personal).migrated_out_bytes;
  CHECK(personal_out > 0);
}

TEST_CASE("counting content leaves the personal data's storage as it was") {
  test::TempDir dir;
  const std::string base = "include: [" + test::source_path("scenarios/clover-full.yaml") +
                           "]\nmeta: {name: kinds, duration_h: 48, scale: 1000, fidelity: flow}\n"
                           "migrations: [{from: [us-east], to: home, at_offset_h: 0, rate_gbps: 200, priority: background}]\n"
                           "data:\n  personal_bytes_per_user: 1.0e9\n  deletion_per_day: 0.01\n  legacy: [{sites: {us-east: 1.0}}]\n";
  const auto plain = test::load_world(dir, "plain", base);
  const auto with = test::load_world(dir, "with", base + "  content_bytes_per_user: 2.0e9\n  content_deletion_per_day: 0.01\n");
  const auto a = models::run_flow(*plain), b = models::run_flow(*with);
  REQUIRE(a->storage.size() == b->storage.size());
  const std::size_t ns = plain->sites().size();
  double content = 0;
  for (std::size_t d = 0; d < days_of(*a, ns); ++d)
    for (std::size_t k = 0; k < ns; ++k)
      for (std::size_t c = 0; c < models::kStorageCopies; ++c) {
        const auto &pa = at(*a, ns, d, k, c, StoredKind::Personal), &pb = at(*b, ns, d, k, c, StoredKind::Personal);
        CHECK(pa.stored_bytes == pb.stored_bytes);
        CHECK(pa.written_bytes == pb.written_bytes);
        CHECK(pa.migrated_in_bytes == pb.migrated_in_bytes);
        CHECK(at(*a, ns, d, k, c).stored_bytes == 0);  // no content counted without the key
        content += at(*b, ns, d, k, c).stored_bytes;
      }
  CHECK(content > 0);
}

TEST_CASE("data.content_* and policies.content.everywhere_bytes_share: bad values are errors at their key path") {
  test::TempDir dir;
  const std::string base = "include: [" + test::source_path("scenarios/clover-full.yaml") + "]\n";
  auto errors = test::load_errors(dir.write("a.yaml", base + "policies: {content: {everywhere_share: 0.5, everywhere_bytes_share: 0.6}}\n"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].key_path == "policies.content.everywhere_bytes_share");
  CHECK(errors[0].loc.line == 2);
  CHECK(errors[0].message.find("larger share of the bytes") != std::string::npos);
  errors = test::load_errors(dir.write("b.yaml", base + "data: {personal_bytes_per_user: 1.0e9, content_bytes_per_user: -1}\n"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].key_path == "data.content_bytes_per_user");
  errors = test::load_errors(dir.write("c.yaml", base + "data: {personal_bytes_per_user: 1.0e9, content_deletion_per_day: 2}\n"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].key_path == "data.content_deletion_per_day");
  errors = test::load_errors(dir.write("d.yaml", base + "data: {personal_bytes_per_user: 1.0e9, content_bytes_per_user: many}\n"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].key_path == "data.content_bytes_per_user");
  // A wave of personal data needs personal bytes; one of content, content bytes; and
  // personal data held away from home needs bytes to hold.
  errors = test::load_errors(dir.write("e.yaml", base + "data: {personal_bytes_per_user: 0, content_bytes_per_user: 1.0e9}\n"
                                                         "migrations:\n  - {from: [us-east], to: dublin, at_offset_h: 0, rate_gbps: 10}\n"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].key_path == "migrations[0]");
  CHECK(errors[0].loc.line == 4);
  errors = test::load_errors(dir.write("f.yaml", base + "data: {personal_bytes_per_user: 1.0e9}\n"
                                                         "migrations:\n  - {kind: content, from: [us-east], to: dublin, at_offset_h: 0, rate_gbps: 10}\n"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].key_path == "migrations[0].kind");
  errors = test::load_errors(dir.write("g.yaml", base + "data: {personal_bytes_per_user: 1.0e9, content_bytes_per_user: 1.0e9}\n"
                                                         "migrations:\n  - {kind: videos, from: [us-east], to: dublin, at_offset_h: 0, rate_gbps: 10}\n"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].key_path == "migrations[0].kind");
  CHECK(errors[0].message.find("personal or content") != std::string::npos);
  errors = test::load_errors(dir.write("h.yaml", base + "data: {personal_bytes_per_user: 0, content_bytes_per_user: 1.0e9, legacy: [{sites: {us-east: 1}}]}\n"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].key_path == "data.legacy[0]");
  // A switch that lowers the reads' share under the bytes' names both places.
  errors = test::load_errors(dir.write("i.yaml", base + "policies: {content: {everywhere_share: 0.8, everywhere_bytes_share: 0.5}}\n"
                                                         "events:\n  - {id: s, kind: policy_switch, at_offset_h: 1,"
                                                         " set: {policies.content.everywhere_share: 0.2}}\n"));
  REQUIRE(!errors.empty());
  CHECK(errors[0].message.find("i.yaml:4") != std::string::npos);
}

namespace {

// Clover full with personal data at home and content: Polish users' uploads start at US
// East (a content stock rule), and a content wave brings them home.
std::string content_legacy(const std::string& wave) {
  return "include: [" + test::source_path("scenarios/clover-full.yaml") +
         "]\nmeta: {name: legacy-content, scale: 1000, duration_h: 72, fidelity: flow}\n"
         "data:\n  personal_bytes_per_user: 1.0e9\n  content_bytes_per_user: 2.0e9\n"
         "  legacy: [{kind: content, users: {countries: [PL]}, sites: {us-east: 1.0}}]\n" +
         wave;
}

double users_of(const models::World& w, const std::string& country) {
  double u = 0;
  for (const auto& r : w.regions())
    if (r.region->country == country) u += r.monthly_users;
  return u;
}

}  // namespace

TEST_CASE("a content wave moves uploads, kind by kind: Polish videos from US East home at the cap, their copies with them") {
  test::TempDir dir;
  const auto still = test::load_world(dir, "still", content_legacy(""));
  const auto w = test::load_world(dir, "wave", content_legacy("migrations:\n  - {id: pl-videos, kind: content, users: {countries: [PL]}, "
                                                              "from: [us-east], to: home, at_offset_h: 6, rate_gbps: 1000, priority: reserved}\n"));
  const auto ms = models::run_flow(*still), m = models::run_flow(*w);
  const std::size_t ns = w->sites().size(), us = test::site_index(*w, "us-east");
  const double pl = users_of(*w, "PL") * kContentPerUser;
  REQUIRE(pl > 0);
  // A content stock rule holds content only: no personal data is away, no legacy exits.
  CHECK(m->storage_start[models::storage_cell(us, StoredKind::Content, 0)] == doctest::Approx(pl).epsilon(1e-12));
  CHECK(m->storage_start[models::storage_cell(us, StoredKind::Personal, 0)] <= 1e-6 * pl);
  CHECK(models::compute_headline(*m, *w).eea_exit_bytes_by[static_cast<std::size_t>(models::ExitReason::LegacyLocation)] == 0);
  // Without a wave the videos stay; with it, they leave US East at 1000 Gbps from 6 h:
  // done after bytes / rate, by hand.
  CHECK(at(*ms, ns, 2, us, 0).stored_bytes == doctest::Approx(pl).epsilon(1e-12));
  CHECK(at(*m, ns, 2, us, 0).stored_bytes <= 1e-9 * pl);
  REQUIRE(m->migration_waves.size() == 1);
  REQUIRE(m->migration_wave_info[0].kind == models::DataKind::Content);
  const double hours = pl / (1000e9 / 8) / 3600;
  REQUIRE(hours < 60);
  const long done = m->migration_completed_in[0];
  CHECK(done == static_cast<long>(std::ceil(6 + hours)) - 1);
  double moved = 0;
  for (const auto& tr : m->migration_transfers) {
    CHECK(tr.from == us);
    CHECK(w->sites()[tr.to].eea);
    moved += tr.bytes;
  }
  CHECK(moved == doctest::Approx(pl).epsilon(1e-9));
  // Booked in storage.csv: out of US East, into the homes, every copy conserved.
  double out = 0, in = 0;
  for (std::size_t k = 0; k < ns; ++k)
    for (std::size_t c = 0; c < models::kStorageCopies; ++c) {
      double previous = m->storage_start[models::storage_cell(k, StoredKind::Content, c)];
      for (std::size_t d = 0; d < 3; ++d) {
        const models::StorageDay& s = at(*m, ns, d, k, c);
        CHECK(s.stored_bytes == doctest::Approx(previous + s.written_bytes - s.deleted_bytes + s.migrated_in_bytes - s.migrated_out_bytes +
                                                s.replica_fill_bytes - s.replica_release_bytes)
                                    .epsilon(1e-9));
        if (c == 0) {
          out += s.migrated_out_bytes;
          in += s.migrated_in_bytes;
        }
        previous = s.stored_bytes;
      }
    }
  CHECK(out == doctest::Approx(pl).epsilon(1e-9));
  CHECK(in == doctest::Approx(pl).epsilon(1e-9));
  // Personal data is untouched by it.
  for (std::size_t k = 0; k < ns; ++k)
    CHECK(at(*m, ns, 2, k, 0, StoredKind::Personal).stored_bytes == at(*ms, ns, 2, k, 0, StoredKind::Personal).stored_bytes);
}

TEST_CASE("a content wave to: home moves only what is away from home, once: videos already home stay, later uploads are not chased") {
  test::TempDir dir;
  // Clover full: every region's uploads are at its homes from the start, so a wave from
  // Dublin to their homes has nothing to move.
  const std::string base = "include: [" + test::source_path("scenarios/clover-full.yaml") +
                           "]\nmeta: {name: home-content, scale: 1000, duration_h: 72, fidelity: flow}\n"
                           "data: {personal_bytes_per_user: 1.0e9, content_bytes_per_user: 2.0e9}\n";
  const auto home = test::load_world(dir, "home", base + "migrations:\n  - {id: c, kind: content, from: [dublin], to: home, at_offset_h: 6, "
                                                         "rate_gbps: 2000, priority: reserved}\n");
  const auto mh = models::run_flow(*home);
  REQUIRE(mh->migration_waves.size() == 1);
  for (const auto& iv : mh->migration_waves[0]) {
    CHECK(iv.moved_bytes == 0);
    CHECK(iv.remaining_bytes == 0);
  }
  // Norway's users move to Hamar when it opens at 30 h (Hamar dark until then): their
  // videos uploaded before stay at Dublin, until a content wave at 40 h takes those — and
  // only those: what is uploaded at Hamar meanwhile, or by users still homed at Dublin,
  // stays.
  const std::string opening = "events:\n  - {id: dark, kind: site_offline, site: hamar, at_offset_h: 0}\n"
                              "  - {id: open, kind: site_online, site: hamar, at_offset_h: 30}\n";
  const auto still = test::load_world(dir, "still", base + opening);
  const auto moved = test::load_world(dir, "moved", base + opening +
                                                        "migrations:\n  - {id: no-videos, kind: content, users: {countries: [NO]}, from: [dublin, dublin-2], "
                                                        "to: home, at_offset_h: 40, rate_gbps: 400, priority: reserved}\n");
  const auto ms = models::run_flow(*still), mm = models::run_flow(*moved);
  const std::size_t ns = moved->sites().size(), dublin = test::site_index(*moved, "dublin"), hamar = test::site_index(*moved, "hamar");
  // Norwegian users' stock, and their uploads in the 30 h their home was Dublin, went to Dublin.
  const double no_start = users_of(*moved, "NO") * kContentPerUser;
  const std::size_t wave = 0;  // the scenario's waves come before the re-homing ones
  REQUIRE(mm->migration_wave_info[wave].kind == models::DataKind::Content);
  double total = 0;
  for (const auto& iv : mm->migration_waves[wave]) total += iv.moved_bytes;
  CHECK(total > no_start);
  CHECK(total < no_start * 1.01);  // plus 30 h of uploads, a fraction of a per cent of the stock
  CHECK(mm->migration_completed_in[wave] >= 40);
  CHECK(mm->migration_waves[wave].back().remaining_bytes == 0);
  // The Irish sites (Norwegians' homes shared by capacity while Hamar was dark) end with
  // what they had without the wave, less exactly what it moved; Hamar with that more.
  const std::size_t dublin2 = test::site_index(*moved, "dublin-2");
  const double irish_with = at(*mm, ns, 2, dublin, 0).stored_bytes + at(*mm, ns, 2, dublin2, 0).stored_bytes;
  const double irish_without = at(*ms, ns, 2, dublin, 0).stored_bytes + at(*ms, ns, 2, dublin2, 0).stored_bytes;
  CHECK(irish_with == doctest::Approx(irish_without - total).epsilon(1e-9));
  CHECK(at(*mm, ns, 2, hamar, 0).stored_bytes == doctest::Approx(at(*ms, ns, 2, hamar, 0).stored_bytes + total).epsilon(1e-9));
}
