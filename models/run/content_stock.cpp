// Stored content: primaries per region and site, copies derived from the layout.
#include "models/run/content_stock.hpp"

#include <algorithm>

namespace dcsim::models {

ContentStock::ContentStock(const World& world, std::vector<bool> built, double head_share)
    : regions_(world.regions().size()), sites_(world.sites().size()), built_(std::move(built)), head_(head_share) {
  for (const WorldRegion& r : world.regions()) eea_region_.push_back(r.eea);
  layout_.resize(sites_);
  primary_.assign(regions_ * sites_, 0.0);
  by_home_.assign(2 * sites_, 0.0);
}

void ContentStock::lay_out(const std::vector<std::vector<std::uint16_t>>& replicas) {
  for (std::size_t home = 0; home < sites_; ++home) {
    auto& l = layout_[home];
    const auto& reps = replicas[home];
    l.assign({{home, 0, 1.0}});
    for (auto rep : reps) l.emplace_back(rep, 1, 1.0);
    if (head_ > 0)
      for (std::size_t k = 0; k < sites_; ++k)
        if (built_[k] && k != home && std::find(reps.begin(), reps.end(), k) == reps.end()) l.emplace_back(k, 1, head_);
  }
}

void ContentStock::add(std::size_t region, std::size_t site, double bytes) {
  double& p = primary_[region * sites_ + site];
  const double was = p;
  p = std::max(0.0, p + bytes / scale_);  // a move takes what is there, never more
  by_home_[(eea_region_[region] ? 1 : 0) * sites_ + site] += p - was;
}

void ContentStock::remove_share(double share) {
  scale_ *= 1 - share;
  if (scale_ < 1e-100) {  // fold the factor in before it underflows
    for (double& p : primary_) p *= scale_;
    for (double& b : by_home_) b *= scale_;
    scale_ = 1;
  }
}

std::vector<double> ContentStock::copies() const {
  std::vector<double> out(sites_ * 4, 0.0);
  for (std::size_t g = 0; g < 2; ++g)
    for (std::size_t home = 0; home < sites_; ++home) {
      const double b = by_home_[g * sites_ + home] * scale_;
      if (b > 0)
        for (const auto& [site, copy, share] : layout_[home]) out[copy_index(site, copy, g == 1)] += b * share;
    }
  return out;
}

}  // namespace dcsim::models
