#include "phase_scheduler.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <queue>
#include <system_error>
#include <thread>

#include <spdlog/spdlog.h>

namespace preflight {
namespace {

using namespace std::chrono_literals;

struct Due {
  Clock::time_point at;
  size_t check;
  // For a min-heap: later first is "greater"; equal times go in check order.
  bool operator>(const Due& other) const { return at != other.at ? at > other.at : check > other.check; }
};

class PhaseScheduler {
 public:
  PhaseScheduler(const PlannedPhase& phase, const PhaseRun& run, unsigned seed, EngineObserver* observer,
                 const CancelToken& cancel)
      : run_(run), observer_(observer), cancel_(cancel), reports_(phase.checks.size()) {
    progress_.reserve(phase.checks.size());
    for (size_t i = 0; i < phase.checks.size(); ++i) {
      progress_.emplace_back(phase.checks[i], seed + static_cast<unsigned>(i));
      if (progress_.back().done()) {
        finish(i);
      } else {
        due_.push({run.start, i});
      }
    }
  }

  std::vector<CheckReport> run() && {
    const size_t workers = std::min(due_.size(), static_cast<size_t>(std::max(run_.attempt_capacity, 1)));
    threads_ = workers;
    if (workers > 0) {
      std::vector<std::jthread> helpers;
      helpers.reserve(workers - 1);
      for (size_t i = 1; i < workers; ++i) {
        try {
          helpers.emplace_back([this] { work(); });
        } catch (const std::system_error& e) {
          // A container's pids limit (pids.max) or memory refused a thread:
          // the phase runs on the threads it got, this one at least.
          spdlog::warn("phase runs {} attempts at once, not {}: no more threads ({})", helpers.size() + 1, workers,
                       e.what());
          std::lock_guard lock(mutex_);
          threads_ = helpers.size() + 1;
          break;
        }
      }
      work();
    }  // joins the helpers
    return std::move(reports_);
  }

 private:
  void work() {
    std::unique_lock lock(mutex_);
    while (!due_.empty()) {
      const Due next = due_.top();
      const bool stopping = cancel_.cancelled() || run_.deadline.expired();
      if (!stopping && next.at > Clock::now()) {
        // The checks due later have enough threads waiting for them; one
        // that is in flight now comes back with the thread that runs it.
        if (waiting_ >= due_.size()) return;
        ++waiting_;
        // Cancellation is a flag here, not a notification: look every 20 ms.
        // An attempt in flight sees it at once through the cancel fd.
        changed_.wait_until(lock, std::min(next.at, Clock::now() + 20ms));
        --waiting_;
        continue;
      }
      due_.pop();
      const size_t threads = threads_;
      lock.unlock();
      CheckProgress& progress = progress_[next.check];
      if (stopping) {
        progress.stop_waiting(run_, cancel_, threads);
      } else if (const Failure* failed = progress.attempt(run_, cancel_); failed && observer_) {
        observer_->attempt_failed(next.check, progress.attempts(), *failed);
      }
      if (progress.done()) finish(next.check);
      lock.lock();
      if (!progress.done()) {
        due_.push({progress.next_attempt_at(), next.check});
        changed_.notify_one();
      }
    }
  }

  // Called by the one thread that holds the check.
  void finish(size_t check) {
    reports_[check] = std::move(progress_[check]).report(run_);
    if (observer_) observer_->check_finished(check, reports_[check]);
  }

  const PhaseRun& run_;
  EngineObserver* observer_;
  const CancelToken& cancel_;
  std::vector<CheckProgress> progress_;
  std::vector<CheckReport> reports_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::priority_queue<Due, std::vector<Due>, std::greater<>> due_;  // guarded by mutex_
  size_t waiting_ = 0;                                                 // guarded by mutex_
  size_t threads_ = 0;  // the phase's threads, fewer than asked when refused; guarded by mutex_
};

}  // namespace

std::vector<CheckReport> run_phase_checks(const PlannedPhase& phase, const PhaseRun& run, unsigned seed,
                                          EngineObserver* observer, const CancelToken& cancel) {
  return PhaseScheduler(phase, run, seed, observer, cancel).run();
}

}  // namespace preflight
