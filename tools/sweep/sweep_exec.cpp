// Worker threads over a sweep's runs, and the single-run pipeline they call
// (load → World → run_world, shared with `dcsim run` → run folder → commit).
#include "tools/sweep/sweep_exec.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <thread>

#include "models/scenario/scenario_loader.hpp"
#include "models/network/world.hpp"
#include "tools/assertions.hpp"
#include "tools/file_io.hpp"
#include "tools/run_folder.hpp"
#include "tools/run_folder_reader.hpp"
#include "tools/run_output.hpp"
#include "tools/sweep/sweep_progress.hpp"
#include "tools/writers.hpp"

namespace dcsim::tools {

namespace fs = std::filesystem;

bool run_done(const fs::path& sweep_dir, const std::string& run_id) {
  std::error_code ec;
  return fs::is_regular_file(sweep_dir / "runs" / run_id / "manifest.json", ec);
}

std::string run_damage(const fs::path& sweep_dir, const std::string& run_id) {
  try {
    const RunFolderReader run(sweep_dir / "runs" / run_id);
    if (run.manifest().run_id != run_id) return "its manifest is for run '" + run.manifest().run_id + "'";
    run.verify_all();
  } catch (const RunFolderDamage& e) {
    return e.what();
  }
  return {};
}

void clear_leftovers(const fs::path& sweep_dir, const std::string& run_id) {
  const fs::path runs = sweep_dir / "runs";
  std::error_code ec;
  if (!fs::is_directory(runs, ec)) return;
  const std::string partial = "." + run_id + ".partial-";
  for (const auto& e : fs::directory_iterator(runs, ec))
    if (e.path().filename().string().rfind(partial, 0) == 0) fs::remove_all(e.path(), ec);
  if (fs::exists(runs / run_id, ec) && !run_done(sweep_dir, run_id)) fs::remove_all(runs / run_id, ec);
}

void execute_run(const SweepPlan& plan, const PlannedRun& run, const fs::path& sweep_dir, const std::function<void(double)>& progress) {
  models::Scenario scenario =
      load_checked_scenario(plan.scenario_path, models::LoadOptions{run.overrides, run.variant == "base" ? std::string() : run.variant});
  const std::string sha = scenario_fingerprint(scenario);
  if (sha != plan.scenario_sha256)
    throw SweepError("the scenario's files changed since the sweep was planned; rerun the sweep into a new folder");
  if (make_run_id(scenario, sha) != run.run_id) throw SweepError("the run's id does not match its plan (dcsim changed how run ids are made)");

  clear_leftovers(sweep_dir, run.run_id);
  // Stale partial folders in runs/ are the sweep's own business (clear_leftovers).
  RunFolder folder((sweep_dir / "runs" / run.run_id).string(), false, false);
  const models::World world(std::move(scenario));
  // One simulation thread per run: a sweep's parallelism is across runs.
  const RunOutput out = run_world(world, progress, 1);
  if (out.run_id != run.run_id) throw SweepError("the run's id does not match its plan");
  for (const auto& [name, content] : out.files) folder.write(name, content);
  folder.commit();
}

ExecResult execute_runs(const SweepPlan& plan, const std::vector<std::size_t>& indices, const fs::path& sweep_dir,
                        const ExecOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  ExecResult result;
  result.planned = indices.size();
  std::vector<std::size_t> todo;
  for (std::size_t i : indices) {
    const PlannedRun& run = plan.runs[i];
    if (!run_done(sweep_dir, run.run_id)) {
      todo.push_back(i);
    } else if (const std::string why = run_damage(sweep_dir, run.run_id); why.empty()) {
      ++result.skipped;
    } else {
      // A finished run's folder whose files changed since: its results cannot be merged.
      std::fprintf(stderr, "%s: run %s (%s) is damaged: %s; redoing it\n", options.label.c_str(), run.run_id.c_str(), run.label().c_str(),
                   why.c_str());
      std::error_code ec;
      fs::remove_all(sweep_dir / "runs" / run.run_id, ec);
      todo.push_back(i);
    }
  }

  const std::size_t workers = std::min<std::size_t>(static_cast<std::size_t>(std::max(1, options.jobs)), todo.size());
  result.workers = static_cast<int>(workers);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};  // set by the first I/O failure
  std::size_t started = 0;
  std::mutex mu;
  std::condition_variable cv;
  std::size_t finished = 0, exited = 0;
  std::vector<std::pair<std::size_t, std::string>> failures;
  std::vector<std::unique_ptr<std::atomic<double>>> partial;
  for (std::size_t w = 0; w < workers; ++w) partial.push_back(std::make_unique<std::atomic<double>>(0.0));

  auto work = [&](std::size_t w) {
    for (;;) {
      if (stop.load()) break;
      const std::size_t k = next.fetch_add(1);
      if (k >= todo.size()) break;
      {
        std::lock_guard<std::mutex> lock(mu);
        ++started;
      }
      const PlannedRun& run = plan.runs[todo[k]];
      std::string failure;
      try {
        execute_run(plan, run, sweep_dir, [&partial, w](double f) { partial[w]->store(f); });
      } catch (const IoError& e) {
        failure = e.what();
        std::lock_guard<std::mutex> lock(mu);
        if (!stop.exchange(true)) result.io_failure = failure;
      } catch (const models::ScenarioError& e) {
        failure = e.what();
      } catch (const RunFolderError& e) {
        failure = e.message;
      } catch (const std::exception& e) {
        failure = e.what();
      }
      partial[w]->store(0.0);
      std::lock_guard<std::mutex> lock(mu);
      ++finished;
      if (!failure.empty()) failures.emplace_back(todo[k], "run " + run.run_id + " (" + run.label() + "): " + failure);
      cv.notify_all();
    }
    std::lock_guard<std::mutex> lock(mu);
    ++exited;
    cv.notify_all();
  };

  SweepProgress progress(options.label, indices.size(), result.skipped, todo.size(), options.quiet);
  std::vector<std::thread> threads;
  for (std::size_t w = 0; w < workers; ++w) threads.emplace_back(work, w);
  {
    std::unique_lock<std::mutex> lock(mu);
    while (exited < workers) {
      cv.wait_for(lock, std::chrono::milliseconds(500));
      double running = 0;
      for (const auto& p : partial) running += p->load();
      progress.show(finished, running);
    }
  }
  for (auto& t : threads) t.join();
  progress.finish();
  // Failures in plan order, whatever order the workers met them in.
  std::sort(failures.begin(), failures.end());
  for (auto& f : failures) result.failures.push_back(std::move(f.second));
  result.ran = finished - result.failures.size();
  result.not_started = todo.size() - started;
  result.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return result;
}

}  // namespace dcsim::tools
