// Redis connection strings, read the way redis-py (connection.py,
// parse_url), node-redis and ioredis read them:
//   redis://[[user]:password@]host[:port][/db][?db=&password=&ssl_cert_reqs=&ssl_ca_certs=...]
//   rediss://...                       TLS
//   unix:///path/redis.sock?db=N       also redis+unix:// and redis+socket:// (Celery/kombu)
// The scheme is case-insensitive. Query options that do not change whether
// the server is ready (timeouts, pool sizes) are listed as ignored.
#pragma once

#include <string_view>

#include "base/result.h"
#include "base/target.h"

namespace preflight {

// The error names the part that is wrong and never quotes the value.
Result<Target> read_redis(std::string_view text);

}  // namespace preflight
