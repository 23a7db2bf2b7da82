// `dcsim latency A B` and `dcsim latency --pairs FILE.csv`: the model's distance, route
// length and RTT between points, on the backbone of a scenario (default: the default
// scenario). RTT here is network only, endpoint hub to endpoint hub, without a user's last
// mile, so it compares with data-center-to-data-center measurements.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include <fmt/core.h>

#include "models/latency.hpp"
#include "models/scenario_loader.hpp"
#include "models/world.hpp"
#include "tools/cli.hpp"
#include "tools/csv.hpp"
#include "tools/file_io.hpp"

namespace dcsim::tools {

namespace {

struct LatencyOptions {
  std::vector<std::string> points;
  std::string pairs;
  std::string scenario;
  std::vector<std::string> overrides;
};

std::optional<models::LatLon> parse_point(const std::string& text, std::string& why) {
  const auto comma = text.find(',');
  double lat = 0, lon = 0;
  std::size_t used_lat = 0, used_lon = 0;
  try {
    if (comma == std::string::npos) throw std::invalid_argument("no comma");
    lat = std::stod(text.substr(0, comma), &used_lat);
    lon = std::stod(text.substr(comma + 1), &used_lon);
  } catch (const std::exception&) {
    why = "expected LAT,LON in degrees (e.g. 53.35,-6.26), got '" + text + "'";
    return std::nullopt;
  }
  if (used_lat != comma || used_lon != text.size() - comma - 1 || !std::isfinite(lat) || !std::isfinite(lon)) {
    why = "expected LAT,LON in degrees (e.g. 53.35,-6.26), got '" + text + "'";
    return std::nullopt;
  }
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180) {
    why = "'" + text + "' is off the globe: latitude must be in [-90, 90], longitude in [-180, 180]";
    return std::nullopt;
  }
  return models::LatLon{lat, lon};
}

// Every region and site of the Europe dataset is within ~390 km of a backbone hub (Pays de
// la Loire to Paris is the farthest); a point farther out than this is outside the modelled
// area, and its route is mostly a straight access line to whichever hub is nearest.
constexpr double kFarFromBackboneKm = 500;

// A warning (empty when none) for a point far from every hub: which hub it was attached
// to and how far away that is.
std::string far_point_warning(const models::World& w, const models::LatLon& p, const std::string& text) {
  const std::vector<int> hubs = w.latency().attachment_hubs(p);
  if (hubs.empty()) return {};
  const double km = models::ellipsoidal_km(p, w.backbone().hub_position(hubs.front()));
  if (km <= kFarFromBackboneKm) return {};
  const models::Hub& hub = w.backbone().hub(hubs.front());
  return fmt::format("warning: {} is {:.0f} km from the nearest backbone hub, {} ({}); the route starts with that straight line, "
                     "so its length and RTT say little about this point (the model covers Europe and the linked overseas hubs)",
                     text, km, hub.id, hub.name);
}

std::string route_text(const models::World& w, const models::Route& r) {
  std::string s;
  for (int h : r.hubs) s += (s.empty() ? "" : " → ") + w.backbone().hub(h).id;
  return s;
}

int run_single(const models::World& w, const LatencyOptions& o) {
  std::string why;
  const auto a = parse_point(o.points[0], why);
  const auto b = a ? parse_point(o.points[1], why) : std::nullopt;
  if (!a || !b) {
    std::fprintf(stderr, "dcsim latency: %s\n", why.c_str());
    return kExitInvalid;
  }
  for (std::size_t i = 0; i < (o.points[0] == o.points[1] ? 1u : 2u); ++i)
    if (const std::string warning = far_point_warning(w, i == 0 ? *a : *b, o.points[i]); !warning.empty())
      std::fprintf(stderr, "dcsim latency: %s\n", warning.c_str());
  const models::Route r = w.latency().route({*a, "", -1}, {*b, "", -1});
  if (!r.reachable) {
    std::fprintf(stderr, "dcsim latency: no route between these points on the backbone\n");
    return kExitInvalid;
  }
  std::string countries;
  for (const auto& c : r.countries) countries += (countries.empty() ? "" : " → ") + c;
  fmt::print("distance_km  {:.1f}   (geodesic, WGS-84)\n", r.distance_km);
  // Under 50 m apart the detour factor is a division by almost nothing.
  if (r.distance_km < 0.05)
    fmt::print("path_km      {:.1f}   (access + backbone + access; the points coincide)\n", r.path_km);
  else
    fmt::print("path_km      {:.1f}   (access + backbone + access; {:.2f}× the distance)\n", r.path_km, r.path_km / r.distance_km);
  fmt::print("rtt_ms       {:.2f}   (2 × path / {:.1f} km/ms + 2 × {} hubs × {:.3f} ms + {:.2f} ms fixed; no last mile)\n",
             sim::to_milliseconds(r.rtt), w.latency().params().fibre_km_per_ms, r.hops(),
             sim::to_milliseconds(w.latency().params().per_hop), sim::to_milliseconds(w.latency().params().fixed_rtt));
  fmt::print("route        {}\n", route_text(w, r));
  fmt::print("countries    {}\n", countries);
  return kExitOk;
}

int run_pairs(const models::World& w, const LatencyOptions& o) {
  std::string text;
  try {
    text = o.pairs == "-" ? read_stdin_text() : read_file_text(o.pairs);
  } catch (const IoError& e) {
    std::fprintf(stderr, "dcsim latency: %s\n", e.what());
    return kExitInvalid;
  }
  CsvTable t;
  try {
    t = parse_csv(text);
  } catch (const CsvError& e) {
    std::fprintf(stderr, "%s:%d: %s\n", o.pairs.c_str(), e.line, e.message.c_str());
    return kExitInvalid;
  }
  const char* needed[] = {"src_lat", "src_lon", "dst_lat", "dst_lon"};
  int col[4];
  std::string missing;
  for (int i = 0; i < 4; ++i) {
    col[i] = -1;
    for (std::size_t k = 0; k < t.header.size(); ++k)
      if (t.header[k] == needed[i]) col[i] = static_cast<int>(k);
    if (col[i] < 0) missing += (missing.empty() ? "" : ", ") + std::string(needed[i]);
  }
  if (!missing.empty()) {
    std::fprintf(stderr, "%s:1: the header lacks the column(s) %s\n", o.pairs.c_str(), missing.c_str());
    return kExitInvalid;
  }
  // Everything is checked before anything is printed: no half-written output.
  std::string out = csv_line([&] {
    std::vector<std::string> h;
    for (const auto& f : t.header) h.push_back(csv_field(f));
    h.insert(h.end(), {"distance_km", "path_km", "rtt_ms"});
    return h;
  }());
  int errors = 0;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const auto& row = t.rows[r];
    std::string why;
    const auto a = parse_point(row[static_cast<std::size_t>(col[0])] + "," + row[static_cast<std::size_t>(col[1])], why);
    const auto b = a ? parse_point(row[static_cast<std::size_t>(col[2])] + "," + row[static_cast<std::size_t>(col[3])], why)
                     : std::nullopt;
    if (!a || !b) {
      std::fprintf(stderr, "%s:%d: %s\n", o.pairs.c_str(), t.row_lines[r], why.c_str());
      ++errors;
      continue;
    }
    const std::size_t lat[2] = {static_cast<std::size_t>(col[0]), static_cast<std::size_t>(col[2])};
    const std::size_t lon[2] = {static_cast<std::size_t>(col[1]), static_cast<std::size_t>(col[3])};
    for (std::size_t i = 0; i < 2; ++i)
      if (const std::string warning = far_point_warning(w, i == 0 ? *a : *b, row[lat[i]] + "," + row[lon[i]]); !warning.empty())
        std::fprintf(stderr, "%s:%d: %s\n", o.pairs.c_str(), t.row_lines[r], warning.c_str());
    const models::Route route = w.latency().route({*a, "", -1}, {*b, "", -1});
    std::vector<std::string> fields;
    for (const auto& f : row) fields.push_back(csv_field(f));
    fields.push_back(csv_number(route.distance_km, 1));
    fields.push_back(route.reachable ? csv_number(route.path_km, 1) : "");
    fields.push_back(route.reachable ? csv_number(sim::to_milliseconds(route.rtt), 2) : "");
    out += csv_line(fields);
  }
  if (errors > 0) {
    std::fprintf(stderr, "%d %s\n", errors, errors == 1 ? "error" : "errors");
    return kExitInvalid;
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

int run_latency(const LatencyOptions& o) {
  const bool single = !o.points.empty();
  if (single == !o.pairs.empty() || (single && o.points.size() != 2)) {
    std::fprintf(stderr, "dcsim latency: give two points A B, or --pairs FILE.csv (see --help)\n");
    return kExitUsage;
  }
  const std::string scenario = o.scenario.empty() ? default_scenario_path() : o.scenario;
  models::World world(models::load_scenario(scenario, models::LoadOptions{o.overrides, ""}));
  return single ? run_single(world, o) : run_pairs(world, o);
}

}  // namespace

void add_latency_command(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<LatencyOptions>();
  CLI::App* cmd = app.add_subcommand(
      "latency", "Model distance, route and RTT between two points, or for every row of a CSV");
  cmd->add_option("POINTS", opts->points, "Two points LAT,LON (use -- before a negative latitude)");
  cmd->add_option("--pairs", opts->pairs,
                  "CSV with columns src_lat,src_lon,dst_lat,dst_lon (others kept); '-' reads stdin. "
                  "Writes it to stdout with distance_km,path_km,rtt_ms appended");
  cmd->add_option("--scenario", opts->scenario,
                  "Scenario whose backbone and latency parameters to use (default: scenarios/default.yaml)");
  cmd->add_option("--set", opts->overrides, "Override a scenario value, e.g. network.route_inflation=1.4; repeatable");
  cmd->footer("RTT is the network round trip between the points' nearest backbone hubs, without a last mile.");
  cmd->callback([opts, &exit_code] { exit_code = run_latency(*opts); });
}

}  // namespace dcsim::tools
