// A plan as launcher configuration: stock Megatron-LM arguments, FlagScale's heterogeneous arguments, or a
// DeepSpeed config and hostfile, each with the node order that puts the plan's GPU types on the ranks of
// their stages. A plan a target cannot express is refused with the reason and the targets that can take it;
// every configuration is checked against its launcher's rules before it is written.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hetplan/case.hpp"
#include "hetplan/outcome.hpp"
#include "hetplan/search.hpp"

namespace hetplan {

enum class ExportTarget { kMegatron, kFlagScale, kDeepSpeed };

const char* to_string(ExportTarget t);
std::optional<ExportTarget> export_target_named(std::string_view name);
inline constexpr ExportTarget kExportTargets[] = {ExportTarget::kMegatron, ExportTarget::kFlagScale,
                                                  ExportTarget::kDeepSpeed};

struct ExportOptions {
  // The model's input and output embeddings are separate (--untie-embeddings-and-output-weights): the
  // first and last stage may then differ in tp.
  bool untied_embeddings = false;
};

struct ExportFile {
  std::string name;
  std::string text;
};

struct PlanExport {
  ExportTarget target = ExportTarget::kMegatron;
  bool refused = false;
  std::string reason;                  // why the target cannot take the plan
  std::vector<ExportTarget> can_take;  // the targets that can (empty: none)
  std::vector<ExportFile> files;
  std::vector<std::string> notes;  // what the files cannot say: layer counting, rank order, launch
};

// An error only when the plan does not fit the case; a plan the target cannot express is a refusal.
Outcome<PlanExport> export_plan(const Case& c, const PlanRecord& plan, ExportTarget target,
                                const ExportOptions& options = {});

// The launchers' settings, checked against their rules by the *_rule_broken functions (nullopt when every
// rule holds, else the rule broken). Layer counts are transformer layers.
struct MegatronConfig {
  int tp = 1;
  int pp = 1;
  int dp = 1;
  int world = 1;  // GPUs
  int micro_batch = 1;
  int global_batch = 1;
  int num_layers = 1;
  std::vector<int> stage_layers;  // per stage
  // How the split is given: none (even), first and/or last stage counts, or a layout.
  std::optional<int> first_stage_layers;
  std::optional<int> last_stage_layers;
  std::string layout;
};
std::optional<std::string> megatron_rule_broken(const MegatronConfig& m);

struct FlagScaleMesh {
  int tp = 1;
  int cp = 1;
  int ep = 1;
  int dp = 1;
  int pp = 1;
  std::string device_type;
};
struct FlagScaleConfig {
  int tp = 1;           // --tensor-model-parallel-size: the first mesh's
  int pp = 1;           // --pipeline-model-parallel-size
  int micro_batch = 1;  // per data-parallel rank of the first mesh
  int global_batch = 1;
  int num_layers = 1;
  std::vector<FlagScaleMesh> meshes;
  std::vector<int> layer_split;  // per stage
  bool untied_embeddings = false;
};
std::optional<std::string> flagscale_rule_broken(const FlagScaleConfig& f);

struct DeepSpeedConfig {
  int train_batch_size = 1;
  int micro_batch_per_gpu = 1;
  int gradient_accumulation_steps = 1;
  int dp = 1;
};
std::optional<std::string> deepspeed_rule_broken(const DeepSpeedConfig& d);

}  // namespace hetplan
