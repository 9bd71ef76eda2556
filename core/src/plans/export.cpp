// The plan's facts every target needs (transformer layers per stage, the batch per data-parallel rank,
// the nodes in rank order), then one writer per target. A target refuses a plan it cannot express; the
// settings it would write are checked against its launcher's rules first.
#include "hetplan/export.hpp"

#include <algorithm>
#include <functional>
#include <string>

#include "plans/plan_layout.hpp"

namespace hetplan {

namespace {

using internal::StagePlacement;

std::size_t at(int i) {
  return static_cast<std::size_t>(i);
}

struct Node {
  std::string address;
  std::string type;
  int gpus = 0;
  int first_rank = 0;
};

struct Facts {
  const Case* c = nullptr;
  const PlanRecord* plan = nullptr;
  internal::PlanLayout layout;
  std::vector<int> stage_layers;  // transformer layers per stage
  std::vector<Node> nodes;        // in rank order
  [[nodiscard]] int stages() const { return static_cast<int>(layout.stages.size()); }
  [[nodiscard]] const std::string& type_name(int id) const { return layout.tables->types()[at(id)]; }
};

// The hosts of each type of the node order, in hostfile order: the ranks of the node order run through them.
std::vector<Node> nodes_in_rank_order(const Case& c, const std::vector<std::string>& node_sequence) {
  std::vector<Node> nodes;
  int rank = 0;
  for (const auto& type : node_sequence) {
    for (std::size_t h = 0; h < c.cluster.hosts.size(); ++h) {
      if (c.cluster.type_of_host(h) != type) continue;
      nodes.push_back(Node{c.cluster.hosts[h].ip, type, c.cluster.hosts[h].gpus, rank});
      rank += c.cluster.hosts[h].gpus;
    }
  }
  return nodes;
}

std::string joined(const std::vector<int>& v, const char* sep = " ") {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i > 0 ? sep : "") + std::to_string(v[i]);
  return s;
}

std::string stage_name(int s) {
  return "stage " + std::to_string(s + 1);
}

// What no target here can express: a batch that does not divide into equal shares per data-parallel rank.
std::optional<std::string> common_refusal(const Facts& f) {
  const Case& c = *f.c;
  if (c.model.num_layers < 3) {
    return "the profiles count the embedding and the output layer as layers: a model of " +
           std::to_string(c.model.num_layers) + " profiled layers has no transformer layer to place";
  }
  const auto& part = f.plan->layer_partition;
  if (part.front() != 0 || part.back() != c.model.num_layers || !std::is_sorted(part.begin(), part.end())) {
    return "the layer partition (" + joined(part, ", ") +
           ") does not place every layer once, in order (the "
           "reference's layer balancer gives such partitions, and the cost model takes them as they are)";
  }
  if (c.bounds.gbs % f.plan->batches != 0) {
    return "the global batch " + std::to_string(c.bounds.gbs) + " does not divide into " +
           std::to_string(f.plan->batches) + " equal micro-batches (the cost model rounds down)";
  }
  for (int s = 0; s < f.stages(); ++s) {
    const StagePlacement& p = f.layout.stages[at(s)];
    if (p.group_samples.empty()) {
      return stage_name(s) + "'s micro-batch split needs a profile entry that is missing";
    }
    const auto [lo, hi] = std::minmax_element(p.group_samples.begin(), p.group_samples.end());
    if (*lo != *hi) {
      std::string shares;
      for (std::size_t d = 0; d < p.group_samples.size(); ++d) {
        shares +=
            (d > 0 ? ", " : "") + f.type_name(p.group_type[d]) + " " + std::to_string(p.group_samples[d]);
      }
      return stage_name(s) + " splits each micro-batch of " + std::to_string(f.layout.per_batch) +
             " samples unevenly over its data-parallel groups by GPU speed (" + shares +
             "): Metis's uneven split inside one data-parallel group has no launcher flag";
    }
    if (f.layout.per_batch % p.dp != 0) {
      return stage_name(s) + ": a micro-batch of " + std::to_string(f.layout.per_batch) +
             " samples does not divide over dp " + std::to_string(p.dp) + " (the cost model rounds down)";
    }
  }
  return std::nullopt;
}

// Stock Megatron-LM and DeepSpeed have one (dp, tp) for the whole model.
std::optional<std::string> uniform_refusal(const Facts& f) {
  const StagePlacement& first = f.layout.stages.front();
  for (int s = 1; s < f.stages(); ++s) {
    const StagePlacement& p = f.layout.stages[at(s)];
    if (p.dp != first.dp || p.tp != first.tp) {
      return "stage 1 runs at (dp " + std::to_string(first.dp) + ", tp " + std::to_string(first.tp) +
             ") and " + stage_name(s) + " at (dp " + std::to_string(p.dp) + ", tp " + std::to_string(p.tp) +
             "): one (dp, tp) for the whole model is all it takes";
    }
  }
  return std::nullopt;
}

std::optional<std::string> flagscale_refusal(const Facts& f, const ExportOptions& o) {
  for (int s = 0; s < f.stages(); ++s) {
    const StagePlacement& p = f.layout.stages[at(s)];
    if (p.mixed()) {
      std::string names;
      for (const auto& type : p.types) names += (names.empty() ? "" : ", ") + f.type_name(type.first);
      return stage_name(s) + " holds GPUs of several types (" + names +
             "): each FlagScale process mesh has one device type";
    }
  }
  const auto& stages = f.layout.stages;
  if (!o.untied_embeddings && stages.front().tp != stages.back().tp) {
    return "the first and last stage differ in tp (" + std::to_string(stages.front().tp) + " and " +
           std::to_string(stages.back().tp) +
           ") while the embeddings are tied: export with untied embeddings if the model unties them";
  }
  return std::nullopt;
}

std::optional<std::string> refusal(const Facts& f, ExportTarget t, const ExportOptions& o) {
  if (auto why = common_refusal(f)) return why;
  if (t == ExportTarget::kFlagScale) return flagscale_refusal(f, o);
  return uniform_refusal(f);
}

// Which stages the ranks [first, first + count) belong to, as "1" or "1-2".
std::string stages_of_ranks(const Facts& f, int first, int count) {
  int lo = -1;
  int hi = -1;
  for (int s = 0; s < f.stages(); ++s) {
    const StagePlacement& p = f.layout.stages[at(s)];
    if (p.first_rank < first + count && first < p.first_rank + p.gpus) {
      if (lo < 0) lo = s + 1;
      hi = s + 1;
    }
  }
  return lo == hi ? std::to_string(lo) : std::to_string(lo) + "-" + std::to_string(hi);
}

ExportFile nodes_file(const Facts& f) {
  std::string text = "# node_rank address gpus type ranks stages\n";
  for (std::size_t i = 0; i < f.nodes.size(); ++i) {
    const Node& n = f.nodes[i];
    text += std::to_string(i) + " " + n.address + " " + std::to_string(n.gpus) + " " + n.type + " " +
            std::to_string(n.first_rank) + "-" + std::to_string(n.first_rank + n.gpus - 1) + " " +
            stages_of_ranks(f, n.first_rank, n.gpus) + "\n";
  }
  return {"nodes.txt", text};
}

std::string flag(const std::string& name, const std::string& value) {
  return name + " " + value + "\n";
}

std::string layout_text(const std::vector<int>& split) {
  std::string s = "E";
  for (std::size_t i = 0; i < split.size(); ++i) {
    if (i > 0) s += "|";
    s += std::string(at(split[i]), 't');
  }
  return s + "L";
}

// The first and last counts when they and an even middle give the split, else a layout.
void choose_split_flags(MegatronConfig& m) {
  const auto& v = m.stage_layers;
  const auto equal = [&v](std::size_t from, std::size_t to) {
    return std::all_of(v.begin() + static_cast<std::ptrdiff_t>(from),
                       v.begin() + static_cast<std::ptrdiff_t>(to), [&](int x) { return x == v[from]; });
  };
  const std::size_t n = v.size();
  if (equal(0, n)) return;
  if (equal(1, n) && v.front() > 0) {
    m.first_stage_layers = v.front();
  } else if (equal(0, n - 1) && v.back() > 0) {
    m.last_stage_layers = v.back();
  } else if (n >= 3 && equal(1, n - 1) && v.front() > 0 && v.back() > 0) {
    m.first_stage_layers = v.front();
    m.last_stage_layers = v.back();
  } else {
    m.layout = layout_text(v);
  }
}

std::string layer_note(const Facts& f) {
  return "hetplan's " + std::to_string(f.c->model.num_layers) + " profiled layers are the embedding, " +
         std::to_string(f.c->model.num_layers - 2) +
         " transformer layers and the output layer; the launchers count transformer layers (per stage: " +
         joined(f.stage_layers) + ")";
}

std::string rank_note(const Facts& f) {
  return "ranks run through the nodes in the order of nodes.txt (tp innermost, then dp, then pp); start node "
         "K "
         "with --node-rank K (torchrun) and its GPU count as --nproc-per-node; the " +
         std::to_string(f.nodes.size()) +
         " node(s) are named by their clusterfile addresses: put each node's real "
         "address in its line";
}

Outcome<PlanExport> write_megatron(const Facts& f, PlanExport out) {
  const StagePlacement& p = f.layout.stages.front();
  MegatronConfig m;
  m.tp = p.tp;
  m.pp = f.stages();
  m.dp = p.dp;
  m.world = f.c->cluster.total_gpus();
  m.micro_batch = p.micro_batch;
  m.global_batch = f.c->bounds.gbs;
  m.num_layers = f.c->model.num_layers - 2;
  m.stage_layers = f.stage_layers;
  choose_split_flags(m);
  if (auto broken = megatron_rule_broken(m))
    return Error{"internal: the Megatron-LM export broke a rule: " + *broken};
  std::string args = flag("--tensor-model-parallel-size", std::to_string(m.tp)) +
                     flag("--pipeline-model-parallel-size", std::to_string(m.pp)) +
                     flag("--micro-batch-size", std::to_string(m.micro_batch)) +
                     flag("--global-batch-size", std::to_string(m.global_batch)) +
                     flag("--num-layers", std::to_string(m.num_layers));
  if (m.first_stage_layers)
    args += flag("--decoder-first-pipeline-num-layers", std::to_string(*m.first_stage_layers));
  if (m.last_stage_layers)
    args += flag("--decoder-last-pipeline-num-layers", std::to_string(*m.last_stage_layers));
  if (!m.layout.empty()) args += flag("--pipeline-model-parallel-layout", m.layout);
  out.files.push_back({"megatron-args.txt", args});
  out.files.push_back(nodes_file(f));
  out.notes.push_back(layer_note(f));
  out.notes.push_back(rank_note(f));
  return out;
}

Outcome<PlanExport> write_flagscale(const Facts& f, const ExportOptions& o, PlanExport out) {
  FlagScaleConfig fs;
  fs.pp = f.stages();
  fs.global_batch = f.c->bounds.gbs;
  fs.num_layers = f.c->model.num_layers - 2;
  fs.layer_split = f.stage_layers;
  fs.untied_embeddings = o.untied_embeddings;
  // Consecutive stages of one type and (dp, tp) make one mesh.
  for (const StagePlacement& p : f.layout.stages) {
    const std::string& type = f.type_name(p.types.front().first);
    if (!fs.meshes.empty() && fs.meshes.back().dp == p.dp && fs.meshes.back().tp == p.tp &&
        fs.meshes.back().device_type == type) {
      ++fs.meshes.back().pp;
      continue;
    }
    fs.meshes.push_back(FlagScaleMesh{p.tp, 1, 1, p.dp, 1, type});
  }
  fs.tp = fs.meshes.front().tp;
  fs.micro_batch = f.layout.stages.front().micro_batch;
  if (auto broken = flagscale_rule_broken(fs))
    return Error{"internal: the FlagScale export broke a rule: " + *broken};
  std::string types;
  std::vector<int> meshes;
  for (const auto& mesh : fs.meshes) {
    types += (types.empty() ? "" : " ") + mesh.device_type;
    meshes.insert(meshes.end(), {mesh.tp, mesh.cp, mesh.ep, mesh.dp, mesh.pp});
  }
  std::string args = "--enable-hetero\n" + flag("--hetero-device-types", types) +
                     flag("--hetero-process-meshes", joined(meshes)) +
                     flag("--hetero-pipeline-layer-split", joined(fs.layer_split)) +
                     flag("--tensor-model-parallel-size", std::to_string(fs.tp)) +
                     flag("--pipeline-model-parallel-size", std::to_string(fs.pp)) +
                     flag("--micro-batch-size", std::to_string(fs.micro_batch)) +
                     flag("--global-batch-size", std::to_string(fs.global_batch)) +
                     flag("--num-layers", std::to_string(fs.num_layers));
  if (o.untied_embeddings) args += "--untie-embeddings-and-output-weights\n";
  out.files.push_back({"flagscale-args.txt", args});
  out.files.push_back(nodes_file(f));
  out.notes.push_back(layer_note(f));
  out.notes.emplace_back(
      "process meshes are (tp, cp, ep, dp, pp), one per run of stages with the same type and (dp, tp); each "
      "node "
      "adds --hetero-current-device-type with its type from nodes.txt");
  out.notes.push_back(rank_note(f));
  return out;
}

Outcome<PlanExport> write_deepspeed(const Facts& f, PlanExport out) {
  const StagePlacement& p = f.layout.stages.front();
  DeepSpeedConfig d;
  d.train_batch_size = f.c->bounds.gbs;
  d.micro_batch_per_gpu = p.micro_batch;
  d.gradient_accumulation_steps = f.plan->batches;
  d.dp = p.dp;
  if (auto broken = deepspeed_rule_broken(d))
    return Error{"internal: the DeepSpeed export broke a rule: " + *broken};
  out.files.push_back({"ds_config.json", "{\n  \"train_batch_size\": " + std::to_string(d.train_batch_size) +
                                             ",\n  \"train_micro_batch_size_per_gpu\": " +
                                             std::to_string(d.micro_batch_per_gpu) +
                                             ",\n  \"gradient_accumulation_steps\": " +
                                             std::to_string(d.gradient_accumulation_steps) + "\n}\n"});
  std::string hostfile;
  for (const Node& n : f.nodes) hostfile += n.address + " slots=" + std::to_string(n.gpus) + "\n";
  out.files.push_back({"hostfile", hostfile});
  out.notes.push_back("pipeline stages: " + std::to_string(f.stages()) + " (PipelineModule num_stages), tp " +
                      std::to_string(p.tp) +
                      " from the model code (e.g. Megatron-DeepSpeed's "
                      "--tensor-model-parallel-size), dp " +
                      std::to_string(p.dp));
  out.notes.push_back("layer split (transformer layers per stage): " + joined(f.stage_layers) +
                      "; stock DeepSpeed cannot take an explicit split (PipelineModule's partition_method is "
                      "'parameters', 'uniform' or 'type:REGEX'): arrange it by hand");
  out.notes.push_back(layer_note(f));
  out.notes.emplace_back(
      "the hostfile lists the nodes in rank order (DeepSpeed numbers ranks through it, pipe outermost, then "
      "data, "
      "then model): put each node's real address in its line");
  return out;
}

}  // namespace

const char* to_string(ExportTarget t) {
  switch (t) {
    case ExportTarget::kMegatron:
      return "megatron";
    case ExportTarget::kFlagScale:
      return "flagscale";
    case ExportTarget::kDeepSpeed:
      return "deepspeed";
  }
  return "?";
}

std::optional<ExportTarget> export_target_named(std::string_view name) {
  for (const ExportTarget t : kExportTargets) {
    if (name == to_string(t)) return t;
  }
  return std::nullopt;
}

Outcome<PlanExport> export_plan(const Case& c, const PlanRecord& plan, ExportTarget target,
                                const ExportOptions& options) {
  auto layout = internal::lay_out_plan(c, plan);
  if (!layout) return layout.error();
  Facts f;
  f.c = &c;
  f.plan = &plan;
  f.layout = std::move(*layout);
  for (const StagePlacement& p : f.layout.stages) {
    f.stage_layers.push_back(p.end_layer - p.first_layer - (p.first_layer == 0 ? 1 : 0) -
                             (p.end_layer == c.model.num_layers ? 1 : 0));
  }
  f.nodes = nodes_in_rank_order(c, plan.node_sequence);
  PlanExport out;
  out.target = target;
  if (auto why = refusal(f, target, options)) {
    out.refused = true;
    out.reason = *why;
    for (const ExportTarget other : kExportTargets) {
      if (other != target && !refusal(f, other, options)) out.can_take.push_back(other);
    }
    return out;
  }
  switch (target) {
    case ExportTarget::kMegatron:
      return write_megatron(f, std::move(out));
    case ExportTarget::kFlagScale:
      return write_flagscale(f, options, std::move(out));
    case ExportTarget::kDeepSpeed:
      return write_deepspeed(f, std::move(out));
  }
  return Error{"unknown export target"};
}

}  // namespace hetplan
