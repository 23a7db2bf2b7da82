// Whole sweeps through the dcsim executable, as planners and batch systems run them:
// --jobs, shards + merge and mpirun give byte-identical merged CSVs; a sweep killed with
// SIGKILL resumes to the same result; bad input exits 1 (2 for usage) and writes nothing;
// merge refuses folders and runs that do not belong to the sweep.
#include <doctest/doctest.h>

#include <chrono>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "models/scenario/sweep_spec.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/test_files.hpp"
#include "tests/sweep/sweep_support.hpp"
#include "tools/csv.hpp"
#include "tools/sha256.hpp"
#include "tools/sweep/sweep_merge.hpp"

namespace fs = std::filesystem;
using namespace dcsim;

namespace {

std::vector<std::string> with_quick(std::vector<std::string> args) {
  for (const auto& o : test::quick_options()) args.push_back(o);
  return args;
}

// A small sweep file of the Clover scenario (absolute path, so it can live anywhere).
std::string small_sweep(const test::TempDir& dir, const std::string& body, const std::string& name = "small.yaml") {
  return dir.write(name, "scenario: " + test::source_path("scenarios/clover.yaml") + "\n" + body);
}

std::size_t data_rows(const std::string& csv_text) { return tools::parse_csv(csv_text).rows.size(); }

std::string read(const fs::path& p) { return test::read_file(p.string()); }

void write(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) s.replace(pos, from.size(), to);
  return s;
}

// dcsim started in the background (stdin/stdout/stderr on /dev/null), for killing it.
pid_t spawn_dcsim(const std::vector<std::string>& args) {
  std::vector<std::string> all{DCSIM_EXE};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, 0);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execv(DCSIM_EXE, argv.data());
    ::_exit(127);
  }
  return pid;
}

}  // namespace

TEST_CASE("a Clover sweep of 4 build-outs x 10 seeds gives byte-identical CSVs with --jobs 2, as two shards + merge, and under mpirun") {
  test::TempDir dir;
  const fs::path jobs = dir.path() / "jobs", s1 = dir.path() / "shard1", s2 = dir.path() / "shard2", merged = dir.path() / "merged";

  auto r = test::run_dcsim(with_quick({"sweep", test::clover_sweep(), "-o", jobs.string(), "--jobs", "2"}));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(test::finished_runs(jobs) == 40);

  // Two shards at once, each in its own folder, as two machines would; then merge.
  r = test::run_shell(test::dcsim_command(with_quick({"sweep", test::clover_sweep(), "-o", s1.string(), "--shard", "1/2", "--jobs", "1"})) +
                      " & a=$!; " +
                      test::dcsim_command(with_quick({"sweep", test::clover_sweep(), "-o", s2.string(), "--shard", "2/2", "--jobs", "1"})) +
                      " & b=$!; wait $a && wait $b");
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(test::finished_runs(s1) == 20);
  CHECK(test::finished_runs(s2) == 20);
  CHECK(test::merged_files(s1).empty());  // a shard leaves merging to dcsim merge
  r = test::run_dcsim({"merge", s1.string(), s2.string(), "-o", merged.string()});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(test::contains(r.out, "merged 40 runs from 2 folders"));
  test::check_same_csvs(jobs, merged);

#ifdef DCSIM_TEST_WITH_MPI
  // Under MPI: rank 0 writes the merged CSVs. In the sanitizer build, Open MPI's allocations
  // (from components it unloads before exit, so no suppression can name them) are not
  // leak-checked; the same sweep code is, in the runs above.
  const fs::path mpi = dir.path() / "mpi";
  const std::string env = "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 ";
  r = test::run_shell(env + test::shell_quote(DCSIM_TEST_MPIEXEC) + " --oversubscribe --allow-run-as-root -np 2 " +
                      test::dcsim_command(with_quick({"sweep", test::clover_sweep(), "-o", mpi.string()})));
  REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
  CHECK(test::finished_runs(mpi) == 40);
  test::check_same_csvs(jobs, mpi);
#else
  MESSAGE("dcsim was built without MPI; the mpirun part of this test is skipped");
#endif

  // What the merged files hold: every run's rows, the sweep's columns first.
  const auto runs = tools::parse_csv(read(jobs / "runs.csv"));
  CHECK(runs.rows.size() == 40);
  CHECK(runs.header[0] == "run_id");
  std::size_t flow_rows = 0;
  for (const auto& row : runs.rows) flow_rows += data_rows(read(jobs / "runs" / row[0] / "flows.csv"));
  const auto flows = tools::parse_csv(read(jobs / "flows.csv"));
  CHECK(flows.rows.size() == flow_rows);
  CHECK(std::vector<std::string>(flows.header.begin(), flows.header.begin() + 5) ==
        std::vector<std::string>{"run_id", "scenario", "variant", "seed", "origin_country"});
  // summary.csv: per build-out and headline figure, over 10 seeds.
  const auto summary = tools::parse_csv(read(jobs / "summary.csv"));
  const auto by_run = tools::parse_csv(read(jobs / "summary_by_run.csv"));
  CHECK(summary.rows.size() * 10 == by_run.rows.size());
  std::vector<double> exits;
  for (const auto& row : by_run.rows)
    if (row[2] == "clover-2023" && row[4] == "eea_exit_share") exits.push_back(std::stod(row[5]));
  REQUIRE(exits.size() == 10);
  const models::MeanCi ci = models::mean_ci95(exits);
  bool found = false;
  for (const auto& row : summary.rows)
    if (row[1] == "clover-2023" && row[2] == "eea_exit_share") {
      found = true;
      CHECK(row[3] == "10");
      CHECK(std::stod(row[4]) == doctest::Approx(ci.mean).epsilon(1e-6));
      CHECK(std::stod(row[5]) == doctest::Approx(ci.mean - ci.half_width).epsilon(1e-5));
      CHECK(std::stod(row[6]) == doctest::Approx(ci.mean + ci.half_width).epsilon(1e-5));
      CHECK(ci.half_width > 0);
    }
  CHECK(found);
}

TEST_CASE("a sweep killed with SIGKILL midway and started again gives the CSVs of an uninterrupted sweep") {
  test::TempDir dir;
  const std::string f = small_sweep(dir, "variants: [clover-2023, clover-full]\nseeds: {count: 4}\n");
  const fs::path ref = dir.path() / "ref", resumed = dir.path() / "resumed";
  auto r = test::run_dcsim(with_quick({"sweep", f, "-o", ref.string(), "--jobs", "2"}));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);

  const std::vector<std::string> args = with_quick({"sweep", f, "-o", resumed.string(), "--jobs", "2"});
  const pid_t pid = spawn_dcsim(args);
  REQUIRE(pid > 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (test::finished_runs(resumed) < 2 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(WIFSIGNALED(status));
  const std::size_t done = test::finished_runs(resumed);
  REQUIRE(done >= 2);
  REQUIRE_MESSAGE(done < 8, "the sweep finished before it was killed");
  CHECK(test::merged_files(resumed).empty());

  // What a crash leaves of unfinished runs: a partial folder, or a folder without manifest.
  const tools::SweepPlan plan = tools::read_plan(resumed);
  std::vector<std::string> unfinished;
  std::map<std::string, fs::file_time_type> kept;
  for (const auto& run : plan.runs) {
    const fs::path m = resumed / "runs" / run.run_id / "manifest.json";
    if (fs::exists(m)) kept[run.run_id] = fs::last_write_time(m);
    else unfinished.push_back(run.run_id);
  }
  REQUIRE(unfinished.size() >= 2);
  dir.write("resumed/runs/." + unfinished[0] + ".partial-999999/flows.csv", "run_id,scen");
  dir.write("resumed/runs/" + unfinished[1] + "/flows.csv", "run_id,scenario,variant,seed\nhalf");

  r = test::run_dcsim(with_quick({"sweep", f, "-o", resumed.string(), "--jobs", "2"}));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(test::finished_runs(resumed) == 8);
  for (const auto& e : fs::directory_iterator(resumed / "runs")) CHECK(e.path().filename().string().front() != '.');
  for (const auto& [id, time] : kept) CHECK_MESSAGE(fs::last_write_time(resumed / "runs" / id / "manifest.json") == time, id << " was redone");
  test::check_same_csvs(ref, resumed);

  // Once more: nothing left to do.
  r = test::run_dcsim({"sweep", f, "-o", resumed.string(), "--scale", "2000", "--set", "meta.duration_h=2"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(test::contains(r.out, "8 runs: 0 run now, 8 already done"));
}

TEST_CASE("grid parameters become columns after run_id,scenario,variant,seed, and summary.csv has one row per grid point and figure") {
  test::TempDir dir;
  const std::string f = small_sweep(dir,
                                    "variants: [clover-full]\nseeds: [1, 2, 3]\n"
                                    "grid: {traffic.classes.video_view.rate_per_user_day: [9, 36]}\n");
  const fs::path out = dir.path() / "grid";
  const auto r = test::run_dcsim(with_quick({"sweep", f, "-o", out.string(), "--jobs", "2"}));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  const std::string key = "traffic.classes.video_view.rate_per_user_day";
  const std::vector<std::string> lead{"run_id", "scenario", "variant", "seed", key};
  for (const auto& name : test::merged_files(out)) {
    if (name == "summary.csv") continue;
    const auto t = tools::parse_csv(read(out / name));
    REQUIRE(t.header.size() > 5);
    CHECK_MESSAGE(std::vector<std::string>(t.header.begin(), t.header.begin() + 5) == lead, name);
  }
  const auto summary = tools::parse_csv(read(out / "summary.csv"));
  CHECK(std::vector<std::string>(summary.header.begin(), summary.header.begin() + 5) ==
        std::vector<std::string>{"scenario", "variant", key, "metric", "seeds"});
  std::map<std::string, double> generated;
  for (const auto& row : summary.rows)
    if (row[3] == "generated_requests") {
      CHECK(row[4] == "3");
      generated[row[2]] = std::stod(row[5]);
    }
  REQUIRE(generated.size() == 2);
  // The default (9 video batches of the 30.1 requests a daily user makes) and four times it:
  // the total must grow by about 1.9x, so the grid value reached the runs.
  CHECK(generated["36"] > 1.5 * generated["9"]);
  const auto by_run = tools::parse_csv(read(out / "summary_by_run.csv"));
  CHECK(summary.rows.size() * 3 == by_run.rows.size());
}

TEST_CASE("bad sweep input exits 1 with file:line and writes nothing, and a bad --shard or --jobs exits 2") {
  test::TempDir dir;
  const fs::path out = dir.path() / "out";
  const std::string bad = small_sweep(dir, "variants: [clover-full]\ngrid:\n  meta.duration_h: []\nseedz: [1]\n");
  auto r = test::run_dcsim({"sweep", bad, "-o", out.string()});
  CHECK(r.exit_code == 1);
  CHECK(test::contains(r.err, bad + ":4:3: grid.meta.duration_h: empty grid"));
  CHECK(test::contains(r.err, bad + ":5:1: seedz: unknown key 'seedz'; did you mean 'seeds'?"));
  CHECK(!fs::exists(out));

  const std::string unknown = small_sweep(dir, "variants: [clover-fulll]\n", "unknown.yaml");
  r = test::run_dcsim({"sweep", unknown, "-o", out.string()});
  CHECK(r.exit_code == 1);
  CHECK(test::contains(r.err, unknown + ":2:12: variants[0]: no variant named 'clover-fulll'"));
  CHECK(!fs::exists(out));

  const std::string good = small_sweep(dir, "variants: [clover-full]\nseeds: [1]\n", "good.yaml");
  for (const char* shard : {"3/2", "0/2", "1/0", "a/b", "2", "1/2/3"}) {
    r = test::run_dcsim({"sweep", good, "-o", out.string(), "--shard", shard});
    CHECK_MESSAGE(r.exit_code == 2, shard);
    CHECK(test::contains(r.err, "--shard"));
  }
  r = test::run_dcsim({"sweep", good, "-o", out.string(), "--jobs", "0"});
  CHECK(r.exit_code == 2);
  CHECK(!fs::exists(out));
}

TEST_CASE("dcsim merge refuses folders of another sweep, runs that do not match, and unfinished sweeps") {
  test::TempDir dir;
  const std::string f = small_sweep(dir, "variants: [clover-2023]\nseeds: [1, 2]\n");
  const fs::path d1 = dir.path() / "d1", d2 = dir.path() / "d2", out = dir.path() / "out";
  REQUIRE(test::run_dcsim(with_quick({"sweep", f, "-o", d1.string(), "--shard", "1/2"})).exit_code == 0);
  REQUIRE(test::run_dcsim(with_quick({"sweep", f, "-o", d2.string(), "--shard", "2/2"})).exit_code == 0);
  const tools::SweepPlan plan = tools::read_plan(d2);
  const std::string id2 = plan.runs[1].run_id;
  REQUIRE(fs::exists(d2 / "runs" / id2));

  auto refused = [&](const std::vector<std::string>& inputs, const std::string& why) {
    std::vector<std::string> args{"merge"};
    args.insert(args.end(), inputs.begin(), inputs.end());
    args.push_back("-o");
    args.push_back(out.string());
    const auto r = test::run_dcsim(args);
    CHECK_MESSAGE(r.exit_code == 1, why);
    CHECK_MESSAGE(test::contains(r.err, why), r.err);
    CHECK_MESSAGE(!fs::exists(out / "flows.csv"), why);
  };
  auto copy_of = [&](const std::string& name) {
    const fs::path p = dir.path() / name;
    fs::copy(d2, p, fs::copy_options::recursive);
    return p;
  };

  refused({d1.string()}, "1 of 2 runs are not finished");
  refused({(dir.path() / "nowhere").string()}, "not a sweep folder");

  // A shard of a different sweep (another --set), another dcsim version, another scenario.
  const fs::path other = dir.path() / "other";
  REQUIRE(test::run_dcsim({"sweep", f, "-o", other.string(), "--shard", "2/2", "--scale", "2000", "--set", "meta.duration_h=1", "-q"})
              .exit_code == 0);
  refused({d1.string(), other.string()}, "a different sweep definition");
  const fs::path version = copy_of("version");
  write(version / "sweep.json", replace_all(read(version / "sweep.json"), "\"dcsim_version\": \"", "\"dcsim_version\": \"9."));
  refused({d1.string(), version.string()}, "a different dcsim version");
  const fs::path scenario = copy_of("scenario");
  write(scenario / "sweep.json", replace_all(read(scenario / "sweep.json"), plan.scenario_sha256, std::string(64, 'a')));
  refused({d1.string(), scenario.string()}, "a different scenario");

  // A run folder whose manifest does not match the sweep, or whose CSV was changed.
  const fs::path manifest = copy_of("manifest");
  write(manifest / "runs" / id2 / "manifest.json",
        replace_all(read(manifest / "runs" / id2 / "manifest.json"), plan.scenario_sha256, std::string(64, 'b')));
  refused({d1.string(), manifest.string()}, (manifest / "runs" / id2).string() + "' does not match the sweep: scenario SHA-256");
  const fs::path damaged = copy_of("damaged");
  write(damaged / "runs" / id2 / "flows.csv", read(damaged / "runs" / id2 / "flows.csv") + "x,y\n");
  refused({d1.string(), damaged.string()}, "does not match the SHA-256 in its manifest");
  // A summary.csv row that is no headline figure (resealed in the manifest, as a writer bug
  // would leave it): named by file, line and column, nothing merged.
  const fs::path figure = copy_of("figure");
  const fs::path run2 = figure / "runs" / id2;
  const std::string summary = read(run2 / "summary.csv"), renamed = replace_all(summary, ",eea_exit_share,", ",eea_exit_shares,");
  write(run2 / "summary.csv", renamed);
  write(run2 / "manifest.json", replace_all(read(run2 / "manifest.json"), tools::sha256_hex(summary), tools::sha256_hex(renamed)));
  refused({d1.string(), figure.string()}, (run2 / "summary.csv").string() + ":25: column metric: 'eea_exit_shares' is not a headline figure");

  // And the two real shards merge; into an output that holds another sweep they do not.
  auto r = test::run_dcsim({"merge", d1.string(), d2.string(), "-o", out.string()});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  r = test::run_dcsim({"merge", other.string(), "-o", out.string()});
  CHECK(r.exit_code == 1);
  CHECK(test::contains(r.err, "--force"));

  // dcsim sweep refuses a folder of another sweep, and a folder that is not a sweep's.
  r = test::run_dcsim({"sweep", f, "-o", d1.string(), "--set", "meta.duration_h=3", "-q"});
  CHECK(r.exit_code == 1);
  CHECK(test::contains(r.err, "holds another sweep"));
  dir.write("notes/readme.txt", "mine");
  r = test::run_dcsim({"sweep", f, "-o", (dir.path() / "notes").string(), "-q"});
  CHECK(r.exit_code == 1);
  CHECK(test::contains(r.err, "not a sweep folder"));
}

TEST_CASE("a grid over meta.fidelity runs the event simulation and the flow evaluation side by side") {
  test::TempDir dir;
  const std::string f = small_sweep(dir, "variants: [clover-full]\nseeds: [5]\ngrid: {meta.fidelity: [event, flow]}\n");
  const fs::path out = dir.path() / "fidelity";
  const auto r = test::run_dcsim(with_quick({"sweep", f, "-o", out.string(), "--jobs", "2"}));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  const auto runs = tools::parse_csv(read(out / "runs.csv"));
  REQUIRE(runs.rows.size() == 2);
  CHECK(runs.header[4] == "meta.fidelity");
  CHECK(runs.header[6] == "fidelity");
  CHECK(runs.rows[0][4] == "event");
  CHECK(runs.rows[0][6] == "event");
  CHECK(runs.rows[1][4] == "flow");
  CHECK(runs.rows[1][6] == "flow");
  // Both evaluate the same demand: generated requests agree within sampling error.
  std::map<std::string, double> generated;
  for (const auto& row : tools::parse_csv(read(out / "summary.csv")).rows)
    if (row[3] == "generated_requests") generated[row[2]] = std::stod(row[5]);
  REQUIRE(generated.size() == 2);
  CHECK(generated["flow"] == doctest::Approx(generated["event"]).epsilon(0.02));
}

TEST_CASE("dcsim merge writes a new folder, never into an input, replaces only a merge of dcsim's with --force, and leaves nothing when it fails") {
  test::TempDir dir;
  const std::string f = small_sweep(dir, "variants: [clover-2023]\nseeds: [1, 2]\n");
  const fs::path d1 = dir.path() / "d1", d2 = dir.path() / "d2", out = dir.path() / "out";
  REQUIRE(test::run_dcsim(with_quick({"sweep", f, "-o", d1.string(), "--shard", "1/2"})).exit_code == 0);
  REQUIRE(test::run_dcsim(with_quick({"sweep", f, "-o", d2.string(), "--shard", "2/2"})).exit_code == 0);

  // Into one of several inputs: that shard would hold merged CSVs of runs it does not have.
  auto r = test::run_dcsim({"merge", d1.string(), d2.string(), "-o", d1.string(), "--force"});
  CHECK(r.exit_code == 1);
  CHECK_MESSAGE(test::contains(r.err, "input"), r.err);
  CHECK(test::merged_files(d1).empty());
  r = test::run_dcsim({"merge", d1.string(), d2.string(), "-o", (d1 / "runs").string()});
  CHECK(r.exit_code == 1);
  CHECK_MESSAGE(test::contains(r.err, "input"), r.err);

  // A failed merge (a shard missing) leaves no folder behind.
  r = test::run_dcsim({"merge", d1.string(), "-o", out.string()});
  CHECK(r.exit_code == 1);
  CHECK_FALSE(fs::exists(out));

  // A folder of someone else's files is refused, --force or not.
  dir.write("notes/readme.txt", "mine");
  r = test::run_dcsim({"merge", d1.string(), d2.string(), "-o", (dir.path() / "notes").string(), "--force"});
  CHECK(r.exit_code == 1);
  CHECK_MESSAGE(test::contains(r.err, "not a folder dcsim wrote"), r.err);
  CHECK(test::merged_files(dir.path() / "notes").empty());

  // A merge dcsim wrote: refused without --force, replaced with it.
  REQUIRE(test::run_dcsim({"merge", d1.string(), d2.string(), "-o", out.string(), "-q"}).exit_code == 0);
  const std::string flows = read(out / "flows.csv");
  const std::string header_only = flows.substr(0, flows.find('\n') + 1);  // still a merged CSV, by its header
  write(out / "flows.csv", header_only);
  r = test::run_dcsim({"merge", d1.string(), d2.string(), "-o", out.string(), "-q"});
  CHECK(r.exit_code == 1);
  CHECK_MESSAGE(test::contains(r.err, "--force"), r.err);
  CHECK(read(out / "flows.csv") == header_only);
  r = test::run_dcsim({"merge", d1.string(), d2.string(), "-o", out.string(), "-q", "--force"});
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(read(out / "flows.csv") == flows);
  for (const auto& e : fs::directory_iterator(dir.path())) CHECK(e.path().filename().string().find("partial") == std::string::npos);
}

TEST_CASE("a resumed sweep checks its finished runs against their manifests and redoes a damaged one") {
  test::TempDir dir;
  const std::string f = small_sweep(dir, "variants: [clover-2023]\nseeds: [1, 2, 3]\n");
  const fs::path out = dir.path() / "out";
  auto r = test::run_dcsim(with_quick({"sweep", f, "-o", out.string()}));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  const std::string merged = read(out / "flows.csv");
  const tools::SweepPlan plan = tools::read_plan(out);
  fs::remove(out / "runs" / plan.runs[0].run_id / "flows.csv");
  write(out / "runs" / plan.runs[1].run_id / "sites.csv", "run_id,scenario,variant,seed\n");
  r = test::run_dcsim({"sweep", f, "-o", out.string(), "--scale", "2000", "--set", "meta.duration_h=2"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK_MESSAGE(test::contains(r.out, "3 runs: 2 run now, 1 already done"), r.out);
  CHECK_MESSAGE(test::contains(r.err, plan.runs[0].run_id), r.err);
  CHECK_MESSAGE(test::contains(r.err, "flows.csv"), r.err);
  CHECK_MESSAGE(test::contains(r.err, "sites.csv"), r.err);
  CHECK(read(out / "flows.csv") == merged);
}

TEST_CASE("--jobs above the core count warns, and no more workers start than there are runs") {
  test::TempDir dir;
  const std::string f = small_sweep(dir, "variants: [clover-2023]\nseeds: [1, 2]\n");
  const auto r = test::run_dcsim({"sweep", f, "-o", (dir.path() / "out").string(), "--jobs", "100000", "--scale", "2000", "--set",
                                  "meta.duration_h=2"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK_MESSAGE(test::contains(r.err, "warning: --jobs 100000 is more than"), r.err);
  CHECK_MESSAGE(test::contains(r.out, "on 2 jobs"), r.out);
}

TEST_CASE("a sweep that cannot write stops at the first failed write and names the OS reason") {
  test::TempDir dir;
  const std::string f = small_sweep(dir, "variants: [clover-2023]\nseeds: [1, 2, 3, 4]\n");
  const fs::path out = dir.path() / "out";
  // SIGXFSZ ignored and `ulimit -f` at 8 KiB: sweep.json fits, a run's CSVs do not, and
  // every write past the limit fails with EFBIG, as on a full disk.
  const auto r = test::run_shell("trap '' XFSZ; ulimit -f 16; " + test::dcsim_command(with_quick({"sweep", f, "-o", out.string(), "--jobs", "1"})));
  CHECK(r.exit_code == 1);
  const std::string reason = std::strerror(EFBIG);
  std::size_t mentions = 0;
  for (std::size_t p = r.err.find(reason); p != std::string::npos; p = r.err.find(reason, p + 1)) ++mentions;
  CHECK_MESSAGE(mentions == 1, r.err);
  CHECK_MESSAGE(test::contains(r.err, "3 runs not started"), r.err);
  CHECK(test::finished_runs(out) == 0);
}
