// Records one thread makes, consumed in the order made, in batches, by whichever of two
// threads has time: the event run's serving thread makes a record per request it serves,
// and recording them (histograms, flows, link loads, the ledger) is done by the generating
// thread while it waits for the server, or by the server itself while it waits for
// requests. Batches are taken strictly in order and one at a time (a lock held while one
// is consumed), so every sum is added in the maker's order and the results are the same
// whoever consumes, and the same as consuming each record at once.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

namespace dcsim::models {

template <class T>
class RecordQueue {
 public:
  /// `consume` gets each batch, in order, on whichever thread takes it.
  RecordQueue(std::size_t batch, std::function<void(const std::vector<T>&)> consume)
      : batch_(batch < 1 ? 1 : batch), consume_(std::move(consume)) {
    current_.reserve(batch_);
  }

  /// The maker's thread only.
  void push(const T& item) {
    current_.push_back(item);
    if (current_.size() >= batch_) submit();
  }
  /// The maker's thread only: hands over the batch being filled, even if not full.
  void submit() {
    if (current_.empty()) return;
    std::vector<T> next;
    {
      std::lock_guard lock(queue_mu_);
      waiting_.push_back(std::move(current_));
      if (!spare_.empty()) {
        next = std::move(spare_.back());
        spare_.pop_back();
      }
    }
    current_ = std::move(next);
    current_.clear();
    current_.reserve(batch_);
  }

  /// Any thread: consumes the oldest waiting batch if there is one and no other thread is
  /// consuming; whether it did.
  bool help() {
    std::unique_lock consuming(consume_mu_, std::try_to_lock);
    return consuming.owns_lock() && consume_one();
  }

  /// The maker's thread: everything made so far consumed when this returns (it waits for a
  /// batch another thread is consuming, then consumes the rest itself): before the maker
  /// changes what consuming reads.
  void drain() {
    submit();
    std::lock_guard consuming(consume_mu_);
    while (consume_one()) {
    }
  }

  /// The maker's thread: consumes the oldest batches itself while more than `max` wait
  /// (when the other thread has no time for them), so the backlog stays bounded.
  void keep_at_most(std::size_t max) {
    while (waiting() > max) {
      std::lock_guard consuming(consume_mu_);
      consume_one();
    }
  }

  /// Batches consumed so far (read once the threads are joined).
  std::size_t consumed() const { return consumed_; }

  std::size_t waiting() {
    std::lock_guard lock(queue_mu_);
    return waiting_.size();
  }

 private:
  // With consume_mu_ held.
  bool consume_one() {
    std::vector<T> batch;
    {
      std::lock_guard lock(queue_mu_);
      if (waiting_.empty()) return false;
      batch = std::move(waiting_.front());
      waiting_.pop_front();
    }
    consume_(batch);
    ++consumed_;  // under consume_mu_
    batch.clear();
    std::lock_guard lock(queue_mu_);
    spare_.push_back(std::move(batch));
    return true;
  }

  std::size_t batch_;
  std::function<void(const std::vector<T>&)> consume_;
  std::vector<T> current_;  ///< being filled (the maker's thread only)
  std::mutex queue_mu_;     ///< guards waiting_ and spare_ (held briefly)
  std::mutex consume_mu_;   ///< held while a batch is consumed: one at a time, in order
  std::deque<std::vector<T>> waiting_;
  std::vector<std::vector<T>> spare_;  ///< consumed batches, their memory reused
  std::size_t consumed_ = 0;
};

}  // namespace dcsim::models
