#include "wait.h"

#include <poll.h>

#include <cerrno>

namespace preflight::net {

WaitResult wait_fd(int fd, short events, Deadline deadline, const CancelToken& cancel) {
  for (;;) {
    if (cancel.cancelled()) return WaitResult::cancelled;
    if (deadline.expired()) return WaitResult::deadline;
    const timespec left = deadline.remaining_for_ppoll();
    pollfd fds[2] = {{fd, events, 0}, {cancel.fd(), POLLIN, 0}};
    int n = ppoll(fds, cancel.fd() >= 0 ? 2 : 1, &left, nullptr);
    if (n < 0 && errno == EINTR) continue;
    if (cancel.cancelled()) return WaitResult::cancelled;
    if (n < 0 || (n > 0 && fds[0].revents != 0)) return WaitResult::ready;
  }
}

}  // namespace preflight::net
