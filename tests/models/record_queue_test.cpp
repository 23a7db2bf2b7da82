// RecordQueue: batches consumed in the order made, one at a time, whichever thread helps.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "models/run/record_queue.hpp"

using dcsim::models::RecordQueue;

TEST_CASE("a record queue hands over full batches, and drain takes the rest, the unfinished batch included") {
  std::vector<std::vector<int>> seen;
  RecordQueue<int> q(4, [&](const std::vector<int>& b) { seen.push_back(b); });
  for (int i = 0; i < 10; ++i) q.push(i);
  CHECK(q.waiting() == 2);  // 0-3 and 4-7; 8 and 9 still being filled
  CHECK(q.help());
  REQUIRE(seen.size() == 1);
  CHECK(seen[0] == std::vector<int>{0, 1, 2, 3});
  q.drain();
  REQUIRE(seen.size() == 3);
  CHECK(seen[1] == std::vector<int>{4, 5, 6, 7});
  CHECK(seen[2] == std::vector<int>{8, 9});
  CHECK_FALSE(q.help());  // nothing left
  CHECK(q.consumed() == 3);
}

TEST_CASE("a record queue's backlog is cut to the bound by its maker, oldest first") {
  std::vector<int> seen;
  RecordQueue<int> q(2, [&](const std::vector<int>& b) { seen.insert(seen.end(), b.begin(), b.end()); });
  for (int i = 0; i < 8; ++i) q.push(i);
  REQUIRE(q.waiting() == 4);
  q.keep_at_most(1);
  CHECK(q.waiting() == 1);
  CHECK(seen == std::vector<int>{0, 1, 2, 3, 4, 5});
}

TEST_CASE("while one thread consumes a batch, another cannot take the next") {
  // The next batch waits; a helper asking while the first is being consumed must get
  // nothing, or the two would be consumed at once and out of order.
  RecordQueue<int>* queue = nullptr;
  bool other_got_one = true;
  std::vector<int> seen;
  RecordQueue<int> q(1, [&](const std::vector<int>& b) {
    if (b[0] == 0) {
      std::thread other([&] { other_got_one = queue->help(); });
      other.join();
    }
    seen.push_back(b[0]);
  });
  queue = &q;
  q.push(0);
  q.push(1);
  CHECK(q.help());
  CHECK_FALSE(other_got_one);
  q.drain();
  CHECK(seen == std::vector<int>{0, 1});
}

TEST_CASE("two threads consuming a record queue as they find time see every record once, in order") {
  // A helper thread takes batches whenever it can while the maker makes them and, now and
  // then, cuts the backlog itself: the consumed sequence must be the made one exactly, and
  // no two batches consumed at once.
  constexpr int kRecords = 200000;
  std::vector<int> seen;
  seen.reserve(kRecords);
  std::atomic<int> inside{0};
  std::atomic<bool> overlapped{false}, stop{false};
  RecordQueue<int> q(7, [&](const std::vector<int>& b) {
    if (inside.fetch_add(1) != 0) overlapped = true;
    seen.insert(seen.end(), b.begin(), b.end());
    inside.fetch_sub(1);
  });
  std::thread helper([&] {
    while (!stop) q.help();
  });
  for (int i = 0; i < kRecords; ++i) {
    q.push(i);
    if (i % 1000 == 999) q.keep_at_most(3);
  }
  q.drain();
  stop = true;
  helper.join();
  CHECK_FALSE(overlapped);
  REQUIRE(seen.size() == kRecords);
  bool in_order = true;
  for (int i = 0; i < kRecords; ++i) in_order = in_order && seen[static_cast<std::size_t>(i)] == i;
  CHECK(in_order);
}
