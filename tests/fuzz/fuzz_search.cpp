// libFuzzer target for the whole search on small random clusters: up to three GPU types, sparse synthetic
// profiles, any batch size and variance. Checks that it never crashes and that two shards merged give exactly
// the result of one run.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "hetplan/parse.hpp"
#include "hetplan/search.hpp"
#include "hetplan/synth.hpp"

namespace {

class Bytes {
 public:
  Bytes(const std::uint8_t* d, std::size_t n) : d_(d), n_(n) {}
  int next(int modulo) { return modulo <= 0 ? 0 : (i_ < n_ ? d_[i_++] : 0) % modulo; }

 private:
  const std::uint8_t* d_;
  std::size_t n_;
  std::size_t i_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Bytes b(data, size);
  const int num_types = 1 + b.next(3);
  const char* names[] = {"A100", "V100", "T4"};
  const double factors[] = {1.0, 3.5, 5.0};
  std::string hostfile;
  std::string clusterfile = "{";
  std::vector<hetplan::SynthType> types;
  int gpus = 0;
  for (int t = 0; t < num_types; ++t) {
    const int nodes = 1 + b.next(3);
    const int per_node = 1 << b.next(3);
    for (int n = 0; n < nodes && gpus + per_node <= 32; ++n) {
      hostfile += "10.0.0." + std::to_string(t) + " slots=" + std::to_string(per_node) + "\n";
      gpus += per_node;
    }
    clusterfile += std::string(t ? "," : "") + "\"10.0.0." + std::to_string(t) +
                   "\": {\"instance_type\": \"" + names[t] +
                   "\", \"inter_bandwidth\": " + std::to_string(1 + b.next(50)) +
                   ", \"intra_bandwidth\": " + std::to_string(1 + b.next(100)) +
                   ", \"memory\": " + std::to_string(1 + b.next(80)) + "}";
    types.push_back({names[t], factors[t]});
  }
  clusterfile += "}";
  const int layers = 2 + b.next(7);
  const int max_bs = 1 << b.next(5);
  auto files = hetplan::synth_profile_files(layers, max_bs, types);
  if (!files) std::abort();
  // Sparse profiles: drop some entries (never all of them).
  std::vector<hetplan::TextFile> kept;
  for (auto& f : *files) {
    if (b.next(8) != 0 || kept.empty()) kept.push_back(std::move(f));
  }
  hetplan::CaseArgs args;
  args.model.num_layers = layers;
  args.bounds.gbs = 1 + b.next(64);
  args.bounds.max_tp = 1 << b.next(6);
  args.bounds.max_bs = 1 << b.next(6);
  args.bounds.scale_variance = b.next(4) * 0.5;
  args.bounds.max_permute_len = 1 + b.next(8);
  auto c = hetplan::case_from_texts({"hostfile", hostfile}, {"clusterfile", clusterfile}, std::move(kept),
                                    "profiles", args);
  if (!c) {
    // Dropping profile files may leave a type without any, or no tp1_bs1 at all: clear errors, fine. Anything
    // else means a reader rejected generated, valid input.
    const std::string& m = c.error().message;
    if (m.find("has no profile files") == std::string::npos &&
        m.find("no device type has a tp1_bs1 profile") == std::string::npos) {
      std::abort();
    }
    return 0;
  }
  if (hetplan::count_inter_stage_plans(*c) > 2000) return 0;
  for (auto s : {hetplan::Strategy::kMetis, hetplan::Strategy::kPruned}) {
    hetplan::SearchRequest req;
    req.strategy = s;
    req.top_k = 3;
    req.cost_model = b.next(2) ? hetplan::CostModel::kReference : hetplan::CostModel::kCorrected;
    auto whole = hetplan::run_search(*c, req);
    if (!whole) std::abort();
    std::vector<hetplan::SearchResult> parts;
    for (int i = 0; i < 2; ++i) {
      req.shard_index = i;
      req.shard_count = 2;
      parts.push_back(*hetplan::run_search(*c, req));
    }
    const auto merged = hetplan::merge_results(parts, 3);
    if (merged.count != whole->count || merged.costed_plans != whole->costed_plans ||
        merged.top.size() != whole->top.size()) {
      std::abort();
    }
    for (std::size_t i = 0; i < merged.top.size(); ++i) {
      if (merged.top[i].cost != whole->top[i].cost ||
          merged.top[i].inter_plan_index != whole->top[i].inter_plan_index) {
        std::abort();
      }
    }
  }
  return 0;
}
