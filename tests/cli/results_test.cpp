// What `plan` and `table1` print about their results: plans no framework launches (flagged, and left out on
// request), plans the reference's enumeration meets twice (shown once), Ctrl-C (the plans so far, marked
// cancelled), refused sizes (the option to raise, the time it would take), one number format, and how
// table1 times short searches.
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "json_compare.hpp"

namespace hetplan::cli_test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

class Results : public CliTest {
 protected:
  // A case folder of the published table's kind: N A100 + N V100 in 4-GPU nodes, L layers.
  fs::path make_table_case(const std::string& name, int gpus_per_type, int layers) {
    fs::path dir = scratch_ / name;
    fs::create_directories(dir);
    const auto gen = run({"gen-hostfile", "--gpus-per-type", std::to_string(gpus_per_type), "--out",
                          (dir / "hostfile").string()});
    EXPECT_EQ(gen.exit_code, 0) << gen.err;
    write_file(dir / "clusterfile.json", kTableClusterfile);
    write_file(dir / "synthetic.json",
               R"({"layers": )" + std::to_string(layers) + R"(, "max_batch_size": 128})");
    write_file(dir / "args.json", R"({"num_layers": )" + std::to_string(layers) + R"(, "gbs": 128})");
    return dir;
  }
};

// The tables' plan rows, from the header row on, for one strategy run alone.
std::string plans_block(const std::string& out) {
  const auto at = out.find("  rank ");
  return at == std::string::npos ? std::string() : out.substr(at);
}

TEST_F(Results, PlansNoFrameworkLaunchesAreFlagged) {
  const auto dir = make_row1_case("row1");
  const auto r = run({"plan", "--case", dir.string(), "--strategy", "metis", "--top", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(plans_block(r.out),
            "  rank  cost (ms)  node sequence  device groups  stages  strategies (dp,tp)  batches  layer "
            "partition\n"
            "  1 !   1793.5513  A100,V100      32             1       (1,32)              1        0,10\n"
            "  ! no framework launches this plan as it is:\n"
            "    1: stage 1: tp 32 spans 8 nodes; tensor parallelism needs the fast links within a node\n"
            "    1: stage 1: tp 32 mixes GPU types (A100, V100) in one tensor-parallel group\n\n");

  const auto j = nlohmann::json::parse(
      run({"plan", "--case", dir.string(), "--strategy", "metis", "--top", "1", "--json"}).out);
  ASSERT_EQ(j["top"].size(), 1U);
  EXPECT_EQ(
      j["top"][0]["warnings"].dump(),
      R"([{"kind":"tp_across_nodes","message":"stage 1: tp 32 spans 8 nodes; tensor parallelism needs the )"
      R"(fast links within a node","stage":1},{"kind":"tp_across_types","message":"stage 1: tp 32 mixes GPU )"
      R"(types (A100, V100) in one tensor-parallel group","stage":1}])");
}

// --launchable-only changes which plans are kept, not the search; a plan the reference's enumeration met
// twice (labelled 1 stage, then 2) is shown once in the table and twice in the JSON.
TEST_F(Results, LaunchableOnlyAndTwinsShownOnce) {
  const auto dir = make_row1_case("row1");
  const std::vector<std::string> base = {"plan", "--case", dir.string(), "--strategy", "metis", "--top", "3"};
  auto args = base;
  args.emplace_back("--launchable-only");
  const auto r = run(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(
      plans_block(r.out),
      "  rank  cost (ms)  node sequence  device groups  stages  strategies (dp,tp)  batches  layer "
      "partition\n"
      "  1=2   2371.7713  V100,A100      16,16          2       (16,1) (16,1)       8        0,3,10\n"
      "  3     2525.2451  V100,A100      16,16          1*      (16,1) (16,1)       4        0,3,10\n"
      "  1=2: the same plan, found twice by the reference's enumeration (once labelled 1 stage): counted "
      "twice, shown once\n"
      "  * labelled with fewer stages than its device groups by the reference's enumeration (the reference "
      "cost model costs only the labelled stages)\n\n");

  args.emplace_back("--json");
  auto all = base;
  all.emplace_back("--json");
  const auto kept = nlohmann::json::parse(run(args).out);
  const auto every = nlohmann::json::parse(run(all).out);
  for (const char* key : {"count", "costed_plans", "cost_errors", "inter_plans"}) {
    EXPECT_EQ(kept[key], every[key]) << key;
  }
  ASSERT_EQ(kept["top"].size(), 3U);  // the JSON keeps both twins
  EXPECT_EQ(kept["top"][0]["num_stage"], 1);
  EXPECT_EQ(kept["top"][1]["num_stage"], 2);
  for (const auto& p : kept["top"]) EXPECT_FALSE(p.contains("warnings"));

  const auto reference =
      run({"plan", "--case", dir.string(), "--cost-model", "reference", "--launchable-only"});
  EXPECT_EQ(reference.exit_code, 2);
  EXPECT_EQ(reference.out, "");  // refused before the case's header
  EXPECT_EQ(
      reference.err,
      "hetplan: error: keeping only launchable plans goes with the corrected cost model and the metis or "
      "pruned strategy\n");
}

TEST_F(Results, TheLimitNamesItsOptionAndTheTime) {
  const auto refused = run({"table1", "--rows", "1", "--max-inter-plans", "100", "--threads", "1"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(refused.err,
            "hetplan: error: row 1: this case has 176 inter-stage plans, more than the limit of 100 "
            "(--max-inter-plans); searching them would take under a second on 1 thread (estimated at 3 "
            "microseconds per inter-stage plan and thread, the rate of row 4 of the published table in this "
            "build; see docs/performance.md). To run it, add --max-inter-plans 176; or lower the GPU count "
            "or the number "
            "of layers, or raise the scale variance\n");
  EXPECT_EQ(run({"table1", "--rows", "1", "--max-inter-plans", "176"}).exit_code, 0);

  // 512 GPUs, 64 layers, scale variance 0: 10^12 plans and more, counted in a moment and refused whatever the
  // limit. The bounded strategies are not limited by the count.
  const auto big = make_table_case("big", 256, 64);
  write_file(big / "args.json", R"({"num_layers": 64, "gbs": 128, "min_group_scale_variance": 0})");
  const auto days = run({"plan", "--case", big.string(), "--strategy", "metis", "--threads", "1",
                         "--max-inter-plans", "9000000000000000"});
  EXPECT_EQ(days.exit_code, 2);
  EXPECT_EQ(days.out,
            "GPT, 512 GPUs (256 A100, 256 V100) on 128 nodes, 64 layers, gbs 128, at least 1,637,137,519,272 "
            "inter-stage plans\n\n");
  EXPECT_EQ(
      days.err,
      "hetplan: error: this case has at least 1,637,137,519,272 inter-stage plans: searching them would "
      "take about 57 days on 1 thread (estimated at 3 microseconds per inter-stage plan and thread, the "
      "rate of row 4 of the published table in this build; see docs/performance.md). hetplan refuses "
      "searches estimated "
      "to take more than a day; lower the GPU count or the number of layers, or raise the scale variance\n");
  // With a bounded strategy before it, nothing runs: its plans would be printed and the run then refused.
  const auto both = run({"plan", "--case", big.string(), "--strategy", "bounded,metis", "--threads", "1"});
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_EQ(both.out, days.out);
  const auto bounded = run({"plan", "--case", make_row1_case("row1").string(), "--strategy", "bounded",
                            "--max-inter-plans", "1", "--json"});
  EXPECT_EQ(bounded.exit_code, 0) << bounded.err;
}

// A shard searches its part of the plans: its estimate is the whole search's over the shards.
TEST_F(Results, AShardsEstimateIsItsPartOfTheSearch) {
  const auto wide = make_table_case("wide", 16, 12);
  write_file(wide / "args.json", R"({"num_layers": 12, "gbs": 128, "min_group_scale_variance": 0})");
  const auto whole = run({"plan", "--case", wide.string(), "--strategy", "metis", "--threads", "1"});
  EXPECT_EQ(whole.exit_code, 2);
  EXPECT_THAT(whole.err,
              HasSubstr("this case has 8,232,640 inter-stage plans, more than the limit of 5,000,000 "
                        "(--max-inter-plans); searching them would take about 25 seconds on 1 thread ("));
  const auto part = run({"plan", "--case", wide.string(), "--strategy", "metis", "--threads", "1", "--shard",
                         "2/4", "--out", (scratch_ / "shard.json").string()});
  EXPECT_EQ(part.exit_code, 2);
  EXPECT_THAT(part.err, HasSubstr(" would take about 6 seconds on 1 thread in each of 4 shards ("));
}

// Threads past the machine's cores make a search no faster: the estimate counts no more than the cores.
TEST_F(Results, TheEstimateCountsNoMoreThreadsThanTheMachineRuns) {
  const unsigned cores = std::thread::hardware_concurrency();
  if (cores == 0 || cores >= 1024) GTEST_SKIP() << "the machine's core count is unknown or 1024 and more";
  const auto big = make_table_case("big", 256, 64);
  write_file(big / "args.json", R"({"num_layers": 64, "gbs": 128, "min_group_scale_variance": 0})");
  const auto on_many = run({"plan", "--case", big.string(), "--strategy", "metis", "--threads", "1024"});
  EXPECT_EQ(on_many.exit_code, 2);
  EXPECT_THAT(on_many.err,
              HasSubstr(" on 1024 threads, " + std::to_string(cores) + " at a time on this machine ("));
  // The figure is that of the cores alone: what one thread takes, divided by them.
  const auto on_cores =
      run({"plan", "--case", big.string(), "--strategy", "metis", "--threads", std::to_string(cores)});
  const auto figure = [](const std::string& err) { return err.substr(0, err.find(" on ")); };
  EXPECT_EQ(figure(on_many.err), figure(on_cores.err));
}

// Ctrl-C keeps what the search found: the plans so far, marked cancelled, in the table and in the JSON, exit
// 130. Row 4's case, searched over and over (each search takes a quarter of a second and more), gets the
// signal a second in, well after it started whatever the machine's load.
TEST_F(Results, CtrlCKeepsThePlansFoundSoFar) {
  const auto dir = make_table_case("row4", 128, 40);
  const std::vector<std::string> args = {"plan",     "--case", dir.string(), "--threads", "1",
                                         "--trials", "100000", "--top",      "2"};
  const auto table = run(args, 1000);
  EXPECT_EQ(table.exit_code, 130) << table.err;
  EXPECT_EQ(table.err,
            "hetplan: interrupted: the results above are what the search found before Ctrl-C (marked "
            "cancelled)\n");
  EXPECT_THAT(table.out, HasSubstr("metis (cost model corrected)"));
  EXPECT_THAT(table.out, Not(HasSubstr("pruned (cost model")));  // the strategies left are not run
  EXPECT_THAT(table.out, HasSubstr("  rank  cost (ms)"));

  auto json_args = args;
  json_args.emplace_back("--json");
  const auto j = run(json_args, 1000);
  EXPECT_EQ(j.exit_code, 130) << j.err;
  const auto parsed = parse_json_output(j.out);
  ASSERT_TRUE(parsed.is_object());
  ASSERT_TRUE(parsed.contains("metis"));  // keyed by strategy, as when both finish
  EXPECT_FALSE(parsed.contains("pruned"));
  const auto& m = parsed["metis"];
  EXPECT_FALSE(m["top"].empty());
  // The signal lands inside a search (then cancelled, partial counts) or, rarely, between two (complete).
  if (m["cancelled"].get<bool>()) {
    EXPECT_LT(m["count"].get<std::int64_t>(), 1714619);
  } else {
    EXPECT_EQ(m["count"], 1714619);
  }
}

TEST_F(Results, CountsHaveThousandsSeparators) {
  const auto dir = make_table_case("row3", 64, 20);
  const auto r = run({"plan", "--case", dir.string(), "--strategy", "metis"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr(", 320 inter-stage plans\n"));
  EXPECT_THAT(r.out, HasSubstr("\n  3,734  "));
}

// Generated profiles have no files: a layer count that differs from the args names the two fields as typed.
TEST_F(Results, ErrorsNameTheFieldsTheUserWrote) {
  const auto dir = make_row1_case("row1");
  write_file(dir / "args.json", R"({"num_layers": 12, "gbs": 128})");
  const auto folder = run({"plan", "--case", dir.string()});
  EXPECT_EQ(folder.exit_code, 2);
  EXPECT_EQ(folder.err, "hetplan: error: " + (dir / "synthetic.json").string() + ": layers is 10, but " +
                            (dir / "args.json").string() + ": num_layers is 12; they must be equal\n");

  const fs::path case_json = scratch_ / "case.json";
  write_file(case_json,
             R"({"hostfile": "0.0.0.1 slots=4\n", "clusterfile": {"0.0.0.1": {"instance_type": "V100", )"
             R"("inter_bandwidth": 10, "intra_bandwidth": 50, "memory": 16}}, "synthetic": {"layers": 4, )"
             R"("max_batch_size": 8}, "args": {"num_layers": 6, "gbs": 8}})");
  const auto json = run({"plan", "--case-json", case_json.string()});
  EXPECT_EQ(json.exit_code, 2);
  EXPECT_EQ(json.err, "hetplan: error: " + case_json.string() + ": synthetic: layers is 4, but " +
                          case_json.string() + ": args: num_layers is 6; they must be equal\n");
}

// Searches under 10 ms are timed over repeated trials; a speed-up is given only when the two times can be
// told apart (their middle halves do not overlap), and the table says how it timed.
TEST_F(Results, Table1TimesShortSearchesOverTrials) {
  const auto human = run({"table1", "--rows", "1", "--trials", "5"});
  ASSERT_EQ(human.exit_code, 0) << human.err;
  EXPECT_THAT(human.out,
              HasSubstr("Steps are exact. Times are wall times here: the median of 5 trials of each "
                        "search.\n"));
  const auto r = run({"table1", "--rows", "1", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto row = parse_json_output(r.out)["rows"][0];
  for (const char* s : {"metis", "pruned"}) {
    const auto& t = row["timing"][s];
    // Under 10 ms at once (row 1 takes a fraction of a millisecond), then 101 trials; else one run.
    if (t["trials"] != 1) {
      EXPECT_EQ(t["trials"], 101) << s;
    }
    EXPECT_LE(t["q1_ms"].get<double>(), t["median_ms"].get<double>());
    EXPECT_LE(t["median_ms"].get<double>(), t["q3_ms"].get<double>());
    EXPECT_EQ(row[s]["elapsed_ms"], t["median_ms"]);
  }
  const auto& m = row["timing"]["metis"];
  const auto& p = row["timing"]["pruned"];
  const bool overlap = m["q1_ms"].get<double>() <= p["q3_ms"].get<double>() &&
                       p["q1_ms"].get<double>() <= m["q3_ms"].get<double>();
  if (m["trials"] == 101 && p["trials"] == 101) {
    EXPECT_EQ(row["speedup"].is_null(), overlap);
  }
  if (!row["speedup"].is_null()) {
    EXPECT_DOUBLE_EQ(row["speedup"].get<double>(),
                     m["median_ms"].get<double>() / p["median_ms"].get<double>());
  }
}

}  // namespace
}  // namespace hetplan::cli_test
