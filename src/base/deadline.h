// Deadlines and cancellation shared by the engine, the transport and probes.
// Thread safety: a CancelSource may be cancelled from any thread and from a
// signal handler (cancel_from_signal); CancelToken is a cheap copyable view.
#pragma once

#include <atomic>
#include <chrono>
#include <ctime>
#include <memory>

namespace preflight {

using Clock = std::chrono::steady_clock;

// Milliseconds elapsed since `start`, for reports.
inline double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

class Deadline {
 public:
  explicit Deadline(Clock::time_point at) : at_(at) {}
  static Deadline after(Clock::duration d) { return Deadline(Clock::now() + d); }

  Clock::time_point at() const { return at_; }
  bool expired() const { return Clock::now() >= at_; }
  // Time left, never negative.
  Clock::duration remaining() const;
  // Time left in whole milliseconds, rounded up so that a poll() with it never
  // wakes before the deadline; 0 once expired.
  int remaining_ms_for_poll() const;
  // Time left for ppoll(): to the nanosecond, so a wait ends at the deadline
  // and not up to a millisecond after it (poll() rounds up to whole ms).
  timespec remaining_for_ppoll() const;
  Deadline earlier(Deadline other) const { return at_ < other.at_ ? *this : other; }

 private:
  Clock::time_point at_;
};

// Owns an eventfd that becomes readable once cancelled, so that every wait in
// the program (poll on a socket, curl_multi_poll, backoff sleeps) can include
// it and wake at once.
class CancelSource {
 public:
  CancelSource();
  ~CancelSource();
  CancelSource(const CancelSource&) = delete;
  CancelSource& operator=(const CancelSource&) = delete;

  void cancel();
  // Async-signal-safe: only an atomic store and write(2).
  void cancel_from_signal() noexcept;
  bool cancelled() const { return state_->flag.load(std::memory_order_acquire); }

  struct State {
    std::atomic<bool> flag{false};
    int fd = -1;
  };
  std::shared_ptr<const State> state() const { return state_; }

 private:
  std::shared_ptr<State> state_;
};

class CancelToken {
 public:
  CancelToken() = default;  // never cancelled
  explicit CancelToken(const CancelSource& source) : state_(source.state()) {}

  bool cancelled() const { return state_ && state_->flag.load(std::memory_order_acquire); }
  // The fd to add to poll sets (POLLIN once cancelled); -1 if never cancelled.
  int fd() const { return state_ ? state_->fd : -1; }
  // Sleeps until the deadline or cancellation. Returns false if cancelled.
  bool sleep_until(Deadline deadline) const;

 private:
  std::shared_ptr<const CancelSource::State> state_;
};

}  // namespace preflight
