// The one way this program waits on a file descriptor: until it is ready,
// the deadline passes, or the cancel fd fires — whichever comes first.
#pragma once

#include "base/deadline.h"

namespace preflight::net {

enum class WaitResult { ready, deadline, cancelled };

// `events` as for poll(2). A poll error counts as ready, so that the next
// read or write reports it.
WaitResult wait_fd(int fd, short events, Deadline deadline, const CancelToken& cancel);

}  // namespace preflight::net
