// `dcsim latency A B` and `dcsim latency --pairs FILE.csv`: the model's distance, route
// length and RTT between points, on the backbone of a scenario (default: the default
// scenario). RTT here is network only, endpoint hub to endpoint hub, without a user's last
// mile, so it compares with data-center-to-data-center measurements.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include <fmt/core.h>

#include "models/network/latency.hpp"
#include "models/scenario/scenario_loader.hpp"
#include "models/network/world.hpp"
#include "tools/cli.hpp"
#include "tools/csv.hpp"
#include "tools/file_io.hpp"
#include "tools/latency_pairs.hpp"

namespace dcsim::tools {

namespace {

struct LatencyOptions {
  std::vector<std::string> points;
  std::string pairs;
  std::string scenario;
  std::vector<std::string> overrides;
};

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
  const LatencyPairs pairs = read_latency_pairs(text, o.pairs);
  if (!pairs.problem.empty()) {
    std::fprintf(stderr, "%s\n", pairs.problem.c_str());
    return kExitInvalid;
  }
  // Everything is checked before anything is printed: no half-written output.
  std::string out = csv_line([&] {
    std::vector<std::string> h;
    for (const auto& f : pairs.header) h.push_back(csv_field(f));
    h.insert(h.end(), {"distance_km", "path_km", "rtt_ms"});
    return h;
  }());
  for (const LatencyPairRow& row : pairs.rows) {
    if (!row.problem.empty()) {
      std::fprintf(stderr, "%s\n", row.problem.c_str());
      continue;
    }
    for (const auto& [p, written] : {std::pair{*row.src, row.src_text}, std::pair{*row.dst, row.dst_text}})
      if (const std::string warning = far_point_warning(w, p, written); !warning.empty())
        std::fprintf(stderr, "%s:%d: %s\n", o.pairs.c_str(), row.line, warning.c_str());
    const models::Route route = w.latency().route({*row.src, "", -1}, {*row.dst, "", -1});
    std::vector<std::string> fields;
    for (const auto& f : row.fields) fields.push_back(csv_field(f));
    fields.push_back(csv_number(route.distance_km, 1));
    fields.push_back(route.reachable ? csv_number(route.path_km, 1) : "");
    fields.push_back(route.reachable ? csv_number(sim::to_milliseconds(route.rtt), 2) : "");
    out += csv_line(fields);
  }
  if (pairs.bad_rows > 0) {
    std::fprintf(stderr, "%zu %s\n", pairs.bad_rows, pairs.bad_rows == 1 ? "error" : "errors");
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
