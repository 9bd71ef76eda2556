// Checked access to JSON values: every failure becomes an Error naming the source, the JSON path and what
// was expected. Nothing here throws (the WASM build has no exception support).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "hetplan/outcome.hpp"

namespace hetplan::internal {

using Json = nlohmann::ordered_json;

Outcome<Json> parse_json(std::string_view text, const std::string& source);

// Shows a JSON value in a message, shortened.
std::string show(const Json& v);
// Compact dump that never throws on odd strings.
std::string dump(const Json& v, int indent = -1);

class JsonReader {
 public:
  explicit JsonReader(std::string source) : source_(std::move(source)) {}

  [[nodiscard]] Error error(const std::string& path, const std::string& expected, const Json* got) const;
  [[nodiscard]] Error missing(const std::string& path, const std::string& expected) const;

  // Each returns nullopt and records the first error when the member is missing (and required) or wrong.
  const Json* member(const Json& obj, const std::string& key, const std::string& path, bool required);
  std::optional<double> number(const Json& obj, const std::string& key, const std::string& path,
                               bool required, bool positive, bool allow_zero = false);
  std::optional<std::int64_t> integer(const Json& obj, const std::string& key, const std::string& path,
                                      bool required, std::int64_t min, std::int64_t max);
  std::optional<std::string> string(const Json& obj, const std::string& key, const std::string& path,
                                    bool required);
  std::optional<std::vector<double>> number_array(const Json& obj, const std::string& key,
                                                  const std::string& path, std::size_t min_len);

  [[nodiscard]] bool failed() const { return failed_; }
  [[nodiscard]] const Error& first_error() const { return first_; }
  void fail(Error e) {
    if (!failed_) first_ = std::move(e);
    failed_ = true;
  }

 private:
  std::string source_;
  bool failed_ = false;
  Error first_;
};

std::string join_path(const std::string& path, const std::string& key);

}  // namespace hetplan::internal
