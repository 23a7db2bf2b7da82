// UserPicks: the flat per-user choice gives, user for user, the site an AliasTable over the
// same weights would (the routing tables' picks before it), for fixed and weighted
// regions side by side, and keeps each region's own key.
#include <doctest/doctest.h>

#include <vector>

#include "models/policy/user_picks.hpp"
#include "sim/alias_table.hpp"
#include "sim/random.hpp"

using namespace dcsim;

namespace {

int alias_pick(const std::vector<std::uint16_t>& sites, const sim::AliasTable& table, std::uint64_t seed_key, std::uint64_t key,
               std::uint64_t user) {
  sim::RandomStream rng(sim::RandomStream::Keyed{seed_key}, sim::stream_key(key, user));
  return sites[table.sample(rng)];
}

}  // namespace

TEST_CASE("a flat pick equals the alias table's draw for every user, region by region") {
  const std::uint64_t seed_key = sim::RandomStream::seed_key(12345);
  const std::vector<std::vector<double>> weights{{2400, 1600}, {1, 1, 1}, {5, 0, 3, 0.25, 7}, {1}};
  const std::vector<std::vector<std::uint16_t>> sites{{3, 7}, {0, 1, 2}, {9, 4, 11, 2, 6}, {5}};
  std::vector<sim::AliasTable> tables;
  models::UserPicks picks;
  picks.add_fixed(8);  // region 0: everyone at site 8
  for (std::size_t i = 0; i < weights.size(); ++i) {
    tables.emplace_back(weights[i]);
    picks.add_weighted(sites[i], tables.back(), 1000 + i);  // regions 1..4
  }
  picks.add_fixed(-1);  // region 5: nowhere
  std::vector<int> counts(12, 0);
  for (std::uint64_t user = 0; user < 20000; ++user) {
    CHECK(picks.pick(0, seed_key, user) == 8);
    CHECK(picks.pick(5, seed_key, user) == -1);
    for (std::size_t i = 0; i < weights.size(); ++i) {
      const int got = picks.pick(i + 1, seed_key, user);
      REQUIRE(got == alias_pick(sites[i], tables[i], seed_key, 1000 + i, user));
      if (i == 2) ++counts[static_cast<std::size_t>(got)];
    }
  }
  // The weights are honoured (a zero weight never picked): 5 : 3 : 0.25 : 7 over 15.25.
  CHECK(counts[4] == 0);
  CHECK(counts[2] == doctest::Approx(20000 * 0.25 / 15.25).epsilon(0.25));
  CHECK(counts[6] == doctest::Approx(20000 * 7 / 15.25).epsilon(0.03));
}

TEST_CASE("each region draws with its own key: the same user can land differently in two regions") {
  const std::uint64_t seed_key = sim::RandomStream::seed_key(1);
  const sim::AliasTable table(std::vector<double>{1, 1});
  models::UserPicks picks;
  picks.add_weighted({0, 1}, table, 11);
  picks.add_weighted({0, 1}, table, 12);
  int differ = 0;
  for (std::uint64_t user = 0; user < 1000; ++user) differ += picks.pick(0, seed_key, user) != picks.pick(1, seed_key, user);
  CHECK(differ > 400);
  CHECK(differ < 600);
}
