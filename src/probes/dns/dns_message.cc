#include "probes/dns/dns_message.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>

#include <fmt/format.h>

namespace preflight::dns {
namespace {

constexpr size_t kHeaderSize = 12;
constexpr uint16_t kClassIn = 1;
constexpr size_t kMaxName = 253, kMaxLabel = 63;

struct TypeName {
  RecordType type;
  std::string_view name;
};
constexpr std::array<TypeName, 7> kTypes = {{{RecordType::A, "A"},
                                             {RecordType::NS, "NS"},
                                             {RecordType::CNAME, "CNAME"},
                                             {RecordType::MX, "MX"},
                                             {RecordType::TXT, "TXT"},
                                             {RecordType::AAAA, "AAAA"},
                                             {RecordType::SRV, "SRV"}}};

void put16(std::string& out, uint16_t v) {
  out.push_back(static_cast<char>(v >> 8));
  out.push_back(static_cast<char>(v & 0xff));
}

Unexpected<Failure> malformed(std::string_view what) {
  return fail(FailureKind::protocol, fmt::format("the DNS answer is malformed: {}", what));
}

// Reads DNS messages with bounds checks everywhere.
class Reader {
 public:
  explicit Reader(std::string_view message) : m_(message) {}

  bool u8(size_t at, uint8_t& v) const {
    if (at >= m_.size()) return false;
    v = static_cast<uint8_t>(m_[at]);
    return true;
  }
  bool u16(size_t at, uint16_t& v) const {
    if (at + 2 > m_.size()) return false;
    v = static_cast<uint16_t>(static_cast<uint8_t>(m_[at]) << 8 | static_cast<uint8_t>(m_[at + 1]));
    return true;
  }
  bool u32(size_t at, uint32_t& v) const {
    uint16_t hi = 0, lo = 0;
    if (!u16(at, hi) || !u16(at + 2, lo)) return false;
    v = static_cast<uint32_t>(hi) << 16 | lo;
    return true;
  }
  std::string_view bytes(size_t at, size_t n) const { return at + n <= m_.size() ? m_.substr(at, n) : std::string_view(); }
  size_t size() const { return m_.size(); }

  // The name at `at`, lower-cased with its final dot; `end` is where the
  // name ends in place (after its first pointer, if any). Pointers must go
  // backwards, which bounds the walk.
  bool name(size_t at, std::string& out, size_t& end) const {
    out.clear();
    bool jumped = false;
    size_t pos = at;
    for (size_t steps = 0; steps < 128; ++steps) {
      uint8_t len = 0;
      if (!u8(pos, len)) return false;
      if ((len & 0xc0) == 0xc0) {
        uint8_t low = 0;
        if (!u8(pos + 1, low)) return false;
        size_t target = static_cast<size_t>(len & 0x3f) << 8 | low;
        if (target >= pos) return false;
        if (!jumped) end = pos + 2;
        jumped = true;
        pos = target;
        continue;
      }
      if ((len & 0xc0) != 0) return false;
      if (len == 0) {
        if (!jumped) end = pos + 1;
        if (out.empty()) out = ".";
        return out.size() <= kMaxName + 1;
      }
      std::string_view label = bytes(pos + 1, len);
      if (label.size() != len) return false;
      for (char c : label) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      out.push_back('.');
      pos += 1 + len;
    }
    return false;
  }

 private:
  std::string_view m_;
};

// A record's data in presentation form; nullopt when malformed.
std::optional<std::string> rdata_text(const Reader& r, RecordType type, size_t at, uint16_t length) {
  std::string name;
  size_t end = 0;
  switch (type) {
    case RecordType::A:
    case RecordType::AAAA: {
      const size_t want = type == RecordType::A ? 4 : 16;
      std::string_view raw = r.bytes(at, length);
      if (length != want || raw.size() != want) return std::nullopt;
      char text[INET6_ADDRSTRLEN] = {};
      if (!inet_ntop(type == RecordType::A ? AF_INET : AF_INET6, raw.data(), text, sizeof text)) return std::nullopt;
      return std::string(text);
    }
    case RecordType::NS:
    case RecordType::CNAME:
      if (!r.name(at, name, end) || end != at + length) return std::nullopt;
      return name;
    case RecordType::MX: {
      uint16_t preference = 0;
      if (length < 3 || !r.u16(at, preference) || !r.name(at + 2, name, end) || end != at + length) return std::nullopt;
      return fmt::format("{} {}", name, preference);
    }
    case RecordType::SRV: {
      uint16_t priority = 0, weight = 0, port = 0;
      if (length < 7 || !r.u16(at, priority) || !r.u16(at + 2, weight) || !r.u16(at + 4, port) || !r.name(at + 6, name, end) ||
          end != at + length) {
        return std::nullopt;
      }
      return fmt::format("{} {} {} {}", priority, weight, port, name);
    }
    case RecordType::TXT: {
      std::string text;
      for (size_t pos = at; pos < at + length;) {
        uint8_t n = 0;
        if (!r.u8(pos, n) || pos + 1 + n > at + length) return std::nullopt;
        text.append(r.bytes(pos + 1, n));
        pos += 1 + n;
      }
      return text;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<RecordType> record_type_from_name(std::string_view name) {
  for (const auto& t : kTypes) {
    if (t.name.size() == name.size() &&
        std::equal(name.begin(), name.end(), t.name.begin(), [](char a, char b) { return std::toupper(static_cast<unsigned char>(a)) == b; })) {
      return t.type;
    }
  }
  return std::nullopt;
}

std::string_view record_type_name(RecordType type) {
  for (const auto& t : kTypes) {
    if (t.type == type) return t.name;
  }
  return "?";
}

std::string fqdn(std::string_view name) { return name.ends_with('.') ? std::string(name) : std::string(name) + "."; }

std::string rcode_name(int rcode) {
  static constexpr std::array<std::string_view, 6> kNames = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"};
  if (rcode >= 0 && rcode < static_cast<int>(kNames.size())) return std::string(kNames[rcode]);
  return fmt::format("RCODE {}", rcode);
}

Result<std::string> build_query(uint16_t id, std::string_view name, RecordType type) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty() || name.size() > kMaxName) {
    return fail(FailureKind::invalid_config, fmt::format("\"{}\" is not a DNS name: it must have 1 to {} characters", name, kMaxName));
  }
  std::string out;
  put16(out, id);
  put16(out, 0x0100);  // a standard query, recursion desired
  put16(out, 1);       // one question
  put16(out, 0);
  put16(out, 0);
  put16(out, 0);
  for (size_t start = 0; start <= name.size();) {
    size_t dot = std::min(name.find('.', start), name.size());
    size_t len = dot - start;
    if (len == 0 || len > kMaxLabel) {
      return fail(FailureKind::invalid_config, fmt::format("\"{}\" is not a DNS name: each part between dots has 1 to {} characters", name, kMaxLabel));
    }
    out.push_back(static_cast<char>(len));
    out.append(name.substr(start, len));
    start = dot + 1;
  }
  out.push_back('\0');
  put16(out, static_cast<uint16_t>(type));
  put16(out, kClassIn);
  return out;
}

Result<Answer> read_answer(std::string_view message, uint16_t id, RecordType type) {
  Reader r(message);
  uint16_t got_id = 0, flags = 0, questions = 0, answers = 0;
  if (!r.u16(0, got_id) || !r.u16(2, flags) || !r.u16(4, questions) || !r.u16(6, answers) || message.size() < kHeaderSize) {
    return malformed(fmt::format("{} bytes, less than a header", message.size()));
  }
  if (got_id != id) return malformed("it answers another query (its ID differs)");
  if ((flags & 0x8000) == 0) return malformed("it is a query, not a response");
  Answer a;
  a.id = got_id;
  a.rcode = flags & 0x000f;
  a.truncated = (flags & 0x0200) != 0;
  size_t pos = kHeaderSize;
  std::string name;
  for (uint16_t q = 0; q < questions; ++q) {
    if (!r.name(pos, name, pos)) return malformed("a question's name");
    pos += 4;
  }
  if (pos > r.size()) return malformed("the question runs past the end");
  for (uint16_t i = 0; i < answers; ++i) {
    uint16_t rtype = 0, rclass = 0, length = 0;
    uint32_t ttl = 0;
    if (!r.name(pos, name, pos) || !r.u16(pos, rtype) || !r.u16(pos + 2, rclass) || !r.u32(pos + 4, ttl) || !r.u16(pos + 8, length)) {
      return malformed(fmt::format("answer {} is cut short", i + 1));
    }
    pos += 10;
    if (pos + length > r.size()) return malformed(fmt::format("answer {} runs past the end", i + 1));
    if (rclass == kClassIn && (rtype == static_cast<uint16_t>(type) || rtype == static_cast<uint16_t>(RecordType::CNAME))) {
      auto text = rdata_text(r, static_cast<RecordType>(rtype), pos, length);
      if (!text) return malformed(fmt::format("answer {}'s {} data", i + 1, record_type_name(static_cast<RecordType>(rtype))));
      if (rtype == static_cast<uint16_t>(type)) a.records.push_back(*text);
      else a.aliases.push_back(*text);
    }
    pos += length;
  }
  return a;
}

}  // namespace preflight::dns
