// Result<T>: a value or an error, for calls that can fail across module
// boundaries. Exceptions stay inside parsers and are converted at their edge.
#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "base/failure.h"

namespace preflight {

template <typename E>
struct Unexpected {
  E error;
};
template <typename E>
Unexpected(E) -> Unexpected<E>;

template <typename T, typename E = Failure>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  template <typename F>
  Result(Unexpected<F> error)  // NOLINT: implicit by design
      : state_(std::in_place_index<1>, E(std::move(error.error))) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok()
  T& value() & { assert(ok()); return std::get<0>(state_); }
  const T& value() const& { assert(ok()); return std::get<0>(state_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // REQUIRES: !ok()
  const E& error() const& { assert(!ok()); return std::get<1>(state_); }
  E&& error() && { assert(!ok()); return std::get<1>(std::move(state_)); }

 private:
  std::variant<T, E> state_;
};

// Status: success or an error, for calls with nothing to return.
template <typename E = Failure>
class [[nodiscard]] BasicStatus {
 public:
  BasicStatus() = default;
  template <typename F>
  BasicStatus(Unexpected<F> error) : error_(E(std::move(error.error))), failed_(true) {}  // NOLINT

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const E& error() const { assert(failed_); return error_; }

 private:
  E error_{};
  bool failed_ = false;
};
using Status = BasicStatus<Failure>;

inline Unexpected<Failure> fail(FailureKind kind, std::string message, std::string hint = {}) {
  return Unexpected<Failure>{Failure{kind, std::move(message), std::move(hint)}};
}

}  // namespace preflight
