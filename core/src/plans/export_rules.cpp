// The launchers' rules, checked on the settings an export is about to write: a broken rule is a bug in
// the export or a plan the target cannot take, never a config handed out.
#include <numeric>
#include <string>

#include "hetplan/export.hpp"

namespace hetplan {

namespace {

std::string list(const std::vector<int>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i > 0 ? " " : "") + std::to_string(v[i]);
  return s;
}

int sum(const std::vector<int>& v) {
  return std::accumulate(v.begin(), v.end(), 0);
}

// The split Megatron derives from its flags: the first and last counts when given, the rest evenly;
// empty when the rest does not divide evenly.
std::vector<int> implied_split(const MegatronConfig& m) {
  const int given = (m.first_stage_layers ? 1 : 0) + (m.last_stage_layers ? 1 : 0);
  const int rest = m.num_layers - m.first_stage_layers.value_or(0) - m.last_stage_layers.value_or(0);
  const int middle = m.pp - given;
  if (middle < 0 || rest < 0 || (middle == 0 && rest != 0) || (middle > 0 && rest % middle != 0)) return {};
  std::vector<int> split(static_cast<std::size_t>(m.pp), middle > 0 ? rest / middle : 0);
  if (m.first_stage_layers) split.front() = *m.first_stage_layers;
  if (m.last_stage_layers) split.back() = *m.last_stage_layers;
  return split;
}

// The layout's stages ('|' apart): E (embedding) leads the first, L (loss) ends the last, t is a layer.
std::vector<int> layout_split(const std::string& layout) {
  std::vector<int> split(1, 0);
  for (std::size_t i = 0; i < layout.size(); ++i) {
    const char ch = layout[i];
    if (ch == '|') {
      split.push_back(0);
    } else if (ch == 't') {
      ++split.back();
    } else if (!((ch == 'E' && split.size() == 1 && split.back() == 0) ||
                 (ch == 'L' && i + 1 == layout.size()))) {
      return {};
    }
  }
  if (layout.empty() || layout.front() != 'E' || layout.back() != 'L') return {};
  return split;
}

}  // namespace

std::optional<std::string> megatron_rule_broken(const MegatronConfig& m) {
  if (m.tp * m.pp * m.dp != m.world) {
    return "tensor x pipeline x data parallel (" + std::to_string(m.tp) + " x " + std::to_string(m.pp) +
           " x " + std::to_string(m.dp) + ") is not the GPU count " + std::to_string(m.world);
  }
  if (m.micro_batch < 1 || m.global_batch % (m.micro_batch * m.dp) != 0) {
    return "the global batch " + std::to_string(m.global_batch) + " is not a multiple of micro-batch x dp (" +
           std::to_string(m.micro_batch) + " x " + std::to_string(m.dp) + ")";
  }
  if (static_cast<int>(m.stage_layers.size()) != m.pp || sum(m.stage_layers) != m.num_layers) {
    return "the split (" + list(m.stage_layers) + ") does not give " + std::to_string(m.pp) + " stages of " +
           std::to_string(m.num_layers) + " layers in all";
  }
  std::vector<int> given;
  if (!m.layout.empty()) {
    if (m.first_stage_layers || m.last_stage_layers) {
      return "--pipeline-model-parallel-layout does not go with --decoder-first/last-pipeline-num-layers";
    }
    given = layout_split(m.layout);
  } else {
    if ((m.first_stage_layers && *m.first_stage_layers < 1) ||
        (m.last_stage_layers && *m.last_stage_layers < 1)) {
      return "--decoder-first/last-pipeline-num-layers take 1 layer or more";
    }
    if ((m.first_stage_layers || m.last_stage_layers) && m.pp < 2) {
      return "--decoder-first/last-pipeline-num-layers need 2 pipeline stages or more";
    }
    given = implied_split(m);
  }
  if (given != m.stage_layers) {
    return "the arguments give the split (" + list(given) + "), not the plan's (" + list(m.stage_layers) +
           ")";
  }
  return std::nullopt;
}

std::optional<std::string> flagscale_rule_broken(const FlagScaleConfig& f) {
  if (f.meshes.empty()) return "no process mesh";
  int pp = 0;
  for (const auto& mesh : f.meshes) {
    pp += mesh.pp;
    if (mesh.device_type.empty()) return "a process mesh without a device type";
    if (mesh.cp != f.meshes.front().cp)
      return "the process meshes differ in context parallelism (one cp for all)";
  }
  if (pp != f.pp) {
    return "the meshes' pipeline sizes add to " + std::to_string(pp) +
           ", not --pipeline-model-parallel-size " + std::to_string(f.pp);
  }
  if (static_cast<int>(f.layer_split.size()) != f.pp || sum(f.layer_split) != f.num_layers) {
    return "--hetero-pipeline-layer-split (" + list(f.layer_split) + ") does not give " +
           std::to_string(f.pp) + " stages of " + std::to_string(f.num_layers) + " layers in all";
  }
  if (f.tp != f.meshes.front().tp) return "--tensor-model-parallel-size is not the first mesh's tp";
  const int samples = f.meshes.front().dp * f.micro_batch;
  for (const auto& mesh : f.meshes) {
    if (samples % mesh.dp != 0) {
      return "the first mesh's dp x micro-batch (" + std::to_string(samples) +
             ") is not divisible by a mesh's dp " + std::to_string(mesh.dp);
    }
  }
  if (f.global_batch % samples != 0) {
    return "the global batch " + std::to_string(f.global_batch) + " is not a multiple of dp x micro-batch " +
           std::to_string(samples);
  }
  if (!f.untied_embeddings && f.meshes.front().tp != f.meshes.back().tp) {
    return "the first and last stage differ in tp (" + std::to_string(f.meshes.front().tp) + " and " +
           std::to_string(f.meshes.back().tp) +
           ") while the embeddings are tied (untie them with --untie-embeddings-and-output-weights)";
  }
  return std::nullopt;
}

std::optional<std::string> deepspeed_rule_broken(const DeepSpeedConfig& d) {
  if (d.train_batch_size != d.micro_batch_per_gpu * d.gradient_accumulation_steps * d.dp) {
    return "train_batch_size " + std::to_string(d.train_batch_size) +
           " is not train_micro_batch_size_per_gpu x gradient_accumulation_steps x dp (" +
           std::to_string(d.micro_batch_per_gpu) + " x " + std::to_string(d.gradient_accumulation_steps) +
           " x " + std::to_string(d.dp) + ")";
  }
  return std::nullopt;
}

}  // namespace hetplan
