// libcurl's functions as preflight calls them, forwarding to libcurl.so.4
// opened on first use (see lazy_library.h).
#define CURL_DISABLE_TYPECHECK  // curl.h would otherwise wrap curl_easy_setopt, defined here, in a macro
#include <curl/curl.h>

#include <cstdarg>

#include "lazy/lazy_library.h"

#define REAL(function) PREFLIGHT_LAZY_REAL("libcurl.so.4", "libcurl4", function)

extern "C" {

CURLcode curl_global_init(long flags) {
  REAL(curl_global_init);
  return real(flags);
}

CURL* curl_easy_init(void) {
  REAL(curl_easy_init);
  return real();
}

// The signatures are curl.h's, whose last named parameter is an enum.
// Clang warns that va_start after an enum is undefined; the enum's type is
// int (CURLoption and CURLINFO values fit in one), which promotes to itself.
#if defined(__clang__)
#pragma clang diagnostic ignored "-Wvarargs"
#endif

// The argument's type follows from the option's number range (curl.h's
// CURLOPTTYPE_*), so it is read back with that type and passed on.
CURLcode curl_easy_setopt(CURL* curl, CURLoption option, ...) {
  REAL(curl_easy_setopt);
  va_list args;
  va_start(args, option);
  CURLcode result;
  if (option < CURLOPTTYPE_OBJECTPOINT) {
    result = real(curl, option, va_arg(args, long));
  } else if (option < CURLOPTTYPE_OFF_T && option >= CURLOPTTYPE_FUNCTIONPOINT) {
    result = real(curl, option, va_arg(args, void (*)()));
  } else if (option < CURLOPTTYPE_BLOB && option >= CURLOPTTYPE_OFF_T) {
    result = real(curl, option, va_arg(args, curl_off_t));
  } else {
    result = real(curl, option, va_arg(args, void*));
  }
  va_end(args);
  return result;
}

CURLcode curl_easy_getinfo(CURL* curl, CURLINFO info, ...) {
  REAL(curl_easy_getinfo);
  va_list args;
  va_start(args, info);
  void* out = va_arg(args, void*);  // every CURLINFO_* takes a pointer to its result
  va_end(args);
  return real(curl, info, out);
}

void curl_easy_cleanup(CURL* curl) {
  REAL(curl_easy_cleanup);
  real(curl);
}

const char* curl_easy_strerror(CURLcode code) {
  REAL(curl_easy_strerror);
  return real(code);
}

CURLcode curl_easy_send(CURL* curl, const void* buffer, size_t length, size_t* sent) {
  REAL(curl_easy_send);
  return real(curl, buffer, length, sent);
}

CURLcode curl_easy_recv(CURL* curl, void* buffer, size_t length, size_t* received) {
  REAL(curl_easy_recv);
  return real(curl, buffer, length, received);
}

curl_slist* curl_slist_append(curl_slist* list, const char* text) {
  REAL(curl_slist_append);
  return real(list, text);
}

void curl_slist_free_all(curl_slist* list) {
  REAL(curl_slist_free_all);
  real(list);
}

CURLM* curl_multi_init(void) {
  REAL(curl_multi_init);
  return real();
}

CURLMcode curl_multi_add_handle(CURLM* multi, CURL* curl) {
  REAL(curl_multi_add_handle);
  return real(multi, curl);
}

CURLMcode curl_multi_remove_handle(CURLM* multi, CURL* curl) {
  REAL(curl_multi_remove_handle);
  return real(multi, curl);
}

CURLMcode curl_multi_poll(CURLM* multi, curl_waitfd extra_fds[], unsigned int extra_nfds, int timeout_ms, int* ret) {
  REAL(curl_multi_poll);
  return real(multi, extra_fds, extra_nfds, timeout_ms, ret);
}

CURLMcode curl_multi_perform(CURLM* multi, int* running) {
  REAL(curl_multi_perform);
  return real(multi, running);
}

CURLMsg* curl_multi_info_read(CURLM* multi, int* queued) {
  REAL(curl_multi_info_read);
  return real(multi, queued);
}

CURLMcode curl_multi_cleanup(CURLM* multi) {
  REAL(curl_multi_cleanup);
  return real(multi);
}

curl_version_info_data* curl_version_info(CURLversion stamp) {
  REAL(curl_version_info);
  return real(stamp);
}

}  // extern "C"

#undef REAL  // each stub file names its own library
