#!/usr/bin/python3
"""Builds tools/report/data/europe_outlines.txt, the country outlines of the report's map.

Source: Natural Earth admin-0 countries at 1:50m (public domain), as shipped by Debian's
r-cran-rnaturalearthdata package (0.1.0-2, CC0; data packaged 2017-02 from Natural Earth
4.0). The package stores the data as an R lazy-load database of `sp` objects; this script
reads that database with a small R-serialization reader (stdlib only, no R needed), projects
every polygon ring as the report does, clips it to the map's frame, simplifies it
(Douglas-Peucker, tolerance in km) and writes it back in degrees, one line per ring:

    ISO_A2 lat,lon lat,lon ...        (degrees, 3 decimals)

Usage:  apt-get download r-cran-rnaturalearthdata && dpkg-deb -x r-cran-*.deb x
        tools/report/data/make_outlines.py x/usr/lib/R/site-library/rnaturalearthdata/data \
            > tools/report/data/europe_outlines.txt
"""
import gzip
import math
import lzma
import struct
import sys
import zlib

# The report's map: Lambert azimuthal equal-area on a sphere centred on 52N 10E (the centre
# of ETRS89-LAEA, EPSG:3035), frame in km (kept in sync with tools/report/geography.cpp).
R_KM = 6371.0
LAT0, LON0 = 52.0, 10.0
X_MIN, X_MAX, Y_MIN, Y_MAX = -2750.0, 2450.0, -2350.0, 2400.0
MARGIN_KM = 150.0        # rings are clipped to the frame plus this margin
TOLERANCE_KM = 4.0       # Douglas-Peucker tolerance (the map draws ~0.14 px per km)
MIN_RING_SPAN_KM = 25.0  # rings smaller than this (islets) are dropped


def laea(lat, lon):
    p, l, p0 = math.radians(lat), math.radians(lon - LON0), math.radians(LAT0)
    k = math.sqrt(2.0 / (1.0 + math.sin(p0) * math.sin(p) + math.cos(p0) * math.cos(p) * math.cos(l)))
    return (R_KM * k * math.cos(p) * math.sin(l),
            R_KM * k * (math.cos(p0) * math.sin(p) - math.sin(p0) * math.cos(p) * math.cos(l)))


def laea_inverse(x, y):
    rho = math.hypot(x, y)
    if rho == 0:
        return LAT0, LON0
    c = 2.0 * math.asin(rho / (2.0 * R_KM))
    p0 = math.radians(LAT0)
    lat = math.asin(math.cos(c) * math.sin(p0) + y * math.sin(c) * math.cos(p0) / rho)
    lon = math.radians(LON0) + math.atan2(x * math.sin(c), rho * math.cos(p0) * math.cos(c) - y * math.sin(p0) * math.sin(c))
    return math.degrees(lat), math.degrees(lon)


class Reader:
    """R's XDR serialization format (versions 2 and 3), enough for sp objects."""

    def __init__(self, data):
        self.d, self.p, self.refs = data, 0, []

    def int(self):
        v = struct.unpack_from(">i", self.d, self.p)[0]
        self.p += 4
        return v

    def length(self):
        n = self.int()
        if n == -1:
            hi, lo = self.int(), self.int()
            n = (hi << 32) + lo
        return n

    def header(self):
        assert self.d[:2] == b"X\n", "not an XDR R serialization"
        self.p = 2
        version = self.int()
        self.int(), self.int()
        if version == 3:
            n = self.int()
            self.p += n

    def item(self):
        flags = self.int()
        t = flags & 0xFF
        has_attr, has_tag = flags & (1 << 9), flags & (1 << 10)
        if t == 254 or t in (253, 252, 251, 250, 242, 241):  # NULL and special environments
            return None
        if t == 255:  # reference
            i = flags >> 8
            return self.refs[(i if i else self.int()) - 1]
        if t in (247, 249, 248):  # persistent / namespace / package: a string vector
            self.int()
            names = [self.item() for _ in range(self.int())]
            self.refs.append(("persist", names))
            return self.refs[-1]
        if t == 1:  # symbol
            s = self.item()
            self.refs.append(("sym", s))
            return self.refs[-1]
        if t == 4:  # environment
            env = {"env": True}
            self.refs.append(env)
            self.int()
            env["enclos"], env["frame"], env["hashtab"], env["attr"] = (self.item() for _ in range(4))
            return env
        if t in (2, 3, 5, 6, 17, 239, 240):  # pairlists
            out = []
            while True:
                attr = self.item() if has_attr else None
                tag = self.item() if has_tag else None
                out.append((tag[1] if tag else None, self.item()))
                flags = self.int()
                t = flags & 0xFF
                has_attr, has_tag = flags & (1 << 9), flags & (1 << 10)
                if t == 254:
                    return out
                if t not in (2, 3, 5, 6, 17, 239, 240):
                    self.p -= 4
                    out.append((None, self.item()))
                    return out
        if t == 9:  # CHARSXP
            n = self.int()
            if n == -1:
                return None
            s = self.d[self.p:self.p + n].decode("utf-8", "replace")
            self.p += n
            return s
        val = None
        if t in (10, 13):
            n = self.length()
            val = list(struct.unpack_from(">%di" % n, self.d, self.p))
            self.p += 4 * n
        elif t == 14:
            n = self.length()
            val = list(struct.unpack_from(">%dd" % n, self.d, self.p))
            self.p += 8 * n
        elif t == 15:
            n = self.length()
            self.p += 16 * n
        elif t in (16, 19, 20):
            val = [self.item() for _ in range(self.length())]
        elif t == 24:
            n = self.length()
            val = self.d[self.p:self.p + n]
            self.p += n
        elif t == 25:
            val = None
        else:
            raise ValueError("unsupported SEXP type %d at %d" % (t, self.p))
        attrs = dict(self.item()) if has_attr else {}
        return {"type": t, "value": val, "attrs": attrs}


def read_db(folder, name):
    index = Reader(gzip.open(folder + "/Rdata.rdx").read())
    index.header()
    idx = index.item()
    names = idx["attrs"]["names"]["value"]
    variables = idx["value"][names.index("variables")]
    vnames = variables["attrs"]["names"]["value"]
    off, ln = variables["value"][vnames.index(name)]["value"]
    with open(folder + "/Rdata.rdb", "rb") as f:
        f.seek(off)
        blob = f.read(ln)
    kind, body = blob[4:5], blob[5:]
    if kind == b"Z":
        data = lzma.decompress(body, format=lzma.FORMAT_RAW,
                               filters=[{"id": lzma.FILTER_LZMA2, "preset": 9 | lzma.PRESET_EXTREME}])
    elif kind == b"2":
        import bz2
        data = bz2.decompress(body)
    else:
        data = zlib.decompress(blob[4:])
    r = Reader(data)
    r.header()
    return r.item()


def slot(obj, name):
    return obj["attrs"][name]


def simplify(points, tol):
    """Douglas-Peucker on (lon, lat) points, iterative."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = points[a], points[b]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        best, best_d = -1, tol
        for i in range(a + 1, b):
            x, y = points[i]
            d = abs(dy * (x - x1) - dx * (y - y1)) / norm if norm > 0 else ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
            if d > best_d:
                best, best_d = i, d
        if best >= 0:
            keep[best] = True
            stack += [(a, best), (best, b)]
    return [p for p, k in zip(points, keep) if k]


def clip(points, x0, y0, x1, y1):
    """Sutherland-Hodgman: the part of a closed ring inside the rectangle (fills stay right)."""
    def cut(pts, inside, cross):
        out = []
        for i, cur in enumerate(pts):
            prev = pts[i - 1]
            if inside(cur):
                if not inside(prev):
                    out.append(cross(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cross(prev, cur))
        return out

    def at_x(x):
        return lambda a, b: (x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0]))

    def at_y(y):
        return lambda a, b: (a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y)

    pts = points[:-1] if points and points[0] == points[-1] else points
    for inside, cross in ((lambda p: p[0] >= x0, at_x(x0)), (lambda p: p[0] <= x1, at_x(x1)),
                          (lambda p: p[1] >= y0, at_y(y0)), (lambda p: p[1] <= y1, at_y(y1))):
        if not pts:
            break
        pts = cut(pts, inside, cross)
    return pts + pts[:1]


def main():
    folder = sys.argv[1]
    spdf = read_db(folder, "countries50")
    data = slot(spdf, "data")
    cols = data["attrs"]["names"]["value"]
    iso = data["value"][cols.index("iso_a2")]["value"]
    adm = data["value"][cols.index("adm0_a3")]["value"]
    print("# Country outlines for dcsim's report map: Natural Earth admin-0 countries, 1:50m")
    print("# (public domain), via Debian's r-cran-rnaturalearthdata 0.1.0-2. Clipped to the map's")
    print("# frame (LAEA %gN %gE, x %g..%g km, y %g..%g km, + %g km), Douglas-Peucker %g km." %
          (LAT0, LON0, X_MIN, X_MAX, Y_MIN, Y_MAX, MARGIN_KM, TOLERANCE_KM))
    print("# Made by tools/report/data/make_outlines.py. One ring per line: ISO 3166-1 alpha-2")
    print("# code (Natural Earth's ADM0_A3 where it has none), then lat,lon pairs in degrees.")
    x0, y0, x1, y1 = X_MIN - MARGIN_KM, Y_MIN - MARGIN_KM, X_MAX + MARGIN_KM, Y_MAX + MARGIN_KM
    rings = points = 0
    for k, polys in enumerate(slot(spdf, "polygons")["value"]):
        code = iso[k] if iso[k] and iso[k] != "-99" else adm[k]
        # Natural Earth leaves some ISO codes -99 (France and Norway in some releases, Kosovo).
        code = {"FRA": "FR", "NOR": "NO", "KOS": "XK"}.get(code, code)
        kept = []
        for poly in slot(polys, "Polygons")["value"]:
            if slot(poly, "hole")["value"][0]:
                continue
            coords = slot(poly, "coords")["value"]
            n = len(coords) // 2
            pts = clip([laea(lat, lon) for lon, lat in zip(coords[:n], coords[n:])], x0, y0, x1, y1)
            if len(pts) < 4:
                continue
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            kept.append((max(max(xs) - min(xs), max(ys) - min(ys)), pts))
        # Islets are dropped, but every country keeps its largest ring (Malta, Liechtenstein).
        kept.sort(key=lambda e: -e[0])
        for i, (span, pts) in enumerate(kept):
            if i > 0 and span < MIN_RING_SPAN_KM:
                continue
            simple = simplify(pts, TOLERANCE_KM if span >= MIN_RING_SPAN_KM else 0.5)
            if len(simple) < 4:
                continue
            print(code + " " + " ".join("%.3f,%.3f" % laea_inverse(x, y) for x, y in simple))
            rings += 1
            points += len(simple)
    print("# %d rings, %d points" % (rings, points), file=sys.stderr)


if __name__ == "__main__":
    main()
