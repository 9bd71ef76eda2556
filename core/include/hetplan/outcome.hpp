// Errors as values: the core never throws across its edge, so the same code runs natively and in a
// WebAssembly build compiled without exception support.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace hetplan {

// What kind of failure an error is, so that faces can act on it without reading the message.
enum class ErrorKind {
  kInvalid,   // bad input or a bad request: the message says what and where
  kTooLarge,  // the case has more inter-stage plans than the request's limit (Error::inter_plans)
};

struct Error {
  std::string message;
  ErrorKind kind = ErrorKind::kInvalid;
  // kTooLarge: the case's inter-stage plans (a lower bound past 10^12) and the limit it exceeds.
  std::int64_t inter_plans = 0;
  std::int64_t limit = 0;
  double estimated_seconds = 0;  // kTooLarge: the estimated time of the search
};

// The kind's stable name in JSON ("invalid", "too_large").
inline const char* to_string(ErrorKind kind) {
  return kind == ErrorKind::kTooLarge ? "too_large" : "invalid";
}

template <class T>
class Outcome {
 public:
  Outcome(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor): natural return
  Outcome(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  [[nodiscard]] const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace hetplan
