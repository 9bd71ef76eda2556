#include "search/case_reasons.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <set>
#include <string>

namespace hetplan::internal {

namespace {

// A variance rounded down to 4 decimals, in its shortest form: rounding down keeps "v or less" true.
std::string variance_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", std::floor(v * 1e4) / 1e4);
  return buf;
}

// "3", "3 to 12", "2, 4 to 6": a sorted set of stage counts in runs.
std::string runs_text(const std::set<int>& values) {
  std::string text;
  for (auto it = values.begin(); it != values.end();) {
    int last = *it;
    auto next = std::next(it);
    while (next != values.end() && *next == last + 1) {
      last = *next;
      ++next;
    }
    if (!text.empty()) text += ", ";
    text += std::to_string(*it);
    if (last != *it) text += (last == *it + 1 ? ", " : " to ") + std::to_string(last);
    it = next;
  }
  return text;
}

Reason no_device_groups(const Case& c, int limit) {
  const int gpus = c.cluster.total_gpus();
  const double largest = largest_variance_with_groups(gpus, limit);
  const std::string stages = limit == 1 ? "1 stage" : "1 to " + std::to_string(limit) + " stages";
  if (largest < 0) {
    return {"no_device_groups",
            "No inter-stage plan: the " + std::to_string(gpus) + " GPUs cannot be split into " + stages +
                " of a power-of-two number of GPUs each (a plan has at most as many stages as the model "
                "has layers). Use a model of more layers (--num-layers) or another GPU count (hostfile)."};
  }
  const std::string v = variance_text(c.bounds.scale_variance);
  return {"no_device_groups",
          "No inter-stage plan: the scale-variance filter removed every device group. With a scale "
          "variance of " +
              v + ", each stage needs at least " + v +
              " x (GPUs / stages, rounded down) GPUs, and no split of the " + std::to_string(gpus) +
              " GPUs into " + stages + " passes. A scale variance of " + variance_text(largest) +
              " or less leaves some: set --scale-variance (args.json min_group_scale_variance, the "
              "page's Scale variance)."};
}

Reason not_power_of_two(const Case& c, const InterStageSpace& space) {
  std::set<int> counts;
  for (const auto& b : space.blocks()) {
    if (b.label == b.stage_count) counts.insert(b.stage_count);
  }
  return {"gpus_not_power_of_two",
          "The cluster has " + std::to_string(c.cluster.total_gpus()) +
              " GPUs, not a power of two. Every stage has a power-of-two number of GPUs, so no single "
              "stage holds them all: only the stage counts that exist (" +
              runs_text(counts) +
              ") were searched. The reference planner cannot run this case (it fails before its first "
              "plan)."};
}

// In the reference model an fb_sync of exactly 0 leaves a plan uncosted.
void add_fb_sync_reason(const Case& c, std::vector<Reason>& out) {
  std::size_t zero = 0;
  std::size_t all = 0;
  for (const auto& [type, entries] : c.profiles.entries) {
    for (const auto& [key, e] : entries) {
      ++all;
      if (e.fb_sync == 0) ++zero;
    }
  }
  if (zero == 0) return;
  out.push_back({"reference_fb_sync_zero",
                 "In the reference cost model an fb_sync (forward-backward time minus the summed layer "
                 "times) of exactly 0 is taken for a missing entry, and " +
                     std::to_string(zero) + " of the " + std::to_string(all) +
                     " profile entries have it (measured profiles always do): plans that use them get no "
                     "cost. Use --cost-model corrected (the page's Cost model) to cost them."});
}

// The largest tp and micro-batch size of every type's profiles, against the largest the search may ask for:
// the first are the values --max-tp and --max-bs should take.
void add_coverage_reason(const Case& c, std::vector<Reason>& out) {
  const auto& b = c.bounds;
  const int asked_tp = static_cast<int>(
      std::bit_floor(static_cast<unsigned>(std::max(std::min(b.max_tp, c.cluster.total_gpus()), 1))));
  const int asked_bs = std::min(b.max_bs, b.gbs);
  int covered_tp = 0;
  int covered_bs = 0;
  std::string per_type;
  bool first = true;
  for (const auto& type : c.cluster.sorted_types()) {
    int tp = 0;
    int bs = 0;
    if (auto it = c.profiles.entries.find(type); it != c.profiles.entries.end()) {
      for (const auto& [key, e] : it->second) {
        tp = std::max(tp, key.first);
        bs = std::max(bs, key.second);
      }
    }
    covered_tp = first ? tp : std::min(covered_tp, tp);
    covered_bs = first ? bs : std::min(covered_bs, bs);
    per_type += (first ? "" : "; ") + type + ": tp " + std::to_string(tp) + ", bs " + std::to_string(bs);
    first = false;
  }
  if (first || (asked_tp <= covered_tp && asked_bs <= covered_bs)) return;
  out.push_back({"profile_coverage",
                 "The profiles cover tensor-parallel degrees up to " + std::to_string(covered_tp) +
                     " and micro-batch sizes up to " + std::to_string(covered_bs) + " (" + per_type +
                     "), but the search may ask for tp " + std::to_string(asked_tp) + " and micro-batch " +
                     std::to_string(asked_bs) + ": set --max-tp " + std::to_string(covered_tp) +
                     " and --max-bs " + std::to_string(covered_bs) +
                     " (args.json max_profiled_tp_degree and max_profiled_batch_size, the page's Max TP and "
                     "Max micro-batch) so that it asks only for what was profiled."});
}

}  // namespace

double largest_variance_with_groups(int num_gpus, int max_stages) {
  double largest = -1;
  if (num_gpus < 1) return largest;
  for (int s = 1; s <= max_stages; ++s) {
    const int least = std::max(num_gpus / s, s / num_gpus);
    // The largest power of two p such that s powers of two of at least p add up to num_gpus: num_gpus / p
    // is then a whole number made of s powers of two (at least its bit count of them, at most itself).
    for (int p = std::bit_floor(static_cast<unsigned>(num_gpus)); p >= 1; p /= 2) {
      if (num_gpus % p != 0) continue;
      const int units = num_gpus / p;
      if (std::popcount(static_cast<unsigned>(units)) <= s && s <= units) {
        largest = std::max(largest, static_cast<double>(p) / least);
        break;
      }
    }
  }
  return largest;
}

std::vector<Reason> case_reasons(const Case& c, CostModel model, const InterStageSpace& space) {
  std::vector<Reason> out;
  const int gpus = c.cluster.total_gpus();
  if (space.total() == 0) {
    out.push_back(no_device_groups(c, std::min(gpus, c.model.num_layers)));
  } else if (!std::has_single_bit(static_cast<unsigned>(gpus))) {
    out.push_back(not_power_of_two(c, space));
  }
  add_coverage_reason(c, out);
  if (model == CostModel::kReference) add_fb_sync_reason(c, out);
  return out;
}

}  // namespace hetplan::internal
