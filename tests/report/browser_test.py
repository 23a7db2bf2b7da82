#!/usr/bin/python3
"""Renders a dcsim report in headless Chromium and checks what a planner would see.

Makes three small runs (two Clover build-outs and the Dublin-outage what-if), writes their
report with `dcsim report`, then has Chromium (Debian's `chromium`) load it from disk:
  * --dump-dom: the rendered DOM must hold the map and the charts with the element counts
    the run folders' CSVs imply (regions, sites, flows, EEA-exit flows, latency bars,
    utilisation lines, event bands);
  * --screenshot: a PNG of the page, not blank;
  * --enable-logging=stderr: no console message at all (the page has no scripts, so any
    console line is an error: an SVG attribute Chromium cannot parse, a blocked fetch).
The console check is first shown to catch a broken page, so a silent logger cannot pass.
Standard library only. Usage: browser_test.py --dcsim BUILD/tools/dcsim --source REPO
[--keep DIR] (keep the report and the screenshot there to look at them).
"""
import argparse
import csv
import html.parser
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from collections import Counter
from pathlib import Path

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--force-device-scale-factor=1"]
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def chromium_binary():
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("browser_test: chromium not found; install it with tools/setup-deps.sh --browser")


def chromium(binary, args, workdir):
    """Runs Chromium once with a fresh profile; returns (stdout, stderr)."""
    profile = tempfile.mkdtemp(prefix="profile-", dir=workdir)
    cmd = [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    if r.returncode != 0:
        sys.exit(f"browser_test: chromium exited {r.returncode}: {r.stderr[-2000:]}")
    return r.stdout, r.stderr


def console_lines(stderr):
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


class Counts(html.parser.HTMLParser):
    """Counts elements by tag and by each class they carry; collects the text of <h1>."""

    def __init__(self):
        super().__init__()
        self.by_class, self.by_tag = Counter(), Counter()
        self.svg_classes = Counter()
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.by_tag[tag] += 1
        classes = (dict(attrs).get("class") or "").split()
        for c in classes:
            self.by_class[(tag, c)] += 1
        if tag == "svg":
            self.svg_classes[" ".join(classes)] += 1

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


class Geometry(html.parser.HTMLParser):
    """Per <svg>: its classes, legend boxes (a <g class="legend"> translated, holding a <rect>),
    region markers (circle.region) and axis titles (text.axis-title) with their text."""

    def __init__(self):
        super().__init__()
        self.svgs = []
        self.legend_at = None
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "svg":
            self.svgs.append({"classes": classes, "legends": [], "regions": [], "axis_titles": []})
            return
        if not self.svgs:
            return
        svg = self.svgs[-1]
        if tag == "g" and "legend" in classes:
            x, y = a.get("transform", "translate(0 0)").replace("translate(", "").rstrip(")").replace(",", " ").split()[:2]
            self.legend_at = (float(x), float(y))
        elif tag == "rect" and self.legend_at is not None:
            x0, y0 = self.legend_at
            svg["legends"].append((x0, y0, x0 + float(a["width"]), y0 + float(a["height"])))
            self.legend_at = None
        elif tag == "circle" and "region" in classes:
            svg["regions"].append((float(a["cx"]), float(a["cy"]), float(a["r"])))
        elif tag == "text" and "axis-title" in classes:
            svg["axis_titles"].append("")
            self.in_title = True

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "text":
            self.in_title = False

    def handle_data(self, data):
        if self.in_title and self.svgs:
            self.svgs[-1]["axis_titles"][-1] += data


def circle_meets_box(c, box):
    cx, cy, r = c
    x0, y0, x1, y1 = box
    nx, ny = min(max(cx, x0), x1), min(max(cy, y0), y1)
    return (cx - nx) ** 2 + (cy - ny) ** 2 < r * r


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def expected(run):
    """Element counts the report must draw for one run folder, from its CSVs alone."""
    paths, sites, border = read_csv(run / "paths.csv"), read_csv(run / "sites.csv"), read_csv(run / "border.csv")
    latency, events = read_csv(run / "latency.csv"), read_csv(run / "events.csv")
    total = sum(float(r["bytes"]) for r in border)
    drawn = [r for r in border if float(r["eea_exit_bytes"]) > 0 or (float(r["bytes"]) > 0 and float(r["bytes"]) >= 0.001 * total)]
    built = {r["site"] for r in sites} | {r["site"] for r in border}
    return {
        "regions": len({r["region"] for r in paths}),
        "sites": len(built),
        "flows": len(drawn),
        "eea_exit_flows": sum(1 for r in drawn if float(r["eea_exit_bytes"]) > 0),
        "country_bars": sum(1 for r in latency if r["class"] == "ALL" and r["measure"] == "ttfb" and float(r["requests"]) > 0),
        "class_bars": sum(1 for r in latency if r["origin_country"] == "ALL" and r["measure"] == "completion" and float(r["requests"]) > 0),
        "util_lines": len({r["site"] for r in sites}),
        "events": len(events),
    }


def png_size_and_colours(path):
    """Width, height and the number of distinct RGB(A) byte triples in a sample of rows."""
    data = Path(path).read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return 0, 0, 0
    width, height = struct.unpack(">II", data[16:24])
    idat, pos = b"", 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    raw = zlib.decompress(idat)
    # Filtered scanlines: distinct byte triples are a fair proxy for "something is drawn".
    return width, height, len({raw[i:i + 3] for i in range(0, len(raw) - 3, 61)})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dcsim", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--keep", help="copy the report and the screenshot here")
    a = ap.parse_args()
    src = Path(a.source)
    binary = chromium_binary()
    work = Path(tempfile.mkdtemp(prefix="dcsim-browser-"))
    try:
        # 0. The console check catches a page Chromium complains about.
        bad = work / "bad.html"
        bad.write_text('<!DOCTYPE html><html><body><svg><path d="M 0 0 L x y"/></svg></body></html>')
        _, err = chromium(binary, ["--enable-logging=stderr", "--v=0", "--dump-dom", bad.as_uri()], work)
        check(len(console_lines(err)) > 0, "the console check sees Chromium's error for a broken SVG path")

        # 1. Three small runs and their report.
        runs = []
        for name, scenario, variant in (("clover-2023", "scenarios/clover.yaml", "clover-2023"),
                                        ("clover-full", "scenarios/clover.yaml", "clover-full"),
                                        ("dublin-outage", "scenarios/what-if/dublin-outage.yaml", None)):
            out = work / "runs" / name
            cmd = [a.dcsim, "run", str(src / scenario), "--scale", "5000", "-o", str(out), "-q"]
            if variant:
                cmd += ["--variant", variant]
            subprocess.run(cmd, check=True)
            runs.append(out)
        report = work / "report.html"
        subprocess.run([a.dcsim, "report", *map(str, runs), "-o", str(report), "-q"], check=True)
        size = report.stat().st_size
        check(size < 600 * 1024, f"the report is small enough to mail: {size / 1024:.0f} KiB")

        # 2. The rendered DOM, and no console message while rendering it.
        dom, err = chromium(binary, ["--enable-logging=stderr", "--v=0", "--dump-dom", report.as_uri()], work)
        lines = console_lines(err)
        check(not lines, "no console messages" + ("" if not lines else ": " + " | ".join(lines[:5])))
        c = Counts()
        c.feed(dom)
        want = [expected(r) for r in runs]
        total = {k: sum(w[k] for w in want) for k in want[0]}
        print("expected from the CSVs:", total)
        check(c.svg_classes["map"] == len(runs), f"one map per run ({c.svg_classes['map']})")
        check(c.by_tag["use"] == 2 * len(runs), "each map (flows and backbone) shows the shared basemap")
        check(c.by_class[("path", "land")] >= 50, f"the basemap has the country outlines ({c.by_class[('path', 'land')]})")
        check(c.by_class[("path", "eea")] >= 28, f"EEA countries are shaded ({c.by_class[('path', 'eea')]})")
        check(c.by_class[("circle", "region")] == total["regions"], f"region circles {c.by_class[('circle', 'region')]} == {total['regions']}")
        check(c.by_class[("path", "site")] == total["sites"], f"site markers {c.by_class[('path', 'site')]} == {total['sites']}")
        check(c.by_class[("path", "flow")] == total["flows"], f"flow lines {c.by_class[('path', 'flow')]} == {total['flows']}")
        check(c.by_class[("path", "eea-exit")] == total["eea_exit_flows"],
              f"EEA-exit flow lines {c.by_class[('path', 'eea-exit')]} == {total['eea_exit_flows']}")
        check(total["eea_exit_flows"] > 0, "some flows leave the EEA (exports, staff access)")
        bars = total["country_bars"] + total["class_bars"]
        check(c.by_class[("rect", "lat-bar")] == bars, f"latency bars {c.by_class[('rect', 'lat-bar')]} == {bars}")
        check(c.svg_classes["chart latency-countries"] == 1 and c.svg_classes["chart latency-classes"] == 1, "both latency charts")
        check(c.svg_classes["chart utilisation"] == len(runs), "a utilisation chart per run")
        check(c.by_class[("polyline", "util-line")] == total["util_lines"],
              f"utilisation lines {c.by_class[('polyline', 'util-line')]} == {total['util_lines']}")
        check(total["events"] == 2, "the what-if run has its two outages")
        check(c.by_class[("rect", "event-band")] == total["events"], f"event bands {c.by_class[('rect', 'event-band')]} == {total['events']}")
        check(c.by_class[("g", "event-lane")] == total["events"], "an event lane per event")
        check(c.by_class[("table", "compare")] == 1, "the headline table")
        text = " ".join(c.text)
        for label in ("clover-2023", "clover-full", "what-if-dublin-outage", "Beyond the map", "Headline figures"):
            check(label in text, f"the page shows '{label}'")

        # Geometry: no legend box over a region marker; every chart axis names its unit.
        geo = Geometry()
        geo.feed(dom)
        maps = [v for v in geo.svgs if "map" in v["classes"] and "backbone" not in v["classes"]]
        check(all(v["legends"] for v in maps), "every map has a legend box")
        overlaps = [(box, c) for v in maps for box in v["legends"] for c in v["regions"] if circle_meets_box(c, box)]
        check(not overlaps, f"no legend box intersects a region marker ({len(overlaps)} do{': ' + str(overlaps[:3]) if overlaps else ''})")
        charts = [v for v in geo.svgs if "chart" in v["classes"]]
        check(len(charts) >= 3, f"the charts are there ({len(charts)})")
        import re
        unitless = [" ".join(v["classes"]) for v in charts if not v["axis_titles"] or
                    not all(re.search(r"\((ms|%|UTC)[,)]", t) for t in v["axis_titles"])]
        check(not unitless, f"every chart axis names its unit ({unitless or 'all do'})")
        backbones = [v for v in geo.svgs if "backbone" in v["classes"]]
        check(len(backbones) == len(runs), f"a backbone map per run, coloured by peak link utilisation ({len(backbones)})")
        check(c.by_class[("line", "link")] > 0, f"backbone links drawn ({c.by_class[('line', 'link')]})")
        check(c.by_class[("text", "link-label")] > 0, "the hottest links are labelled")

        # 3. A screenshot a person can look at.
        shot = work / "report.png"
        chromium(binary, ["--window-size=1280,3600", f"--screenshot={shot}", report.as_uri()], work)
        w, h, colours = png_size_and_colours(shot)
        check(w == 1280 and h == 3600, f"screenshot is 1280x3600 ({w}x{h})")
        check(colours > 50, f"the screenshot is not blank ({colours} distinct samples)")
        if a.keep:
            Path(a.keep).mkdir(parents=True, exist_ok=True)
            shutil.copy(report, Path(a.keep) / "report.html")
            shutil.copy(shot, Path(a.keep) / "report.png")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"browser test: {len(failures)} checks failed" if failures else "browser test: all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
