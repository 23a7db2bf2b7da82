// Headline figures from Metrics, and the figure table's lookups.
#include "models/run/summary.hpp"

#include "models/run/link_summary.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <stdexcept>

namespace dcsim::models {

namespace {

std::optional<double> percentile_of(const std::vector<Percentile>& ps, double q) {
  for (const Percentile& p : ps)
    if (p.q == q) return p.ms;
  return std::nullopt;
}

}  // namespace

std::optional<double> Headline::latency_p(double q) const { return percentile_of(latency_ms, q); }
std::optional<double> Headline::ttfb_p(double q) const { return percentile_of(ttfb_ms, q); }

std::optional<double> Headline::find(FigureName name) const {
  double q = 0;
  const HeadlineFigure* f = find_figure(name.text(), &q);
  Headline& self = const_cast<Headline&>(*this);  // read only: the table's accessors serve readers and writers
  return f->is_family() ? percentile_of(f->percentiles(self), q) : f->value(self);
}

double Headline::get(FigureName name) const {
  if (const auto v = find(name)) return *v;
  throw std::out_of_range("this run has no " + std::string(name.text()) + " (see outputs.latency_percentiles)");
}

std::string_view unit_name(FigureUnit u) {
  switch (u) {
    case FigureUnit::Requests: return "requests";
    case FigureUnit::Bytes: return "bytes";
    case FigureUnit::Fraction: return "fraction";
    case FigureUnit::Ms: return "ms";
    case FigureUnit::Hours: return "h";
    case FigureUnit::Gbps: return "Gbps";
  }
  return "?";
}

int figure_decimals(FigureUnit u) { return u == FigureUnit::Fraction ? 6 : 3; }

std::string HeadlineFigure::name_for(double q) const {
  if (!is_family()) return std::string(name);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", q);
  const std::size_t hole = name.find("<q>");
  return std::string(name.substr(0, hole)) + buf + std::string(name.substr(hole + 3));
}

const HeadlineFigure* find_figure(std::string_view name, double* q) {
  for (const HeadlineFigure& f : kHeadlineFigures) {
    if (!f.is_family()) {
      if (f.name == name) return &f;
      continue;
    }
    if (!detail::matches_family(f.name, name)) continue;
    const std::size_t hole = f.name.find("<q>"), tail = f.name.size() - hole - 3;
    double value = 0;
    const char* first = name.data() + hole;
    const char* last = name.data() + name.size() - tail;
    if (std::from_chars(first, last, value).ptr != last || value > 100) return nullptr;
    if (q) *q = value;
    return &f;
  }
  return nullptr;
}

std::vector<HeadlineRow> headline_rows(const Headline& h) {
  Headline& self = const_cast<Headline&>(h);  // read only: the accessors serve readers too
  std::vector<HeadlineRow> rows;
  for (const HeadlineFigure& f : kHeadlineFigures) {
    if (!f.is_family()) {
      rows.push_back({std::string(f.name), f.value(self), &f});
      continue;
    }
    for (const Percentile& p : f.percentiles(self)) rows.push_back({f.name_for(p.q), p.ms, &f});
  }
  return rows;
}

std::vector<bool> eea_countries(const Metrics& m, const World& w) {
  std::vector<bool> out;
  for (const auto& c : m.countries()) out.push_back(w.scenario().in_eea(c));
  return out;
}

namespace {

void migration_figures(const Metrics& m, const World& w, Headline& h) {
  for (const auto& tr : m.migration_transfers) h.migrated_bytes += tr.bytes;
  for (const auto& tr : m.migration_transfers) h.migrated_transatlantic_bytes += tr.bytes * tr.transatlantic_share;
  for (const auto& wave : m.migration_waves)
    if (!wave.empty()) h.migration_remaining_bytes += wave.back().remaining_bytes;
  // The last interval at or above 1 %: the share stays below from the end of it.
  long last_above = -1;
  for (std::size_t i = 0; i < m.eea_data_by_interval.size(); ++i)
    if (m.eea_data_by_interval[i] > 0 && m.eea_exit_by_interval[i] >= 0.01 * m.eea_data_by_interval[i]) last_above = static_cast<long>(i);
  const double step_h = sim::to_seconds(w.scenario().meta.report_interval) / 3600;
  h.eea_exit_share_below_1pct_from_h = last_above < 0                                       ? 0.0
                                       : static_cast<std::size_t>(last_above) + 1 >= m.intervals() ? -1.0
                                                                                             : static_cast<double>(last_above + 1) * step_h;
}

}  // namespace

Headline compute_headline(const Metrics& m, const World& w) {
  const std::size_t nc = m.countries().size(), ns = m.sites().size(), nk = m.classes().size();
  double site_bytes = 0, edge_bytes = 0, cross = 0, transit = 0;
  double kind_bytes[kFlowKinds] = {};
  for (std::size_t c = 0; c < nc; ++c)
    for (std::size_t s = 0; s <= ns; ++s)
      for (std::size_t k = 0; k < nk; ++k)
        for (std::size_t f = 0; f < kFlowKinds; ++f) {
          const FlowCell& cell = m.flow(c, s, k, static_cast<FlowKind>(f));
          if (cell.bytes == 0) continue;
          kind_bytes[f] += cell.bytes;
          if (s == ns) {
            edge_bytes += cell.bytes;
            continue;
          }
          site_bytes += cell.bytes;
          transit += cell.transit_bytes;
          if (w.scenario().find_site(m.sites()[s])->country != m.countries()[c]) cross += cell.bytes;
        }
  double exit_by[kExitReasons] = {};
  for (std::size_t c = 0; c < nc; ++c)
    for (std::size_t s = 0; s <= ns; ++s)
      for (std::size_t r = 0; r < kExitReasons; ++r) exit_by[r] += m.exit_bytes(c, s, static_cast<ExitReason>(r));
  double exit_total = 0;
  for (double x : exit_by) exit_total += x;

  sim::Histogram users(kLatencyPrecisionBits), users_ttfb(kLatencyPrecisionBits);
  for (std::size_t c = 0; c < nc; ++c)
    for (std::size_t k = 0; k < nk; ++k)
      if (w.scenario().traffic.classes[k].origin == ClassOrigin::Users) {
        users.merge(m.latency(c, k));
        users_ttfb.merge(m.ttfb(c, k));
      }

  double busy = 0, capacity = 0, peak = 0;
  for (std::size_t s = 0; s < ns; ++s)
    for (std::size_t i = 0; i < m.intervals(); ++i) {
      const SiteInterval& iv = m.site_interval(s, i);
      if (iv.capacity_ns <= 0) continue;
      busy += iv.busy_ns;
      capacity += iv.capacity_ns;
      peak = std::max(peak, iv.busy_ns / iv.capacity_ns);
    }

  auto share = [](double a, double b) { return b > 0 ? a / b : 0.0; };
  Headline h;
  h.generated_requests = m.generated;
  h.served_requests = m.served;
  h.dropped_requests = m.dropped_total;
  for (std::size_t r = 0; r < kDropReasons; ++r) h.dropped_requests_by[r] = m.dropped_by(static_cast<DropReason>(r));
  h.lost_requests = m.lost;
  h.denied_requests = m.denied;
  h.in_flight_requests = m.in_flight;
  h.dropped_share = share(m.dropped_total, m.generated);
  h.site_bytes = site_bytes;
  h.edge_bytes = edge_bytes;
  h.served_bytes = kind_bytes[static_cast<std::size_t>(FlowKind::Serve)];
  h.replica_bytes = kind_bytes[static_cast<std::size_t>(FlowKind::Replica)];
  h.export_bytes = kind_bytes[static_cast<std::size_t>(FlowKind::Export)];
  h.catchup_bytes = kind_bytes[static_cast<std::size_t>(FlowKind::Catchup)];
  h.fetch_bytes = kind_bytes[static_cast<std::size_t>(FlowKind::Fetch)];
  h.cross_border_bytes = cross;
  h.cross_border_share = share(cross, site_bytes);
  h.transit_crossing_bytes = transit;
  h.eea_data_site_bytes = m.eea_data_bytes;
  h.eea_exit_bytes = exit_total;
  h.eea_exit_share = share(exit_total, m.eea_data_bytes);
  for (std::size_t r = 0; r < kExitReasons; ++r) h.eea_exit_bytes_by[r] = exit_by[r];
  for (std::size_t c = 0; c < nc; ++c)
    for (std::size_t s = 0; s <= ns; ++s)
      for (std::size_t b = 0; b < kLegalBases; ++b) h.eea_exit_bytes_by_basis[b] += m.exit_basis_bytes(c, s, static_cast<LegalBasis>(b));
  h.eea_exit_third_country_share =
      share(h.eea_exit_bytes_by_basis[static_cast<std::size_t>(LegalBasis::ThirdCountry)], m.eea_data_bytes);
  h.latency_mean_ms = users.mean() / 1000.0;
  h.ttfb_mean_ms = users_ttfb.mean() / 1000.0;
  for (double q : w.scenario().outputs.latency_percentiles) {
    h.latency_ms.push_back({q, static_cast<double>(users.quantile(q / 100.0)) / 1000.0});
    h.ttfb_ms.push_back({q, static_cast<double>(users_ttfb.quantile(q / 100.0)) / 1000.0});
  }
  h.mean_site_utilisation = share(busy, capacity);
  h.peak_site_utilisation = peak;
  h.conservation_error = m.conservation_error();
  h.undelivered_bytes = m.undelivered_bytes;
  h.owed_at_end_bytes = m.owed_at_end_bytes;
  if (m.link_loads) {
    const LinkHeadline links = summarize_links(m, w);
    h.peak_link_utilisation = links.peak_utilisation;
    h.link_hours_above_80pct_h = links.hours_above_80pct;
    h.submarine_bytes = links.submarine_bytes;
    h.transatlantic_peak_gbps = links.transatlantic_peak_gbps;
  }
  migration_figures(m, w, h);
  return h;
}

}  // namespace dcsim::models
