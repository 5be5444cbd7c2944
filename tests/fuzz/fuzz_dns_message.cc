// A hostile name server's answer: records or a protocol failure, never a
// read past the message or an endless walk through compression pointers.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "probes/dns/dns_message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto id = static_cast<uint16_t>(data[0] << 8 | data[1]);
  for (auto type : {preflight::dns::RecordType::A, preflight::dns::RecordType::MX, preflight::dns::RecordType::SRV,
                    preflight::dns::RecordType::TXT, preflight::dns::RecordType::CNAME}) {
    auto answer = preflight::dns::read_answer(bytes, id, type);
    if (answer.ok() && answer->records.size() > size) std::abort();
  }
  return 0;
}
