// Stream seeding, per-class samplers, and the merge of streams on the engine.
#include "models/traffic/traffic_generator.hpp"

#include <cmath>

#include "models/scenario/stable_hash.hpp"

namespace dcsim::models {

namespace {
constexpr std::uint64_t kTrafficTag = 0x7472616666696321ULL;  // "traffic!"
}  // namespace

TrafficGenerator::TrafficGenerator(const World& world, const Demand& demand, std::uint64_t seed)
    : demand_(demand) {
  const Scenario& s = world.scenario();
  for (const auto& c : s.traffic.classes) {
    ClassSampler cs{};
    cs.size_dist = c.size.dist;
    cs.size_mean = c.size.mean_bytes;
    if (c.size.dist == SizeDist::Lognormal) cs.size_ln = sim::lognormal_from_moments(c.size.mean_bytes, c.size.cv * c.size.mean_bytes);
    cs.service_dist = c.service_time.dist;
    cs.service_mean_s = sim::to_seconds(c.service_time.mean);
    if (c.service_time.dist == ServiceDist::Lognormal)
      cs.service_ln = sim::lognormal_from_moments(cs.service_mean_s, c.service_time.cv * cs.service_mean_s);
    cs.edge_hit_ratio = c.cacheable ? c.edge_cache_hit_ratio : 0.0;
    classes_.push_back(cs);
  }
  std::vector<double> users;
  for (const auto& r : world.regions()) {
    users.push_back(r.monthly_users);
    agents_.push_back(std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(r.monthly_users / demand.weight))));
  }
  subject_picker_ = std::make_unique<sim::AliasTable>(users);
  for (std::size_t i = 0; i < demand.streams.size(); ++i) {
    const DemandStream& d = demand.streams[i];
    const TrafficClass& cls = s.traffic.classes[d.class_index];
    const std::string origin = d.origin == StreamOrigin::Region ? "region:" + world.regions()[d.origin_index].region->id
                                                                : "staff:" + cls.staff[d.origin_index].id;
    const std::uint64_t key = sim::stream_key(sim::stream_key(kTrafficTag, stable_hash(origin)), stable_hash(cls.name));
    states_.push_back({sim::RandomStream(seed, key), {}});
    shapes_.push_back({d.origin_index, d.class_index, d.origin == StreamOrigin::Region,
                       d.origin == StreamOrigin::Region && cls.kind == ClassKind::Read});
  }
  engine_.reserve(demand.streams.size() + 1);
  // Ties between streams keep a fixed order: the engine breaks them by insertion sequence,
  // which follows from earlier (deterministic) draws.
  for (std::uint32_t i = 0; i < demand.streams.size(); ++i)
    if (const sim::SimTime t = next_arrival(i); t != sim::kNever) engine_.schedule_at(t, i);
}

sim::SimTime TrafficGenerator::next_arrival(std::uint32_t stream) {
  StreamState& st = states_[stream];
  const sim::SimTime t = st.cursor.next(demand_.streams[stream].rate, st.rng);
  return t == sim::kNever ? t : std::max(t, engine_.now());
}

bool TrafficGenerator::next_chunk(std::vector<Request>& out, std::size_t max) {
  const std::size_t before = out.size(), hits_before = edge_hits_.size();
  auto handler = [&](sim::Engine<std::uint32_t>& eng, std::uint32_t stream) {
    StreamState& st = states_[stream];
    const StreamShape& d = shapes_[stream];
    const ClassSampler& cs = classes_[d.class_index];
    // Built in place: a Request assembled on the stack and then copied is read back in
    // 16-byte moves over narrower stores, which cannot be store-forwarded (~45% of this
    // function's time went to that stall; tools/bench/README.md, run_bench).
    Request& r = out.emplace_back();
    r.t = eng.now();
    r.stream = stream;
    r.subject_region = d.region ? d.origin_index : subject_picker_->sample(st.rng);
    r.user = st.rng.uniform_below(agents_[r.subject_region]);
    switch (cs.size_dist) {
      case SizeDist::Fixed: r.size_bytes = cs.size_mean; break;
      case SizeDist::Exponential: r.size_bytes = sim::exponential(st.rng, cs.size_mean); break;
      case SizeDist::Lognormal: r.size_bytes = sim::lognormal(st.rng, cs.size_ln); break;
    }
    double service_s = cs.service_mean_s;
    switch (cs.service_dist) {
      case ServiceDist::Deterministic: break;
      case ServiceDist::Exponential: service_s = sim::exponential(st.rng, cs.service_mean_s); break;
      case ServiceDist::Lognormal: service_s = sim::lognormal(st.rng, cs.service_ln); break;
    }
    r.service = sim::from_seconds(service_s);
    r.edge_hit = cs.edge_hit_ratio > 0 && st.rng.uniform01() < cs.edge_hit_ratio;
    if (r.edge_hit && set_apart_ && d.users_read) {
      edge_hits_.push_back({r.t, stream, r.size_bytes});
      out.pop_back();
    }
    if (const sim::SimTime t = next_arrival(stream); t != sim::kNever) eng.reschedule_at(t);
    // A call ends at `max` requests appended or `max` set apart: the caller serves the hits
    // set apart after each call, so a long run of them does not pile up here.
    if (out.size() - before >= max || edge_hits_.size() - hits_before >= max) eng.stop();
  };
  engine_.run(handler);
  return out.size() > before || edge_hits_.size() > hits_before;
}

}  // namespace dcsim::models
