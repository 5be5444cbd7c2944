#include "probes/grpc/grpc_health.h"

#include <array>
#include <cstdint>

#include <fmt/format.h>

namespace preflight::grpc {
namespace {

constexpr size_t kFrameHeader = 5;  // compressed flag, 4-byte big-endian length

void append_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

// Reads a varint at `pos`; false when it runs past the end or past 64 bits.
bool read_varint(std::string_view in, size_t& pos, uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64 && pos < in.size(); shift += 7) {
    auto byte = static_cast<uint8_t>(in[pos++]);
    v |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

Unexpected<Failure> malformed(std::string_view what) {
  return fail(FailureKind::protocol, fmt::format("the health check's reply is not a HealthCheckResponse: {}", what));
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string health_check_request(std::string_view service) {
  std::string message;
  if (!service.empty()) {
    message.push_back(0x0a);  // field 1, length-delimited
    append_varint(message, service.size());
    message.append(service);
  }
  std::string frame(kFrameHeader, '\0');
  auto n = static_cast<uint32_t>(message.size());
  for (int i = 0; i < 4; ++i) frame[1 + i] = static_cast<char>((n >> (24 - 8 * i)) & 0xff);
  return frame + message;
}

Result<int> read_health_response(std::string_view body) {
  if (body.size() < kFrameHeader) return malformed(fmt::format("{} bytes, less than a message header", body.size()));
  if (body[0] != 0) return malformed("it is compressed, though none was asked for");
  uint32_t n = 0;
  for (int i = 1; i <= 4; ++i) n = (n << 8) | static_cast<uint8_t>(body[i]);
  if (body.size() - kFrameHeader != n) {
    return malformed(fmt::format("the header gives {} bytes, {} followed", n, body.size() - kFrameHeader));
  }
  std::string_view message = body.substr(kFrameHeader);
  int status = 0;  // proto3: an absent field is its zero value, UNKNOWN
  for (size_t pos = 0; pos < message.size();) {
    uint64_t key = 0, v = 0;
    if (!read_varint(message, pos, key)) return malformed("a field key runs past the end");
    switch (key & 7) {
      case 0:
        if (!read_varint(message, pos, v)) return malformed("a number runs past the end");
        if (key >> 3 == 1) status = static_cast<int>(static_cast<int32_t>(v));
        break;
      case 1: pos += 8; break;
      case 5: pos += 4; break;
      case 2:
        if (!read_varint(message, pos, v)) return malformed("a length runs past the end");
        if (v > message.size() - pos) return malformed("a field runs past the end");
        pos += v;
        break;
      default: return malformed(fmt::format("wire type {} is not one of proto3's", key & 7));
    }
    if (pos > message.size()) return malformed("a field runs past the end");
  }
  return status;
}

std::string serving_name(int status) {
  static constexpr std::array<std::string_view, 4> kNames = {"UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"};
  if (status >= 0 && status < static_cast<int>(kNames.size())) return std::string(kNames[status]);
  return fmt::format("status {}", status);
}

std::string status_code_name(int code) {
  static constexpr std::array<std::string_view, 17> kNames = {
      "OK",        "CANCELLED",         "UNKNOWN",        "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
      "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
      "UNIMPLEMENTED", "INTERNAL",       "UNAVAILABLE",    "DATA_LOSS",        "UNAUTHENTICATED"};
  if (code >= 0 && code < static_cast<int>(kNames.size())) return std::string(kNames[code]);
  return fmt::format("status {}", code);
}

int status_from_http(long http_status) {
  switch (http_status) {
    case 400: return 13;  // INTERNAL
    case 401: return 16;  // UNAUTHENTICATED
    case 403: return 7;   // PERMISSION_DENIED
    case 404: return 12;  // UNIMPLEMENTED
    case 429: case 502: case 503: case 504: return 14;  // UNAVAILABLE
    default: return 2;   // UNKNOWN
  }
}

std::string decode_message(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    int hi = 0, lo = 0;
    if (text[i] == '%' && i + 2 < text.size() && (hi = hex_value(text[i + 1])) >= 0 && (lo = hex_value(text[i + 2])) >= 0) {
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

}  // namespace preflight::grpc
