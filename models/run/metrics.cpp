// Metrics storage and the interval arithmetic of busy time.
#include "models/run/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace dcsim::models {

const char* name(FlowKind k) {
  switch (k) {
    case FlowKind::Serve: return "serve";
    case FlowKind::Edge: return "edge";
    case FlowKind::Replica: return "replica";
    case FlowKind::Export: return "export";
    case FlowKind::Catchup: return "catchup";
    case FlowKind::Fetch: return "fetch";
  }
  return "?";
}

const char* name(LegalBasis b) {
  switch (b) {
    case LegalBasis::Adequacy: return "adequacy";
    case LegalBasis::AdequacyCertified: return "adequacy_certified";
    case LegalBasis::ThirdCountry: return "third_country";
  }
  return "?";
}

const char* name(ExitReason r) {
  switch (r) {
    case ExitReason::Policy: return "policy";
    case ExitReason::Spill: return "spill";
    case ExitReason::Failover: return "failover";
    case ExitReason::EmployeeAccess: return "employee_access";
    case ExitReason::Export: return "export";
    case ExitReason::Replication: return "replication";
    case ExitReason::LegacyLocation: return "legacy_location";
    case ExitReason::Fetch: return "fetch";
  }
  return "?";
}

const char* name(DropReason r) {
  switch (r) {
    case DropReason::QueueFull: return "queue_full";
    case DropReason::HomeDown: return "home_down";
    case DropReason::NoSite: return "no_site";
    case DropReason::Unreachable: return "unreachable";
  }
  return "?";
}

std::size_t Metrics::country_index(const std::string& code) const {
  return static_cast<std::size_t>(std::find(countries_.begin(), countries_.end(), code) - countries_.begin());
}

void Metrics::record_drop(std::size_t country, std::size_t cls, DropReason why, double weight, sim::SimTime t) {
  const auto r = static_cast<std::size_t>(why);
  dropped_total += weight;
  dropped(country, cls) += weight;
  dropped_by_[r] += weight;
  for (auto& e : events)
    if (t >= e.start && t < e.end) {
      e.dropped += weight;
      e.dropped_by[r] += weight;
    }
}

Metrics::Metrics(std::vector<std::string> countries, std::vector<std::string> sites, std::vector<std::string> classes,
                 std::size_t intervals, sim::SimDuration interval)
    : countries_(std::move(countries)), sites_(std::move(sites)), classes_(std::move(classes)),
      columns_(sites_.size() + 1), classes_n_(classes_.size()), intervals_(std::max<std::size_t>(1, intervals)), interval_(interval),
      cursor_(interval, intervals_) {
  const std::size_t nc = countries_.size(), ns = sites_.size() + 1, nk = classes_.size();
  flows_.resize(nc * ns * nk * kFlowKinds);
  exits_.resize(nc * ns * kExitReasons);
  exit_bases_.resize(nc * ns * kLegalBases);
  latency_.assign(nc * nk, sim::Histogram(kLatencyPrecisionBits));
  ttfb_.assign(nc * nk, sim::Histogram(kLatencyPrecisionBits));
  site_series_.resize(sites_.size() * intervals_);
  dropped_.resize(nc * nk);
  eea_data_by_interval.assign(intervals_, 0.0);
  eea_exit_by_interval.assign(intervals_, 0.0);
  legacy_exit_by_interval_country.assign(intervals_ * countries_.size(), 0.0);
}

std::size_t IntervalCursor::locate(std::int64_t ns) {
  const std::int64_t i = std::clamp<std::int64_t>(ns / width_, 0, last_);
  from_ = i == 0 ? std::numeric_limits<std::int64_t>::min() : i * width_;
  to_ = i == last_ ? std::numeric_limits<std::int64_t>::max() : (i + 1) * width_;
  index_ = static_cast<std::size_t>(i);
  return index_;
}

void Metrics::add_busy(std::size_t site, sim::SimTime start, sim::SimTime end, double weight, IntervalCursor& at) {
  const std::int64_t w = interval_.count();
  const std::int64_t horizon = w * static_cast<std::int64_t>(intervals_);
  std::int64_t a = start.time_since_epoch().count(), b = std::min(end.time_since_epoch().count(), horizon);
  while (a < b) {  // 0 <= a < horizon here, so interval_of(a) = a / w
    const auto i = static_cast<std::int64_t>(at.of(sim::SimTime{sim::SimDuration{a}}));
    const std::int64_t stop = std::min(b, (i + 1) * w);
    site_series_[site * intervals_ + static_cast<std::size_t>(i)].busy_ns += static_cast<double>(stop - a) * weight;
    a = stop;
  }
}

double Metrics::conservation_error() const {
  if (generated <= 0) return 0;
  return std::fabs(generated - (served + dropped_total + lost + denied + in_flight)) / generated;
}

}  // namespace dcsim::models
