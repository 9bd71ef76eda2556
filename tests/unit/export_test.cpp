// Exports of hand-checked plans of row 1's cluster (4 nodes of 4 V100 at 0.0.0.1, then 4 nodes of 4 A100 at
// 0.0.0.4; 10 profiled layers = embedding, 8 transformer layers, output; gbs 128), compared to the text
// expected; refusals with their reasons; and each launcher rule broken once.
#include "hetplan/export.hpp"

#include <gtest/gtest.h>

#include <string>

#include "synthetic_cases.hpp"

namespace hetplan {
namespace {

PlanRecord plan_of(std::vector<int> groups, std::vector<std::pair<int, int>> strategies, int batches,
                   std::vector<int> partition) {
  PlanRecord p;
  p.node_sequence = {"A100", "V100"};
  p.num_stage = static_cast<int>(groups.size());
  p.device_groups = std::move(groups);
  p.strategies = std::move(strategies);
  p.batches = batches;
  p.layer_partition = std::move(partition);
  return p;
}

PlanExport exported(const PlanRecord& plan, ExportTarget target, ExportOptions options = {}) {
  auto c = testing::build(testing::table_row(1));
  EXPECT_TRUE(c.ok());
  auto x = export_plan(*c, plan, target, options);
  EXPECT_TRUE(x.ok()) << x.error().message;
  return x.ok() ? *x : PlanExport{};
}

std::string file(const PlanExport& x, const std::string& name) {
  for (const auto& f : x.files) {
    if (f.name == name) return f.text;
  }
  ADD_FAILURE() << "no file " << name;
  return "";
}

const char* const kTwoStageNodes =
    "# node_rank address gpus type ranks stages\n"
    "0 0.0.0.4 4 A100 0-3 1\n"
    "1 0.0.0.4 4 A100 4-7 1\n"
    "2 0.0.0.4 4 A100 8-11 1\n"
    "3 0.0.0.4 4 A100 12-15 1\n"
    "4 0.0.0.1 4 V100 16-19 2\n"
    "5 0.0.0.1 4 V100 20-23 2\n"
    "6 0.0.0.1 4 V100 24-27 2\n"
    "7 0.0.0.1 4 V100 28-31 2\n";

TEST(Export, MegatronUniformPlan) {
  const PlanExport x = exported(plan_of({16, 16}, {{8, 2}, {8, 2}}, 4, {0, 5, 10}), ExportTarget::kMegatron);
  ASSERT_FALSE(x.refused) << x.reason;
  EXPECT_EQ(file(x, "megatron-args.txt"),
            "--tensor-model-parallel-size 2\n"
            "--pipeline-model-parallel-size 2\n"
            "--micro-batch-size 4\n"
            "--global-batch-size 128\n"
            "--num-layers 8\n");
  EXPECT_EQ(file(x, "nodes.txt"), kTwoStageNodes);
}

TEST(Export, MegatronUnevenSplits) {
  // First stage alone differs.
  PlanExport x = exported(plan_of({16, 16}, {{8, 2}, {8, 2}}, 4, {0, 6, 10}), ExportTarget::kMegatron);
  EXPECT_NE(file(x, "megatron-args.txt").find("--num-layers 8\n--decoder-first-pipeline-num-layers 5\n"),
            std::string::npos);
  // First and last differ, the middle is even: transformer layers 1, 3, 3, 1.
  const std::vector<std::pair<int, int>> four(4, {4, 2});
  x = exported(plan_of({8, 8, 8, 8}, four, 4, {0, 2, 5, 8, 10}), ExportTarget::kMegatron);
  EXPECT_NE(file(x, "megatron-args.txt")
                .find("--decoder-first-pipeline-num-layers 1\n--decoder-last-pipeline-num-layers 1\n"),
            std::string::npos);
  // Last stage alone differs: 1, 1, 1, 5.
  x = exported(plan_of({8, 8, 8, 8}, four, 4, {0, 2, 3, 4, 10}), ExportTarget::kMegatron);
  EXPECT_NE(file(x, "megatron-args.txt").find("--num-layers 8\n--decoder-last-pipeline-num-layers 5\n"),
            std::string::npos);
  // No flags fit 2, 2, 3, 1: a layout.
  x = exported(plan_of({8, 8, 8, 8}, four, 4, {0, 3, 5, 8, 10}), ExportTarget::kMegatron);
  EXPECT_NE(file(x, "megatron-args.txt").find("--pipeline-model-parallel-layout Ett|tt|ttt|tL\n"),
            std::string::npos);
}

// Three stages of different (dp, tp): FlagScale's meshes, refused by stock Megatron-LM and DeepSpeed.
PlanRecord mixed_degrees() {
  return plan_of({16, 8, 8}, {{8, 2}, {2, 4}, {4, 2}}, 4, {0, 4, 7, 10});
}

TEST(Export, FlagScaleMixedDegrees) {
  const PlanExport x = exported(mixed_degrees(), ExportTarget::kFlagScale);
  ASSERT_FALSE(x.refused) << x.reason;
  EXPECT_EQ(file(x, "flagscale-args.txt"),
            "--enable-hetero\n"
            "--hetero-device-types A100 V100 V100\n"
            "--hetero-process-meshes 2 1 1 8 1 4 1 1 2 1 2 1 1 4 1\n"
            "--hetero-pipeline-layer-split 3 3 2\n"
            "--tensor-model-parallel-size 2\n"
            "--pipeline-model-parallel-size 3\n"
            "--micro-batch-size 4\n"
            "--global-batch-size 128\n"
            "--num-layers 8\n");
  EXPECT_NE(file(x, "nodes.txt").find("4 0.0.0.1 4 V100 16-19 2\n"), std::string::npos);
  EXPECT_NE(file(x, "nodes.txt").find("6 0.0.0.1 4 V100 24-27 3\n"), std::string::npos);
}

TEST(Export, FlagScaleMergesStagesOfOneMesh) {
  const PlanExport x = exported(plan_of({16, 16}, {{8, 2}, {8, 2}}, 4, {0, 5, 10}), ExportTarget::kFlagScale);
  ASSERT_FALSE(x.refused) << x.reason;
  EXPECT_NE(file(x, "flagscale-args.txt").find("--hetero-process-meshes 2 1 1 8 1 2 1 1 8 1\n"),
            std::string::npos);
  const std::vector<std::pair<int, int>> four(4, {4, 2});
  const PlanExport y = exported(plan_of({8, 8, 8, 8}, four, 4, {0, 3, 5, 8, 10}), ExportTarget::kFlagScale);
  EXPECT_NE(file(y, "flagscale-args.txt")
                .find("--hetero-device-types A100 V100\n--hetero-process-meshes 2 1 1 4 2 2 1 1 4 2\n"),
            std::string::npos);
}

TEST(Export, MegatronAndDeepSpeedRefuseMixedDegrees) {
  for (const ExportTarget t : {ExportTarget::kMegatron, ExportTarget::kDeepSpeed}) {
    const PlanExport x = exported(mixed_degrees(), t);
    EXPECT_TRUE(x.refused);
    EXPECT_TRUE(x.files.empty());
    EXPECT_EQ(x.reason,
              "stage 1 runs at (dp 8, tp 2) and stage 2 at (dp 2, tp 4): one (dp, tp) for the whole "
              "model is all it takes");
    ASSERT_EQ(x.can_take.size(), 1U);
    EXPECT_EQ(x.can_take[0], ExportTarget::kFlagScale);
  }
}

TEST(Export, FlagScaleTiedEmbeddingsNeedOneTpAtBothEnds) {
  const PlanRecord plan = plan_of({16, 16}, {{8, 2}, {4, 4}}, 4, {0, 5, 10});
  const PlanExport tied = exported(plan, ExportTarget::kFlagScale);
  EXPECT_TRUE(tied.refused);
  EXPECT_NE(tied.reason.find("the first and last stage differ in tp (2 and 4)"), std::string::npos);
  EXPECT_TRUE(tied.can_take.empty());
  ExportOptions untied;
  untied.untied_embeddings = true;
  const PlanExport x = exported(plan, ExportTarget::kFlagScale, untied);
  ASSERT_FALSE(x.refused) << x.reason;
  EXPECT_NE(file(x, "flagscale-args.txt").find("--untie-embeddings-and-output-weights\n"), std::string::npos);
}

TEST(Export, FlagScaleRefusesAStageOfTwoTypes) {
  // Stage 2 holds the last 8 A100 and the first 8 V100, one data-parallel group (an even split).
  const PlanExport x =
      exported(plan_of({8, 16, 8}, {{8, 1}, {1, 16}, {8, 1}}, 4, {0, 3, 7, 10}), ExportTarget::kFlagScale);
  EXPECT_TRUE(x.refused);
  EXPECT_EQ(
      x.reason,
      "stage 2 holds GPUs of several types (A100, V100): each FlagScale process mesh has one device type");
}

TEST(Export, FlagScaleNamesEveryTypeOfAMixedStage) {
  // A node of 4 V100, one of 4 T4 and one of 8 A100, all as fast; one stage over all 16 at dp 4 (an even
  // split of the micro-batch).
  testing::SyntheticCase three;
  three.layers = 10;
  three.hostfile = "0.0.0.1 slots=4\n0.0.0.3 slots=4\n0.0.0.4 slots=8\n";
  three.types = {{"A100", 1}, {"V100", 1}, {"T4", 1}};
  auto c = testing::build(three);
  ASSERT_TRUE(c.ok()) << c.error().message;
  PlanRecord plan = plan_of({16}, {{4, 4}}, 4, {0, 10});
  plan.node_sequence = {"A100", "T4", "V100"};
  auto x = export_plan(*c, plan, ExportTarget::kFlagScale, {});
  ASSERT_TRUE(x.ok()) << x.error().message;
  EXPECT_TRUE(x->refused);
  EXPECT_EQ(x->reason,
            "stage 1 holds GPUs of several types (A100, T4, V100): each FlagScale process mesh has one "
            "device type");
}

TEST(Export, UnevenBatchSplitIsRefusedEverywhere) {
  // One stage of all 32 GPUs: the A100 groups take more samples of each micro-batch than the V100 groups.
  const PlanRecord plan = plan_of({32}, {{32, 1}}, 1, {0, 10});
  for (const ExportTarget t : kExportTargets) {
    const PlanExport x = exported(plan, t);
    EXPECT_TRUE(x.refused);
    EXPECT_NE(x.reason.find("splits each micro-batch of 128 samples unevenly"), std::string::npos)
        << x.reason;
    EXPECT_TRUE(x.can_take.empty());
  }
}

TEST(Export, BatchesThatDoNotDivideAreRefused) {
  PlanExport x = exported(plan_of({16, 16}, {{8, 2}, {8, 2}}, 3, {0, 5, 10}), ExportTarget::kMegatron);
  EXPECT_TRUE(x.refused);
  EXPECT_NE(x.reason.find("does not divide into 3 equal micro-batches"), std::string::npos);
  x = exported(plan_of({16, 16}, {{16, 1}, {16, 1}}, 32, {0, 5, 10}), ExportTarget::kDeepSpeed);
  EXPECT_TRUE(x.refused);
  EXPECT_EQ(x.reason,
            "stage 1: a micro-batch of 4 samples does not divide over dp 16 (the cost model rounds down)");
}

TEST(Export, PartitionsThatLeaveLayersOutAreRefused) {
  const PlanExport x = exported(plan_of({16, 16}, {{8, 2}, {8, 2}}, 4, {0, 1, 7}), ExportTarget::kMegatron);
  EXPECT_TRUE(x.refused);
  EXPECT_NE(x.reason.find("the layer partition (0, 1, 7) does not place every layer once"),
            std::string::npos);
}

TEST(Export, DeepSpeedConfigAndHostfile) {
  const PlanExport x = exported(plan_of({16, 16}, {{8, 2}, {8, 2}}, 4, {0, 6, 10}), ExportTarget::kDeepSpeed);
  ASSERT_FALSE(x.refused) << x.reason;
  EXPECT_EQ(file(x, "ds_config.json"),
            "{\n  \"train_batch_size\": 128,\n  \"train_micro_batch_size_per_gpu\": 4,\n"
            "  \"gradient_accumulation_steps\": 4\n}\n");
  EXPECT_EQ(file(x, "hostfile"),
            "0.0.0.4 slots=4\n0.0.0.4 slots=4\n0.0.0.4 slots=4\n0.0.0.4 slots=4\n"
            "0.0.0.1 slots=4\n0.0.0.1 slots=4\n0.0.0.1 slots=4\n0.0.0.1 slots=4\n");
  bool split_stated = false;
  for (const auto& note : x.notes) {
    split_stated =
        split_stated || (note.find("layer split (transformer layers per stage): 5 3;") == 0 &&
                         note.find("stock DeepSpeed cannot take an explicit split") != std::string::npos);
  }
  EXPECT_TRUE(split_stated);
}

TEST(Export, TargetNames) {
  for (const ExportTarget t : kExportTargets) EXPECT_EQ(export_target_named(to_string(t)), t);
  EXPECT_FALSE(export_target_named("Megatron").has_value());
}

MegatronConfig good_megatron() {
  MegatronConfig m;
  m.tp = 2;
  m.pp = 4;
  m.dp = 4;
  m.world = 32;
  m.micro_batch = 4;
  m.global_batch = 128;
  m.num_layers = 8;
  m.stage_layers = {1, 3, 3, 1};
  m.first_stage_layers = 1;
  m.last_stage_layers = 1;
  return m;
}

TEST(ExportRules, MegatronEachRuleBroken) {
  EXPECT_EQ(megatron_rule_broken(good_megatron()), std::nullopt);
  auto m = good_megatron();
  m.world = 16;
  EXPECT_NE(megatron_rule_broken(m).value_or("").find("is not the GPU count 16"), std::string::npos);
  m = good_megatron();
  m.global_batch = 100;
  EXPECT_NE(megatron_rule_broken(m).value_or("").find("not a multiple of micro-batch x dp"),
            std::string::npos);
  m = good_megatron();
  m.stage_layers = {1, 3, 3, 2};
  EXPECT_NE(megatron_rule_broken(m).value_or("").find("does not give 4 stages of 8 layers"),
            std::string::npos);
  m = good_megatron();
  m.last_stage_layers.reset();  // the middle 7 layers do not divide over 3 stages
  EXPECT_NE(megatron_rule_broken(m).value_or("").find("the arguments give the split ()"), std::string::npos);
  m = good_megatron();
  m.first_stage_layers = 0;
  m.stage_layers = {0, 4, 3, 1};
  EXPECT_NE(megatron_rule_broken(m).value_or("").find("take 1 layer or more"), std::string::npos);
  m = good_megatron();
  m.layout = "Et|ttt|ttt|tL";
  EXPECT_NE(megatron_rule_broken(m).value_or("").find("does not go with"), std::string::npos);
  m.first_stage_layers.reset();
  m.last_stage_layers.reset();
  EXPECT_EQ(megatron_rule_broken(m), std::nullopt);
  m.layout = "Ett|tt|ttt|tL";  // 2, 2, 3, 1
  EXPECT_NE(megatron_rule_broken(m).value_or("").find("the arguments give the split (2 2 3 1)"),
            std::string::npos);
  m.layout = "tE|ttt|ttt|tL";
  EXPECT_NE(megatron_rule_broken(m).value_or("").find("the arguments give the split ()"), std::string::npos);
  m = good_megatron();
  m.pp = 1;
  m.dp = 16;
  m.stage_layers = {8};
  m.last_stage_layers.reset();
  EXPECT_NE(megatron_rule_broken(m).value_or("").find("need 2 pipeline stages or more"), std::string::npos);
}

FlagScaleConfig good_flagscale() {
  FlagScaleConfig f;
  f.tp = 2;
  f.pp = 3;
  f.micro_batch = 4;
  f.global_batch = 128;
  f.num_layers = 8;
  f.meshes = {{2, 1, 1, 8, 1, "A100"}, {4, 1, 1, 2, 1, "V100"}, {2, 1, 1, 4, 1, "V100"}};
  f.layer_split = {3, 3, 2};
  return f;
}

TEST(ExportRules, FlagScaleEachRuleBroken) {
  EXPECT_EQ(flagscale_rule_broken(good_flagscale()), std::nullopt);
  auto f = good_flagscale();
  f.meshes.clear();
  EXPECT_EQ(flagscale_rule_broken(f), "no process mesh");
  f = good_flagscale();
  f.meshes[1].device_type.clear();
  EXPECT_EQ(flagscale_rule_broken(f), "a process mesh without a device type");
  f = good_flagscale();
  f.meshes[2].cp = 2;
  EXPECT_NE(flagscale_rule_broken(f).value_or("").find("one cp for all"), std::string::npos);
  f = good_flagscale();
  f.meshes[2].pp = 2;
  EXPECT_NE(flagscale_rule_broken(f).value_or("").find("pipeline sizes add to 4"), std::string::npos);
  f = good_flagscale();
  f.layer_split = {3, 3, 3};
  EXPECT_NE(flagscale_rule_broken(f).value_or("").find("--hetero-pipeline-layer-split (3 3 3)"),
            std::string::npos);
  f = good_flagscale();
  f.tp = 4;
  EXPECT_NE(flagscale_rule_broken(f).value_or("").find("not the first mesh's tp"), std::string::npos);
  f = good_flagscale();
  f.meshes[1].dp = 3;
  EXPECT_NE(flagscale_rule_broken(f).value_or("").find("(32) is not divisible by a mesh's dp 3"),
            std::string::npos);
  f = good_flagscale();
  f.global_batch = 80;
  EXPECT_NE(flagscale_rule_broken(f).value_or("").find("not a multiple of dp x micro-batch 32"),
            std::string::npos);
  f = good_flagscale();
  f.meshes[2].tp = 4;
  f.meshes[2].dp = 2;
  EXPECT_NE(flagscale_rule_broken(f).value_or("").find("embeddings are tied"), std::string::npos);
  f.untied_embeddings = true;
  EXPECT_EQ(flagscale_rule_broken(f), std::nullopt);
}

TEST(ExportRules, DeepSpeedBatchRuleBroken) {
  DeepSpeedConfig d{128, 4, 4, 8};
  EXPECT_EQ(deepspeed_rule_broken(d), std::nullopt);
  d.gradient_accumulation_steps = 2;
  EXPECT_NE(deepspeed_rule_broken(d).value_or("").find("is not train_micro_batch_size_per_gpu"),
            std::string::npos);
}

}  // namespace
}  // namespace hetplan
