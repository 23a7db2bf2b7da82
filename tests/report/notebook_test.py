#!/usr/bin/python3
"""Executes tools/notebooks/compare_runs.ipynb with `jupyter nbconvert --execute`, so it
never rots, on run folders this test makes: two Clover build-outs as plain run folders
(`dcsim run`) and the other two as a sweep over two seeds (`dcsim sweep`: merged CSVs and
a cross-seed summary at its top, runs/<run_id>/ inside), one run also copied beside the
others to check that a run found twice counts once. Checks that every cell ran without
error, that both figures were drawn, and that the saved comparison matches summary.csv
(plain runs) and the sweep's own cross-seed means.
Usage: notebook_test.py --dcsim BUILD/tools/dcsim --source REPO
"""
import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BUILD_OUTS = ["baseline-2022", "clover-2023", "clover-full", "clover-full-frankfurt"]
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def summary(run):
    with open(run / "summary.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    return rows[0]["run_id"], {r["metric"]: float(r["value"]) for r in rows}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dcsim", required=True)
    ap.add_argument("--source", required=True)
    a = ap.parse_args()
    src = Path(a.source)
    notebook = src / "tools" / "notebooks" / "compare_runs.ipynb"
    readme = src / "tools" / "notebooks" / "README.md"
    check(notebook.is_file(), "the notebook exists")
    check(readme.is_file() and "DCSIM_RUNS" in readme.read_text(), "its README says how to point it at runs (DCSIM_RUNS)")
    jupyter = shutil.which("jupyter", path="/usr/bin") or shutil.which("jupyter")
    if not jupyter:
        sys.exit("notebook_test: jupyter not found; install it with tools/setup-deps.sh --notebook")
    work = Path(tempfile.mkdtemp(prefix="dcsim-notebook-"))
    try:
        runs = {}
        for b in BUILD_OUTS[:2]:
            runs[b] = work / "runs" / b
            subprocess.run([a.dcsim, "run", str(src / "scenarios" / "clover.yaml"), "--variant", b, "--scale", "5000",
                            "-o", str(runs[b]), "-q"], check=True)
        sweep_file = work / "sweep.yaml"
        sweep_file.write_text(f"scenario: {src / 'scenarios' / 'clover.yaml'}\nvariants: [{BUILD_OUTS[2]}, {BUILD_OUTS[3]}]\n"
                              "seeds: [1, 2]\nscale: 5000\n")
        sweep = work / "sweep"
        subprocess.run([a.dcsim, "sweep", str(sweep_file), "-o", str(sweep), "--jobs", "2", "-q"], check=True)
        shutil.copytree(runs[BUILD_OUTS[0]], work / "runs" / "copy-of-baseline")
        with open(sweep / "summary.csv", newline="") as f:
            sweep_mean = {(r["variant"], r["metric"]): float(r["mean"]) for r in csv.DictReader(f)}

        out = work / "out"
        env = dict(os.environ, DCSIM_RUNS=f"{work / 'runs' / '*'}{os.pathsep}{work / 'sweep'}", DCSIM_NOTEBOOK_OUT=str(out),
                   MPLBACKEND="module://matplotlib_inline.backend_inline", PYDEVD_DISABLE_FILE_VALIDATION="1",
                   # Jupyter, IPython and matplotlib state in the test's own folder: no user kernels or
                   # settings leak in, and nothing depends on a writable home.
                   JUPYTER_DATA_DIR=str(work / "jupyter-data"), JUPYTER_RUNTIME_DIR=str(work / "jupyter-runtime"),
                   JUPYTER_CONFIG_DIR=str(work / "jupyter-config"), IPYTHONDIR=str(work / "ipython"),
                   MPLCONFIGDIR=str(work / "matplotlib"))
        executed = work / "executed.ipynb"
        r = subprocess.run([jupyter, "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=300",
                            str(notebook), "--output", str(executed)], env=env, capture_output=True, text=True, cwd=notebook.parent)
        check(r.returncode == 0, "jupyter nbconvert --execute succeeded" + ("" if r.returncode == 0 else ": " + r.stderr[-3000:]))
        if r.returncode != 0:
            return 1
        nb = json.loads(executed.read_text())
        outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
        check(not [o for o in outputs if o.get("output_type") == "error"], "no cell raised an error")
        pngs = sum(1 for o in outputs if "image/png" in o.get("data", {}))
        check(pngs >= 2, f"both figures are drawn in the notebook ({pngs} images)")
        text = json.dumps(outputs)
        check("6 runs of 4 build-outs" in text, "each run counted once (a copy, the sweep's merged CSVs and its runs/)")
        for f in ("eea_exit_share.png", "p95_latency.png", "comparison.csv"):
            check((out / f).is_file() and (out / f).stat().st_size > 100, f"saved {f}")
        with open(out / "comparison.csv", newline="") as f:
            table = {row["build_out"]: row for row in csv.DictReader(f)}
        check(list(table) == BUILD_OUTS, f"the comparison has the four build-outs in order ({list(table)})")
        for b in BUILD_OUTS:
            row = table.get(b, {})
            if b in runs:
                _, m = summary(runs[b])
                want_exit, want_p95, want_runs = m["eea_exit_share"], m["ttfb_p95_ms"], 1
            else:  # the sweep's mean over its two seeds
                want_exit, want_p95, want_runs = sweep_mean[(b, "eea_exit_share")], sweep_mean[(b, "ttfb_p95_ms")], 2
            check(int(row.get("runs", 0)) == want_runs, f"{b}: {want_runs} run(s)")
            check(abs(float(row.get("eea_exit_share", "nan")) - want_exit) < 1e-6, f"{b}: EEA-exit share as dcsim reports it")
            check(abs(float(row.get("ttfb_p95_ms", "nan")) - want_p95) < 1e-3, f"{b}: p95 TTFB as dcsim reports it")
        check(float(table["baseline-2022"]["eea_exit_share"]) > 0.9 > float(table["clover-full"]["eea_exit_share"]),
              "the 2022 baseline sends nearly everything out of the EEA, the full Clover build-out does not")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"notebook test: {len(failures)} checks failed" if failures else "notebook test: all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
