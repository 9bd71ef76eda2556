// Measured profiles (../shared/real-profiles): sparse, with fb_sync exactly 0. The search must not fail on
// them: it skips candidates whose entry is missing, counts them and names the keys; `corrected` costs plans
// that `reference` cannot.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "files.hpp"
#include "hetplan/parse.hpp"
#include "hetplan/search.hpp"

namespace fs = std::filesystem;

namespace hetplan {
namespace {

fs::path real_dir(const std::string& model) {
  return fs::path(HETPLAN_SHARED_DIR) / "real-profiles" / model;
}

struct RealCase {
  std::string model;
  std::string hostfile;
  std::string clusterfile;
  int layers;
  int gbs;
  int max_tp;
  int max_bs;
};

Outcome<Case> load(const RealCase& r) {
  auto files = cli::read_profile_folder(real_dir(r.model));
  if (!files) return files.error();
  CaseArgs args;
  args.model.num_layers = r.layers;
  args.bounds.gbs = r.gbs;
  args.bounds.max_tp = r.max_tp;
  args.bounds.max_bs = r.max_bs;
  return case_from_texts({"hostfile", r.hostfile}, {"clusterfile", r.clusterfile}, std::move(*files),
                         real_dir(r.model).string(), args);
}

const char* kThreeTypes = R"({
  "10.0.0.1": {"instance_type": "A100", "inter_bandwidth": 10, "intra_bandwidth": 46, "memory": 40},
  "10.0.0.3": {"instance_type": "GH200", "inter_bandwidth": 10, "intra_bandwidth": 50, "memory": 96},
  "10.0.0.7": {"instance_type": "V100", "inter_bandwidth": 10, "intra_bandwidth": 50, "memory": 16}})";

#define SKIP_WITHOUT(model)         \
  if (!fs::exists(real_dir(model))) \
  GTEST_SKIP() << "no " << real_dir(model) << " (shared data not beside this clone)"

TEST(RealProfiles, LlamaOnThreeTypesSkipsMissingEntriesAndSaysWhich) {
  SKIP_WITHOUT("LLAMA-3-8");
  // LLAMA-3-8 has only a handful of entries; A100 (the first file's type) has no tp1_bs1.
  auto c = load({"LLAMA-3-8", "10.0.0.3 slots=4\n10.0.0.1 slots=4\n10.0.0.7 slots=4\n10.0.0.7 slots=4\n",
                 kThreeTypes, 34, 8, 4, 4});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->balance_type, "GH200");
  ASSERT_EQ(c->notes.size(), 1U);
  for (auto model : {CostModel::kReference, CostModel::kCorrected}) {
    for (auto s : {Strategy::kMetis, Strategy::kPruned}) {
      SearchRequest req;
      req.strategy = s;
      req.cost_model = model;
      auto r = run_search(*c, req);
      ASSERT_TRUE(r.ok());
      EXPECT_GT(r->inter_plans, 0);
      EXPECT_GT(r->skipped_candidates, 0);
      EXPECT_TRUE(r->missing_keys.count("V100 tp1 bs1") == 1 || r->missing_keys.count("A100 tp1 bs1") == 1);
      EXPECT_EQ(r->notes, c->notes);
    }
  }
}

TEST(RealProfiles, CorrectedCostsMeasuredProfilesThatReferenceCannot) {
  SKIP_WITHOUT("OPT-350");
  auto c = load({"OPT-350", "10.0.0.1 slots=4\n10.0.0.1 slots=4\n10.0.0.7 slots=4\n10.0.0.7 slots=4\n",
                 kThreeTypes, 26, 32, 4, 4});
  ASSERT_TRUE(c.ok()) << c.error().message;
  SearchRequest req;
  req.top_k = 3;
  req.cost_model = CostModel::kReference;
  auto ref = run_search(*c, req);
  req.cost_model = CostModel::kCorrected;
  auto cor = run_search(*c, req);
  ASSERT_TRUE(ref.ok() && cor.ok());
  // The folder holds seven types; its first file (A100L) supplies the model figures and the layer weights.
  EXPECT_EQ(c->profiles.model.source_file, "DeviceType.A100L_tp1_bs1.json");
  EXPECT_EQ(c->balance_type, "A100L");
  EXPECT_EQ(ref->count, cor->count);
  EXPECT_EQ(ref->costed_plans, 0);
  EXPECT_GT(ref->cost_errors, 0);
  EXPECT_GT(cor->costed_plans, 0);
  ASSERT_EQ(cor->top.size(), 3U);
  EXPECT_LE(cor->top[0].cost, cor->top[1].cost);
}

TEST(RealProfiles, GptNeoOnThreeTypesMatchesTheGoldenCounts) {
  SKIP_WITHOUT("GPT-Neo-2.7");
  auto c = load({"GPT-Neo-2.7", "10.0.0.3 slots=2\n10.0.0.1 slots=2\n10.0.0.7 slots=2\n10.0.0.7 slots=2\n",
                 kThreeTypes, 34, 8, 4, 4});
  ASSERT_TRUE(c.ok()) << c.error().message;
  SearchRequest req;
  auto metis = run_search(*c, req);
  req.strategy = Strategy::kPruned;
  auto pruned = run_search(*c, req);
  ASSERT_TRUE(metis.ok() && pruned.ok());
  EXPECT_EQ(metis->count, 1268);
  EXPECT_EQ(pruned->count, 1251);
  EXPECT_GT(metis->costed_plans, 0);  // corrected costs what reference cannot (339 cost errors there)
}

}  // namespace
}  // namespace hetplan
