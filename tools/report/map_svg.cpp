// The map of one run: Europe's outlines (shared basemap), regions as circles with area
// proportional to monthly users, built sites as diamonds coloured by jurisdiction (EEA,
// adequacy decision, third country), and country → site flows as curves whose width grows
// with the square root of bytes (scales shared by every map of the report). EEA-exit
// flows are red and dashed, drawn on top, as wide as the bytes that leave (never thinner
// than 1.1 px; fainter when under the drawing threshold). Places outside
// the frame (overseas regions, US and Asian sites) sit in a "Beyond the map" box. A
// country with no user regions (staff issuing employee-access requests) starts its flows
// at its staff location, drawn as a small square.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "tools/report/html.hpp"
#include "tools/report/report.hpp"

namespace dcsim::tools::report {

namespace {

constexpr const char* kEeaColour = "#2166ac";
constexpr const char* kAdequacyColour = "#e08214";
constexpr const char* kThirdColour = "#b2182b";
constexpr const char* kFlowColour = "#41658a";
constexpr double kMaxFlowWidth = 14, kMinFlowWidth = 0.6, kMinExitWidth = 1.1;
constexpr double kMaxRegionRadius = 15, kMinRegionRadius = 1.5;

const char* jurisdiction_colour(const SitePlace& s) {
  return s.eea ? kEeaColour : s.adequacy ? kAdequacyColour : kThirdColour;
}
const char* jurisdiction_name(const SitePlace& s) {
  return s.eea ? "EEA" : s.adequacy ? "outside the EEA, adequacy decision" : "outside the EEA (third country)";
}

double flow_width(double bytes, const MapScales& sc) {
  if (sc.max_flow_bytes <= 0) return kMinFlowWidth;
  return kMinFlowWidth + (kMaxFlowWidth - kMinFlowWidth) * std::sqrt(std::max(0.0, bytes) / sc.max_flow_bytes);
}
double region_radius(double users, const MapScales& sc) {
  if (sc.max_region_users <= 0) return kMinRegionRadius;
  return kMinRegionRadius + (kMaxRegionRadius - kMinRegionRadius) * std::sqrt(std::max(0.0, users) / sc.max_region_users);
}

std::string diamond(double x, double y, double r) {
  return "M" + px(x) + " " + px(y - r) + "l" + px(r) + " " + px(r) + " " + px(-r) + " " + px(r) + " " + px(-r) + " " + px(-r) + "z";
}

/// One path for all rings of a country, in 0.1 px steps relative to the previous point
/// (rounded absolute positions are differenced, so rounding never drifts).
std::string rings_path(const std::vector<const OutlineRing*>& rings, const MapFrame& f) {
  std::string d;
  for (const OutlineRing* r : rings) {
    long px0 = 0, py0 = 0;
    bool first = true;
    for (const auto& [lat, lon] : r->lat_lon) {
      const Point p = f.to_px(lat, lon);
      const long x = std::lround(p.x * 10), y = std::lround(p.y * 10);
      if (first) {
        d += "M" + num(x / 10.0, 1) + " " + num(y / 10.0, 1) + "l";
        first = false;
      } else {
        if (x == px0 && y == py0) continue;
        const std::string dx = num((x - px0) / 10.0, 1), dy = num((y - py0) / 10.0, 1);
        if (d.back() != 'l' && dx[0] != '-') d += ' ';
        d += dx;
        if (dy[0] != '-') d += ' ';
        d += dy;
      }
      px0 = x;
      py0 = y;
    }
    d += "z";
  }
  return d;
}

struct Box {
  double x0, y0, x1, y1;
  bool overlaps(const Box& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
};

}  // namespace

bool flow_drawn(const BorderRow& row, double run_bytes, double min_share) {
  if (row.bytes <= 0 && row.eea_exit_bytes <= 0) return false;
  return row.eea_exit_bytes > 0 || row.bytes >= min_share * run_bytes;
}

MapScales map_scales(const std::vector<RunResults>& runs) {
  MapScales s;
  for (const auto& r : runs) {
    for (const auto& b : r.border) s.max_flow_bytes = std::max(s.max_flow_bytes, b.bytes);
    for (const auto& reg : r.places.regions) s.max_region_users = std::max(s.max_region_users, reg.monthly_users);
  }
  return s;
}

std::string basemap_defs(const std::vector<RunResults>& runs) {
  std::set<std::string> eea;
  for (const auto& r : runs) {
    eea.insert(r.places.eea_countries.begin(), r.places.eea_countries.end());
    for (const auto& b : r.border) {
      if (b.origin_eea) eea.insert(b.origin_country);
      if (b.site_eea) eea.insert(b.site_country);
    }
  }
  std::map<std::string, std::vector<const OutlineRing*>> by_country;
  for (const auto& ring : europe_outlines()) by_country[ring.country].push_back(&ring);
  const MapFrame frame;
  std::string out = "<svg class=\"basemap-defs\" width=\"0\" height=\"0\" aria-hidden=\"true\"><defs><g id=\"basemap\">\n";
  for (const auto& [country, rings] : by_country) {
    const bool in_eea = eea.count(country) > 0;
    out += "<path class=\"land" + std::string(in_eea ? " eea" : "") + "\" data-country=\"" + escape(country) + "\" fill=\"" +
           (in_eea ? "#d3e1ee" : "#e6e4df") + "\" stroke=\"#ffffff\" stroke-width=\"0.7\" d=\"" + rings_path(rings, frame) + "\"/>\n";
  }
  out += "</g></defs></svg>\n";
  return out;
}

std::string map_svg(const RunResults& run, const MapScales& scales, const ReportOptions& options, MapCounts* counts) {
  MapCounts c;
  const MapFrame frame;
  const double W = frame.width_px, H = frame.height_px();
  const RunPlaces& g = run.places;
  std::ostringstream o;
  o << "<svg class=\"map\" viewBox=\"0 0 " << px(W) << " " << px(H) << "\" role=\"img\" aria-label=\"Map of "
    << escape(run.label) << "\" xmlns=\"http://www.w3.org/2000/svg\">\n";
  o << "<rect class=\"sea\" width=\"" << px(W) << "\" height=\"" << px(H) << "\" fill=\"#f3f7fa\"/>\n";
  o << "<use href=\"#basemap\"/>\n";

  if (!g.available) {
    o << "<g class=\"no-positions\"><rect x=\"" << px(W * 0.12) << "\" y=\"" << px(H * 0.42) << "\" width=\"" << px(W * 0.76)
      << "\" height=\"56\" rx=\"6\" fill=\"#fff\" fill-opacity=\"0.92\" stroke=\"#b2182b\"/>"
      << "<text x=\"" << px(W / 2) << "\" y=\"" << px(H * 0.42 + 23) << "\" text-anchor=\"middle\" class=\"map-note\">"
      << "Region and site positions unavailable</text><text x=\"" << px(W / 2) << "\" y=\"" << px(H * 0.42 + 42)
      << "\" text-anchor=\"middle\" class=\"map-note small\">" << escape(g.note) << "</text></g>\n</svg>\n";
    for (const auto& b : run.border) c.flows_hidden += b.bytes > 0 ? 1 : 0;
    if (counts) *counts = c;
    return o.str();
  }

  // Off-map places go into an inset box, one row each.
  struct InsetRow {
    std::string label;
    const SitePlace* site;
    const RegionPlace* region;
    const StaffPlace* staff;
  };
  std::vector<InsetRow> inset;
  std::set<std::string> drawn_sites;
  for (const auto& s : run.sites) drawn_sites.insert(s.site);
  for (const auto& b : run.border) drawn_sites.insert(b.site);
  std::vector<const SitePlace*> sites;
  for (const auto& s : g.sites)
    if (s.built || drawn_sites.count(s.id)) sites.push_back(&s);
  // Staff locations stand for countries that send requests but have no user regions.
  std::set<std::string> region_countries;
  for (const auto& r : g.regions) region_countries.insert(r.country);
  std::vector<const StaffPlace*> staff;
  for (const auto& st : g.staff)
    if (!region_countries.count(st.country)) staff.push_back(&st);
  for (const SitePlace* s : sites)
    if (!frame.contains(s->lat, s->lon)) inset.push_back({s->name + " (" + s->country + ")", s, nullptr, nullptr});
  for (const auto& r : g.regions)
    if (!frame.contains(r.lat, r.lon)) inset.push_back({r.name + " (" + r.country + ")", nullptr, &r, nullptr});
  for (const StaffPlace* st : staff)
    if (!frame.contains(st->lat, st->lon)) inset.push_back({"staff " + st->id + " (" + st->country + ")", nullptr, nullptr, st});
  const double inset_x = 6, inset_y = 6, row_h = 13, inset_w = 162;
  std::map<std::string, Point> site_at, region_at, staff_at;
  for (std::size_t i = 0; i < inset.size(); ++i) {
    const Point p{inset_x + 10, inset_y + 23 + row_h * static_cast<double>(i)};
    if (inset[i].site) site_at[inset[i].site->id] = p;
    else if (inset[i].region) region_at[inset[i].region->id] = p;
    else staff_at[inset[i].staff->id] = p;
  }
  for (const StaffPlace* st : staff)
    if (frame.contains(st->lat, st->lon)) staff_at[st->id] = frame.to_px(st->lat, st->lon);
  for (const SitePlace* s : sites)
    if (frame.contains(s->lat, s->lon)) site_at[s->id] = frame.to_px(s->lat, s->lon);
  for (const auto& r : g.regions)
    if (frame.contains(r.lat, r.lon)) region_at[r.id] = frame.to_px(r.lat, r.lon);

  // Country anchors: user-weighted centre of the country's regions on the map (else its first inset region).
  std::map<std::string, std::pair<Point, double>> acc;
  for (const auto& r : g.regions) {
    if (!frame.contains(r.lat, r.lon)) continue;
    const Point p = region_at[r.id];
    const double w = std::max(r.monthly_users, 1.0);
    auto& [sum, wsum] = acc[r.country];
    sum.x += p.x * w;
    sum.y += p.y * w;
    wsum += w;
  }
  std::map<std::string, Point> anchor;
  for (const auto& [country, a] : acc) anchor[country] = {a.first.x / a.second, a.first.y / a.second};
  for (const auto& r : g.regions)
    if (!anchor.count(r.country)) anchor[r.country] = region_at[r.id];
  for (const StaffPlace* st : staff)
    if (!anchor.count(st->country)) anchor[st->country] = staff_at[st->id];

  // Regions.
  o << "<g class=\"regions\">\n";
  for (const auto& r : g.regions) {
    const bool on_map = frame.contains(r.lat, r.lon);
    const Point p = region_at[r.id];
    const double rad = on_map ? region_radius(r.monthly_users, scales) : std::min(6.0, region_radius(r.monthly_users, scales));
    o << "<circle class=\"region" << (on_map ? "" : " off-map") << "\" cx=\"" << px(p.x)
      << "\" cy=\"" << px(p.y) << "\" r=\"" << px(rad) << "\"><title>" << escape(r.name) << " (" << escape(r.country)
      << "): " << human_count(r.monthly_users) << " monthly users</title></circle>\n";
    ++c.regions;
    c.regions_off_map += on_map ? 0 : 1;
  }
  for (const StaffPlace* st : staff) {
    const Point p = staff_at[st->id];
    o << "<rect class=\"staff\" x=\"" << px(p.x - 3.5) << "\" y=\"" << px(p.y - 3.5) << "\" width=\"7\" height=\"7\"><title>Staff location "
      << escape(st->id) << " (" << escape(st->country) << "): employee access</title></rect>\n";
  }
  o << "</g>\n";

  // Flows: ordinary ones largest first (small ones stay visible on top), EEA-exit ones last.
  double run_bytes = 0;
  for (const auto& b : run.border) run_bytes += b.bytes;
  std::vector<const BorderRow*> normal, exits;
  for (const auto& b : run.border) {
    const bool placed = anchor.count(b.origin_country) && site_at.count(b.site);
    if (!placed || !flow_drawn(b, run_bytes, options.flow_min_share)) {
      c.flows_hidden += b.bytes > 0 ? 1 : 0;
      continue;
    }
    (b.eea_exit_bytes > 0 ? exits : normal).push_back(&b);
  }
  const auto by_bytes = [](const BorderRow* a, const BorderRow* b) {
    return a->bytes != b->bytes ? a->bytes > b->bytes : std::tie(a->origin_country, a->site) < std::tie(b->origin_country, b->site);
  };
  std::sort(normal.begin(), normal.end(), by_bytes);
  std::sort(exits.begin(), exits.end(), by_bytes);
  std::map<std::string, const SitePlace*> site_by_id;
  for (const SitePlace* s : sites) site_by_id[s->id] = s;
  o << "<g class=\"flows\" fill=\"none\" stroke-linecap=\"round\">\n";
  for (const auto* list : {&normal, &exits}) {
    for (const BorderRow* b : *list) {
      const bool exit = b->eea_exit_bytes > 0;
      const Point a = anchor[b->origin_country], s = site_at[b->site];
      const double dx = s.x - a.x, dy = s.y - a.y, len = std::hypot(dx, dy);
      const double off = 0.15 * len;
      const Point ctl = len > 0 ? Point{(a.x + s.x) / 2 - dy / len * off, (a.y + s.y) / 2 + dx / len * off} : a;
      // An EEA-exit line is as wide as the bytes that leave; small exits are fainter.
      const double w = exit ? std::max(kMinExitWidth, flow_width(b->eea_exit_bytes, scales)) : flow_width(b->bytes, scales);
      const bool minor_exit = exit && b->eea_exit_bytes < options.flow_min_share * run_bytes;
      const SitePlace* sp = site_by_id.count(b->site) ? site_by_id[b->site] : nullptr;
      o << "<path class=\"flow" << (exit ? " eea-exit" : "") << "\" data-origin=\"" << escape(b->origin_country) << "\" data-site=\""
        << escape(b->site) << "\" d=\"M" << px(a.x) << " " << px(a.y) << "Q" << px(ctl.x) << " " << px(ctl.y) << " " << px(s.x) << " "
        << px(s.y) << "\" stroke=\"" << (exit ? kThirdColour : kFlowColour) << "\" stroke-opacity=\"" << (exit ? (minor_exit ? "0.5" : "0.9") : "0.42")
        << "\" stroke-width=\"" << num(w, 2) << "\"" << (exit ? " stroke-dasharray=\"5 3\"" : "") << "><title>"
        << escape(b->origin_country) << " → " << escape(sp ? sp->name : b->site) << " (" << escape(b->site_country) << "): "
        << human_bytes(b->bytes) << (b->cross_border ? ", cross-border" : ", domestic");
      if (exit) {
        o << "; leaves the EEA: " << human_bytes(b->eea_exit_bytes);
        std::string reasons;
        for (const auto& [reason, v] : b->eea_exit_by_reason)
          if (v > 0) reasons += (reasons.empty() ? "" : ", ") + escape(reason) + " " + human_bytes(v);
        if (!reasons.empty()) o << " (" << reasons << ")";
      }
      o << "</title></path>\n";
      ++c.flows;
      c.eea_exit_flows += exit ? 1 : 0;
    }
  }
  o << "</g>\n";

  // Inset box behind its markers.
  if (!inset.empty()) {
    o << "<g class=\"inset\"><rect x=\"" << px(inset_x) << "\" y=\"" << px(inset_y) << "\" width=\"" << px(inset_w) << "\" height=\""
      << px(18 + row_h * static_cast<double>(inset.size())) << "\" rx=\"4\" fill=\"#ffffff\" fill-opacity=\"0.85\" stroke=\"#9aa5b1\"/>"
      << "<text x=\"" << px(inset_x + 6) << "\" y=\"" << px(inset_y + 13) << "\" class=\"inset-title\">Beyond the map</text>\n";
    for (std::size_t i = 0; i < inset.size(); ++i) {
      const double y = inset_y + 23 + row_h * static_cast<double>(i);
      const std::string label = truncate_chars(inset[i].label, 25);
      o << "<text x=\"" << px(inset_x + 20) << "\" y=\"" << px(y + 3.5) << "\" class=\"inset-label\">" << escape(label) << "</text>\n";
    }
    o << "</g>\n";
  }

  // Sites with labels that avoid each other.
  std::sort(sites.begin(), sites.end(), [](const SitePlace* a, const SitePlace* b) { return a->id < b->id; });
  std::vector<Box> placed;
  o << "<g class=\"sites\">\n";
  for (const SitePlace* s : sites) {
    const Point p = site_at[s->id];
    const bool on_map = frame.contains(s->lat, s->lon);
    o << "<path class=\"site" << (on_map ? "" : " off-map") << "\" data-site=\"" << escape(s->id) << "\" d=\"" << diamond(p.x, p.y, 6)
      << "\" fill=\"" << jurisdiction_colour(*s) << "\" stroke=\"#ffffff\" stroke-width=\"1.2\"><title>" << escape(s->name) << " ("
      << escape(s->country) << "), " << jurisdiction_name(*s) << "</title></path>\n";
    ++c.sites;
    if (!on_map) continue;
    const double chars = static_cast<double>(std::count_if(s->name.begin(), s->name.end(), [](char ch) { return (static_cast<unsigned char>(ch) & 0xC0) != 0x80; }));
    const double tw = 7.4 * chars + 2;
    // Right of the marker, else left, else stepped down (then up) until it overlaps no earlier label.
    const Box right{p.x + 8, p.y - 7, p.x + 8 + tw, p.y + 7}, left{p.x - 8 - tw, p.y - 7, p.x - 8, p.y + 7};
    const auto clear = [&](const Box& b) { return std::none_of(placed.begin(), placed.end(), [&](const Box& q) { return q.overlaps(b); }); };
    Box box = right;
    for (int k = 0; k < 12 && !clear(box); ++k) {
      const Box& side = k % 2 ? left : right;
      const double dy = 15.0 * ((k / 2 + 1) / 2) * ((k / 2) % 2 ? -1 : 1);
      box = {side.x0, side.y0 + dy, side.x1, side.y1 + dy};
    }
    placed.push_back(box);
    o << "<text class=\"site-label\" x=\"" << px(box.x0) << "\" y=\"" << px(box.y0 + 11) << "\">" << escape(s->name) << "</text>\n";
  }
  o << "</g>\n";

  // Legend, bottom right.
  const double lw = 228, lh = 172, lx = W - lw - 6, ly = H - lh - 6;
  o << "<g class=\"legend\" transform=\"translate(" << px(lx) << " " << px(ly) << ")\"><rect width=\"" << px(lw) << "\" height=\"" << px(lh)
    << "\" rx=\"4\" fill=\"#ffffff\" fill-opacity=\"0.92\" stroke=\"#9aa5b1\"/>\n";
  o << "<text x=\"8\" y=\"16\" class=\"legend-title\">Sites</text>";
  const std::pair<const char*, const char*> kinds[] = {{kEeaColour, "EEA"}, {kAdequacyColour, "adequacy"}, {kThirdColour, "third country"}};
  double kx = 14;
  for (const auto& [colour, name] : kinds) {
    o << "<path d=\"" << diamond(kx, 30, 5) << "\" fill=\"" << colour << "\"/><text x=\"" << px(kx + 8) << "\" y=\"34\">" << name << "</text>";
    kx += 24 + 6.6 * static_cast<double>(std::string(name).size());
  }
  o << "\n<text x=\"8\" y=\"56\" class=\"legend-title\">Bytes, country → site</text>\n";
  const double samples[] = {scales.max_flow_bytes, scales.max_flow_bytes / 10, scales.max_flow_bytes / 100};
  for (int i = 0; i < 3; ++i) {
    const double y = 69 + 14 * i;
    o << "<line x1=\"10\" y1=\"" << px(y) << "\" x2=\"56\" y2=\"" << px(y) << "\" stroke=\"" << kFlowColour << "\" stroke-opacity=\"0.6\" stroke-width=\""
      << num(flow_width(samples[i], scales), 2) << "\"/><text x=\"64\" y=\"" << px(y + 4) << "\">" << human_bytes(samples[i]) << "</text>\n";
  }
  o << "<line x1=\"10\" y1=\"111\" x2=\"56\" y2=\"111\" stroke=\"" << kThirdColour << "\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/>"
    << "<text x=\"64\" y=\"115\">leaves the EEA</text>\n";
  o << "<text x=\"8\" y=\"136\" class=\"legend-title\">Regions, area ∝ monthly users</text>\n";
  const double big = scales.max_region_users, r_small = region_radius(big / 10, scales), r_big = region_radius(big, scales);
  o << "<circle class=\"legend-region\" cx=\"" << px(10 + r_small) << "\" cy=\"" << px(lh - 8 - r_big) << "\" r=\"" << px(r_small)
    << "\"/><text x=\"" << px(16 + 2 * r_small) << "\" y=\"" << px(lh - 4 - r_big) << "\">" << human_count(big / 10) << "</text>";
  o << "<circle class=\"legend-region\" cx=\"" << px(96 + r_big) << "\" cy=\"" << px(lh - 8 - r_big) << "\" r=\"" << px(r_big) << "\"/><text x=\""
    << px(102 + 2 * r_big) << "\" y=\"" << px(lh - 4 - r_big) << "\">" << human_count(big) << "</text>";
  o << "</g>\n</svg>\n";
  if (counts) *counts = c;
  return o.str();
}

}  // namespace dcsim::tools::report
