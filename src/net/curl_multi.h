// What every libcurl user here shares: one-time init, driving a multi
// handle against a deadline and the cancel fd, and turning CURLcodes into
// failure kinds. libcurl's headers stay in src/net and src/probes.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>

#include "base/deadline.h"
#include "base/failure.h"

namespace preflight::net {

void curl_init_once();

struct EasyDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
struct MultiDeleter {
  void operator()(CURLM* h) const { curl_multi_cleanup(h); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;
using MultiHandle = std::unique_ptr<CURLM, MultiDeleter>;
using SlistHandle = std::unique_ptr<curl_slist, SlistDeleter>;  // header lists

enum class DriveOutcome { done, deadline, cancelled };

// Runs the transfers of `multi` (one easy handle) until it completes
// (`result` gets its CURLcode), the deadline passes or `cancel` fires. Every
// wait includes the cancel fd, so no stage (DNS, connect, TLS, reply) can
// outlast either.
DriveOutcome drive(CURLM* multi, Deadline deadline, const CancelToken& cancel, CURLcode& result);

// Maps a failed transfer to a kind with libcurl's own text. `peer` is
// "host:port" for messages.
Failure classify_curl_error(CURLcode code, CURL* easy, const char* error_text, const std::string& host,
                            const std::string& peer, bool tls);

// Where a transfer stood when the deadline passed, from libcurl's timings
// (each is 0 until its step is done): resolve, connect, tls or reply.
Failure stalled_transfer(CURL* easy, const std::string& host, const std::string& peer, bool tls, bool got_headers);

}  // namespace preflight::net
