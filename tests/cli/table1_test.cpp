// `hetplan table1`: row 1 of the published table, generated and searched by the command itself.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "json_compare.hpp"

namespace hetplan::cli_test {
namespace {

class Table1 : public CliTest {};

TEST_F(Table1, RowOneGivesThePublishedCounts) {
  const auto r = run({"table1", "--rows", "1", "--json", "--threads", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = parse_json_output(r.out);
  ASSERT_TRUE(j.is_object());
  ASSERT_EQ(j["rows"].size(), 1U);
  const auto& row = j["rows"][0];
  EXPECT_EQ(row["row"], 1);
  EXPECT_EQ(row["metis"]["count"], 612);
  EXPECT_EQ(row["pruned"]["count"], 562);
  EXPECT_EQ(row["published"]["metis_steps"], 612);
  EXPECT_EQ(row["published"]["pruned_steps"], 562);
  EXPECT_EQ(row["steps_match"], true);
  // null when the two times cannot be told apart (results_test.cpp)
  if (!row["speedup"].is_null()) {
    EXPECT_GT(row["speedup"].get<double>(), 0);
  }
}

TEST_F(Table1, HumanTableNamesBothStrategies) {
  const auto r = run({"table1", "--rows", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("612"), std::string::npos);
  EXPECT_NE(r.out.find("562"), std::string::npos);
  EXPECT_NE(r.out.find("95.0 ms"), std::string::npos);  // the paper's time beside ours
  EXPECT_NE(r.out.find("All step counts equal the published ones."), std::string::npos);
}

}  // namespace
}  // namespace hetplan::cli_test
