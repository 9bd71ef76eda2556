// The least plan bound over every order of a multiset of stage sizes in one node order. A stage's bound
// depends only on the GPUs it lies on: a stage of one type is the same wherever it lies in that type's run,
// and only the stages that cross from one type to the next depend on where they start. The orders therefore
// fall into few kinds (which sizes lie on which type, which stages cross where), and plan()'s value is the
// same for every order of a kind: its terms add, take the least or the most over the stages, or sort their
// speeds, and only the last stage (the one whose fb_sync is added) is set apart.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <vector>

#include "cost/cost_bounds.hpp"
#include "cost/stage_estimates.hpp"

namespace hetplan::internal {

namespace {

// The search for kinds keeps every state it has seen; past this many it gives up (the multiset's own bound
// stands) so that its memory stays small on any case.
constexpr std::size_t kMaxStates = std::size_t{1} << 15;
constexpr std::uint64_t kCrosses = std::uint64_t{1} << 63U;

std::uint64_t size_of(std::uint64_t kind) {
  return kind & 0xffffffffU;
}

// Lists the kinds of orders: each as the kinds of its stages but the last, sorted, then the last one's.
class KindFinder {
 public:
  KindFinder(const NodeOrderTables& n, const std::vector<int>& distinct) : n_(n), distinct_(distinct) {}

  bool run(std::vector<int> counts, int stages) {
    counts_ = std::move(counts);
    return visit(0, stages);
  }
  [[nodiscard]] const std::set<std::vector<std::uint64_t>>& kinds() const { return kinds_; }
  [[nodiscard]] int start_of(std::uint64_t kind) const { return start_.at(kind); }

 private:
  // A stage of g GPUs from rank `start`: its type when it has one, else where it starts.
  std::uint64_t kind_at(int start, int g) {
    const int* ranks = n_.rank_type.data() + start;
    const std::uint64_t kind =
        mixed(ranks, static_cast<std::size_t>(g))
            ? kCrosses | (static_cast<std::uint64_t>(start) << 32U) | static_cast<std::uint32_t>(g)
            : (static_cast<std::uint64_t>(static_cast<std::uint32_t>(ranks[0])) << 32U) |
                  static_cast<std::uint32_t>(g);
    start_.try_emplace(kind, start);
    return kind;
  }

  bool visit(int offset, int stages_left) {
    std::vector<std::uint64_t> state(so_far_);
    state.push_back(static_cast<std::uint64_t>(offset));
    state.insert(state.end(), counts_.begin(), counts_.end());
    if (!seen_.insert(std::move(state)).second) return true;
    if (seen_.size() > kMaxStates) return false;
    for (std::size_t d = 0; d < distinct_.size(); ++d) {
      if (counts_[d] == 0) continue;
      const int g = distinct_[d];
      const std::uint64_t kind = kind_at(offset, g);
      if (stages_left == 1) {
        std::vector<std::uint64_t> whole(so_far_);
        whole.push_back(kind);
        kinds_.insert(std::move(whole));
        continue;
      }
      const auto at = std::upper_bound(so_far_.begin(), so_far_.end(), kind);
      const auto place = at - so_far_.begin();
      so_far_.insert(at, kind);
      --counts_[d];
      const bool more = visit(offset + g, stages_left - 1);
      ++counts_[d];
      so_far_.erase(so_far_.begin() + place);
      if (!more) return false;
    }
    return true;
  }

  const NodeOrderTables& n_;
  const std::vector<int>& distinct_;
  std::vector<int> counts_;
  std::vector<std::uint64_t> so_far_;  // the kinds of the stages placed so far, sorted
  std::set<std::vector<std::uint64_t>> seen_;
  std::set<std::vector<std::uint64_t>> kinds_;
  std::map<std::uint64_t, int> start_;  // a start of each stage kind
};

}  // namespace

bool CostBounds::orders(const NodeOrderTables& n, int order_id, const std::vector<int>& sizes,
                        const std::vector<int>& distinct, const std::vector<int>& options,
                        std::vector<double>& out) {
  if (sizes.empty() || layers_ <= 0) return false;
  std::vector<int> counts(distinct.size(), 0);
  for (int g : sizes) {
    ++counts[static_cast<std::size_t>(std::lower_bound(distinct.begin(), distinct.end(), g) -
                                      distinct.begin())];
  }
  KindFinder finder(n, distinct);
  if (!finder.run(std::move(counts), static_cast<int>(sizes.size()))) return false;
  std::vector<double> least(options.size() * distinct.size(), std::numeric_limits<double>::infinity());
  for (const auto& kind : finder.kinds()) {
    const int last = static_cast<int>(size_of(kind.back()));
    const auto place =
        static_cast<std::size_t>(std::lower_bound(distinct.begin(), distinct.end(), last) - distinct.begin());
    for (std::size_t k = 0; k < options.size(); ++k) {
      const int batches = options[k];
      start_plan();
      double fb = 0;
      bool usable = true;
      for (std::size_t s = 0; s < kind.size() && usable; ++s) {
        const StageBound& b =
            stage(n, order_id, finder.start_of(kind[s]), static_cast<int>(size_of(kind[s])), batches);
        usable = gather(b, s + 1 == kind.size(), fb);
      }
      if (!usable) continue;  // +infinity, as plan() gives
      PlanBound bound;
      bound.batches = batches;
      finish_plan(bound, fb, true);
      double& slot = least[(k * distinct.size()) + place];
      slot = std::min(slot, bound.value());
    }
  }
  out = std::move(least);
  return true;
}

}  // namespace hetplan::internal
