// The PostgreSQL, Redis, MySQL, memcached and gRPC readers: never crash, and a value they read with
// a password is shown with it masked.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "probes/grpc/grpc_target.h"
#include "probes/memcached/memcached_reader.h"
#include "probes/mysql/mysql_reader.h"
#include "probes/postgres/postgres_reader.h"
#include "probes/redis/redis_reader.h"

namespace {

void check(const preflight::Result<preflight::Target>& target) {
  if (!target.ok()) return;
  if (target->endpoints.empty()) std::abort();
  if (target->password && target->shown.find(":***@") == std::string::npos) std::abort();
  if (target->sentinel_password && target->shown.find("sentinel_password=***") == std::string::npos) std::abort();
  (void)target->parts();
  (void)target->describe();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  check(preflight::read_postgres(text));
  check(preflight::read_redis(text));
  check(preflight::read_mysql(text));
  check(preflight::read_memcached(text));
  check(preflight::read_grpc(text));
  return 0;
}
