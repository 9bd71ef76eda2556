#include "input/json_util.hpp"

#include <cmath>
#include <limits>

namespace hetplan::internal {

namespace {

// Records the parser's complaint without exceptions; the DOM itself is built by a second, normal parse.
struct ErrorOnlySax : nlohmann::json_sax<Json> {
  std::size_t position = 0;
  std::string message;
  bool null() override { return true; }
  bool boolean(bool /*val*/) override { return true; }
  bool number_integer(number_integer_t /*val*/) override { return true; }
  bool number_unsigned(number_unsigned_t /*val*/) override { return true; }
  bool number_float(number_float_t /*val*/, const string_t& /*s*/) override { return true; }
  bool string(string_t& /*val*/) override { return true; }
  bool binary(binary_t& /*val*/) override { return true; }
  bool start_object(std::size_t /*elements*/) override { return true; }
  bool key(string_t& /*val*/) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t /*elements*/) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t pos, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& ex) override {
    position = pos;
    message = ex.what();
    return false;
  }
};

std::string line_col(std::string_view text, std::size_t pos) {
  std::size_t line = 1;
  std::size_t col = 1;
  for (std::size_t i = 0; i + 1 < pos && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

}  // namespace

Outcome<Json> parse_json(std::string_view text, const std::string& source) {
  Json j = Json::parse(text, nullptr, false);
  if (!j.is_discarded()) return j;
  ErrorOnlySax sax;
  Json::sax_parse(text, &sax, nlohmann::detail::input_format_t::json, true, false);
  std::string why = sax.message;
  // nlohmann's text starts with "[json.exception.parse_error.101] parse error at line 1, column 2: ...".
  auto colon = why.find(": ");
  if (colon != std::string::npos) why = why.substr(colon + 2);
  return Error{source + ": not valid JSON (" + line_col(text, sax.position) + "): " + why};
}

std::string dump(const Json& v, int indent) {
  return v.dump(indent, ' ', false, nlohmann::detail::error_handler_t::replace);
}

std::string show(const Json& v) {
  std::string s = dump(v);
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}

std::string join_path(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

Error JsonReader::error(const std::string& path, const std::string& expected, const Json* got) const {
  std::string msg = source_ + ": " + path + ": expected " + expected;
  if (got != nullptr) msg += ", got " + show(*got);
  return Error{msg};
}

Error JsonReader::missing(const std::string& path, const std::string& expected) const {
  return Error{source_ + ": " + path + ": missing (expected " + expected + ")"};
}

const Json* JsonReader::member(const Json& obj, const std::string& key, const std::string& path,
                               bool required) {
  auto it = obj.find(key);
  if (it == obj.end()) {
    if (required) fail(missing(join_path(path, key), "a value"));
    return nullptr;
  }
  return &*it;
}

std::optional<double> JsonReader::number(const Json& obj, const std::string& key, const std::string& path,
                                         bool required, bool positive, bool allow_zero) {
  const std::string p = join_path(path, key);
  const std::string expected = positive ? (allow_zero ? "a number >= 0" : "a number > 0") : "a number";
  auto it = obj.find(key);
  if (it == obj.end()) {
    if (required) fail(missing(p, expected));
    return std::nullopt;
  }
  if (!it->is_number()) {
    fail(error(p, expected, &*it));
    return std::nullopt;
  }
  double v = it->get<double>();
  if (!std::isfinite(v) || (positive && (v < 0 || (!allow_zero && v == 0)))) {
    fail(error(p, expected, &*it));
    return std::nullopt;
  }
  return v;
}

std::optional<std::int64_t> JsonReader::integer(const Json& obj, const std::string& key,
                                                const std::string& path, bool required, std::int64_t min,
                                                std::int64_t max) {
  const std::string p = join_path(path, key);
  const std::string expected = "a whole number from " + std::to_string(min) + " to " + std::to_string(max);
  auto it = obj.find(key);
  if (it == obj.end()) {
    if (required) fail(missing(p, expected));
    return std::nullopt;
  }
  std::int64_t v = 0;
  if (it->is_number_integer()) {
    v = it->get<std::int64_t>();
    if (it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(max)) v = max + 1;
  } else if (it->is_number_float()) {
    double d = it->get<double>();
    if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9e15) {
      fail(error(p, expected, &*it));
      return std::nullopt;
    }
    v = static_cast<std::int64_t>(d);
  } else {
    fail(error(p, expected, &*it));
    return std::nullopt;
  }
  if (v < min || v > max) {
    fail(error(p, expected, &*it));
    return std::nullopt;
  }
  return v;
}

std::optional<std::string> JsonReader::string(const Json& obj, const std::string& key,
                                              const std::string& path, bool required) {
  const std::string p = join_path(path, key);
  auto it = obj.find(key);
  if (it == obj.end()) {
    if (required) fail(missing(p, "a non-empty string"));
    return std::nullopt;
  }
  if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
    fail(error(p, "a non-empty string", &*it));
    return std::nullopt;
  }
  return it->get<std::string>();
}

std::optional<std::vector<double>> JsonReader::number_array(const Json& obj, const std::string& key,
                                                            const std::string& path, std::size_t min_len) {
  const std::string p = join_path(path, key);
  const std::string expected = "an array of at least " + std::to_string(min_len) + " numbers >= 0";
  auto it = obj.find(key);
  if (it == obj.end()) {
    fail(missing(p, expected));
    return std::nullopt;
  }
  if (!it->is_array() || it->size() < min_len) {
    fail(error(p, expected, &*it));
    return std::nullopt;
  }
  std::vector<double> out;
  out.reserve(it->size());
  for (std::size_t i = 0; i < it->size(); ++i) {
    const Json& e = (*it)[i];
    if (!e.is_number() || !std::isfinite(e.get<double>()) || e.get<double>() < 0) {
      fail(error(p + "[" + std::to_string(i) + "]", "a number >= 0", &e));
      return std::nullopt;
    }
    out.push_back(e.get<double>());
  }
  return out;
}

}  // namespace hetplan::internal
