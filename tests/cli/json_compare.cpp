#include "json_compare.hpp"

#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

namespace hetplan::cli_test {

std::string json_difference(const nlohmann::json& expected, const nlohmann::json& actual, double rel_tol,
                            const std::string& path) {
  const auto differ = [&] { return path + ": expected " + expected.dump() + ", got " + actual.dump(); };
  if (expected.is_number() && actual.is_number()) {
    const double e = expected.get<double>();
    const double a = actual.get<double>();
    const double scale = std::max(std::abs(e), std::abs(a));
    return std::abs(e - a) <= rel_tol * scale ? std::string() : differ();
  }
  if (expected.type() != actual.type()) return differ();
  if (expected.is_array()) {
    if (expected.size() != actual.size()) {
      return path + ": expected " + std::to_string(expected.size()) + " entries, got " +
             std::to_string(actual.size());
    }
    for (std::size_t i = 0; i < expected.size(); ++i) {
      auto d = json_difference(expected[i], actual[i], rel_tol, path + "[" + std::to_string(i) + "]");
      if (!d.empty()) return d;
    }
    return {};
  }
  if (expected.is_object()) {
    for (const auto& [key, value] : expected.items()) {
      if (!actual.contains(key)) {
        std::string where = path;
        where.append(".").append(key).append(": missing");
        return where;
      }
    }
    for (const auto& [key, value] : actual.items()) {
      std::string field_path = path;
      field_path.append(".").append(key);
      if (!expected.contains(key)) return field_path + ": unexpected field";
      auto d = json_difference(expected[key], value, rel_tol, field_path);
      if (!d.empty()) return d;
    }
    return {};
  }
  return expected == actual ? std::string() : differ();
}

nlohmann::json parse_json_output(const std::string& text) {
  auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    ADD_FAILURE() << "stdout is not JSON:\n" << text.substr(0, 2000);
    return nullptr;
  }
  return doc;
}

}  // namespace hetplan::cli_test
