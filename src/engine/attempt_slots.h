// A bound on the attempts in flight at once, so that a phase of many checks
// never runs out of file descriptors: an attempt holds up to three (its
// socket and libcurl's wake-up pair). Without it, 1,000 checks against a
// slow server under `ulimit -n 1024` failed socket() half-way, and libcurl
// reported that as "connection refused".
#pragma once

#include <condition_variable>
#include <mutex>

#include "base/deadline.h"

namespace preflight {

class AttemptSlots {
 public:
  explicit AttemptSlots(int capacity) : capacity_(capacity < 1 ? 1 : capacity), free_(capacity_) {}

  // As many as the soft RLIMIT_NOFILE leaves room for, keeping some for
  // the process itself (stdio, logs, the report file, the cancel fd).
  static int capacity_for_open_file_limit();

  // Waits for a free slot until `deadline` or cancellation; false if none came.
  bool acquire(Deadline deadline, const CancelToken& cancel);
  void release();
  int capacity() const { return capacity_; }

 private:
  const int capacity_;
  int free_;
  std::mutex mutex_;
  std::condition_variable freed_;
};

}  // namespace preflight
