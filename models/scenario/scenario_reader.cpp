// Typed reading of the merged scenario tree into Scenario structs. Sections are read in
// dependency order (countries → hubs → sites → regions → links → build-out → traffic →
// policies → events), so each reference is checked where its node, and line, is at hand.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>
#include <set>

#include "models/scenario/doc_patch.hpp"
#include "models/scenario/doc_reader.hpp"
#include "models/scenario/scenario_loader.hpp"

namespace dcsim::models {

namespace {

constexpr double kMaxPopulation = 2.0e9;
constexpr double kMaxDurationH = 24.0 * 366 * 5;  // five years of simulated time
// Each event keeps latency histograms per country for its window (~1 MB), and every request
// is checked against every window: 1,000 events took 1 GB and 11 s on a 2-hour run, 2,000
// did not finish in a minute.
constexpr std::size_t kMaxEvents = 1000;

sim::SimDuration hours_to_duration(double h) { return sim::from_seconds(h * 3600.0); }
sim::SimDuration ms_to_duration(double ms) { return sim::from_seconds(ms * 1e-3); }

// C0 controls and DEL in ASCII, and the C1 controls (U+0080..U+009F) as UTF-8 encodes them.
bool has_control_character(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F) return true;
    if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 && static_cast<unsigned char>(text[i + 1]) <= 0x9F)
      return true;
  }
  return false;
}

template <class T, class Key>
void report_duplicate_ids(const std::vector<T>& items, Key key, const std::vector<SourceLoc>& locs,
                          const std::string& section, Diagnostics& diags) {
  std::map<std::string, std::size_t> first;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string& id = key(items[i]);
    if (id.empty()) continue;
    auto [it, inserted] = first.emplace(id, i);
    if (!inserted)
      diags.error(locs[i], index_path(section, i),
                  "duplicate id '" + id + "' (first defined at " + locs[it->second].file_name() +
                      ":" + std::to_string(locs[it->second].line) + ")");
  }
}

class ScenarioReader {
 public:
  ScenarioReader(const DocNode& root, Diagnostics& diags) : root_(root), diags_(diags) {}

  Scenario read() {
    MapReader top(root_, "", diags_);
    read_meta(top.take_required("meta"));
    read_countries(top.take_required("countries"));
    const DocNode* network = top.take_required("network");
    read_network_params_and_hubs(network);
    read_sites(top.take_required("sites"));
    read_regions(top.take_required("regions"));
    read_links(network);
    read_build_out(top.take_required("build_out"));
    read_traffic(top.take_required("traffic"));
    if (const DocNode* p = top.take("policies")) {
      policies_node_ = p;
      s_.policies = read_policies(*p, "policies");
    }
    read_events(top.take("events"));
    read_data(top.take("data"));
    read_migrations(top.take("migrations"));
    read_outputs(top.take("outputs"));
    read_variants(top.take("variants"));
    read_placement(top.take("placement"));
    read_assertions(top.take("assertions"));
    // A sweep file's own section, read by its reader (models/sweep.hpp) from the same tree.
    top.take("sweep");
    top.finish();
    check_reachability();
    return std::move(s_);
  }

 private:
  // ---- meta -------------------------------------------------------------------------
  void read_meta(const DocNode* n) {
    if (!n) return;
    MapReader r(*n, "meta", diags_);
    r.required("name", s_.meta.name);
    // The name becomes folder names and CSV fields and is printed on one line everywhere.
    if (const DocNode* n = r.take("name"); n && has_control_character(s_.meta.name))
      diags_.error(n->loc, r.path_of("name"),
                   "a control character (line break, tab, ...) in the name; write it on one line of printable characters");
    r.optional("description", s_.meta.description);
    std::int64_t seed = 1;
    r.optional("seed", seed, Range{0, 9.0e18});
    s_.meta.seed = static_cast<std::uint64_t>(seed);
    if (const DocNode* t = r.take_required("start_utc"))
      if (auto v = to_utc_seconds(*t, r.path_of("start_utc"), diags_)) s_.meta.start_utc_s = *v;
    double duration_h = 0;
    r.required("duration_h", duration_h, Range{0, kMaxDurationH, true});
    s_.meta.duration = hours_to_duration(duration_h);
    double interval_min = 60;
    r.optional("report_interval_min", interval_min, Range{1, 60.0 * 24 * 31});
    s_.meta.report_interval = sim::from_seconds(interval_min * 60.0);
    if (duration_h > 0 && interval_min / 60.0 > duration_h + 1e-9)
      diags_.error(r.take("report_interval_min") ? r.take("report_interval_min")->loc : r.loc(),
                   r.path_of("report_interval_min"),
                   "longer than the run (duration_h = " + std::to_string(duration_h) + ")");
    r.choice<Fidelity>("fidelity", s_.meta.fidelity,
                       {{"event", Fidelity::Event}, {"flow", Fidelity::Flow}}, false);
    r.optional("scale", s_.meta.scale, Range{1, 1.0e6});
    r.finish();
  }

  // ---- countries ----------------------------------------------------------------------
  void read_countries(const DocNode* n) {
    std::vector<SourceLoc> locs;
    for_each_item(n, "countries", diags_, [&](const DocNode& item, const std::string& path) {
      MapReader r(item, path, diags_);
      Country c;
      r.required_country("code", c.code);
      r.required("name", c.name);
      r.required("eu", c.eu);
      r.required("eea", c.eea);
      read_adequacy(r, c);
      r.optional("population", c.population, Range{0, kMaxPopulation});
      r.optional("population_year", c.population_year, Range{1900, 2100});
      r.optional("user_share", c.user_share, Range{0, 1});
      if (c.eu && !c.eea && r.has("eea"))
        diags_.error(r.take("eea")->loc, r.path_of("eea"),
                     "every EU member is in the EEA: eu: true needs eea: true");
      if (c.eea && c.adequacy && r.has("adequacy"))
        diags_.error(r.take("adequacy")->loc, r.path_of("adequacy"),
                     "adequacy applies to countries outside the EEA only");
      r.finish();
      s_.countries.push_back(std::move(c));
      locs.push_back(item.loc);
    });
    report_duplicate_ids(s_.countries, [](const Country& c) -> const std::string& { return c.code; },
                         locs, "countries", diags_);
    for (const auto& c : s_.countries) countries_.insert(c.code);
    if (n && countries_.empty() && n->is_sequence())
      diags_.error(n->loc, "countries", "at least one country is needed");
  }

  // `adequacy: true`, or `{basis: decision | certification, from: DATE, source: TEXT}`.
  void read_adequacy(MapReader& r, Country& c) {
    const DocNode* a = r.take("adequacy");
    if (!a) return;
    const std::string path = r.path_of("adequacy");
    if (!a->is_map()) {
      if (auto b = to_boolean(*a, path, diags_)) c.adequacy = *b;
      return;
    }
    c.adequacy = true;
    MapReader ar(*a, path, diags_);
    ar.choice<AdequacyBasis>("basis", c.adequacy_basis,
                             {{"decision", AdequacyBasis::Decision}, {"certification", AdequacyBasis::Certification}}, true);
    if (const DocNode* from = ar.take("from"))
      if (auto s = to_utc_seconds(*from, ar.path_of("from"), diags_)) c.adequacy_from_utc_s = *s;
    ar.optional("source", c.adequacy_source);
    ar.finish();
  }

  void check_country(const DocNode* n, const std::string& path, const std::string& code) {
    if (!n || code.empty() || countries_.count(code)) return;
    std::vector<std::string> known(countries_.begin(), countries_.end());
    std::string msg = "unknown country '" + code + "' (not in countries:)";
    if (auto s = did_you_mean(code, known); s && s->size() == 2) msg += "; did you mean '" + *s + "'?";
    diags_.error(n->loc, path, msg);
  }

  void check_ref(const DocNode* n, const std::string& path, const std::string& id,
                 const std::set<std::string>& known, const std::string& what) {
    if (!n || id.empty() || known.count(id)) return;
    std::string msg = "unknown " + what + " '" + id + "'";
    if (auto s = did_you_mean(id, std::vector<std::string>(known.begin(), known.end())))
      msg += "; did you mean '" + *s + "'?";
    diags_.error(n->loc, path, msg);
  }

  // ---- network ------------------------------------------------------------------------
  void read_network_params_and_hubs(const DocNode* n) {
    if (!n) return;
    network_reader_ = std::make_unique<MapReader>(*n, "network", diags_);
    MapReader& r = *network_reader_;
    NetworkParams& p = s_.network;
    r.choice<NetworkMode>("mode", p.mode,
                          {{"explicit", NetworkMode::Explicit}, {"generated", NetworkMode::Generated}},
                          false);
    r.optional("fibre_km_per_ms", p.fibre_km_per_ms, Range{100, 300});
    r.optional("route_inflation", p.route_inflation, Range{1, 4});
    r.optional("access_inflation", p.access_inflation, Range{1, 5});
    // Defaults calibrated against tests/data/rtt_measured.csv (scenarios/data/README.md).
    double per_hop_ms = 0.3, access_ms = 10.0, fixed_rtt_ms = 5.0;
    r.optional("per_hop_ms", per_hop_ms, Range{0, 50});
    r.optional("fixed_rtt_ms", fixed_rtt_ms, Range{0, 100});
    r.optional("access_ms", access_ms, Range{0, 200});
    r.optional("access_bandwidth_mbps", p.access_bandwidth_mbps, Range{0.1, 1.0e5});
    r.optional("link_buffer_ms", p.link_buffer_ms, Range{0, 10000});
    p.per_hop = ms_to_duration(per_hop_ms);
    p.fixed_rtt = ms_to_duration(fixed_rtt_ms);
    p.access = ms_to_duration(access_ms);
    if (const DocNode* rt = r.take("routing")) {
      // `routing: ecmp` is short for `routing: {mode: ecmp}`.
      const Choices<RoutingMode> modes{{"shortest", RoutingMode::Shortest}, {"ecmp", RoutingMode::Ecmp},
                                       {"k_shortest", RoutingMode::KShortest},
                                       {"min_max_utilisation", RoutingMode::MinMaxUtilisation}};
      if (rt->is_scalar()) {
        if (const auto text = to_text(*rt, "network.routing", diags_)) {
          const auto it = std::find_if(modes.begin(), modes.end(), [&](const auto& m) { return m.first == *text; });
          if (it != modes.end()) {
            p.routing.mode = it->second;
          } else {
            std::vector<std::string> names;
            for (const auto& m : modes) names.emplace_back(m.first);
            std::string msg = "unknown routing mode '" + *text + "' (one of: shortest, ecmp, k_shortest, min_max_utilisation)";
            if (const auto near = did_you_mean(*text, names)) msg += "; did you mean '" + *near + "'?";
            diags_.error(rt->loc, "network.routing", msg);
          }
        }
      } else {
        MapReader rr(*rt, "network.routing", diags_);
        rr.choice<RoutingMode>("mode", p.routing.mode, modes, false);
        rr.optional("k", p.routing.k, Range{1, 16});
        rr.optional("max_stretch", p.routing.max_stretch, Range{1, 10});
        rr.optional("ecmp_tolerance_ms", p.routing.ecmp_tolerance_ms, Range{0, 100});
        rr.finish();
      }
    }
    if (const DocNode* g = r.take("generate")) {
      MapReader gr(*g, "network.generate", diags_);
      gr.optional("k_nearest", p.generate_k_nearest, Range{1, 20});
      gr.optional("max_link_km", p.generate_max_link_km, Range{0, 20000, true});
      gr.finish();
    }
    std::vector<SourceLoc> locs;
    for_each_item(r.take_required("hubs"), "network.hubs", diags_,
                  [&](const DocNode& item, const std::string& path) {
                    MapReader hr(item, path, diags_);
                    Hub h;
                    hr.required_id("id", h.id);
                    hr.required("name", h.name);
                    hr.required_country("country", h.country);
                    check_country(hr.take("country"), hr.path_of("country"), h.country);
                    hr.required("lat", h.lat, Range{-90, 90});
                    hr.required("lon", h.lon, Range{-180, 180});
                    hr.finish();
                    s_.network.hubs.push_back(std::move(h));
                    locs.push_back(item.loc);
                  });
    report_duplicate_ids(s_.network.hubs, [](const Hub& h) -> const std::string& { return h.id; },
                         locs, "network.hubs", diags_);
    for (const auto& h : s_.network.hubs) hubs_.insert(h.id);
    if (const DocNode* hubs = n->is_map() ? n->find("hubs") : nullptr;
        hubs && hubs->is_sequence() && hubs->items.empty())
      diags_.error(hubs->loc, "network.hubs", "at least one hub is needed");
  }

  void read_links(const DocNode* n) {
    if (!n || !network_reader_) return;
    MapReader& r = *network_reader_;
    const DocNode* links = r.take("links");
    if (!links && s_.network.mode == NetworkMode::Explicit && s_.network.hubs.size() > 1)
      diags_.error(r.loc(), "network.links", "missing required key (mode explicit)");
    for_each_item(links, "network.links", diags_, [&](const DocNode& item, const std::string& path) {
      MapReader lr(item, path, diags_);
      Link l;
      lr.required_id("a", l.a);
      lr.required_id("b", l.b);
      check_ref(lr.take("a"), lr.path_of("a"), l.a, hubs_, "hub");
      check_ref(lr.take("b"), lr.path_of("b"), l.b, hubs_, "hub");
      if (!l.a.empty() && l.a == l.b)
        diags_.error(item.loc, path, "a link must join two different hubs (both '" + l.a + "')");
      lr.choice<LinkKind>("kind", l.kind,
                          {{"terrestrial", LinkKind::Terrestrial}, {"submarine", LinkKind::Submarine}},
                          true);
      lr.optional("length_km", l.length_km, Range{0, 40000, true});
      lr.required("capacity_gbps", l.capacity_gbps, Range{0, 1.0e7, true});
      lr.optional("name", l.name);
      for_each_item(lr.take("srlg"), lr.path_of("srlg"), diags_, [&](const DocNode& g, const std::string& gpath) {
        if (auto id = to_id(g, gpath, diags_)) {
          if (std::find(l.srlg.begin(), l.srlg.end(), *id) != l.srlg.end()) diags_.error(g.loc, gpath, "group '" + *id + "' is listed twice");
          else l.srlg.push_back(*id);
        }
      });
      for_each_item(lr.take("via"), lr.path_of("via"), diags_,
                    [&](const DocNode& v, const std::string& vpath) {
                      if (auto code = to_country_code(v, vpath, diags_)) {
                        check_country(&v, vpath, *code);
                        l.via.push_back(*code);
                      }
                    });
      lr.finish();
      s_.network.links.push_back(std::move(l));
    });
    r.finish();
    check_connected(links ? links->loc : r.loc());
  }

  // Union-find over hubs: a disconnected explicit backbone leaves some region without a path.
  void check_connected(const SourceLoc& loc) {
    if (s_.network.mode != NetworkMode::Explicit || s_.network.hubs.size() < 2) return;
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < s_.network.hubs.size(); ++i) index.emplace(s_.network.hubs[i].id, i);
    std::vector<std::size_t> parent(s_.network.hubs.size());
    std::iota(parent.begin(), parent.end(), 0);
    auto find = [&](std::size_t x) {
      while (parent[x] != x) x = parent[x] = parent[parent[x]];
      return x;
    };
    for (const auto& l : s_.network.links) {
      auto a = index.find(l.a), b = index.find(l.b);
      if (a == index.end() || b == index.end()) return;  // already reported
      parent[find(a->second)] = find(b->second);
    }
    std::map<std::size_t, std::vector<std::string>> comps;
    for (std::size_t i = 0; i < parent.size(); ++i) comps[find(i)].push_back(s_.network.hubs[i].id);
    if (comps.size() <= 1) return;
    std::vector<std::string> smallest = comps.begin()->second;
    for (const auto& [root, members] : comps)
      if (members.size() < smallest.size()) smallest = members;
    std::string list;
    for (std::size_t i = 0; i < smallest.size() && i < 8; ++i) list += (i ? ", " : "") + smallest[i];
    if (smallest.size() > 8) list += ", …";
    diags_.error(loc, "network.links",
                 "the backbone is disconnected: " + std::to_string(comps.size()) +
                     " separate parts; hubs cut off from the rest: " + list);
  }

  // ---- sites --------------------------------------------------------------------------
  void read_sites(const DocNode* n) {
    std::vector<SourceLoc> locs;
    for_each_item(n, "sites", diags_, [&](const DocNode& item, const std::string& path) {
      MapReader r(item, path, diags_);
      Site st;
      r.required_id("id", st.id);
      r.required("name", st.name);
      r.required_country("country", st.country);
      check_country(r.take("country"), r.path_of("country"), st.country);
      r.required("lat", st.lat, Range{-90, 90});
      r.required("lon", st.lon, Range{-180, 180});
      r.required_id("hub", st.hub);
      check_ref(r.take("hub"), r.path_of("hub"), st.hub, hubs_, "hub");
      r.choice<SiteStatus>("status", st.status,
                           {{"existing", SiteStatus::Existing},
                            {"announced", SiteStatus::Announced},
                            {"candidate", SiteStatus::Candidate}},
                           true);
      r.required("servers", st.servers, Range{1, 1.0e8});
      r.optional("it_power_mw", st.it_power_mw, Range{0, 5000, true});
      r.optional("pue", st.pue, Range{1.0, 4.0});
      r.optional("grid_carbon_g_per_kwh", st.grid_carbon_g_per_kwh, Range{0, 2000});
      r.optional("capex_eur", st.capex_eur, Range{0, 1.0e12});
      r.optional("opex_eur_per_year", st.opex_eur_per_year, Range{0, 1.0e11});
      r.optional("uplink_gbps", st.uplink_gbps, Range{0, 1.0e7, true});
      r.finish();
      s_.sites.push_back(std::move(st));
      locs.push_back(item.loc);
    });
    report_duplicate_ids(s_.sites, [](const Site& x) -> const std::string& { return x.id; }, locs,
                         "sites", diags_);
    for (const auto& st : s_.sites) sites_.insert(st.id);
  }

  // ---- regions ------------------------------------------------------------------------
  void read_regions(const DocNode* n) {
    std::vector<SourceLoc> locs;
    for_each_item(n, "regions", diags_, [&](const DocNode& item, const std::string& path) {
      MapReader r(item, path, diags_);
      Region g;
      r.required_id("id", g.id);
      r.required("name", g.name);
      r.required_country("country", g.country);
      const DocNode* cn = r.take("country");
      check_country(cn, r.path_of("country"), g.country);
      if (const Country* c = g.country.empty() ? nullptr : find_country(g.country);
          cn && c && (!c->population || !c->user_share))
        diags_.error(cn->loc, r.path_of("country"),
                     "country '" + g.country +
                         "' has regions, so it needs population and user_share in countries:");
      r.required("population", g.population, Range{0, kMaxPopulation});
      r.required("population_year", g.population_year, Range{1900, 2100});
      r.required("lat", g.lat, Range{-90, 90});
      r.required("lon", g.lon, Range{-180, 180});
      r.required("utc_offset_h", g.utc_offset_h, Range{-12, 14});
      g.utc_offset_summer_h = g.utc_offset_h;
      r.optional("utc_offset_summer_h", g.utc_offset_summer_h, Range{-12, 14});
      r.finish();
      s_.regions.push_back(std::move(g));
      locs.push_back(item.loc);
    });
    report_duplicate_ids(s_.regions, [](const Region& g) -> const std::string& { return g.id; },
                         locs, "regions", diags_);
    if (n && n->is_sequence() && n->items.empty())
      diags_.error(n->loc, "regions", "at least one region is needed");
  }

  const Country* find_country(const std::string& code) const {
    for (const auto& c : s_.countries)
      if (c.code == code) return &c;
    return nullptr;
  }

  // ---- build-out ----------------------------------------------------------------------
  void read_build_out(const DocNode* n) {
    build_out_node_ = n;
    std::set<std::string> seen;
    for_each_item(n, "build_out", diags_, [&](const DocNode& item, const std::string& path) {
      auto id = to_id(item, path, diags_);
      if (!id) return;
      check_ref(&item, path, *id, sites_, "site");
      if (!seen.insert(*id).second) {
        diags_.error(item.loc, path, "site '" + *id + "' is listed twice");
        return;
      }
      s_.build_out.push_back(*id);
    });
    if (n && n->is_sequence() && n->items.empty())
      diags_.error(n->loc, "build_out", "the build-out needs at least one site");
  }

  bool built(const std::string& id) const {
    return std::find(s_.build_out.begin(), s_.build_out.end(), id) != s_.build_out.end();
  }

  // ---- traffic ------------------------------------------------------------------------
  void read_traffic(const DocNode* n) {
    if (!n) return;
    MapReader r(*n, "traffic", diags_);
    Traffic& t = s_.traffic;
    r.optional("daily_active_share", t.daily_active_share, Range{0, 1, true});
    if (const DocNode* d = r.take_required("diurnal_local_weights"))
      t.diurnal_local = read_weights(*d, r.path_of("diurnal_local_weights"), 24, "one per local hour 0-23");
    if (const DocNode* wk = r.take("weekly_local_weights")) {
      t.weekly_local = read_weights(*wk, r.path_of("weekly_local_weights"), 7, "Monday to Sunday by local day");
      if (t.weekly_local.size() != 7) t.weekly_local.clear();
    }
    read_growth(r.take("growth"), r.path_of("growth"));
    const DocNode* classes = r.take_required("classes");
    if (classes && !classes->is_map()) {
      diags_.error(classes->loc, "traffic.classes",
                   "expected a map of request classes (name: {...}), got a " +
                       std::string(kind_name(classes->kind)));
    } else if (classes) {
      MapReader cr(*classes, "traffic.classes", diags_);  // reports duplicate class names
      for (const auto& e : classes->entries) {
        cr.take(e.key);
        read_class(e, cr.path_of(e.key));
      }
      cr.finish();
      if (classes->entries.empty())
        diags_.error(classes->loc, "traffic.classes", "at least one request class is needed");
    }
    r.finish();
  }

  // A list of `count` relative weights (diurnal by hour, weekly by day), normalised to mean 1
  // so that rates stay per day; what was read as it is when the list is wrong (reported).
  std::vector<double> read_weights(const DocNode& d, const std::string& path, std::size_t count, const std::string& meaning) {
    std::vector<double> weights;
    for_each_item(&d, path, diags_, [&](const DocNode& w, const std::string& p) {
      if (auto v = to_number(w, p, diags_, Range{0, 1000})) weights.push_back(*v);
    });
    const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
    if (d.is_sequence() && d.items.size() != count)
      diags_.error(d.loc, path, "needs " + std::to_string(count) + " weights, " + meaning + " (got " + std::to_string(d.items.size()) + ")");
    else if (weights.size() == count && !(sum > 0))
      diags_.error(d.loc, path, "the weights cannot all be 0");
    else if (weights.size() == count)
      for (double& w : weights) w *= static_cast<double>(count) / sum;
    return weights;
  }

  // traffic.growth: {annual_rate, monthly_users: {CC: {"YYYY-MM": users, ...}}}
  void read_growth(const DocNode* n, const std::string& path) {
    if (!n) return;
    MapReader r(*n, path, diags_);
    UserGrowth& g = s_.traffic.growth;
    r.optional("annual_rate", g.annual_rate, Range{-0.99, 100});  // -99 % to x101 a year
    if (const DocNode* table = r.take("monthly_users")) {
      if (!table->is_map()) {
        diags_.error(table->loc, r.path_of("monthly_users"), "expected a map of countries (CC: {\"YYYY-MM\": users})");
      } else {
        MapReader tr(*table, r.path_of("monthly_users"), diags_);
        for (const auto& e : table->entries) {
          tr.take(e.key);
          const std::string cpath = tr.path_of(e.key);
          DocNode key_node;
          key_node.kind = DocNode::Kind::Scalar;
          key_node.scalar = e.key;
          key_node.loc = e.key_loc;
          const auto code = to_country_code(key_node, cpath, diags_);
          if (!code) continue;
          check_country(&key_node, cpath, *code);
          const bool has_region = std::any_of(s_.regions.begin(), s_.regions.end(), [&](const Region& x) { return x.country == *code; });
          if (countries_.count(*code) && !has_region)
            diags_.error(e.key_loc, cpath, "country '" + *code + "' has no region, so no users to grow");
          UserGrowth::CountryMonths months{*code, {}};
          if (!e.value.is_map() || e.value.entries.empty()) {
            diags_.error(e.value.loc, cpath, "expected a map of months to monthly users, e.g. {\"2024-01\": 1.2e6}");
            continue;
          }
          MapReader mr(e.value, cpath, diags_);
          for (const auto& m : e.value.entries) {
            mr.take(m.key);
            const auto month = month_index(m.key);
            if (!month) {
              diags_.error(m.key_loc, mr.path_of(m.key), "expected a month as \"YYYY-MM\" (e.g. \"2024-01\"), got '" + m.key + "'");
              continue;
            }
            if (auto v = to_number(m.value, mr.path_of(m.key), diags_, Range{0, 1.0e10})) months.users.emplace_back(*month, *v);
          }
          mr.finish();
          std::sort(months.users.begin(), months.users.end());
          g.monthly_users.push_back(std::move(months));
        }
        tr.finish();
      }
    }
    r.finish();
  }

  // "YYYY-MM" → year × 12 + month − 1, for years 1970..2200.
  static std::optional<std::int64_t> month_index(const std::string& text) {
    if (text.size() != 7 || text[4] != '-') return std::nullopt;
    for (std::size_t i : {0, 1, 2, 3, 5, 6})
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
    const int year = std::stoi(text.substr(0, 4)), month = std::stoi(text.substr(5, 2));
    if (year < 1970 || year > 2200 || month < 1 || month > 12) return std::nullopt;
    return static_cast<std::int64_t>(year) * 12 + (month - 1);
  }

  void read_class(const DocEntry& e, const std::string& path) {
    TrafficClass c;
    c.name = e.key;
    DocNode name_node;
    name_node.kind = DocNode::Kind::Scalar;
    name_node.scalar = e.key;
    name_node.loc = e.key_loc;
    to_id(name_node, path, diags_);
    MapReader r(e.value, path, diags_);
    r.choice<ClassKind>("kind", c.kind, {{"read", ClassKind::Read}, {"write", ClassKind::Write}}, true);
    r.choice<ClassOrigin>("origin", c.origin,
                          {{"users", ClassOrigin::Users}, {"staff", ClassOrigin::Staff}}, false);
    if (c.origin == ClassOrigin::Users)
      r.required("rate_per_user_day", c.rate_per_user_day, Range{0, 1.0e5});
    if (const DocNode* sz = r.take_required("size")) {
      MapReader sr(*sz, r.path_of("size"), diags_);
      sr.choice<SizeDist>("dist", c.size.dist,
                          {{"fixed", SizeDist::Fixed},
                           {"exponential", SizeDist::Exponential},
                           {"lognormal", SizeDist::Lognormal}},
                          true);
      sr.required("mean_bytes", c.size.mean_bytes, Range{0, 1.0e12, true});
      if (c.size.dist == SizeDist::Lognormal) sr.required("cv", c.size.cv, Range{0, 20, true});
      sr.finish();
    }
    if (const DocNode* sv = r.take_required("service_time")) {
      MapReader sr(*sv, r.path_of("service_time"), diags_);
      sr.choice<ServiceDist>("dist", c.service_time.dist,
                             {{"exponential", ServiceDist::Exponential},
                              {"deterministic", ServiceDist::Deterministic},
                              {"lognormal", ServiceDist::Lognormal}},
                             true);
      double mean_ms = 0;
      sr.required("mean_ms", mean_ms, Range{0, 1.0e6, true});
      c.service_time.mean = ms_to_duration(mean_ms);
      if (c.service_time.dist == ServiceDist::Lognormal)
        sr.required("cv", c.service_time.cv, Range{0, 20, true});
      sr.finish();
    }
    r.optional("cacheable", c.cacheable);
    r.choice<bool>("data", c.personal_data, {{"personal", true}, {"content", false}}, false);
    r.optional("edge_cache_hit_ratio", c.edge_cache_hit_ratio, Range{0, 1});
    if (c.edge_cache_hit_ratio > 0 && !c.cacheable)
      diags_.error(r.take("edge_cache_hit_ratio")->loc, r.path_of("edge_cache_hit_ratio"),
                   "an edge-cache hit ratio needs cacheable: true");
    if (c.edge_cache_hit_ratio > 0 && c.kind == ClassKind::Write)
      diags_.error(r.take("edge_cache_hit_ratio")->loc, r.path_of("edge_cache_hit_ratio"),
                   "writes cannot be served from an edge cache");
    if (const DocNode* ex = r.take("export")) {
      MapReader er(*ex, r.path_of("export"), diags_);
      er.required("share", c.export_share, Range{0, 1});
      er.required_id("site", c.export_site);
      check_ref(er.take("site"), er.path_of("site"), c.export_site, sites_, "site");
      if (!c.export_site.empty() && sites_.count(c.export_site) && !built(c.export_site))
        diags_.error(er.take("site")->loc, er.path_of("site"),
                     "export site '" + c.export_site + "' is not in build_out");
      er.finish();
    }
    if (c.origin == ClassOrigin::Staff) {
      const DocNode* staff = r.take_required("staff");
      std::vector<SourceLoc> locs;
      for_each_item(staff, r.path_of("staff"), diags_, [&](const DocNode& item, const std::string& sp) {
        MapReader sr(item, sp, diags_);
        StaffLocation l;
        sr.required_id("id", l.id);
        sr.required_country("country", l.country);
        check_country(sr.take("country"), sr.path_of("country"), l.country);
        sr.required("lat", l.lat, Range{-90, 90});
        sr.required("lon", l.lon, Range{-180, 180});
        sr.required("requests_per_day", l.requests_per_day, Range{0, 1.0e10});
        sr.finish();
        c.staff.push_back(std::move(l));
        locs.push_back(item.loc);
      });
      report_duplicate_ids(c.staff, [](const StaffLocation& l) -> const std::string& { return l.id; },
                           locs, r.path_of("staff"), diags_);
      if (staff && staff->is_sequence() && staff->items.empty())
        diags_.error(staff->loc, r.path_of("staff"), "origin staff needs at least one location");
    }
    r.finish();
    s_.traffic.classes.push_back(std::move(c));
  }

  // ---- policies -----------------------------------------------------------------------
 public:
  void read_residency(const DocNode& res, const std::string& path, Policies& p) {
    MapReader rr(res, path, diags_);
    rr.choice<ResidencyMode>("mode", p.residency,
                             {{"eea_only", ResidencyMode::EeaOnly},
                              {"eea_or_adequate", ResidencyMode::EeaOrAdequate},
                              {"nearest", ResidencyMode::Nearest},
                              {"capacity_weighted", ResidencyMode::CapacityWeighted},
                              {"map", ResidencyMode::Map}},
                             true);
    if (const DocNode* m = rr.take("map")) {
      MapReader mr(*m, rr.path_of("map"), diags_);
      if (m->is_map())
        for (const auto& e : m->entries) {
          const DocNode* v = mr.take(e.key);
          const std::string ep = mr.path_of(e.key);
          DocNode key_node;
          key_node.kind = DocNode::Kind::Scalar;
          key_node.scalar = e.key;
          key_node.loc = e.key_loc;
          if (auto code = to_country_code(key_node, ep, diags_)) check_country(&key_node, ep, *code);
          if (auto site = to_id(*v, ep, diags_)) {
            check_ref(v, ep, *site, sites_, "site");
            if (sites_.count(*site) && !built(*site)) diags_.error(v->loc, ep, "site '" + *site + "' is not in build_out");
            p.residency_map[e.key] = *site;
          }
        }
      mr.finish();
    }
    if (const DocNode* d = rr.take("default_site")) {
      if (auto site = to_id(*d, rr.path_of("default_site"), diags_)) {
        check_ref(d, rr.path_of("default_site"), *site, sites_, "site");
        if (sites_.count(*site) && !built(*site))
          diags_.error(d->loc, rr.path_of("default_site"), "site '" + *site + "' is not in build_out");
        p.residency_default_site = *site;
      }
    }
    if (p.residency == ResidencyMode::Map && p.residency_map.empty() && p.residency_default_site.empty())
      diags_.error(res.loc, rr.path_of("map"), "mode map needs a map: {COUNTRY: site} and/or default_site");
    rr.finish();
  }

  Policies read_policies(const DocNode& n, const std::string& path) {
    Policies p;
    MapReader r(n, path, diags_);
    if (const DocNode* res = r.take("residency")) read_residency(*res, r.path_of("residency"), p);
    if (const DocNode* ro = r.take("routing")) {
      MapReader rr(*ro, r.path_of("routing"), diags_);
      rr.choice<ReadRouting>("reads", p.reads,
                             {{"nearest", ReadRouting::Nearest},
                              {"nearest_with_capacity", ReadRouting::NearestWithCapacity},
                              {"home_only", ReadRouting::HomeOnly},
                              {"nearest_copy", ReadRouting::NearestCopy},
                              {"nearest_with_fetch", ReadRouting::NearestWithFetch}},
                             false);
      rr.choice<QueueFullAction>("on_queue_full", p.on_queue_full,
                                 {{"spill", QueueFullAction::Spill}, {"drop", QueueFullAction::Drop}},
                                 false);
      rr.optional("spill_outside_eea", p.spill_outside_eea);
      rr.optional("queue_limit_per_server", p.queue_limit_per_server, Range{0, 1.0e4});
      rr.finish();
    }
    if (const DocNode* rep = r.take("replication")) {
      MapReader rr(*rep, r.path_of("replication"), diags_);
      rr.optional("copies", p.replication_copies, Range{0, 8});
      rr.choice<ReplicationScope>("scope", p.replication_scope,
                                  {{"same_jurisdiction", ReplicationScope::SameJurisdiction},
                                   {"eea", ReplicationScope::Eea},
                                   {"any", ReplicationScope::Any}},
                                  false);
      rr.choice<ReplicationDistinct>("distinct", p.replication_distinct,
                                     {{"site", ReplicationDistinct::Site},
                                      {"country", ReplicationDistinct::Country}},
                                     false);
      check_replicas(p, rr);
      rr.finish();
    }
    if (const DocNode* fo = r.take("failover")) {
      MapReader fr(*fo, r.path_of("failover"), diags_);
      bool lose = false;
      fr.choice<bool>("in_flight", lose, {{"retry", false}, {"lose", true}}, false);
      p.retry_in_flight = !lose;
      fr.optional("temporary_home", p.temporary_home);
      fr.finish();
    }
    if (const DocNode* ea = r.take("employee_access")) {
      MapReader er(*ea, r.path_of("employee_access"), diags_);
      er.optional("allowed", p.employee_access_allowed);
      er.optional("approved_share", p.employee_access_approved_share, Range{0, 1});
      er.finish();
    }
    if (const DocNode* tr = r.take("transfers")) {
      MapReader tr_reader(*tr, r.path_of("transfers"), diags_);
      tr_reader.optional("certified", p.transfers_certified);
      tr_reader.finish();
    }
    if (const DocNode* ct = r.take("content")) {
      MapReader cr(*ct, r.path_of("content"), diags_);
      cr.optional("everywhere_share", p.content_everywhere_share, Range{0, 1});
      std::optional<double> bytes_share;
      const DocNode* bn = cr.take("everywhere_bytes_share");
      if (bn) bytes_share = to_number(*bn, cr.path_of("everywhere_bytes_share"), diags_, Range{0, 1});
      // The head is the popular part: it cannot hold a larger share of the bytes than of
      // the reads.
      if (bytes_share && *bytes_share > p.content_everywhere_share + 1e-12) {
        // Either key may be the one to change (a policy switch may have set the other).
        const DocNode* share_node = ct->find("everywhere_share");
        const std::string share_at = share_node ? " set at " + share_node->loc.file_name() + ":" + std::to_string(share_node->loc.line) : "";
        diags_.error(bn->loc, cr.path_of("everywhere_bytes_share"),
                     "the popular head holds a larger share of the bytes than of the reads (everywhere_share " +
                         std::to_string(p.content_everywhere_share) + share_at + "): give at most that");
      }
      p.content_everywhere_bytes_share = bytes_share.value_or(p.content_everywhere_share);
      cr.finish();
    } else {
      p.content_everywhere_bytes_share = p.content_everywhere_share;
    }
    r.finish();
    return p;
  }

 private:
  // Each home site needs `copies` other built sites its scope allows: all sites (any), EEA
  // sites (eea), or sites on the same side of the EEA border as the home (same_jurisdiction).
  void check_replicas(const Policies& p, MapReader& rr) {
    if (p.replication_copies == 0 || s_.build_out.empty()) return;
    std::size_t eea = 0, other = 0;
    for (const auto& id : s_.build_out)
      if (const Site* st = s_.find_site(id)) (s_.in_eea(st->country) ? eea : other)++;
    const std::size_t need = static_cast<std::size_t>(p.replication_copies) + 1;
    std::string problem;
    if (p.replication_scope == ReplicationScope::Any && s_.build_out.size() < need)
      problem = std::to_string(s_.build_out.size()) + " sites in build_out";
    else if (p.replication_scope == ReplicationScope::Eea && eea < need)
      problem = std::to_string(eea) + " EEA sites in build_out (scope eea)";
    else if (p.replication_scope == ReplicationScope::SameJurisdiction &&
             ((eea > 0 && eea < need) || (other > 0 && other < need)))
      problem = std::to_string(eea) + " EEA and " + std::to_string(other) +
                " non-EEA sites in build_out (scope same_jurisdiction)";
    if (problem.empty()) return;
    const DocNode* n = rr.take("copies");
    diags_.error(n ? n->loc : rr.loc(), rr.path_of("copies"),
                 std::to_string(p.replication_copies) + " copies need " + std::to_string(need) +
                     " sites a home can replicate to; there are " + problem);
  }

  // EEA users under eea_only need an EEA site; map mode needs a site for every country.
  // Checked for the base policies and for the policies each switch puts in force.
  void check_reachability() {
    // Point at the residency mode where one is written (the file that chose it), else at
    // the policies section.
    SourceLoc base_loc = policies_node_ ? policies_node_->loc : root_.loc;
    std::string base_path = "policies";
    if (const DocNode* res = policies_node_ && policies_node_->is_map() ? policies_node_->find("residency") : nullptr)
      if (const DocNode* mode = res->is_map() ? res->find("mode") : nullptr) {
        base_loc = mode->loc;
        base_path = "policies.residency.mode";
      }
    check_reachability(s_.policies, base_loc, base_path);
    for (std::size_t i = 0; i < s_.events.size(); ++i)
      if (s_.events[i].kind == EventKind::PolicySwitch)
        check_reachability(s_.events[i].policies_after, event_locs_[i],
                           index_path("events", i) + ".set");
  }

  void check_reachability(const Policies& p, const SourceLoc& loc, const std::string& path) {
    if (s_.build_out.empty() || s_.regions.empty()) return;
    if (p.residency == ResidencyMode::EeaOnly || p.residency == ResidencyMode::EeaOrAdequate) {
      bool any_eea_site = false;
      for (const auto& id : s_.build_out)
        if (const Site* st = s_.find_site(id); st && (s_.in_eea(st->country) || (p.residency == ResidencyMode::EeaOrAdequate &&
                                                                                 s_.adequate_at(st->country, s_.meta.start_utc_s, p))))
          any_eea_site = true;
      if (!any_eea_site) {
        for (const auto& g : s_.regions)
          if (s_.in_eea(g.country)) {
            diags_.error(loc, path,
                         "region '" + g.id + "' (" + g.country +
                             ") has no allowed site: residency is " +
                             (p.residency == ResidencyMode::EeaOnly ? "eea_only" : "eea_or_adequate") +
                             " but build_out has no site it allows");
            break;
          }
      }
    }
    if (p.residency == ResidencyMode::Map && p.residency_default_site.empty()) {
      for (const auto& g : s_.regions)
        if (!p.residency_map.count(g.country)) {
          diags_.error(loc, path,
                       "region '" + g.id + "' (" + g.country +
                           ") has no home site: its country is not in residency.map and there is "
                           "no default_site");
          break;
        }
    }
  }

  // ---- events -------------------------------------------------------------------------
  // ---- stored data and migrations ----------------------------------------------------
  // `users: {countries: [..]}` (absent or empty: every EEA country's users).
  UserSelection read_users(MapReader& r) {
    UserSelection u;
    const DocNode* n = r.take("users");
    if (!n) return u;
    MapReader ur(*n, r.path_of("users"), diags_);
    if (const DocNode* cs = ur.take("countries"))
      for_each_item(cs, ur.path_of("countries"), diags_, [&](const DocNode& c, const std::string& p) {
        if (auto code = to_country_code(c, p, diags_)) {
          check_country(&c, p, *code);
          u.countries.push_back(*code);
        }
      });
    ur.finish();
    return u;
  }

  // A built site named at `key`: data lives and moves only where there are servers.
  bool read_built_site(const DocNode& n, const std::string& path, std::string& out) {
    auto id = to_id(n, path, diags_);
    return id && check_built_site(*id, n, path, out);
  }
  bool check_built_site(const std::string& id, const DocNode& at, const std::string& path, std::string& out) {
    check_ref(&at, path, id, sites_, "site");
    if (sites_.count(id) && !built(id)) {
      diags_.error(at.loc, path, "site '" + id + "' is not in build_out (data is held and moved only at built sites)");
      return false;
    }
    out = id;
    return sites_.count(id) > 0;
  }

  void read_data(const DocNode* n) {
    if (!n) return;
    MapReader r(*n, "data", diags_);
    r.required("personal_bytes_per_user", s_.data.personal_bytes_per_user, Range{0, 1e15});
    r.optional("deletion_per_day", s_.data.deletion_per_day, Range{0, 1});
    r.optional("content_bytes_per_user", s_.data.content_bytes_per_user, Range{0, 1e15});
    r.optional("content_deletion_per_day", s_.data.content_deletion_per_day, Range{0, 1});
    if (const DocNode* legacy = r.take("legacy"))
      for_each_item(legacy, r.path_of("legacy"), diags_, [&](const DocNode& item, const std::string& path) {
        MapReader lr(item, path, diags_);
        LegacyStock stock;
        const bool kind_read = read_kind(lr, stock.kind);
        // Personal data away from home sends the users' requests there: only with bytes to hold.
        if (kind_read && stock.kind == DataKind::Personal && !(s_.data.personal_bytes_per_user > 0))
          diags_.error(item.loc, path, "personal data held away from home needs data.personal_bytes_per_user above 0 (or kind: content)");
        stock.users = read_users(lr);
        const DocNode* sites = lr.take_required("sites");
        double total = 0;
        if (sites && !sites->is_map()) diags_.error(sites->loc, lr.path_of("sites"), "expected a map of site id to share, like {us-east: 0.8, singapore: 0.2}");
        if (sites && sites->is_map())
          for (const DocEntry& e : sites->entries) {
            const std::string p = lr.path_of("sites") + "." + e.key;
            std::string id;
            const auto share = to_number(e.value, p, diags_, Range{0, 1});
            if (check_built_site(e.key, e.value, p, id) && share) {
              stock.sites.emplace_back(id, *share);
              total += *share;
            }
          }
        if (sites && total > 1 + 1e-9)
          diags_.error(sites->loc, lr.path_of("sites"), "shares add up to " + std::to_string(total) + ", more than 1");
        lr.finish();
        s_.data.legacy.push_back(std::move(stock));
      });
    if (const DocNode* re = r.take("rehome")) {
      MapReader rr(*re, r.path_of("rehome"), diags_);
      rr.optional("rate_gbps", s_.data.rehome_rate_gbps, Range{0, 1e6, true});
      rr.choice<MigrationPriority>("priority", s_.data.rehome_priority,
                                   {{"background", MigrationPriority::Background}, {"reserved", MigrationPriority::Reserved}}, false);
      rr.finish();
    }
    r.finish();
  }

  // `kind: personal | content` (default personal); content needs data.content_bytes_per_user.
  /// False when `kind` is given but unreadable (already reported).
  bool read_kind(MapReader& r, DataKind& kind) {
    const DocNode* n = r.take("kind");
    if (!n) return true;
    DataKind k = DataKind::Personal;
    const auto text = to_text(*n, r.path_of("kind"), diags_);
    if (!text) return false;
    if (*text == "personal")
      k = DataKind::Personal;
    else if (*text == "content")
      k = DataKind::Content;
    else {
      diags_.error(n->loc, r.path_of("kind"), "unknown kind '" + *text + "' (expected personal or content)");
      return false;
    }
    if (k == DataKind::Content && !s_.data.content_bytes_per_user)
      diags_.error(n->loc, r.path_of("kind"), "content is stored only with data.content_bytes_per_user");
    kind = k;
    return true;
  }

  void read_migrations(const DocNode* n) {
    if (!n) return;
    std::vector<SourceLoc> locs;
    for_each_item(n, "migrations", diags_, [&](const DocNode& item, const std::string& path) {
      MapReader r(item, path, diags_);
      Migration m;
      m.id = "migration-" + std::to_string(s_.migrations.size() + 1);
      r.optional_id("id", m.id);
      if (read_kind(r, m.kind) && m.kind == DataKind::Personal && !(s_.data.personal_bytes_per_user > 0))
        diags_.error(item.loc, path, "this wave moves stored personal data: give data.personal_bytes_per_user (or kind: content)");
      m.users = read_users(r);
      if (const DocNode* from = r.take_required("from"))
        for_each_item(from, r.path_of("from"), diags_, [&](const DocNode& f, const std::string& p) {
          std::string id;
          if (read_built_site(f, p, id)) m.from.push_back(id);
        });
      if (const DocNode* to = r.take_required("to")) {
        // `home`: each user's home under the residency tables (the site their requests go to).
        if (const auto id = to_id(*to, r.path_of("to"), diags_)) {
          if (*id == kMigrateToHome)
            m.to = kMigrateToHome;
          else
            check_built_site(*id, *to, r.path_of("to"), m.to);
        }
      }
      if (!m.to.empty() && std::find(m.from.begin(), m.from.end(), m.to) != m.from.end())
        diags_.error(r.loc(), r.path_of("to"), "the destination '" + m.to + "' is also a source");
      ScenarioEvent when;  // the start reads as an event's time: at_utc or at_offset_h
      read_event_time(r, when);
      m.start = when.at;
      if (when.duration) m.deadline = when.at + *when.duration;
      r.required("rate_gbps", m.rate_gbps, Range{0, 1e6, true});
      r.choice<MigrationPriority>("priority", m.priority,
                                  {{"background", MigrationPriority::Background}, {"reserved", MigrationPriority::Reserved}}, false);
      r.finish();
      s_.migrations.push_back(std::move(m));
      locs.push_back(item.loc);
    });
    report_duplicate_ids(s_.migrations, [](const Migration& m) -> const std::string& { return m.id; }, locs, "migrations", diags_);
  }

  void read_events(const DocNode* n) {
    std::vector<SourceLoc> locs;
    for_each_item(n, "events", diags_, [&](const DocNode& item, const std::string& path) {
      MapReader r(item, path, diags_);
      ScenarioEvent ev;
      r.choice<EventKind>("kind", ev.kind,
                          {{"site_outage", EventKind::SiteOutage},
                           {"link_cut", EventKind::LinkCut},
                           {"srlg_cut", EventKind::SrlgCut},
                           {"site_online", EventKind::SiteOnline},
                           {"site_offline", EventKind::SiteOffline},
                           {"capacity_change", EventKind::CapacityChange},
                           {"demand_surge", EventKind::DemandSurge},
                           {"policy_switch", EventKind::PolicySwitch}},
                          true);
      ev.id = "event-" + std::to_string(s_.events.size() + 1);
      r.optional_id("id", ev.id);
      read_event_time(r, ev);
      switch (ev.kind) {
        case EventKind::SiteOutage:
          read_event_site(r, ev);
          r.optional("capacity_loss", ev.capacity_loss, Range{0, 1, true});
          break;
        case EventKind::SiteOnline:
        case EventKind::SiteOffline:
          read_event_site(r, ev);
          break;
        case EventKind::CapacityChange:
          read_event_site(r, ev);
          r.required("capacity_factor", ev.capacity_factor, Range{0, 100});
          break;
        case EventKind::LinkCut:
          read_event_link(r, ev);
          break;
        case EventKind::SrlgCut:
          read_event_srlg(r, ev);
          break;
        case EventKind::DemandSurge:
          read_event_surge(r, ev);
          break;
        case EventKind::PolicySwitch:
          read_event_policy(r, ev);
          break;
      }
      r.finish();
      s_.events.push_back(std::move(ev));
      locs.push_back(item.loc);
      event_locs_.push_back(item.loc);
    });
    if (s_.events.size() > kMaxEvents)
      diags_.error(n->loc, "events", std::to_string(s_.events.size()) + " events; at most " + std::to_string(kMaxEvents) +
                                         " (each keeps per-country latency histograms for its window): split the run into windows or fewer events");
    report_duplicate_ids(s_.events, [](const ScenarioEvent& e) -> const std::string& { return e.id; },
                         locs, "events", diags_);
    chain_policy_switches();
  }

  void read_event_time(MapReader& r, ScenarioEvent& ev) {
    const DocNode* utc = r.take("at_utc");
    const DocNode* off = r.take("at_offset_h");
    if (utc && off) {
      diags_.error(off->loc, r.path_of("at_offset_h"), "give at_utc or at_offset_h, not both");
    } else if (!utc && !off) {
      diags_.error(r.loc(), r.path_of("at_utc"), "missing start time (at_utc or at_offset_h)");
    } else if (utc) {
      if (auto t = to_utc_seconds(*utc, r.path_of("at_utc"), diags_)) {
        ev.at = sim::seconds(*t - s_.meta.start_utc_s);
        // At the run's end nothing is left for it to act on: it would never happen.
        if (ev.at < sim::SimDuration{0} || ev.at >= s_.meta.duration)
          diags_.error(utc->loc, r.path_of("at_utc"), "outside the run (from meta.start_utc, before its end at duration_h)");
      }
    } else if (auto h = to_number(*off, r.path_of("at_offset_h"), diags_, Range{0, kMaxDurationH})) {
      ev.at = hours_to_duration(*h);
      if (ev.at >= s_.meta.duration)
        diags_.error(off->loc, r.path_of("at_offset_h"), "at or after the end of the run (duration_h): it would never happen");
    }
    std::optional<double> dur_h;
    r.optional("duration_h", dur_h, Range{0, kMaxDurationH, true});
    if (dur_h) ev.duration = hours_to_duration(*dur_h);
  }

  void read_event_site(MapReader& r, ScenarioEvent& ev) {
    r.required_id("site", ev.site);
    const DocNode* n = r.take("site");
    check_ref(n, r.path_of("site"), ev.site, sites_, "site");
    if (n && sites_.count(ev.site) && !built(ev.site))
      diags_.error(n->loc, r.path_of("site"),
                   "site '" + ev.site + "' is not in build_out (events act on built sites)");
  }

  void read_event_link(MapReader& r, ScenarioEvent& ev) {
    const DocNode* between = r.take_required("between");
    if (!between) return;
    std::vector<std::string> ends;
    for_each_item(between, r.path_of("between"), diags_, [&](const DocNode& h, const std::string& p) {
      if (auto id = to_id(h, p, diags_)) {
        check_ref(&h, p, *id, hubs_, "hub");
        ends.push_back(*id);
      }
    });
    if (between->is_sequence() && between->items.size() != 2) {
      diags_.error(between->loc, r.path_of("between"), "a link is named by its two hubs: [A, B]");
      return;
    }
    if (ends.size() != 2) return;
    ev.link_a = ends[0];
    ev.link_b = ends[1];
    const bool exists = std::any_of(s_.network.links.begin(), s_.network.links.end(), [&](const Link& l) {
      return (l.a == ev.link_a && l.b == ev.link_b) || (l.a == ev.link_b && l.b == ev.link_a);
    });
    if (!exists && hubs_.count(ev.link_a) && hubs_.count(ev.link_b) &&
        s_.network.mode == NetworkMode::Explicit)
      diags_.error(between->loc, r.path_of("between"),
                   "no link between " + ev.link_a + " and " + ev.link_b + " in network.links");
  }

  void read_event_srlg(MapReader& r, ScenarioEvent& ev) {
    const DocNode* group = r.take_required("group");
    if (!group) return;
    auto id = to_id(*group, r.path_of("group"), diags_);
    if (!id) return;
    std::set<std::string> groups;
    for (const auto& l : s_.network.links) groups.insert(l.srlg.begin(), l.srlg.end());
    check_ref(group, r.path_of("group"), *id, groups, "shared-risk link group (srlg: of network.links)");
    ev.srlg = *id;
  }

  void read_event_surge(MapReader& r, ScenarioEvent& ev) {
    for_each_item(r.take("countries"), r.path_of("countries"), diags_, [&](const DocNode& c, const std::string& p) {
      if (auto code = to_country_code(c, p, diags_)) {
        check_country(&c, p, *code);
        ev.countries.push_back(*code);
      }
    });
    std::set<std::string> region_ids;
    for (const auto& g : s_.regions) region_ids.insert(g.id);
    for_each_item(r.take("regions"), r.path_of("regions"), diags_, [&](const DocNode& g, const std::string& p) {
      if (auto id = to_id(g, p, diags_)) {
        check_ref(&g, p, *id, region_ids, "region");
        ev.regions.push_back(*id);
      }
    });
    std::set<std::string> class_names;
    for (const auto& c : s_.traffic.classes) class_names.insert(c.name);
    for_each_item(r.take("classes"), r.path_of("classes"), diags_, [&](const DocNode& c, const std::string& p) {
      if (auto id = to_id(c, p, diags_)) {
        check_ref(&c, p, *id, class_names, "request class");
        ev.classes.push_back(*id);
      }
    });
    if (ev.countries.empty() && ev.regions.empty() && !r.has("countries") && !r.has("regions"))
      diags_.error(r.loc(), r.path_of("countries"), "a demand surge needs countries or regions");
    // An explicit empty list would surge no one (and classes: [] is not "every class",
    // which is what leaving classes out means).
    for (const char* key : {"countries", "regions", "classes"}) {
      const DocNode* list = r.has(key) ? r.take(key) : nullptr;
      if (list && list->is_sequence() && list->items.empty())
        diags_.error(list->loc, r.path_of(key),
                     std::string(key) == "classes" ? "an empty list surges no request class; leave classes out to surge every class"
                                                   : "an empty list surges no one; list the " + std::string(key) +
                                                         " to surge (a surge needs countries or regions)");
    }
    r.required("demand_factor", ev.demand_factor, Range{0, 1000});
    if (!ev.duration) diags_.error(r.loc(), r.path_of("duration_h"), "a demand surge needs duration_h");
  }

  void read_event_policy(MapReader& r, ScenarioEvent& ev) {
    const DocNode* set = r.take_required("set");
    if (!set) return;
    MapReader sr(*set, r.path_of("set"), diags_);
    if (!set->is_map()) return;
    for (const auto& e : set->entries) {
      sr.take(e.key);
      if (e.key.rfind("policies.", 0) != 0) {
        diags_.error(e.key_loc, sr.path_of(e.key),
                     "a policy switch can only set keys under policies. (e.g. policies.residency.mode)");
        continue;
      }
      ev.policy_set.emplace_back(e.key, e.value.is_scalar() ? e.value.scalar : std::string());
      policy_patches_.push_back({s_.events.size(), &e});  // ev is pushed next
    }
    sr.finish();
    if (set->entries.empty()) diags_.error(set->loc, r.path_of("set"), "nothing to switch");
  }

  // Each switch applies on top of the policies in force before it (earlier switches first).
  void chain_policy_switches() {
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < s_.events.size(); ++i)
      if (s_.events[i].kind == EventKind::PolicySwitch) order.push_back(i);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return s_.events[a].at < s_.events[b].at; });
    DocNode current;
    current.kind = DocNode::Kind::Map;
    if (policies_node_) {
      DocEntry e;
      e.key = "policies";
      e.value = *policies_node_;
      current.entries.push_back(std::move(e));
    }
    for (std::size_t idx : order) {
      ScenarioEvent& ev = s_.events[idx];
      for (const auto& [event_index, entry] : policy_patches_)
        if (event_index == idx) apply_patch(current, entry->key, entry->value, entry->key_loc, diags_);
      const DocNode* pol = current.find("policies");
      DocNode empty;
      ev.policies_after = read_policies(pol ? *pol : empty, "policies");
    }
    policy_patches_.clear();
  }

  // ---- outputs, variants ---------------------------------------------------------------
  void read_outputs(const DocNode* n) {
    if (!n) return;
    MapReader r(*n, "outputs", diags_);
    if (const DocNode* p = r.take("latency_percentiles")) {
      s_.outputs.latency_percentiles.clear();
      std::vector<std::pair<std::string, SourceLoc>> labels;  // column label → where first listed
      bool all_read = true;
      for_each_item(p, r.path_of("latency_percentiles"), diags_, [&](const DocNode& v, const std::string& path) {
        auto x = to_number(v, path, diags_, Range{0, 100, true});
        if (!x) {
          all_read = false;
          return;
        }
        // Each percentile is a column p<q>_ms (and figures latency_p<q>_ms, ttfb_p<q>_ms)
        // printed with %g: at most 3 decimals keep that label exact and distinct.
        const double thousandths = *x * 1000;
        if (*x < 0.001 || std::fabs(thousandths - std::round(thousandths)) > 1e-6) {
          diags_.error(v.loc, path, "a percentile has at most 3 decimals and is at least 0.001 (its column is p<q>_ms; got " + v.scalar + ")");
          all_read = false;
          return;
        }
        char label[32];
        std::snprintf(label, sizeof label, "p%g_ms", *x);
        const auto same = std::find_if(labels.begin(), labels.end(), [&](const auto& l) { return l.first == label; });
        if (same != labels.end()) {
          diags_.error(v.loc, path, "percentile listed twice (column " + std::string(label) + ", first at " + where(same->second) + ")");
          return;
        }
        labels.emplace_back(label, v.loc);
        s_.outputs.latency_percentiles.push_back(*x);
      });
      if (p->is_sequence() && p->items.empty())
        diags_.error(p->loc, r.path_of("latency_percentiles"), "list at least one percentile");
      // dcsim compare, report and place read p50, p90, p95 and p99 back from every run.
      std::string missing;
      for (double q : {50.0, 90.0, 95.0, 99.0})
        if (std::find(s_.outputs.latency_percentiles.begin(), s_.outputs.latency_percentiles.end(), q) ==
            s_.outputs.latency_percentiles.end())
          missing += (missing.empty() ? "" : ", ") + std::to_string(static_cast<int>(q));
      if (p->is_sequence() && !p->items.empty() && all_read && !missing.empty())
        diags_.error(p->loc, r.path_of("latency_percentiles"),
                     "must include 50, 90, 95 and 99 (dcsim compare, report and place read them from every run); missing " + missing +
                         " (add others after them)");
    }
    r.optional("paths", s_.outputs.paths);
    r.finish();
  }

  // ---- placement (dcsim place) -------------------------------------------------------------
  void read_placement(const DocNode* n) {
    if (!n) return;
    PlacementSpec& spec = s_.placement;
    MapReader r(*n, "placement", diags_);
    const DocNode* candidates = r.take("candidates");
    std::vector<std::pair<std::string, SourceLoc>> listed;
    for_each_item(candidates, "placement.candidates", diags_, [&](const DocNode& item, const std::string& path) {
      if (auto id = to_id(item, path, diags_)) {
        check_ref(&item, path, *id, sites_, "site");
        const auto same = std::find_if(listed.begin(), listed.end(), [&](const auto& l) { return l.first == *id; });
        if (same != listed.end()) {
          diags_.error(item.loc, path, "'" + *id + "' listed twice (first at " + where(same->second) + ")");
          return;
        }
        listed.emplace_back(*id, item.loc);
        // A candidate already in build_out is refused by dcsim place, not here: the winner's
        // run loads this scenario with the chosen candidates built.
        if (sites_.count(*id)) spec.candidates.push_back(*id);
      }
    });
    if (candidates && candidates->is_sequence() && candidates->items.empty())
      diags_.error(candidates->loc, "placement.candidates",
                   "an empty list leaves nothing to choose from; leave candidates out to choose from every site with status candidate");
    if (const DocNode* o = r.take("objective")) {
      MapReader orr(*o, "placement.objective", diags_);
      const Range weight{0, 1e12};
      orr.optional("ttfb_mean_ms", spec.objective.ttfb_mean_ms, weight);
      orr.optional("ttfb_p95_ms", spec.objective.ttfb_p95_ms, weight);
      orr.optional("cross_border_pb", spec.objective.cross_border_pb, weight);
      orr.optional("eea_exit_pb", spec.objective.eea_exit_pb, weight);
      orr.optional("capex_meur", spec.objective.capex_meur, weight);
      orr.optional("opex_meur_per_year", spec.objective.opex_meur_per_year, weight);
      orr.optional("carbon_kt_per_year", spec.objective.carbon_kt_per_year, weight);
      orr.finish();
    }
    if (const DocNode* c = r.take("constraints")) {
      MapReader cr(*c, "placement.constraints", diags_);
      cr.optional("max_peak_utilisation", spec.max_peak_utilisation, Range{0, 1, true});
      cr.optional("budget_meur", spec.budget_meur, Range{0, 1e12});
      auto countries = [&](const char* key, std::vector<std::string>& out) {
        for_each_item(cr.take(key), cr.path_of(key), diags_, [&](const DocNode& item, const std::string& path) {
          if (auto code = to_country_code(item, path, diags_)) {
            check_country(&item, path, *code);
            out.push_back(*code);
          }
        });
      };
      countries("require_countries", spec.require_countries);
      countries("exclude_countries", spec.exclude_countries);
      cr.finish();
    }
    r.optional("exhaustive_limit", spec.exhaustive_limit, Range{0, 1e7});
    r.finish();
  }

  // ---- assertions (plan claims, checked after each run) -------------------------------------
  void read_assertions(const DocNode* n) {
    std::vector<SourceLoc> locs;
    for_each_item(n, "assertions", diags_, [&](const DocNode& item, const std::string& path) {
      MapReader r(item, path, diags_);
      Assertion a;
      a.loc = item.loc;
      a.path = path;
      r.required_id("id", a.id);
      if (const DocNode* m = r.take_required("metric")) {
        a.metric_loc = m->loc;
        if (auto t = to_text(*m, r.path_of("metric"), diags_)) a.metric = *t;
      }
      if (const DocNode* c = r.take("country"))
        if (auto code = to_country_code(*c, r.path_of("country"), diags_)) {
          check_country(c, r.path_of("country"), *code);
          a.country = *code;
        }
      if (const DocNode* st = r.take("site"))
        if (auto id = to_id(*st, r.path_of("site"), diags_)) {
          check_ref(st, r.path_of("site"), *id, sites_, "site");
          a.site = *id;
        }
      r.optional("min", a.min);
      r.optional("max", a.max);
      r.optional("description", a.description);
      if (!a.country.empty() && !a.site.empty()) diags_.error(item.loc, path, "give country or site, not both");
      if (item.is_map() && !a.min && !a.max && !r.has("min") && !r.has("max"))
        diags_.error(item.loc, path, "a claim needs a bound: max, min or both");
      if (a.min && a.max && *a.min > *a.max) diags_.error(item.loc, path, "min is above max: no value could pass");
      r.finish();
      locs.push_back(item.loc);
      s_.assertions.push_back(std::move(a));
    });
    report_duplicate_ids(s_.assertions, [](const Assertion& a) -> const std::string& { return a.id; }, locs, "assertions", diags_);
  }

  void read_variants(const DocNode* n) {
    std::vector<SourceLoc> locs;
    struct Named {
      std::string name;
    };
    std::vector<Named> named;
    for_each_item(n, "variants", diags_, [&](const DocNode& item, const std::string& path) {
      MapReader r(item, path, diags_);
      std::string name, description;
      r.required_id("name", name);
      if (name == "base") {
        // run ids, run folders and sweeps (`variants: [base, ...]`, `all`) name the scenario
        // without a variant "base": a variant of that name would be taken for it.
        diags_.error(item.find("name")->loc, r.path_of("name"),
                     "the name 'base' is reserved for the scenario without a variant (run folders, sweeps); choose another name");
        name.clear();
      }
      r.optional("description", description);
      const DocNode* set = r.take_required("set");
      if (set) {
        MapReader sr(*set, r.path_of("set"), diags_);
        if (set->is_map()) {
          for (const auto& e : set->entries) sr.take(e.key);
          if (set->entries.empty()) diags_.error(set->loc, r.path_of("set"), "a variant must change something");
        }
        sr.finish();
      }
      r.finish();
      named.push_back({name});
      locs.push_back(item.loc);
      if (!name.empty()) s_.variant_names.push_back(name);
    });
    report_duplicate_ids(named, [](const Named& v) -> const std::string& { return v.name; }, locs,
                         "variants", diags_);
    std::sort(s_.variant_names.begin(), s_.variant_names.end());
    s_.variant_names.erase(std::unique(s_.variant_names.begin(), s_.variant_names.end()),
                           s_.variant_names.end());
  }

  const DocNode& root_;
  Diagnostics& diags_;
  Scenario s_;
  std::set<std::string> countries_, hubs_, sites_;
  std::unique_ptr<MapReader> network_reader_;
  const DocNode* build_out_node_ = nullptr;
  const DocNode* policies_node_ = nullptr;
  std::vector<SourceLoc> event_locs_;
  std::vector<std::pair<std::size_t, const DocEntry*>> policy_patches_;  // event index, patch
};

}  // namespace

Scenario read_scenario(const DocNode& root, Diagnostics& diags) {
  ScenarioReader reader(root, diags);
  return reader.read();
}

}  // namespace dcsim::models
