#include "resp.h"

#include <hiredis/hiredis.h>

#include <cctype>

#include <fmt/format.h>

#include "base/redact.h"

namespace preflight::resp {
namespace {

struct ReaderDeleter {
  void operator()(redisReader* r) const { redisReaderFree(r); }
};
struct ReplyDeleter {
  void operator()(void* r) const { freeReplyObject(r); }
};

// preflight reads statuses, errors and short arrays. hiredis allocates an
// array's element table as soon as it reads the header, so "*199999999\r\n"
// from a hostile server would cost 1.6 GB (found by fuzz_resp).
constexpr int kMaxArrayElements = 1024;

const redisReplyObjectFunctions& default_functions() {
  static const redisReplyObjectFunctions fns = [] {
    std::unique_ptr<redisReader, ReaderDeleter> reader(redisReaderCreate());
    if (!reader) throw std::bad_alloc();
    return *reader->fn;
  }();
  return fns;
}

void* create_bounded_array(const redisReadTask* task, int elements) {
  if (elements > kMaxArrayElements) return nullptr;  // hiredis then stops with "Out of memory"
  return default_functions().createArray(task, elements);
}

redisReplyObjectFunctions* bounded_functions() {
  static redisReplyObjectFunctions fns = [] {
    redisReplyObjectFunctions f = default_functions();
    f.createArray = create_bounded_array;
    return f;
  }();
  return &fns;
}

Reply convert(const redisReply& r) {
  Reply out;
  switch (r.type) {
    case REDIS_REPLY_STATUS: out.type = Reply::Type::status; break;
    case REDIS_REPLY_ERROR: out.type = Reply::Type::error; break;
    case REDIS_REPLY_STRING: out.type = Reply::Type::string; break;
    case REDIS_REPLY_INTEGER: out.type = Reply::Type::integer; break;
    case REDIS_REPLY_NIL: out.type = Reply::Type::nil; break;
    case REDIS_REPLY_ARRAY: out.type = Reply::Type::array; break;
    default: out.type = Reply::Type::other; break;
  }
  // Cut where marked: the scrubber masks a secret's beginning before "...".
  constexpr size_t kKept = 256;
  if (r.str != nullptr) out.text = r.len > kKept ? std::string(r.str, kKept) + "..." : std::string(r.str, r.len);
  out.integer = r.integer;
  for (size_t i = 0; i < r.elements; ++i) {
    if (r.element[i] != nullptr) out.elements.push_back(convert(*r.element[i]));
  }
  return out;
}

}  // namespace

struct Reader::Impl {
  std::unique_ptr<redisReader, ReaderDeleter> reader{redisReaderCreateWithFunctions(bounded_functions())};
  const Redactor* redactor;
  size_t max_bytes;
  size_t buffered = 0;  // bytes fed since the last complete reply
  // The start of the current reply, for messages; wider than an excerpt
  // shows so that a secret in it is scrubbed whole before the cut.
  static constexpr size_t kFirstBytes = 512;
  std::string first_bytes;
};

std::string format_command(const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  char* out = nullptr;
  long long n = redisFormatCommandArgv(&out, static_cast<int>(args.size()), argv.data(), lens.data());
  if (n < 0 || out == nullptr) return {};
  std::string cmd(out, static_cast<size_t>(n));
  redisFreeCommand(out);
  return cmd;
}

Reader::Reader(const Redactor& redactor, size_t max_reply_bytes) : impl_(std::make_unique<Impl>()) {
  impl_->redactor = &redactor;
  impl_->max_bytes = max_reply_bytes;
  if (!impl_->reader) throw std::bad_alloc();
}

Reader::~Reader() = default;

void Reader::feed(std::string_view bytes) {
  if (impl_->first_bytes.size() < Impl::kFirstBytes) {
    impl_->first_bytes.append(bytes.substr(0, Impl::kFirstBytes - impl_->first_bytes.size()));
  }
  impl_->buffered += bytes.size();
  redisReaderFeed(impl_->reader.get(), bytes.data(), bytes.size());
}

Result<std::optional<Reply>> Reader::next() {
  void* raw = nullptr;
  if (redisReaderGetReply(impl_->reader.get(), &raw) != REDIS_OK) {
    if (impl_->reader->err == REDIS_ERR_OOM) {
      return fail(FailureKind::protocol, fmt::format("the reply declares an array of more than {} elements: \"{}\"",
                                                     kMaxArrayElements, impl_->redactor->excerpt(impl_->first_bytes)));
    }
    return fail(FailureKind::protocol,
                fmt::format("the reply is not Redis protocol (RESP): \"{}\" ({})",
                            impl_->redactor->excerpt(impl_->first_bytes), impl_->reader->errstr));
  }
  if (raw == nullptr) {
    if (impl_->buffered > impl_->max_bytes) {
      return fail(FailureKind::protocol,
                  fmt::format("the reply is over {} bytes without ending: \"{}\"", impl_->max_bytes,
                              impl_->redactor->excerpt(impl_->first_bytes)));
    }
    return std::optional<Reply>{};
  }
  std::unique_ptr<void, ReplyDeleter> owned(raw);
  // What is left in the reader starts the next reply.
  const redisReader& r = *impl_->reader;
  impl_->buffered = r.len - r.pos;
  impl_->first_bytes.assign(r.buf + r.pos, std::min<size_t>(impl_->buffered, Impl::kFirstBytes));
  return std::optional<Reply>{convert(*static_cast<redisReply*>(raw))};
}

}  // namespace preflight::resp
