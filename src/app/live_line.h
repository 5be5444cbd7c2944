// The terminal's live line: the phase and the checks still being waited on,
// with elapsed time, redrawn in place on stderr ten times a second, so a
// person watching knows what preflight is doing during a long timeout. Used
// only on a terminal without NO_COLOR; erased before the report is printed.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine.h"

namespace preflight {

class LiveLine final : public EngineObserver {
 public:
  explicit LiveLine(int fd);
  ~LiveLine() override;
  LiveLine(const LiveLine&) = delete;
  LiveLine& operator=(const LiveLine&) = delete;

  // Stops redrawing and erases the line. Idempotent.
  void stop();

  void phase_started(const PlannedPhase& phase, Millis timeout) override;
  void attempt_failed(size_t check, int attempt, const Failure& failure) override;
  void check_finished(size_t check, const CheckReport& report) override;
  void phase_finished(const PhaseReport& report) override;

 private:
  struct Waiting {
    std::string name;
    int attempts = 0;
    std::string last_failure;  // a failure kind
    bool done = false;
  };
  std::string compose(int frame) const;  // mu_ held
  void erase();                          // mu_ held
  void tick(std::stop_token stop);

  const int fd_;
  std::mutex mu_;
  std::condition_variable_any wake_;
  bool active_ = false;  // a phase is running
  bool drawn_ = false;   // the line is on screen
  std::string phase_;
  Clock::time_point phase_start_;
  Millis timeout_{0};
  std::vector<Waiting> checks_;
  std::jthread ticker_;
};

}  // namespace preflight
