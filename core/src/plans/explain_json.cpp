// The explanation and the exports as JSON, for `hetplan plan --json` and the page. Stages are numbered
// from 1, as the tables print them.
#include "api/json_values.hpp"

namespace hetplan::internal {

namespace {

nlohmann::ordered_json stage_number(int s) {
  return s < 0 ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s + 1);
}

nlohmann::ordered_json stage_json(const StageExplanation& e, int s) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  j["stage"] = s + 1;
  j["first_rank"] = e.first_rank;
  j["gpus"] = e.gpus;
  j["types"] = nlohmann::ordered_json::array();
  for (const auto& [type, count] : e.types) j["types"].push_back({{"type", type}, {"gpus", count}});
  j["dp"] = e.dp;
  j["tp"] = e.tp;
  j["layers"] = {e.first_layer, e.end_layer};
  j["micro_batch"] = e.micro_batch;
  j["group_samples"] = e.group_samples;
  j["costed"] = e.costed;
  j["time_ms"] = e.time_ms;
  j["dp_sync_ms"] = e.dp_sync_ms;
  j["update_ms"] = e.update_ms;
  j["pp_send_ms"] = e.pp_send_ms;
  j["bottleneck"] = e.bottleneck;
  j["in_flight"] = e.in_flight;
  j["memory_check"] = {{"known", e.check_known},
                       {"demand_mb", e.check_demand_mb},
                       {"capacity_mb", e.check_capacity_mb},
                       {"profile_type", e.check_type},
                       {"split_over_cluster", e.check_cluster_split}};
  j["memory_per_gpu"] = nlohmann::ordered_json::array();
  for (const GpuMemory& m : e.memory) {
    nlohmann::ordered_json g = nlohmann::ordered_json::object();
    g["type"] = m.type;
    g["gpus"] = m.gpus;
    g["samples"] = m.samples;
    g["weights_mb"] = m.weights_mb;
    g["gradients_mb"] = m.gradients_mb;
    g["optimizer_mb"] = m.optimizer_mb;
    g["activations_mb"] = m.activations_mb;
    g["total_mb"] = m.total_mb;
    g["capacity_mb"] = m.capacity_mb;
    j["memory_per_gpu"].push_back(std::move(g));
  }
  return j;
}

}  // namespace

nlohmann::ordered_json explain_json(const PlanExplanation& e) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  j["cost_model"] = to_string(e.cost_model);
  j["total_ms"] = e.total_ms;
  j["batches"] = e.batches;
  j["costed_stages"] = e.costed_stages;
  j["bottleneck_stage"] = e.bottleneck + 1;
  j["terms"] = nlohmann::ordered_json::array();
  for (const CostTerm& t : e.terms) {
    j["terms"].push_back(
        {{"key", t.key}, {"label", t.label}, {"ms", t.ms}, {"stage", stage_number(t.stage)}});
  }
  j["stages"] = nlohmann::ordered_json::array();
  for (std::size_t s = 0; s < e.stages.size(); ++s)
    j["stages"].push_back(stage_json(e.stages[s], static_cast<int>(s)));
  j["notes"] = e.notes;
  return j;
}

nlohmann::ordered_json export_json(const PlanExport& x) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  j["target"] = to_string(x.target);
  j["refused"] = x.refused;
  if (x.refused) {
    j["reason"] = x.reason;
    j["can_take"] = nlohmann::ordered_json::array();
    for (const ExportTarget t : x.can_take) j["can_take"].push_back(to_string(t));
  }
  j["files"] = nlohmann::ordered_json::array();
  for (const ExportFile& f : x.files) j["files"].push_back({{"name", f.name}, {"text", f.text}});
  j["notes"] = x.notes;
  return j;
}

}  // namespace hetplan::internal
