#include "live_line.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <fmt/format.h>

namespace preflight {
namespace {

constexpr auto kRedrawEvery = std::chrono::milliseconds(100);
constexpr std::string_view kEraseLine = "\r\x1b[2K";

size_t terminal_width(int fd) {
  winsize ws{};
  if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10) return ws.ws_col;
  return 80;
}

// Cuts at a character boundary so a multi-byte name is never split.
std::string fit(std::string text, size_t width) {
  if (text.size() < width) return text;
  size_t cut = width - 1;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text;
}

void write_all(int fd, std::string_view s) {
  while (!s.empty()) {
    ssize_t n = ::write(fd, s.data(), s.size());
    if (n <= 0) return;  // a closed terminal: the line is cosmetic
    s.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace

LiveLine::LiveLine(int fd) : fd_(fd), ticker_([this](std::stop_token stop) { tick(stop); }) {}

LiveLine::~LiveLine() { stop(); }

void LiveLine::stop() {
  if (ticker_.joinable()) {
    ticker_.request_stop();
    wake_.notify_all();
    ticker_.join();
  }
  std::lock_guard lock(mu_);
  erase();
}

void LiveLine::phase_started(const PlannedPhase& phase, Millis timeout) {
  std::lock_guard lock(mu_);
  phase_ = phase.name;
  phase_start_ = Clock::now();
  timeout_ = timeout;
  checks_.clear();
  for (const auto& c : phase.checks) checks_.push_back({c.name, 0, {}, false});
  active_ = true;
}

void LiveLine::attempt_failed(size_t check, int attempt, const Failure& failure) {
  std::lock_guard lock(mu_);
  if (check >= checks_.size()) return;
  checks_[check].attempts = attempt;
  checks_[check].last_failure = std::string(to_string(failure.kind));
}

void LiveLine::check_finished(size_t check, const CheckReport&) {
  std::lock_guard lock(mu_);
  if (check < checks_.size()) checks_[check].done = true;
}

void LiveLine::phase_finished(const PhaseReport&) {
  std::lock_guard lock(mu_);
  active_ = false;
  erase();
}

std::string LiveLine::compose(int frame) const {
  static constexpr std::string_view kSpinner = "|/-\\";
  double elapsed = std::chrono::duration<double>(Clock::now() - phase_start_).count();
  std::vector<std::string> waiting;
  for (const auto& c : checks_) {
    if (c.done) continue;
    waiting.push_back(c.attempts == 0 ? c.name
                                      : fmt::format("{} (attempt {}: {})", c.name, c.attempts + 1, c.last_failure));
  }
  return fmt::format("{} {} {:.1f}s of {:.1f}s · waiting for {}", kSpinner[static_cast<size_t>(frame) % kSpinner.size()],
                     phase_, elapsed, static_cast<double>(timeout_.count()) / 1000.0, fmt::join(waiting, ", "));
}

void LiveLine::erase() {
  if (!drawn_) return;
  write_all(fd_, kEraseLine);
  drawn_ = false;
}

void LiveLine::tick(std::stop_token stop) {
  std::unique_lock lock(mu_);
  for (int frame = 0; !stop.stop_requested(); ++frame) {
    if (active_) {
      write_all(fd_, fmt::format("{}{}", kEraseLine, fit(compose(frame), terminal_width(fd_))));
      drawn_ = true;
    }
    wake_.wait_for(lock, stop, kRedrawEvery, [] { return false; });
  }
}

}  // namespace preflight
