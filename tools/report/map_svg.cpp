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
#include <cstdio>
#include <cmath>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "tools/file_io.hpp"
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
constexpr double kLegendHeight = 100;  ///< the legend's band below the map frame

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
  o << "<svg class=\"map\" viewBox=\"0 0 " << px(W) << " " << px(H + (g.available ? kLegendHeight : 0)) << "\" role=\"img\" aria-label=\"Map of "
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
  const double inset_x = 6, inset_y = 6, row_h = 13, inset_w = 190;
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
      // Minor exits (under the drawing threshold, e.g. staff reads) are hairlines, so dozens of
      // them do not dominate the map for a tiny share of bytes; the caption gives the share.
      const bool minor_exit = exit && b->eea_exit_bytes < options.flow_min_share * run_bytes;
      const double w = exit ? std::max(minor_exit ? kMinFlowWidth : kMinExitWidth, flow_width(b->eea_exit_bytes, scales)) : flow_width(b->bytes, scales);
      const SitePlace* sp = site_by_id.count(b->site) ? site_by_id[b->site] : nullptr;
      o << "<path class=\"flow" << (exit ? " eea-exit" : "") << "\" data-origin=\"" << escape(b->origin_country) << "\" data-site=\""
        << escape(b->site) << "\" d=\"M" << px(a.x) << " " << px(a.y) << "Q" << px(ctl.x) << " " << px(ctl.y) << " " << px(s.x) << " "
        << px(s.y) << "\" stroke=\"" << (exit ? kThirdColour : kFlowColour) << "\" stroke-opacity=\"" << (exit ? (minor_exit ? "0.3" : "0.9") : "0.42")
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
      const std::string label = truncate_chars(inset[i].label, 30);
      // A shortened label keeps the full name as its tooltip.
      o << "<text x=\"" << px(inset_x + 20) << "\" y=\"" << px(y + 3.5) << "\" class=\"inset-label\">";
      if (label != inset[i].label) o << "<title>" << escape(inset[i].label) << "</title>";
      o << escape(label) << "</text>\n";
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

  // Legend below the map, never over it (a legend box in the frame covered Cyprus): sites
  // by jurisdiction, flow widths, EEA exits, region sizes and the country shading.
  const double ly = H + 6, lw = W - 12, lh = kLegendHeight - 12;
  o << "<g class=\"legend\" transform=\"translate(6 " << px(ly) << ")\"><rect width=\"" << px(lw) << "\" height=\"" << px(lh)
    << "\" rx=\"4\" fill=\"#ffffff\" stroke=\"#9aa5b1\"/>\n";
  o << "<text x=\"8\" y=\"16\" class=\"legend-title\">Sites</text>";
  const std::pair<const char*, const char*> kinds[] = {{kEeaColour, "EEA"}, {kAdequacyColour, "adequacy"}, {kThirdColour, "third country"}};
  double ky = 32;
  for (const auto& [colour, name] : kinds) {
    o << "<path d=\"" << diamond(14, ky - 4, 5) << "\" fill=\"" << colour << "\"/><text x=\"24\" y=\"" << px(ky) << "\">" << name << "</text>";
    ky += 15;
  }
  o << "\n<text x=\"110\" y=\"16\" class=\"legend-title\">Bytes, country → site</text>\n";
  const double samples[] = {scales.max_flow_bytes, scales.max_flow_bytes / 10, scales.max_flow_bytes / 100};
  for (int i = 0; i < 3; ++i) {
    const double y = 29 + 14 * i;
    o << "<line x1=\"112\" y1=\"" << px(y) << "\" x2=\"158\" y2=\"" << px(y) << "\" stroke=\"" << kFlowColour << "\" stroke-opacity=\"0.6\" stroke-width=\""
      << num(flow_width(samples[i], scales), 2) << "\"/><text x=\"166\" y=\"" << px(y + 4) << "\">" << human_bytes(samples[i]) << "</text>\n";
  }
  o << "<line x1=\"112\" y1=\"72\" x2=\"158\" y2=\"72\" stroke=\"" << kThirdColour << "\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/>"
    << "<text x=\"166\" y=\"76\">leaves the EEA</text>\n";
  o << "<text x=\"320\" y=\"16\" class=\"legend-title\">Regions, area ∝ monthly users</text>\n";
  const double big = scales.max_region_users, r_small = region_radius(big / 10, scales), r_big = region_radius(big, scales);
  o << "<circle class=\"legend-region\" cx=\"" << px(324 + r_small) << "\" cy=\"" << px(30 + r_big) << "\" r=\"" << px(r_small)
    << "\"/><text x=\"" << px(330 + 2 * r_small) << "\" y=\"" << px(34 + r_big) << "\">" << human_count(big / 10) << "</text>";
  o << "<circle class=\"legend-region\" cx=\"" << px(400 + r_big) << "\" cy=\"" << px(30 + r_big) << "\" r=\"" << px(r_big) << "\"/><text x=\""
    << px(406 + 2 * r_big) << "\" y=\"" << px(34 + r_big) << "\">" << human_count(big) << "</text>";
  o << "\n<text x=\"560\" y=\"16\" class=\"legend-title\">Countries</text>"
    << "<rect x=\"562\" y=\"24\" width=\"14\" height=\"10\" fill=\"#d3e1ee\" stroke=\"#9aa5b1\" stroke-width=\"0.5\"/><text x=\"582\" y=\"33\">EEA</text>"
    << "<rect x=\"562\" y=\"40\" width=\"14\" height=\"10\" fill=\"#e6e4df\" stroke=\"#9aa5b1\" stroke-width=\"0.5\"/><text x=\"582\" y=\"49\">outside the EEA</text>"
    << "<rect x=\"562\" y=\"56\" width=\"14\" height=\"10\" fill=\"#f3f7fa\" stroke=\"#9aa5b1\" stroke-width=\"0.5\"/><text x=\"582\" y=\"65\">sea</text>\n";
  o << "</g>\n</svg>\n";
  if (counts) *counts = c;
  return o.str();
}

namespace {
std::string fixed1(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

const char* utilisation_colour(const LinkPeak& l) {
  if (!l.has_capacity) return "#9aa5b1";
  const double u = l.peak_utilisation;
  return u >= 1.0 ? "#67001f" : u >= 0.8 ? "#b2182b" : u >= 0.5 ? "#e08214" : u >= 0.2 ? "#4393c3" : "#92c5de";
}
}  // namespace

std::string backbone_svg(const RunResults& run, std::size_t labelled) {
  const RunPlaces& g = run.places;
  if (!g.available || g.hubs.empty() || run.links.empty()) return {};
  const MapFrame frame;
  const double W = frame.width_px, H = frame.height_px(), LH = 56;
  std::map<std::string, Point> hub_at;
  std::map<std::string, bool> on_map;
  for (const HubPlace& h : g.hubs) {
    hub_at[h.id] = frame.to_px(h.lat, h.lon);
    on_map[h.id] = frame.contains(h.lat, h.lon);
  }
  // One line per hub pair: the busier direction decides its colour.
  std::map<std::pair<std::string, std::string>, const LinkPeak*> pairs;
  for (const LinkPeak& l : run.links) {
    if (!hub_at.count(l.from) || !hub_at.count(l.to)) continue;
    const auto key = l.from < l.to ? std::make_pair(l.from, l.to) : std::make_pair(l.to, l.from);
    const LinkPeak*& cur = pairs[key];
    if (!cur || l.peak_utilisation > cur->peak_utilisation) cur = &l;
  }
  std::vector<const LinkPeak*> hottest;
  for (const auto& [key, l] : pairs) hottest.push_back(l);
  std::sort(hottest.begin(), hottest.end(), [](const LinkPeak* a, const LinkPeak* b) {
    return a->peak_utilisation != b->peak_utilisation ? a->peak_utilisation > b->peak_utilisation : a->name < b->name;
  });
  std::ostringstream o;
  o << "<svg class=\"map backbone\" viewBox=\"0 0 " << px(W) << " " << px(H + LH) << "\" role=\"img\" aria-label=\"Backbone of "
    << escape(run.label) << " by peak link utilisation\" xmlns=\"http://www.w3.org/2000/svg\">\n<rect class=\"sea\" width=\"" << px(W)
    << "\" height=\"" << px(H) << "\" fill=\"#f3f7fa\"/>\n<use href=\"#basemap\"/>\n<g class=\"links\" stroke-linecap=\"round\">\n";
  // Quiet links first, hot ones on top.
  for (auto it = hottest.rbegin(); it != hottest.rend(); ++it) {
    const LinkPeak& l = **it;
    if (!on_map[l.from] || !on_map[l.to]) continue;
    const Point a = hub_at[l.from], b = hub_at[l.to];
    const double w = 1.2 + 3.0 * std::min(1.0, l.peak_utilisation);
    o << "<line class=\"link\" data-link=\"" << escape(l.name) << "\" x1=\"" << px(a.x) << "\" y1=\"" << px(a.y) << "\" x2=\"" << px(b.x)
      << "\" y2=\"" << px(b.y) << "\" stroke=\"" << utilisation_colour(l) << "\" stroke-width=\"" << num(w, 2) << "\""
      << (l.kind == "submarine" ? " stroke-dasharray=\"6 2\"" : "") << "><title>" << escape(l.name) << " (" << escape(l.kind) << "): peak "
      << (l.has_capacity ? percent(l.peak_utilisation) + " of " + num(l.capacity_gbps, 0) + " Gbps" : std::string("no capacity set")) << ", "
      << num(l.peak_offered_gbps, 1) << " Gbps offered</title></line>\n";
  }
  o << "</g>\n<g class=\"hubs\">";
  for (const HubPlace& h : g.hubs)
    if (on_map[h.id]) o << "<circle class=\"hub\" cx=\"" << px(hub_at[h.id].x) << "\" cy=\"" << px(hub_at[h.id].y) << "\" r=\"2\" fill=\"#1f2933\"><title>" << escape(h.name) << "</title></circle>";
  o << "</g>\n<g class=\"link-labels\">\n";
  std::size_t n = 0;
  for (const LinkPeak* l : hottest) {
    if (n >= labelled) break;
    if (!on_map[l->from] || !on_map[l->to] || !l->has_capacity) continue;
    const Point a = hub_at[l->from], b = hub_at[l->to];
    o << "<text class=\"site-label link-label\" x=\"" << px((a.x + b.x) / 2 + 4) << "\" y=\"" << px((a.y + b.y) / 2 - 4) << "\">"
      << escape(l->from) << "–" << escape(l->to) << " " << percent(l->peak_utilisation) << "</text>\n";
    ++n;
  }
  o << "</g>\n";
  // Legend below the map.
  o << "<g class=\"legend\" transform=\"translate(6 " << px(H + 6) << ")\"><rect width=\"" << px(W - 12) << "\" height=\"" << px(LH - 12)
    << "\" rx=\"4\" fill=\"#ffffff\" stroke=\"#9aa5b1\"/><text x=\"8\" y=\"16\" class=\"legend-title\">Peak utilisation (offered / capacity, busiest interval)</text>\n";
  const std::pair<const char*, const char*> bands[] = {{"#92c5de", "&lt; 20 %"}, {"#4393c3", "20–50 %"}, {"#e08214", "50–80 %"},
                                                       {"#b2182b", "80–100 %"}, {"#67001f", "≥ 100 %"}, {"#9aa5b1", "no capacity"}};
  double x = 10;
  for (const auto& [colour, text] : bands) {
    o << "<line x1=\"" << px(x) << "\" y1=\"32\" x2=\"" << px(x + 24) << "\" y2=\"32\" stroke=\"" << colour << "\" stroke-width=\"3\"/><text x=\""
      << px(x + 30) << "\" y=\"36\">" << text << "</text>";
    x += 112;
  }
  o << "</g>\n</svg>\n";
  // The hottest links as a table (links beyond the map included).
  o << "<table class=\"flows links\"><thead><tr><th>Link</th><th>Kind</th><th>Peak utilisation</th><th>Offered at peak (Gbps)</th><th>Capacity (Gbps)</th></tr></thead><tbody>\n";
  for (std::size_t i = 0; i < hottest.size() && i < 10; ++i) {
    const LinkPeak& l = *hottest[i];
    o << "<tr><td>" << escape(l.name) << "</td><td>" << escape(l.kind) << "</td><td>" << (l.has_capacity ? percent(l.peak_utilisation) : "–")
      << "</td><td>" << num(l.peak_offered_gbps, 1) << "</td><td>" << (l.has_capacity ? num(l.capacity_gbps, 0) : "–") << "</td></tr>\n";
  }
  o << "</tbody></table>\n";
  return o.str();
}

std::vector<FailureRow> read_resilience(const std::filesystem::path& csv) {
  std::string text;
  try {
    text = read_file_text(csv);
  } catch (const IoError& e) {
    throw RunFolderDamage(e.what());
  }
  const RunTable t(csv, text);
  const std::size_t rank = t.col("rank"), kind = t.col("failure_kind"), failure = t.col("failure"), peak = t.col("peak_link_utilisation"),
                    link = t.col("peak_link"), dropped = t.col("dropped_requests"), unreach = t.col("unreachable_requests"),
                    exit = t.col("eea_exit_share"), p95 = t.col("ttfb_p95_ms"), change = t.col("ttfb_p95_change_ms");
  std::vector<FailureRow> out;
  for (std::size_t i = 0; i < t.rows(); ++i) {
    FailureRow r;
    const double rk = t.number(i, rank);
    if (!(rk >= 0 && rk <= 1e6)) t.fail(i, rank, "not a rank");
    r.rank = static_cast<int>(rk);
    r.kind = t.text(i, kind);
    r.failure = t.text(i, failure);
    r.peak_link = t.text(i, link);
    r.peak_link_utilisation = t.optional_number(i, peak).value_or(0);
    r.dropped_requests = t.number(i, dropped);
    r.unreachable_requests = t.number(i, unreach);
    r.eea_exit_share = t.number(i, exit);
    r.ttfb_p95_ms = t.optional_number(i, p95).value_or(0);
    r.ttfb_p95_change_ms = t.optional_number(i, change).value_or(0);
    out.push_back(std::move(r));
  }
  if (out.empty()) throw RunFolderDamage(csv.string() + ": no rows");
  return out;
}

std::string resilience_table(const std::string& title, const std::vector<FailureRow>& rows, std::size_t top) {
  std::ostringstream o;
  o << "<h3>" << escape(title) << "</h3>\n<table class=\"flows resilience\"><thead><tr><th>#</th><th>Failure</th><th>Kind</th><th>Peak link "
       "utilisation</th><th>on</th><th>Requests dropped</th><th>of them unreachable</th><th>EEA-exit share</th><th>TTFB p95 (ms)</th><th>change (ms)</th></tr></thead><tbody>\n";
  std::size_t shown = 0;
  for (const FailureRow& r : rows) {
    if (r.rank > 0 && shown >= top) break;
    o << "<tr><td>" << (r.rank == 0 ? std::string("–") : std::to_string(r.rank)) << "</td><td>"
      << escape(r.rank == 0 ? std::string("none (the scenario as it is)") : r.failure) << "</td><td>" << escape(r.kind) << "</td><td>"
      << percent(r.peak_link_utilisation) << "</td><td>" << escape(r.peak_link) << "</td><td>" << human_count(r.dropped_requests) << "</td><td>"
      << human_count(r.unreachable_requests) << "</td><td>" << percent(r.eea_exit_share) << "</td><td>" << fixed1(r.ttfb_p95_ms) << "</td><td>"
      << (r.rank == 0 ? std::string("–") : (r.ttfb_p95_change_ms >= 0 ? "+" : "") + fixed1(r.ttfb_p95_change_ms)) << "</td></tr>\n";
    if (r.rank > 0) ++shown;
  }
  o << "</tbody></table>\n<p class=\"small\">" << (rows.size() - 1) << " single failures (every backbone link and shared-risk group) at flow "
    << "fidelity, worst first: dropped requests, then peak link utilisation, EEA-exit bytes, p95 change; the " << std::min(top, rows.size() - 1)
    << " worst shown.</p>\n";
  return o.str();
}

}  // namespace dcsim::tools::report
