// Field-by-field comparison of two JSON documents, numbers to a relative tolerance.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace hetplan::cli_test {

// Returns an empty string when equal, else the JSON path of the first difference and both values.
std::string json_difference(const nlohmann::json& expected, const nlohmann::json& actual, double rel_tol,
                            const std::string& path = "$");

// Parses stdout of a --json run; fails the calling test (ADD_FAILURE) and returns null on bad JSON.
nlohmann::json parse_json_output(const std::string& text);

}  // namespace hetplan::cli_test
