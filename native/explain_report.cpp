#include "explain_report.hpp"

#include <cstdio>

#include "hetplan/explain.hpp"
#include "report.hpp"

namespace hetplan::cli {

namespace {

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string layers_text(int first, int end) {
  if (end <= first) return "none";
  return end - first == 1 ? std::to_string(first) : std::to_string(first) + "-" + std::to_string(end - 1);
}

std::string types_text(const StageExplanation& s) {
  std::string text;
  for (const auto& [type, count] : s.types)
    text += (text.empty() ? "" : " + ") + std::to_string(count) + " " + type;
  return text;
}

std::string samples_text(const StageExplanation& s) {
  if (s.group_samples.empty()) return "?";
  const auto [lo, hi] = std::minmax_element(s.group_samples.begin(), s.group_samples.end());
  return *lo == *hi ? std::to_string(*lo) : std::to_string(*lo) + "-" + std::to_string(*hi);
}

void print_terms(std::ostream& out, const PlanExplanation& e) {
  TextTable terms({"term", "ms", "share", "set by"});
  for (const CostTerm& t : e.terms) {
    const double share = e.total_ms != 0 ? 100.0 * t.ms / e.total_ms : 0.0;
    terms.add({t.label, fixed(t.ms, 4), fixed(share, 1) + "%",
               t.stage < 0 ? "" : "stage " + std::to_string(t.stage + 1)});
  }
  terms.add({"total (the plan's cost)", fixed(e.total_ms, 4), "", ""});
  terms.print(out, "    ");
}

void print_stages(std::ostream& out, const PlanExplanation& e) {
  TextTable stages({"stage", "GPUs", "(dp,tp)", "layers", "samples/mb", "time/mb ms", "dp sync ms",
                    "update ms", "pp send ms", "in flight"});
  for (std::size_t s = 0; s < e.stages.size(); ++s) {
    const auto& st = e.stages[s];
    const bool costed = st.costed;
    stages.add({std::to_string(s + 1) + (st.bottleneck ? " *" : ""), types_text(st),
                "(" + std::to_string(st.dp) + "," + std::to_string(st.tp) + ")",
                layers_text(st.first_layer, st.end_layer), samples_text(st),
                costed ? fixed(st.time_ms, 4) : "-", costed ? fixed(st.dp_sync_ms, 4) : "-",
                costed ? fixed(st.update_ms, 4) : "-", costed ? fixed(st.pp_send_ms, 4) : "-",
                std::to_string(st.in_flight)});
  }
  stages.print(out, "    ");
  out << "    * the bottleneck: the slowest costed stage; samples/mb: samples of a micro-batch per "
         "data-parallel "
         "group\n";
}

void print_memory(std::ostream& out, const PlanExplanation& e) {
  out << "  memory per GPU (MiB; weights, gradients and Adam states of its parameters, activations of the "
         "micro-batches in flight under 1F1B; docs/explain.md)\n";
  TextTable memory({"stage", "type", "samples", "weights", "gradients", "optimizer", "activations", "total",
                    "capacity", "fits"});
  for (std::size_t s = 0; s < e.stages.size(); ++s) {
    for (const GpuMemory& m : e.stages[s].memory) {
      memory.add({std::to_string(s + 1), m.type, std::to_string(m.samples), fixed(m.weights_mb, 1),
                  fixed(m.gradients_mb, 1), fixed(m.optimizer_mb, 1), fixed(m.activations_mb, 1),
                  fixed(m.total_mb, 1), fixed(m.capacity_mb, 1), m.total_mb <= m.capacity_mb ? "yes" : "NO"});
    }
  }
  memory.print(out, "    ");
  const std::string type = e.stages.empty() ? "" : e.stages.front().check_type;
  out << "  the search's memory check (MB for the whole stage: 0.001 + 5 x the layer memory of " << type
      << "'s profile, the node order's first type, as the reference estimates every stage)\n";
  TextTable check({"stage", "demand", "capacity (its GPUs summed)", "entries"});
  for (std::size_t s = 0; s < e.stages.size(); ++s) {
    const auto& st = e.stages[s];
    check.add({std::to_string(s + 1), st.check_known ? fixed(st.check_demand_mb, 1) : "unknown",
               fixed(st.check_capacity_mb, 1),
               st.check_cluster_split ? "per share of the whole cluster's split" : "one"});
  }
  check.print(out, "    ");
}

const PlanRecord* plan_at(std::ostream& out, const SearchResult& r, int rank) {
  if (rank < 1 || static_cast<std::size_t>(rank) > r.top.size()) {
    out << "  no plan of rank " << rank << " (the search kept " << r.top.size() << ")\n";
    return nullptr;
  }
  return &r.top[static_cast<std::size_t>(rank - 1)];
}

ExportOptions export_options(const PlanOptions& o) {
  ExportOptions x;
  x.untied_embeddings = o.untied_embeddings;
  return x;
}

std::string targets_text(const std::vector<ExportTarget>& targets) {
  std::string text;
  for (const ExportTarget t : targets) text += (text.empty() ? "" : ", ") + std::string(to_string(t));
  return text.empty() ? "none of megatron, flagscale, deepspeed" : text;
}

}  // namespace

std::string check_plan_requests(const PlanOptions& o) {
  if (o.explain_rank > o.run.top) {
    return "--explain " + std::to_string(o.explain_rank) + " asks for a plan past --top " +
           std::to_string(o.run.top);
  }
  if (!o.export_target.empty()) {
    if (!export_target_named(o.export_target)) {
      return "--export takes megatron, flagscale or deepspeed, got '" + o.export_target + "'";
    }
    if (o.export_rank > o.run.top) {
      return "--export " + o.export_target + " " + std::to_string(o.export_rank) +
             " asks for a plan past --top " + std::to_string(o.run.top);
    }
  }
  return {};
}

bool print_explanation(std::ostream& out, const Case& c, const SearchResult& r, int rank) {
  const PlanRecord* plan = plan_at(out, r, rank);
  if (plan == nullptr) return false;
  auto e = explain_plan(c, *plan, r.cost_model);
  if (!e) {
    out << "  plan " << rank << " cannot be explained: " << e.error().message << '\n';
    return false;
  }
  out << "  plan " << rank << " explained (cost model " << to_string(r.cost_model) << ", " << e->batches
      << " micro-batches, " << e->costed_stages << " of " << e->stages.size() << " stages costed)\n";
  print_terms(out, *e);
  out << '\n';
  print_stages(out, *e);
  out << '\n';
  print_memory(out, *e);
  for (const auto& note : e->notes) out << "  note: " << note << '\n';
  return true;
}

bool print_export(std::ostream& out, const Case& c, const SearchResult& r, const PlanOptions& o) {
  const PlanRecord* plan = plan_at(out, r, o.export_rank);
  if (plan == nullptr) return false;
  const ExportTarget target = *export_target_named(o.export_target);
  auto x = export_plan(c, *plan, target, export_options(o));
  if (!x) {
    out << "  plan " << o.export_rank << " cannot be exported: " << x.error().message << '\n';
    return false;
  }
  if (x->refused) {
    out << "  export of plan " << o.export_rank << " to " << to_string(target) << " refused: " << x->reason
        << '\n'
        << "  targets that can take it: " << targets_text(x->can_take) << '\n';
    return false;
  }
  out << "  plan " << o.export_rank << " for " << to_string(target) << '\n';
  for (const ExportFile& f : x->files) out << "  ==> " << f.name << " <==\n" << f.text;
  for (const auto& note : x->notes) out << "  note: " << note << '\n';
  return true;
}

}  // namespace hetplan::cli
