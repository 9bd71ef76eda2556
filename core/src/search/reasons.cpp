#include "hetplan/reasons.hpp"

#include <algorithm>
#include <array>
#include <cstddef>

#include "util/grouped.hpp"

namespace hetplan {

namespace {

// How many missing keys a sentence spells out; measured profile folders can lack hundreds.
constexpr std::size_t kKeysNamed = 6;

constexpr std::array<const char*, 7> kOutcomeCodes = {
    "skipped_missing_profile", "skipped_no_memory_estimate", "skipped_no_layer_balance", "cost_errors",
    "no_plan_fits_memory",     "no_plan_all_skipped",        "no_candidate_in_bounds"};

std::string count(std::int64_t n, const char* one, const char* many) {
  return internal::grouped(n) + " " + (n == 1 ? one : many);
}

std::string named_keys(const std::set<std::string>& keys) {
  std::string text;
  std::size_t named = 0;
  for (const auto& key : keys) {
    if (named == kKeysNamed) break;
    text += (named > 0 ? ", " : "") + key;
    ++named;
  }
  if (keys.size() > named)
    text += ", and " + internal::grouped(static_cast<std::int64_t>(keys.size() - named)) + " more";
  return text;
}

void add_skip_reasons(const SearchResult& r, std::vector<Reason>& out) {
  if (r.skipped_candidates > 0) {
    std::string text =
        count(r.skipped_candidates, "candidate", "candidates") + " skipped for want of a profile entry";
    if (!r.missing_keys.empty()) text += " (" + named_keys(r.missing_keys) + "; all in missing_profile_keys)";
    text +=
        ". Add those profiles, or lower the largest tensor-parallel degree and micro-batch size the search "
        "tries (--max-tp, --max-bs; args.json max_profiled_tp_degree, max_profiled_batch_size) to what the "
        "profiles cover.";
    out.push_back({"skipped_missing_profile", std::move(text)});
  }
  if (r.skipped_no_memory_estimate > 0) {
    out.push_back(
        {"skipped_no_memory_estimate",
         count(r.skipped_no_memory_estimate, "candidate", "candidates") +
             " skipped because the reference's memory estimate does not reach all their GPUs: it counts "
             "every node as having as many GPUs as the first node in the hostfile, which has fewer than "
             "others, so stages on the last GPUs get no estimate (the reference planner fails there). Use "
             "--cost-model corrected, which estimates every GPU, or put a node with the most GPUs first in "
             "the hostfile."});
  }
  if (r.skipped_no_layer_balance > 0) {
    out.push_back({"skipped_no_layer_balance",
                   count(r.skipped_no_layer_balance, "candidate", "candidates") +
                       " skipped because the layer balancer could not give every stage its layers. Use fewer "
                       "GPUs (hostfile) or a model of more layers (--num-layers)."});
  }
}

void add_no_plan_reason(const SearchResult& r, std::vector<Reason>& out) {
  const std::int64_t skipped =
      r.skipped_candidates + r.skipped_no_memory_estimate + r.skipped_no_layer_balance;
  if (r.out_of_memory > 0) {
    std::string text = "No plan fits in memory: ";
    text += skipped == 0 ? "each of the " + count(r.out_of_memory, "candidate", "candidates") +
                               " the search tried needs more memory than its stages' GPUs have"
                         : "the " + count(r.out_of_memory, "candidate", "candidates") +
                               " the search could estimate need more memory than their stages' GPUs have, "
                               "and the other " +
                               internal::grouped(skipped) + " were skipped (see above)";
    text +=
        ". Use GPUs with more memory (clusterfile \"memory\") or more GPUs (hostfile), or a smaller model.";
    out.push_back({"no_plan_fits_memory", std::move(text)});
  } else if (skipped > 0) {
    out.push_back({"no_plan_all_skipped", "No plan: every candidate was skipped (see above)."});
  } else {
    out.push_back(
        {"no_candidate_in_bounds",
         "No plan: no candidate is within the search's bounds: each needs a tensor-parallel degree above "
         "--max-tp, or a micro-batch of more than --max-bs samples or of less than one (args.json "
         "max_profiled_tp_degree, max_profiled_batch_size). Raise those bounds, or change --gbs."});
  }
}

}  // namespace

bool found_no_plan(const SearchResult& r) {
  return !r.cancelled && r.costed_plans + r.cost_errors == 0;
}

std::vector<Reason> outcome_reasons(const SearchResult& r) {
  std::vector<Reason> out;
  add_skip_reasons(r, out);
  if (r.cost_errors > 0) {
    std::string text = count(r.cost_errors, "plan", "plans") +
                       " found got no cost: the estimate needs a profile entry that is missing";
    text += r.cost_model == CostModel::kReference
                ? ", or one whose fb_sync is exactly 0, which the reference cost model takes for a missing "
                  "one (--cost-model corrected costs those)."
                : " (see missing_profile_keys).";
    out.push_back({"cost_errors", std::move(text)});
  }
  // With no inter-stage plan the case's reasons say why.
  if (found_no_plan(r) && r.inter_plans > 0) add_no_plan_reason(r, out);
  return out;
}

std::vector<Reason> all_reasons(const SearchResult& r) {
  std::vector<Reason> out = r.case_reasons;
  for (auto& reason : outcome_reasons(r)) out.push_back(std::move(reason));
  return out;
}

bool is_outcome_reason(const std::string& code) {
  return std::find(kOutcomeCodes.begin(), kOutcomeCodes.end(), code) != kOutcomeCodes.end();
}

}  // namespace hetplan
