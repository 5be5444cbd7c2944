#include "base/deadline.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace preflight {

Clock::duration Deadline::remaining() const {
  auto left = at_ - Clock::now();
  return left > Clock::duration::zero() ? left : Clock::duration::zero();
}

int Deadline::remaining_ms_for_poll() const {
  auto left = remaining();
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
  return ms > 1'000'000'000 ? 1'000'000'000 : static_cast<int>(ms);
}

timespec Deadline::remaining_for_ppoll() const {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(remaining()).count();
  return timespec{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
}

CancelSource::CancelSource() : state_(std::make_shared<State>()) {
  state_->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (state_->fd < 0) throw std::runtime_error("eventfd failed");
}

CancelSource::~CancelSource() {
  // Tokens may outlive the source; the fd closes with the last owner.
  if (state_.use_count() == 1) close(state_->fd);
}

void CancelSource::cancel() { cancel_from_signal(); }

void CancelSource::cancel_from_signal() noexcept {
  state_->flag.store(true, std::memory_order_release);
  const uint64_t one = 1;
  // The eventfd counter cannot overflow in practice; a failed write leaves
  // the flag set, which every loop also checks.
  [[maybe_unused]] auto n = write(state_->fd, &one, sizeof one);
}

bool CancelToken::sleep_until(Deadline deadline) const {
  while (!cancelled()) {
    if (deadline.expired()) return true;
    const timespec left = deadline.remaining_for_ppoll();
    pollfd p{state_ ? state_->fd : -1, POLLIN, 0};  // a negative fd is ignored: a plain sleep
    int rc = ppoll(&p, 1, &left, nullptr);
    if (rc < 0 && errno != EINTR) return !cancelled();
  }
  return false;
}

}  // namespace preflight
