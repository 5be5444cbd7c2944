// memcached server lists, read the way the clients that apps carry read
// them (docs/connection-strings.md has the table):
//   host:port lists   "a:11211,b:11211", "a:11211;b", "a b" (pymemcache and
//                     Django's LOCATION, memjs's and Dalli's MEMCACHE_SERVERS,
//                     libmemcached); an item is host, host:port, [v6]:port,
//                     unix:/path or /path
//   URLs              memcached://host:port (preflight's own), and
//                     django-environ's memcache:// and pymemcache://, whose
//                     netloc is a comma-separated list and whose path, when
//                     there is one, is the server's Unix socket
// Every server of a list holds part of the keys: each one must answer.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/result.h"
#include "base/target.h"

namespace preflight {

inline constexpr uint16_t kDefaultMemcachedPort = 11211;

// The error names the form and the item that is wrong (by its position),
// never the value.
Result<Target> read_memcached(std::string_view text);

}  // namespace preflight
