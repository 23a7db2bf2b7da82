// `dcsim latency A B` and `dcsim latency --pairs FILE.csv`: the model's distance, route
// length and RTT between points, on the backbone of a scenario (default: the default
// scenario). RTT here is network only, endpoint hub to endpoint hub, without a user's last
// mile, so it compares with data-center-to-data-center measurements.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include <fmt/core.h>

#include "models/latency.hpp"
#include "models/scenario_loader.hpp"
#include "models/world.hpp"
#include "tools/cli.hpp"
#include "tools/csv.hpp"
#include "tools/latency_pairs.hpp"

namespace dcsim::tools {

namespace {

struct LatencyOptions {
  std::vector<std::string> points;
  std::string pairs;
  std::string scenario;
  std::vector<std::string> overrides;
};

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
  const models::Route r = w.latency().route({*a, "", -1}, {*b, "", -1});
  if (!r.reachable) {
    std::fprintf(stderr, "dcsim latency: no route between these points on the backbone\n");
    return kExitInvalid;
  }
  std::string countries;
  for (const auto& c : r.countries) countries += (countries.empty() ? "" : " → ") + c;
  fmt::print("distance_km  {:.1f}   (geodesic, WGS-84)\n", r.distance_km);
  fmt::print("path_km      {:.1f}   (access + backbone + access; {:.2f}× the distance)\n", r.path_km,
             r.distance_km > 0 ? r.path_km / r.distance_km : 1.0);
  fmt::print("rtt_ms       {:.2f}   (2 × path / {:.1f} km/ms + 2 × {} hubs × {:.3f} ms + {:.2f} ms fixed; no last mile)\n",
             sim::to_milliseconds(r.rtt), w.latency().params().fibre_km_per_ms, r.hops(),
             sim::to_milliseconds(w.latency().params().per_hop), sim::to_milliseconds(w.latency().params().fixed_rtt));
  fmt::print("route        {}\n", route_text(w, r));
  fmt::print("countries    {}\n", countries);
  return kExitOk;
}

int run_pairs(const models::World& w, const LatencyOptions& o) {
  std::string text;
  if (o.pairs == "-") {
    std::ostringstream buf;
    buf << std::cin.rdbuf();
    text = buf.str();
  } else {
    std::ifstream in(o.pairs, std::ios::binary);
    if (!in || std::filesystem::is_directory(o.pairs)) {
      std::fprintf(stderr, "%s: cannot open the file\n", o.pairs.c_str());
      return kExitInvalid;
    }
    std::ostringstream buf;
    buf << in.rdbuf();
    text = buf.str();
  }
  const LatencyPairs pairs = read_latency_pairs(text, o.pairs);
  for (const auto& p : pairs.problems) std::fprintf(stderr, "%s\n", p.c_str());
  if (pairs.bad_rows > 0) std::fprintf(stderr, "%zu %s\n", pairs.bad_rows, pairs.bad_rows == 1 ? "error" : "errors");
  if (!pairs.problems.empty()) return kExitInvalid;
  // Everything is checked before anything is printed: no half-written output.
  std::string out = csv_line([&] {
    std::vector<std::string> h;
    for (const auto& f : pairs.header) h.push_back(csv_field(f));
    h.insert(h.end(), {"distance_km", "path_km", "rtt_ms"});
    return h;
  }());
  for (std::size_t r = 0; r < pairs.rows.size(); ++r) {
    const models::Route route = w.latency().route({pairs.src[r], "", -1}, {pairs.dst[r], "", -1});
    std::vector<std::string> fields;
    for (const auto& f : pairs.rows[r]) fields.push_back(csv_field(f));
    fields.push_back(csv_number(route.distance_km, 1));
    fields.push_back(route.reachable ? csv_number(route.path_km, 1) : "");
    fields.push_back(route.reachable ? csv_number(sim::to_milliseconds(route.rtt), 2) : "");
    out += csv_line(fields);
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
