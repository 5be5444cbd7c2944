// stderr logging: human lines, or one JSON object per line in Cloud
// Logging's structured format. Every line is scrubbed of secrets.
#include <unistd.h>

#include <chrono>
#include <memory>
#include <mutex>

#include <fmt/chrono.h>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include "preflight/app.h"
#include "preflight/redact.h"

namespace preflight {
namespace {

thread_local const ScopedLogFields* t_fields = nullptr;

std::string_view severity(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug: return "DEBUG";
    case spdlog::level::info: return "INFO";
    case spdlog::level::warn: return "WARNING";
    case spdlog::level::err: return "ERROR";
    case spdlog::level::critical: return "CRITICAL";
    default: return "DEFAULT";
  }
}

class StderrSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  StderrSink(LogFormat format, bool color) : format_(format), color_(color) {}

  bool structured() const { return format_ == LogFormat::json; }

  void set_redactor(std::shared_ptr<const Redactor> redactor) {
    std::lock_guard<std::mutex> lock(mutex_);
    redactor_ = std::move(redactor);
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    std::string text = redactor_->scrub(std::string_view(msg.payload.data(), msg.payload.size()));
    std::string line;
    if (format_ == LogFormat::json) {
      auto time = std::chrono::time_point_cast<std::chrono::milliseconds>(msg.time);
      nlohmann::ordered_json j{{"severity", severity(msg.level)},
                               {"message", text},
                               {"time", fmt::format("{:%FT%T}Z", time)},
                               {"logging.googleapis.com/labels", {{"tool", "preflight"}}}};
      if (const nlohmann::json* fields = ScopedLogFields::current()) {
        // Field values are names, kinds and numbers: scrubbed all the same.
        for (const auto& [key, value] : fields->items()) {
          j[key] = value.is_string() ? nlohmann::json(redactor_->scrub(value.get<std::string>())) : value;
        }
      }
      line = j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
    } else {
      std::string tag = fmt::format("preflight: {}:", severity(msg.level));
      if (color_ && msg.level >= spdlog::level::warn) {
        tag = fmt::format("\x1b[{}m{}\x1b[0m", msg.level >= spdlog::level::err ? "31;1" : "33", tag);
      }
      line = fmt::format("{} {}\n", tag, text);
    }
    // One write per line so that concurrent writers do not interleave.
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, line.data(), line.size());
  }
  void flush_() override {}

 private:
  LogFormat format_;
  bool color_;
  std::shared_ptr<const Redactor> redactor_ = std::make_shared<Redactor>();  // guarded by mutex_
};

std::shared_ptr<StderrSink>& sink_instance() {
  static std::shared_ptr<StderrSink> sink;
  return sink;
}

}  // namespace

void setup_logging(LogFormat format, int verbosity, bool color) {
  auto sink = std::make_shared<StderrSink>(format, color);
  sink_instance() = sink;
  auto logger = std::make_shared<spdlog::logger>("preflight", sink);
  spdlog::level::level_enum level = verbosity < 0    ? spdlog::level::err
                                    : verbosity == 0 ? spdlog::level::warn
                                    : verbosity == 1 ? spdlog::level::info
                                                     : spdlog::level::debug;
  logger->set_level(level);
  spdlog::set_default_logger(logger);
}

ScopedLogFields::ScopedLogFields(nlohmann::json fields) : fields_(std::move(fields)), previous_(t_fields) {
  t_fields = this;
}

ScopedLogFields::~ScopedLogFields() { t_fields = previous_; }

const nlohmann::json* ScopedLogFields::current() { return t_fields ? &t_fields->fields_ : nullptr; }

void set_log_redactor(std::shared_ptr<const Redactor> redactor) {
  if (auto& sink = sink_instance()) sink->set_redactor(std::move(redactor));
}

bool structured_logs() {
  auto& sink = sink_instance();
  return sink && sink->structured();
}

}  // namespace preflight
