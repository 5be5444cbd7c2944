#include "fetch.h"

#include "curl_multi.h"
#include "curl_response.h"

#include <fmt/format.h>

#include "base/url.h"

namespace preflight::net {
namespace {

}  // namespace

Result<Fetched> fetch(const std::string& url, const std::vector<std::string>& headers, size_t max_body, Deadline deadline,
                      const CancelToken& cancel) {
  curl_init_once();
  EasyHandle easy(curl_easy_init());
  if (!easy) return fail(FailureKind::protocol, "libcurl could not allocate a handle");
  char error_text[CURL_ERROR_SIZE] = {};
  CurlResponse reply(max_body);
  SlistHandle list;
  for (const auto& h : headers) list.reset(curl_slist_append(list.release(), h.c_str()));
  CURL* e = easy.get();
  curl_easy_setopt(e, CURLOPT_URL, url.c_str());
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_QUICK_EXIT, 1L);
  curl_easy_setopt(e, CURLOPT_PROXY, "");
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, error_text);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(deadline.remaining_ms_for_poll()) + 1000);
  if (list) curl_easy_setopt(e, CURLOPT_HTTPHEADER, list.get());
  capture_response(e, reply);
  auto parsed = parse_url(url);
  const std::string host = parsed.ok() ? parsed->authority(80) : url;
  auto ran = run_transfer(e, reply, deadline, cancel, host, host, false);
  if (!ran.ok()) return Unexpected<Failure>{ran.error()};
  const CURLcode result = *ran;
  if (reply.body_too_large) return fail(FailureKind::protocol, fmt::format("{} sent more than {} bytes", host, max_body));
  if (result != CURLE_OK) return Unexpected<Failure>{classify_curl_error(result, e, error_text, host, host, false)};
  Fetched out;
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &out.status);
  out.body = std::move(reply.body);
  return out;
}

}  // namespace preflight::net
