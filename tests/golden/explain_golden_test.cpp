// On every golden case, the explanation of each of the top five plans of both strategies, in both cost
// models, gives the plan's cost to the last bit.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "case_loader.hpp"
#include "explain_cases.hpp"
#include "golden_cases.hpp"

namespace fs = std::filesystem;

namespace {

class ExplainGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(ExplainGolden, TermsAddToTheCostBitForBit) {
  const fs::path dir = fs::path(HETPLAN_SHARED_DIR) / "golden" / GetParam();
  if (!fs::exists(dir)) GTEST_SKIP() << "no " << dir << " (the shared golden data is not beside this clone)";
  auto c = hetplan::cli::load_case_folder(dir);
  ASSERT_TRUE(c.ok()) << c.error().message;
  // Real profiles get no cost in `reference`: the corrected model's plans are checked there.
  EXPECT_GT(hetplan::testing::expect_terms_add_to_costs(*c, 5), 0);
}

INSTANTIATE_TEST_SUITE_P(Shared, ExplainGolden, hetplan::testing::golden_cases(),
                         hetplan::testing::golden_test_name);

}  // namespace
