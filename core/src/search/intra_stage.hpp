// The intra-stage search of one inter-stage plan: a DFS over (dp, tp) per stage, with layer partitioning and
// a memory check for each candidate, counting steps as the reference counts them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "enumerate/inter_stage.hpp"
#include "hetplan/model.hpp"
#include "input/context.hpp"

namespace hetplan::internal {

struct IntraPlan {
  std::vector<std::pair<int, int>> strategies;  // (dp, tp) per stage
  std::vector<int> layer_partition;
  int num_repartition = 0;
};

struct IntraOutcome {
  // plans[0, found) in the order the DFS returned them. Entries past `found` are buffers kept from earlier
  // searches, so that a searcher reused plan after plan allocates only when a plan is larger than before.
  std::vector<IntraPlan> plans;
  std::size_t found = 0;
  // The place of plans[0] among every plan the search of this inter-stage plan found: above 0 once
  // search_all has handed plans on in chunks.
  std::int64_t first_index = 0;
  std::int64_t steps = 0;
  std::int64_t skipped = 0;  // candidates skipped for a missing profile entry
  // Candidates skipped because the memory estimate's list of GPUs ends before one of their stages (see
  // MemoryList::kFirstNodeSize).
  std::int64_t skipped_no_memory_estimate = 0;
  std::int64_t skipped_no_layer_balance = 0;  // candidates whose layers the balancer could not place
  std::int64_t out_of_memory = 0;             // candidates short of memory on every partition attempt
};

class IntraStageSearch;

// Searches plan after plan with one set of buffers: the search of a case allocates almost nothing per plan.
class IntraStageSearcher {
 public:
  IntraStageSearcher(const CaseTables& t, Strategy strategy, MissingLog& log);
  ~IntraStageSearcher();
  IntraStageSearcher(const IntraStageSearcher&) = delete;
  IntraStageSearcher& operator=(const IntraStageSearcher&) = delete;

  // Overwrites `out` with the outcome of the plan's search.
  void search(const NodeOrderTables& n, const InterStagePlan& plan, IntraOutcome& out);
  // Every (dp, tp) per stage within the bounds instead of the DFS's path (the optimal strategy): each with
  // the balancer's partition, the plans that fit in memory. A plan of many stages has millions of them:
  // every chunk() found, `take` gets them and `out` starts its list again (first_index moving on), so
  // memory stays flat; the last ones stay in `out`. `take` returning false stops the search there (a
  // cancel heard inside a plan that takes long).
  static constexpr std::size_t kAllChunk = 4096;
  [[nodiscard]] std::size_t chunk() const { return chunk_; }
  void set_chunk(std::size_t plans) { chunk_ = plans < 1 ? 1 : plans; }  // tests: many chunks of few plans
  void search_all(const NodeOrderTables& n, const InterStagePlan& plan, IntraOutcome& out,
                  const std::function<bool(const IntraOutcome&)>& take);

 private:
  std::unique_ptr<IntraStageSearch> impl_;
  std::size_t chunk_ = kAllChunk;
};

// One plan's search (builds a searcher: for a single plan, or tests).
IntraOutcome search_intra_stage(const CaseTables& t, const NodeOrderTables& n, const InterStagePlan& plan,
                                Strategy strategy, MissingLog& log);

}  // namespace hetplan::internal
