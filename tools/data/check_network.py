#!/usr/bin/env python3
"""Validate the dcsim network data files.

Checks scenarios/data/sites.yaml, scenarios/data/backbone.yaml and
tests/data/rtt_measured.csv: exact schema keys, value types and ranges, unique
ids, references between files (site hub -> backbone hub, link ends -> hubs),
link kinds, ISO-3166 alpha-2 shaped country/via codes, shared-risk group names
(srlg, listed with their links), uplink_gbps, connectivity of the backbone graph
(BFS) and the RTT calibration CSV (header, numeric values,
>= 20 rows).  Prints counts; exits 1 on any failure.

Usage: /usr/bin/python3 tools/data/check_network.py [--root REPO_ROOT]
"""

import argparse
import collections
import csv
import math
import os
import re
import sys

import yaml

SITE_REQUIRED = {"id", "name", "country", "lat", "lon", "hub", "status", "servers"}
SITE_OPTIONAL = {"it_power_mw", "pue", "grid_carbon_g_per_kwh", "capex_eur", "opex_eur_per_year",
                 "uplink_gbps"}
SITE_STATUS = {"existing", "announced", "candidate"}
HUB_KEYS = {"id", "name", "country", "lat", "lon"}
LINK_REQUIRED = {"a", "b", "kind", "capacity_gbps"}
LINK_OPTIONAL = {"length_km", "via", "name", "srlg"}
LINK_KINDS = {"submarine", "terrestrial"}
CSV_HEADER = ["src_name", "src_lat", "src_lon", "dst_name", "dst_lat", "dst_lon",
              "measured_rtt_ms", "source", "year"]
MIN_RTT_ROWS = 20

SITE_ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
HUB_ID_RE = re.compile(r"^[A-Z][A-Z0-9]{1,5}$")
ISO2_RE = re.compile(r"^[A-Z]{2}$")
SRLG_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # the loader's id shape


class Checker:
    def __init__(self):
        self.errors = []

    def fail(self, msg):
        self.errors.append(msg)

    def number(self, where, value, lo=None, hi=None, positive=False, integer=False):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(f"{where}: expected a number, got {value!r}")
            return False
        if isinstance(value, float) and not math.isfinite(value):
            self.fail(f"{where}: not finite ({value!r})")
            return False
        if integer and not isinstance(value, int):
            self.fail(f"{where}: expected an integer, got {value!r}")
            return False
        if positive and value <= 0:
            self.fail(f"{where}: must be > 0, got {value!r}")
            return False
        if lo is not None and value < lo or hi is not None and value > hi:
            self.fail(f"{where}: {value!r} outside [{lo}, {hi}]")
            return False
        return True

    def keys(self, where, obj, required, optional=frozenset()):
        if not isinstance(obj, dict):
            self.fail(f"{where}: expected a mapping, got {type(obj).__name__}")
            return False
        missing = required - obj.keys()
        extra = obj.keys() - required - set(optional)
        if missing:
            self.fail(f"{where}: missing keys {sorted(missing)}")
        if extra:
            self.fail(f"{where}: unexpected keys {sorted(extra)}")
        return not missing

    def country(self, where, value):
        if not isinstance(value, str) or not ISO2_RE.match(value):
            self.fail(f"{where}: country/via code must be ISO-2 uppercase, got {value!r}")
            return False
        return True


def load_yaml(chk, path):
    try:
        with open(path, encoding="utf-8") as f:
            return yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        chk.fail(f"{path}: cannot load: {e}")
        return None


def check_backbone(chk, doc):
    hubs, adjacency, kinds, countries = {}, collections.defaultdict(set), collections.Counter(), set()
    srlg, srlg_links = {}, collections.defaultdict(list)  # groups per link, links per group
    if not isinstance(doc, dict) or set(doc.keys()) != {"network"}:
        chk.fail("backbone.yaml: top level must be exactly {network}")
        return hubs, adjacency, kinds, countries, srlg_links
    net = doc["network"]
    if not isinstance(net, dict) or set(net.keys()) != {"hubs", "links"}:
        chk.fail("backbone.yaml: network must have exactly {hubs, links}")
        return hubs, adjacency, kinds, countries, srlg_links
    for i, hub in enumerate(net["hubs"] or []):
        where = f"backbone hub #{i}"
        if not chk.keys(where, hub, HUB_KEYS):
            continue
        hid = hub["id"]
        where = f"backbone hub {hid!r}"
        if not isinstance(hid, str) or not HUB_ID_RE.match(hid):
            chk.fail(f"{where}: id must be uppercase (IATA-like)")
        if hid in hubs:
            chk.fail(f"{where}: duplicate hub id")
        if not isinstance(hub["name"], str) or not hub["name"].strip():
            chk.fail(f"{where}: empty name")
        if chk.country(where, hub["country"]):
            countries.add(hub["country"])
        chk.number(f"{where}.lat", hub["lat"], -90, 90)
        chk.number(f"{where}.lon", hub["lon"], -180, 180)
        hubs[hid] = hub
    pairs = set()
    for i, link in enumerate(net["links"] or []):
        where = f"backbone link #{i}"
        if not chk.keys(where, link, LINK_REQUIRED, LINK_OPTIONAL):
            continue
        a, b = link["a"], link["b"]
        where = f"backbone link {a}-{b}"
        for end in (a, b):
            if end not in hubs:
                chk.fail(f"{where}: end {end!r} is not a hub")
        if a == b:
            chk.fail(f"{where}: self-loop")
        key = tuple(sorted((str(a), str(b))))
        if key in pairs:
            chk.fail(f"{where}: duplicate link")
        pairs.add(key)
        kind = link["kind"]
        if kind not in LINK_KINDS:
            chk.fail(f"{where}: kind {kind!r} not in {sorted(LINK_KINDS)}")
        kinds[kind] += 1
        chk.number(f"{where}.capacity_gbps", link["capacity_gbps"], positive=True)
        if "length_km" in link:
            chk.number(f"{where}.length_km", link["length_km"], positive=True)
            if a in hubs and b in hubs:
                gc = great_circle_km(hubs[a], hubs[b])
                if link["length_km"] < gc * 0.95:
                    chk.fail(f"{where}: length_km {link['length_km']} shorter than "
                             f"great-circle {gc:.0f} km")
        via = link.get("via", [])
        if via is None:
            via = []
        if not isinstance(via, list):
            chk.fail(f"{where}: via must be a list")
            via = []
        for code in via:
            if chk.country(f"{where}.via", code):
                countries.add(code)
                if a in hubs and code in (hubs[a]["country"], hubs.get(b, {}).get("country")):
                    chk.fail(f"{where}: via {code} is an end hub's own country")
        if kind == "submarine" and via:
            chk.fail(f"{where}: submarine links must have an empty via")
        if "name" in link and not isinstance(link["name"], str):
            chk.fail(f"{where}: name must be a string")
        groups = link.get("srlg", [])
        if not isinstance(groups, list):
            chk.fail(f"{where}: srlg must be a list of group names")
            groups = []
        for g in groups:
            if not isinstance(g, str) or not SRLG_RE.match(g):
                chk.fail(f"{where}: srlg group {g!r} must be 1-64 letters, digits, '-' or '_'")
            elif g in srlg.get(key, ()):
                chk.fail(f"{where}: srlg group {g!r} listed twice")
            else:
                srlg.setdefault(key, []).append(g)
                srlg_links[g].append(f"{a}-{b}")
        if a in hubs and b in hubs:
            adjacency[a].add(b)
            adjacency[b].add(a)
    # connectivity (BFS from the first hub)
    if hubs:
        start = next(iter(hubs))
        seen, queue = {start}, collections.deque([start])
        while queue:
            for nxt in adjacency[queue.popleft()]:
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        unreached = sorted(set(hubs) - seen)
        if unreached:
            chk.fail(f"backbone graph not connected; unreachable from {start}: {unreached}")
    return hubs, adjacency, kinds, countries, srlg_links


def great_circle_km(p, q):
    la1, lo1, la2, lo2 = map(math.radians, (p["lat"], p["lon"], q["lat"], q["lon"]))
    h = (math.sin((la2 - la1) / 2) ** 2
         + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def check_sites(chk, doc, hubs):
    status, countries = collections.Counter(), set()
    if not isinstance(doc, dict) or set(doc.keys()) != {"sites"}:
        chk.fail("sites.yaml: top level must be exactly {sites}")
        return status, countries
    ids = set()
    for i, site in enumerate(doc["sites"] or []):
        where = f"site #{i}"
        if not chk.keys(where, site, SITE_REQUIRED, SITE_OPTIONAL):
            continue
        sid = site["id"]
        where = f"site {sid!r}"
        if not isinstance(sid, str) or not SITE_ID_RE.match(sid):
            chk.fail(f"{where}: id must be lowercase-hyphen")
        if sid in ids:
            chk.fail(f"{where}: duplicate site id")
        ids.add(sid)
        if not isinstance(site["name"], str) or not site["name"].strip():
            chk.fail(f"{where}: empty name")
        if chk.country(where, site["country"]):
            countries.add(site["country"])
        chk.number(f"{where}.lat", site["lat"], -90, 90)
        chk.number(f"{where}.lon", site["lon"], -180, 180)
        if site["hub"] not in hubs:
            chk.fail(f"{where}: hub {site['hub']!r} not in backbone.yaml")
        if site["status"] not in SITE_STATUS:
            chk.fail(f"{where}: status {site['status']!r} not in {sorted(SITE_STATUS)}")
        status[site["status"]] += 1
        chk.number(f"{where}.servers", site["servers"], positive=True, integer=True)
        if "it_power_mw" in site and chk.number(f"{where}.it_power_mw", site["it_power_mw"],
                                                positive=True):
            expected = round(40 * site["it_power_mw"])
            if site["servers"] != expected:
                chk.fail(f"{where}: servers {site['servers']} != round(40 * it_power_mw) "
                         f"= {expected}")
        if "pue" in site:
            chk.number(f"{where}.pue", site["pue"], 1.0, 3.0)
        if "grid_carbon_g_per_kwh" in site:
            chk.number(f"{where}.grid_carbon_g_per_kwh", site["grid_carbon_g_per_kwh"], 0, 1500)
        if "uplink_gbps" in site:
            chk.number(f"{where}.uplink_gbps", site["uplink_gbps"], 0, 1.0e7, positive=True)
        for key in ("capex_eur", "opex_eur_per_year"):
            if key in site:
                chk.number(f"{where}.{key}", site[key], positive=True)
    return status, countries


def check_rtt(chk, path):
    rows = 0
    try:
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            header = next(reader, None)
            if header != CSV_HEADER:
                chk.fail(f"{path}: header {header} != {CSV_HEADER}")
                return 0
            for lineno, row in enumerate(reader, start=2):
                where = f"{path}:{lineno}"
                if len(row) != len(CSV_HEADER):
                    chk.fail(f"{where}: {len(row)} fields, expected {len(CSV_HEADER)}")
                    continue
                rec = dict(zip(CSV_HEADER, row))
                try:
                    vals = {k: float(rec[k]) for k in
                            ("src_lat", "src_lon", "dst_lat", "dst_lon", "measured_rtt_ms")}
                    year = int(rec["year"])
                except ValueError as e:
                    chk.fail(f"{where}: non-numeric value ({e})")
                    continue
                if not all(math.isfinite(v) for v in vals.values()):
                    chk.fail(f"{where}: non-finite value")
                for k in ("src_lat", "dst_lat"):
                    if not -90 <= vals[k] <= 90:
                        chk.fail(f"{where}: {k} out of range")
                for k in ("src_lon", "dst_lon"):
                    if not -180 <= vals[k] <= 180:
                        chk.fail(f"{where}: {k} out of range")
                if not 0 < vals["measured_rtt_ms"] < 1000:
                    chk.fail(f"{where}: rtt_ms {vals['rtt_ms']} outside (0, 1000)")
                if not 1990 <= year <= 2100:
                    chk.fail(f"{where}: implausible year {year}")
                if not rec["src_name"].strip() or not rec["dst_name"].strip():
                    chk.fail(f"{where}: empty endpoint name")
                if not rec["source"].strip():
                    chk.fail(f"{where}: empty source")
                rows += 1
    except OSError as e:
        chk.fail(f"{path}: cannot read: {e}")
        return 0
    if rows < MIN_RTT_ROWS:
        chk.fail(f"{path}: {rows} rows, need >= {MIN_RTT_ROWS}")
    return rows


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=os.path.normpath(os.path.join(here, "..", "..")),
                        help="repository root (default: two levels above this script)")
    args = parser.parse_args(argv)
    sites_path = os.path.join(args.root, "scenarios", "data", "sites.yaml")
    backbone_path = os.path.join(args.root, "scenarios", "data", "backbone.yaml")
    rtt_path = os.path.join(args.root, "tests", "data", "rtt_measured.csv")

    chk = Checker()
    backbone = load_yaml(chk, backbone_path)
    hubs, _, kinds, bb_countries, srlg_links = check_backbone(chk, backbone) \
        if backbone is not None else ({}, None, collections.Counter(), set(), {})
    sites = load_yaml(chk, sites_path)
    status, site_countries = check_sites(chk, sites, hubs) if sites is not None \
        else (collections.Counter(), set())
    rows = check_rtt(chk, rtt_path)

    print(f"sites: {sum(status.values())} "
          f"({', '.join(f'{k} {v}' for k, v in sorted(status.items()))})")
    print(f"hubs: {len(hubs)}")
    print(f"links: {sum(kinds.values())} "
          f"({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))})")
    print(f"country codes: {' '.join(sorted(bb_countries | site_countries))}")
    print(f"srlg groups: {len(srlg_links)}")
    for g in sorted(srlg_links):
        print(f"  {g}: {' '.join(srlg_links[g])}")
    print(f"rtt rows: {rows}")
    if chk.errors:
        for err in chk.errors:
            print(f"ERROR: {err}", file=sys.stderr)
        print(f"FAILED: {len(chk.errors)} error(s)", file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
