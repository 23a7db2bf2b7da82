#!/usr/bin/python3
"""Validate scenarios/data/countries.yaml and scenarios/data/regions.yaml.

Usage:  /usr/bin/python3 tools/data/check_regions.py [--data-dir DIR] [--quiet]

Checks (any failure -> exit status 1):
  * both files parse as YAML with the expected top-level key;
  * schema: exact key sets, value types, value ranges;
  * unique country codes and region ids;
  * EU members are also EEA members; European countries carry
    population / population_year / user_share;
  * every region belongs to a known European country, and every European
    country has at least one region;
  * per country, the sum of regional populations is within 2 % of the
    country population, and regions use the country's population_year;
  * country populations are within 2 % of an independent reference table of
    official figures (REFERENCE_POPULATION below), to catch typos;
  * lat/lon within WGS-84 ranges, UTC offsets plausible;
  * at least 100 regions.
Prints a per-country summary, the total population and the total monthly
users (sum of population * user_share over European countries).

Only the standard library and PyYAML are used (no pandas).
"""

import argparse
import os
import re
import sys

try:
    import yaml
except ImportError:  # pragma: no cover - environment problem, not a data problem
    sys.stderr.write("check_regions: PyYAML is required (python3-yaml)\n")
    sys.exit(2)

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_DATA_DIR = os.path.join(REPO, "scenarios", "data")

COUNTRY_REQUIRED = {"code", "name", "eu", "eea"}
COUNTRY_OPTIONAL = {"adequacy", "population", "population_year", "user_share"}
REGION_KEYS = {
    "id", "name", "country", "population", "population_year",
    "lat", "lon", "utc_offset_h", "utc_offset_summer_h",
}

# Countries outside the EEA that are nevertheless part of the European service area.
EUROPEAN_NON_EEA = {"GB", "CH"}

EU27 = {
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU",
    "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
}
EEA_EFTA = {"IS", "LI", "NO"}
REQUIRED_EUROPEAN = EU27 | EEA_EFTA | EUROPEAN_NON_EEA

# Independent cross-check of national totals (persons). Each entry is
# (year, population, source). Kept separate from the YAML on purpose: a typo in
# countries.yaml should not be able to validate itself. Tolerance 2 %.
# Eurostat figures are the first release of demo_gind for 1 January 2023
# (July 2023); later revisions differ by < 2 % (see README.md).
REFERENCE_POPULATION = {
    "AT": (2023, 9104772, "Eurostat demo_gind 1.1.2023"),
    "BE": (2023, 11754004, "Eurostat demo_gind 1.1.2023"),
    "BG": (2023, 6447710, "Eurostat demo_gind 1.1.2023"),
    "HR": (2023, 3850894, "Eurostat demo_gind 1.1.2023"),
    "CY": (2023, 920701, "Eurostat demo_gind 1.1.2023"),
    "CZ": (2023, 10827529, "Eurostat demo_gind 1.1.2023"),
    "DK": (2023, 5932654, "Eurostat demo_gind 1.1.2023"),
    "EE": (2023, 1365884, "Eurostat demo_gind 1.1.2023"),
    "FI": (2023, 5563970, "Eurostat demo_gind 1.1.2023"),
    "FR": (2023, 68070697, "Eurostat demo_gind 1.1.2023"),
    "DE": (2023, 84358845, "Eurostat demo_gind 1.1.2023"),
    "GR": (2023, 10394055, "Eurostat demo_gind 1.1.2023"),
    "HU": (2023, 9597085, "Eurostat demo_gind 1.1.2023"),
    "IE": (2023, 5194336, "Eurostat demo_gind 1.1.2023"),
    "IT": (2023, 58850717, "Eurostat demo_gind 1.1.2023"),
    "LV": (2023, 1883008, "Eurostat demo_gind 1.1.2023"),
    "LT": (2023, 2857279, "Eurostat demo_gind 1.1.2023"),
    "LU": (2023, 660809, "Eurostat demo_gind 1.1.2023"),
    "MT": (2023, 542051, "Eurostat demo_gind 1.1.2023"),
    "NL": (2023, 17811291, "Eurostat demo_gind 1.1.2023"),
    "PL": (2023, 36753736, "Eurostat demo_gind 1.1.2023"),
    "PT": (2023, 10467366, "Eurostat demo_gind 1.1.2023"),
    "RO": (2023, 19051562, "Eurostat demo_gind 1.1.2023"),
    "SK": (2023, 5428792, "Eurostat demo_gind 1.1.2023"),
    "SI": (2023, 2116792, "Eurostat demo_gind 1.1.2023"),
    "ES": (2023, 48059777, "Eurostat demo_gind 1.1.2023"),
    "SE": (2023, 10521556, "Eurostat demo_gind 1.1.2023"),
    "IS": (2023, 387758, "Statistics Iceland 1.1.2023"),
    "LI": (2023, 39677, "Amt fuer Statistik Liechtenstein 31.12.2022"),
    "NO": (2023, 5488984, "Statistics Norway 1.1.2023"),
    "CH": (2023, 8815385, "FSO STATPOP 31.12.2022"),
    "GB": (2022, 67596281, "ONS mid-2022 estimate"),
}

TOLERANCE = 0.02
MIN_REGIONS = 100
CODE_RE = re.compile(r"^[A-Z]{2}$")
REGION_ID_RE = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")


class Report:
    def __init__(self):
        self.errors = []
        self.warnings = []

    def error(self, msg):
        self.errors.append(msg)

    def warn(self, msg):
        self.warnings.append(msg)


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def load(path, top_key, rep):
    try:
        with open(path, encoding="utf-8") as fh:
            doc = yaml.safe_load(fh)
    except FileNotFoundError:
        rep.error(f"{path}: file not found")
        return []
    except yaml.YAMLError as exc:
        rep.error(f"{path}: YAML parse error: {exc}")
        return []
    if not isinstance(doc, dict) or set(doc.keys()) != {top_key}:
        rep.error(f"{path}: top level must be a mapping with the single key '{top_key}'")
        return []
    items = doc[top_key]
    if not isinstance(items, list) or not items:
        rep.error(f"{path}: '{top_key}' must be a non-empty list")
        return []
    return items


def is_european(c):
    return bool(c.get("eea")) or c.get("code") in EUROPEAN_NON_EEA


def check_countries(items, rep):
    countries = {}
    for i, c in enumerate(items):
        where = f"countries[{i}]"
        if not isinstance(c, dict):
            rep.error(f"{where}: not a mapping")
            continue
        keys = set(c.keys())
        missing = COUNTRY_REQUIRED - keys
        extra = keys - COUNTRY_REQUIRED - COUNTRY_OPTIONAL
        if missing:
            rep.error(f"{where}: missing keys {sorted(missing)}")
        if extra:
            rep.error(f"{where}: unknown keys {sorted(extra)}")
        code = c.get("code")
        if isinstance(code, bool):
            rep.error(f"{where}: code parsed as a boolean ({code}); quote it, e.g. code: \"NO\"")
            continue
        if not isinstance(code, str) or not CODE_RE.match(code):
            rep.error(f"{where}: code must be an ISO 3166-1 alpha-2 string, got {code!r}")
            continue
        where = f"country {code}"
        if code in ("EL", "UK"):
            rep.error(f"{where}: use ISO codes GR / GB, not the EU protocol codes")
        if code in countries:
            rep.error(f"{where}: duplicate code")
            continue
        if not isinstance(c.get("name"), str) or not c.get("name", "").strip():
            rep.error(f"{where}: name must be a non-empty string")
        for k in ("eu", "eea"):
            if k in c and not isinstance(c[k], bool):
                rep.error(f"{where}: {k} must be a boolean")
        if "adequacy" in c:
            a = c["adequacy"]
            if isinstance(a, dict):
                if a.get("basis") not in ("decision", "certification"):
                    rep.error(f"{where}: adequacy.basis must be decision or certification")
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(a.get("from", ""))):
                    rep.error(f"{where}: adequacy.from must be the decision's date, YYYY-MM-DD")
                if not str(a.get("source", "")).strip():
                    rep.error(f"{where}: adequacy.source must name the decision")
            elif not isinstance(a, bool):
                rep.error(f"{where}: adequacy must be a boolean or {{basis, from, source}}")
            if c.get("eea") is True:
                rep.warn(f"{where}: adequacy is only meaningful outside the EEA")
        if c.get("eu") is True and c.get("eea") is not True:
            rep.error(f"{where}: an EU member is also an EEA member (eea: true)")
        if c.get("eu") is True and code not in EU27:
            rep.error(f"{where}: eu: true but not an EU-27 member state")
        if code in EU27 and c.get("eu") is not True:
            rep.error(f"{where}: EU-27 member state must have eu: true")
        if code in EEA_EFTA and (c.get("eu") is not False or c.get("eea") is not True):
            rep.error(f"{where}: EEA-EFTA state must have eu: false, eea: true")
        european = is_european(c)
        if european:
            for k in ("population", "population_year", "user_share"):
                if k not in c:
                    rep.error(f"{where}: European country requires '{k}'")
        if "population" in c and (not is_int(c["population"]) or c["population"] <= 0):
            rep.error(f"{where}: population must be a positive integer")
        if "population_year" in c and (not is_int(c["population_year"])
                                       or not 2000 <= c["population_year"] <= 2100):
            rep.error(f"{where}: population_year must be an integer year")
        if ("population" in c) != ("population_year" in c):
            rep.error(f"{where}: population and population_year go together")
        if "user_share" in c:
            us = c["user_share"]
            if not is_num(us) or not 0.0 <= us <= 1.0:
                rep.error(f"{where}: user_share must be a number in [0, 1]")
        ref = REFERENCE_POPULATION.get(code)
        if ref and is_int(c.get("population")):
            year, value, source = ref
            dev = c["population"] / value - 1.0
            if abs(dev) > TOLERANCE:
                rep.error(f"{where}: population {c['population']} differs {dev:+.2%} "
                          f"from reference {value} ({source})")
            if c.get("population_year") != year:
                rep.warn(f"{where}: population_year {c.get('population_year')} "
                         f"but reference figure is for {year} ({source})")
        countries[code] = c
    for code in sorted(REQUIRED_EUROPEAN - set(countries)):
        rep.error(f"country {code}: missing (EU-27, EEA-EFTA, GB and CH are required)")
    return countries


def check_regions(items, countries, rep):
    regions = []
    seen = set()
    for i, r in enumerate(items):
        where = f"regions[{i}]"
        if not isinstance(r, dict):
            rep.error(f"{where}: not a mapping")
            continue
        keys = set(r.keys())
        if keys != REGION_KEYS:
            if REGION_KEYS - keys:
                rep.error(f"{where}: missing keys {sorted(REGION_KEYS - keys)}")
            if keys - REGION_KEYS:
                rep.error(f"{where}: unknown keys {sorted(keys - REGION_KEYS)}")
        rid = r.get("id")
        if not isinstance(rid, str) or not REGION_ID_RE.match(rid):
            rep.error(f"{where}: id must look like a NUTS/ITL/ISO code, got {rid!r}")
            continue
        where = f"region {rid}"
        if rid in seen:
            rep.error(f"{where}: duplicate id")
            continue
        seen.add(rid)
        if not isinstance(r.get("name"), str) or not r.get("name", "").strip():
            rep.error(f"{where}: name must be a non-empty string")
        cc = r.get("country")
        if isinstance(cc, bool):
            rep.error(f"{where}: country parsed as a boolean ({cc}); quote it, e.g. country: \"NO\"")
        elif cc not in countries:
            rep.error(f"{where}: country {cc!r} not in countries.yaml")
        elif not is_european(countries[cc]):
            rep.error(f"{where}: country {cc} is not in the European service area")
        if not is_int(r.get("population")) or r.get("population", 0) <= 0:
            rep.error(f"{where}: population must be a positive integer")
        if not is_int(r.get("population_year")):
            rep.error(f"{where}: population_year must be an integer")
        elif cc in countries and r["population_year"] != countries[cc].get("population_year"):
            rep.error(f"{where}: population_year {r['population_year']} differs from "
                      f"country {cc} ({countries[cc].get('population_year')})")
        lat, lon = r.get("lat"), r.get("lon")
        if not is_num(lat) or not -90.0 <= lat <= 90.0:
            rep.error(f"{where}: lat must be a number in [-90, 90]")
        if not is_num(lon) or not -180.0 <= lon <= 180.0:
            rep.error(f"{where}: lon must be a number in [-180, 180]")
        std, summer = r.get("utc_offset_h"), r.get("utc_offset_summer_h")
        if not is_num(std) or not -12 <= std <= 14:
            rep.error(f"{where}: utc_offset_h must be a number in [-12, 14]")
        if not is_num(summer) or not -12 <= summer <= 14:
            rep.error(f"{where}: utc_offset_summer_h must be a number in [-12, 14]")
        if is_num(std) and is_num(summer) and summer not in (std, std + 1):
            rep.error(f"{where}: summer offset must equal the standard offset or exceed it by 1 h")
        if is_num(lon) and is_num(std) and abs(lon / 15.0 - std) > 3.5:
            rep.warn(f"{where}: UTC offset {std} far from solar time at lon {lon}")
        regions.append(r)
    if len(regions) < MIN_REGIONS:
        rep.error(f"only {len(regions)} regions, at least {MIN_REGIONS} required")
    return regions


def check_sums(countries, regions, rep, quiet):
    by_country = {}
    for r in regions:
        if is_int(r.get("population")):
            by_country.setdefault(r.get("country"), []).append(r)
    total_pop = 0
    total_users = 0.0
    rows = []
    for code in sorted(countries):
        c = countries[code]
        if not is_european(c):
            continue
        regs = by_country.get(code, [])
        if not regs:
            rep.error(f"country {code}: European country without regions")
            continue
        rsum = sum(r["population"] for r in regs)
        pop = c.get("population")
        if not is_int(pop):
            continue
        dev = rsum / pop - 1.0
        if abs(dev) > TOLERANCE:
            rep.error(f"country {code}: regions sum to {rsum}, {dev:+.2%} from "
                      f"country population {pop} (limit 2%)")
        share = c.get("user_share") if is_num(c.get("user_share")) else 0.0
        users = pop * share
        total_pop += pop
        total_users += users
        rows.append((code, len(regs), pop, rsum, dev, share, users))
    if not quiet:
        print(f"{'code':4} {'regions':>7} {'population':>12} {'regions_sum':>12} "
              f"{'diff':>8} {'share':>6} {'users_M':>8}")
        for code, n, pop, rsum, dev, share, users in rows:
            print(f"{code:4} {n:7d} {pop:12d} {rsum:12d} {dev:+8.3%} {share:6.3f} {users / 1e6:8.2f}")
    return total_pop, total_users, len(rows)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", default=DEFAULT_DATA_DIR)
    ap.add_argument("--quiet", action="store_true", help="print only the totals and problems")
    args = ap.parse_args(argv)

    rep = Report()
    citems = load(os.path.join(args.data_dir, "countries.yaml"), "countries", rep)
    ritems = load(os.path.join(args.data_dir, "regions.yaml"), "regions", rep)
    countries = check_countries(citems, rep)
    regions = check_regions(ritems, countries, rep)
    total_pop, total_users, n_eur = check_sums(countries, regions, rep, args.quiet)

    print(f"countries: {len(countries)} ({n_eur} European), regions: {len(regions)}")
    print(f"total population (European countries): {total_pop:,}")
    print(f"total monthly users (sum population x user_share): {total_users:,.0f} "
          f"({total_users / 1e6:.2f} M)")
    for w in rep.warnings:
        print(f"WARNING: {w}")
    for e in rep.errors:
        print(f"ERROR: {e}")
    if rep.errors:
        print(f"FAILED: {len(rep.errors)} error(s)")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
