#include "report.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>

#include "hetplan/reasons.hpp"

namespace hetplan::cli {

namespace {

template <class T, class F>
std::string join(const std::vector<T>& items, const std::string& sep, F&& fmt) {
  std::string s;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) s += sep;
    s += fmt(items[i]);
  }
  return s;
}

std::string strategies_text(const std::vector<std::pair<int, int>>& strategies) {
  return join(strategies, " ", [](const std::pair<int, int>& s) {
    // Appended piece by piece: GCC 12 gives a false -Wrestrict on "(" + std::string&& at -O2.
    std::string text(1, '(');
    text.append(std::to_string(s.first)).append(1, ',').append(std::to_string(s.second)).append(1, ')');
    return text;
  });
}

// How many entries of the missing-key list to spell out; real profile folders can miss hundreds.
constexpr std::size_t kMissingKeysShown = 12;

}  // namespace

void TextTable::print(std::ostream& out, const std::string& indent) const {
  std::vector<std::size_t> widths;
  for (const auto& row : rows_) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  for (const auto& row : rows_) {
    std::string line = indent;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << '\n';
  }
}

std::string format_ms(double ms) {
  char buf[64];
  if (ms < 1.0) {
    std::snprintf(buf, sizeof buf, "%.3f ms", ms);
  } else if (ms < 1000.0) {
    std::snprintf(buf, sizeof buf, "%.1f ms", ms);
  } else {
    std::snprintf(buf, sizeof buf, "%.2f s", ms / 1000.0);
  }
  return buf;
}

std::string format_cost(double cost) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4f", cost);
  return buf;
}

void print_case_header(std::ostream& out, const Case& c, std::int64_t inter_plans) {
  const auto types = c.cluster.sorted_types();
  const std::string per_type = join(types, ", ", [&c](const std::string& t) {
    return std::to_string(c.cluster.gpus_of_type(t)) + " " + t;
  });
  out << c.model_name << ", " << c.cluster.total_gpus() << " GPUs (" << per_type << ") on "
      << c.cluster.hosts.size() << (c.cluster.hosts.size() == 1 ? " node" : " nodes") << ", "
      << c.model.num_layers << " layers, gbs " << c.bounds.gbs << ", " << plans_count_text(inter_plans)
      << " inter-stage plans\n";
  for (const auto& note : c.notes) out << "note: " << note << '\n';
}

namespace {

bool same_plan(const PlanRecord& a, const PlanRecord& b) {
  return a.cost == b.cost && a.node_sequence == b.node_sequence && a.device_groups == b.device_groups &&
         a.strategies == b.strategies && a.batches == b.batches && a.layer_partition == b.layer_partition;
}

bool relabelled(const PlanRecord& p) {
  return static_cast<std::size_t>(p.num_stage) != p.device_groups.size();
}

// For each plan, the rank of the plan it repeats (from 1), or 0. The reference's enumeration meets some plans
// twice: once labelled "1 stage" while holding several device groups, then under their true stage count. The
// `corrected` model costs both alike, so they sit side by side in the top K as one plan; the relabelled one
// is folded into its twin.
std::vector<std::size_t> twin_of(const std::vector<PlanRecord>& plans) {
  std::vector<std::size_t> twin(plans.size(), 0);
  for (std::size_t i = 0; i < plans.size(); ++i) {
    if (!relabelled(plans[i])) continue;
    for (std::size_t j = 0; j < plans.size(); ++j) {
      if (j != i && !relabelled(plans[j]) && same_plan(plans[i], plans[j])) {
        twin[i] = j + 1;
        break;
      }
    }
  }
  return twin;
}

}  // namespace

void print_plans(std::ostream& out, const std::vector<PlanRecord>& plans, const std::string& indent) {
  if (plans.empty()) {
    out << indent << "no plan got a cost\n";
    return;
  }
  TextTable table({"rank", "cost (ms)", "node sequence", "device groups", "stages", "strategies (dp,tp)",
                   "batches", "layer partition"});
  const std::vector<std::size_t> twin = twin_of(plans);
  bool any_relabelled = false;
  std::vector<std::string> folded;  // notes on the plans shown once for two ranks
  std::vector<std::string> warnings;
  for (std::size_t i = 0; i < plans.size(); ++i) {
    const auto& p = plans[i];
    if (twin[i] != 0) continue;
    std::string rank = std::to_string(i + 1);
    for (std::size_t j = 0; j < plans.size(); ++j) {
      if (twin[j] == i + 1) {
        rank = std::to_string(std::min(i, j) + 1) + "=" + std::to_string(std::max(i, j) + 1);
        folded.push_back(rank +
                         ": the same plan, found twice by the reference's enumeration (once labelled " +
                         std::to_string(plans[j].num_stage) + " stage): counted twice, shown once");
      }
    }
    std::string stages = std::to_string(p.num_stage);
    // The reference's enumeration labels some multi-group plans "1 stage"; show both so the row is not
    // misread.
    if (relabelled(p)) {
      stages += "*";
      any_relabelled = true;
    }
    if (!p.warnings.empty()) {
      rank += " !";
      for (const auto& w : p.warnings) warnings.push_back(std::to_string(i + 1) + ": " + w.message);
    }
    table.add({rank, format_cost(p.cost), join(p.node_sequence, ",", [](const std::string& s) { return s; }),
               join(p.device_groups, ",", [](int g) { return std::to_string(g); }), stages,
               strategies_text(p.strategies), std::to_string(p.batches),
               join(p.layer_partition, ",", [](int l) { return std::to_string(l); })});
  }
  table.print(out, indent);
  for (const auto& note : folded) out << indent << note << '\n';
  if (any_relabelled) {
    out << indent
        << "* labelled with fewer stages than its device groups by the reference's enumeration (the "
           "reference "
           "cost model costs only the labelled stages)\n";
  }
  if (!warnings.empty()) {
    out << indent << "! no framework launches this plan as it is:\n";
    for (const auto& w : warnings) out << indent << "  " << w << '\n';
  }
}

void print_run(std::ostream& out, const StrategyRun& run) {
  const std::size_t trials = run.trial_ms.size();
  const SearchResult& r = run.result;
  out << to_string(r.strategy) << " (cost model " << to_string(r.cost_model) << ")\n";
  std::string timing = format_ms(run.elapsed_ms);
  if (trials > 1) timing += " (mean of " + std::to_string(trials) + " trials)";
  const char* unit = run.merged ? " shard" : " thread";
  timing += ", " + std::to_string(run.workers) + unit + (run.workers == 1 ? "" : "s");
  if (uses_bounds(r.strategy)) {
    // The bounded strategies search few inter-stage plans and rule the rest out by a bound of their cost.
    TextTable counters({"steps", "plans costed", "cost errors", "inter-stage plans searched",
                        "ruled out by bound", "elapsed"});
    counters.add({format_count(r.count), format_count(r.costed_plans), format_count(r.cost_errors),
                  format_count(r.inter_plans), format_count(r.pruned_by_bound), timing});
    counters.print(out, "  ");
  } else {
    TextTable counters({"steps", "plans costed", "cost errors", "inter-stage plans", "elapsed"});
    counters.add({format_count(r.count), format_count(r.costed_plans), format_count(r.cost_errors),
                  format_count(r.inter_plans), timing});
    counters.print(out, "  ");
  }
  if (r.cancelled) {
    out << "  cancelled (Ctrl-C): the counts are partial, the plans the best found before it stopped\n";
  }
  for (const auto& reason : all_reasons(r)) out << "  note: " << reason.text << '\n';
  if (!r.missing_keys.empty()) {
    out << "  missing profile entries (" << r.missing_keys.size() << "): ";
    std::size_t shown = 0;
    for (const auto& key : r.missing_keys) {
      if (shown == kMissingKeysShown) break;
      out << (shown > 0 ? ", " : "") << key;
      ++shown;
    }
    if (r.missing_keys.size() > shown) out << ", and " << r.missing_keys.size() - shown << " more";
    out << '\n';
  }
  out << '\n';
  print_plans(out, r.top, "  ");
}

void print_gaps(std::ostream& out, const RunReport& report) {
  const auto optimum = optimum_of(report);
  if (!optimum || report.runs.size() < 2) return;
  out << "gap to the optimum (" << format_cost(*optimum) << " ms, the cheapest plan that fits in memory)\n";
  TextTable gaps({"strategy", "best (ms)", "above the optimum (ms)", "above the optimum (%)"});
  for (const auto& run : report.runs) {
    if (run.result.strategy == Strategy::kOptimal || run.result.top.empty()) continue;
    const double best = run.result.top.front().cost;
    gaps.add({to_string(run.result.strategy), format_cost(best), format_cost(best - *optimum),
              format_cost(100.0 * (best - *optimum) / *optimum)});
  }
  gaps.print(out, "  ");
  out << '\n';
}

}  // namespace hetplan::cli
