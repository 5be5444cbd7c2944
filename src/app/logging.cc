// stderr logging: human lines, or one JSON object per line in Cloud
// Logging's structured format. Every line is scrubbed of secrets.
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <memory>
#include <mutex>

#include <fmt/chrono.h>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include "app/app.h"
#include "base/redact.h"

namespace preflight {
namespace {

thread_local const ScopedLogFields* t_fields = nullptr;

// RFC 3339 in UTC with milliseconds, as Cloud Logging reads `time`,
// whatever the process's time zone.
std::string utc_timestamp(std::chrono::system_clock::time_point at) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(at);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count() % 1000;
  return fmt::format("{:%FT%T}.{:03}Z", utc, ms);
}

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
  StderrSink(LogFormat format, bool color, nlohmann::json labels)
      : format_(format), color_(color), labels_(std::move(labels)) {}

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
      nlohmann::ordered_json j{{"severity", severity(msg.level)},
                               {"message", text},
                               {"time", utc_timestamp(msg.time)},
                               {"logging.googleapis.com/labels", labels_}};
      if (const nlohmann::json* fields = ScopedLogFields::current()) {
        // Field values are names, kinds and numbers, and the hint: scrubbed
        // all the same, at every depth.
        for (const auto& [key, value] : fields->items()) j[key] = scrubbed(value);
        if (auto check = fields->find("check"); check != fields->end() && check->is_string()) {
          const auto phase = fields->find("phase");
          const std::string name = phase != fields->end() && phase->is_string()
                                       ? fmt::format("{}/{}", phase->get<std::string>(), check->get<std::string>())
                                       : check->get<std::string>();
          j["logging.googleapis.com/labels"]["check"] = redactor_->scrub(name);
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
  nlohmann::json scrubbed(const nlohmann::json& value) const {
    if (value.is_string()) return redactor_->scrub(value.get<std::string>());
    if (!value.is_structured()) return value;
    nlohmann::json out = value;
    for (auto& item : out) item = scrubbed(item);
    return out;
  }

  LogFormat format_;
  bool color_;
  nlohmann::json labels_;
  std::shared_ptr<const Redactor> redactor_ = std::make_shared<Redactor>();  // guarded by mutex_
};

std::shared_ptr<StderrSink>& sink_instance() {
  static std::shared_ptr<StderrSink> sink;
  return sink;
}

}  // namespace

void setup_logging(LogFormat format, int verbosity, bool color, const std::map<std::string, std::string>& labels) {
  nlohmann::json all_labels{{"tool", "preflight"}};
  for (const auto& [key, value] : labels) all_labels[key] = value;
  auto sink = std::make_shared<StderrSink>(format, color, std::move(all_labels));
  sink_instance() = sink;
  auto logger = std::make_shared<spdlog::logger>("preflight", sink);
  spdlog::level::level_enum level = verbosity < 0    ? spdlog::level::err
                                    : verbosity == 0 ? (format == LogFormat::json ? spdlog::level::info : spdlog::level::warn)
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
