// The golden cases of ../shared/golden that carry plans (table1-row4 has published counts only), and their
// test names, for the suites that run over all of them.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <string>

namespace hetplan::testing {

inline auto golden_cases() {
  return ::testing::Values("table1-row1", "table1-row2", "table1-row3", "synth-l8-g16", "synth-l10-g32-perm2",
                           "synth-l12-g8-gbs64-var0", "synth3-a100-v100-t4-l8-g16",
                           "real-opt350-a100-v100-g16", "real-gptneo27-gh200-a100-2v100-g8");
}

// A case folder's name with every character a test name cannot hold as '_'.
inline std::string golden_test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string n = info.param;
  for (char& ch : n) {
    if (std::isalnum(static_cast<unsigned char>(ch)) == 0) ch = '_';
  }
  return n;
}

}  // namespace hetplan::testing
