// The least plan bound over every order of a multiset of stage sizes in one node order. A stage's bound
// depends only on the GPUs it lies on: a stage of one type is the same wherever it lies in that type's run,
// and only the stages that cross from one type to the next depend on where they start. The orders therefore
// fall into few kinds (which sizes lie on which type, which stages cross where), and plan()'s value is the
// same for every order of a kind: its terms add, take the least or the most over the stages, or sort their
// speeds, and only the last stage (the one whose fb_sync is added) is set apart.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "cost/cost_bounds.hpp"
#include "cost/stage_estimates.hpp"

namespace hetplan::internal {

namespace {

// The search for kinds keeps every state it has seen; past this many it gives up (the multiset's own bound
// stands) so that its memory stays small on any case.
constexpr std::size_t kMaxStates = std::size_t{1} << 18;
constexpr std::uint64_t kCrosses = std::uint64_t{1} << 63U;

// Lists the kinds of orders. A stage kind is numbered as it is first met; a state (and a kind of order but
// for its last stage) is how many stages of each kind are placed, two bytes a count with the trailing zeros
// left out: the offset and the sizes left follow from it.
class KindFinder {
 public:
  KindFinder(const NodeOrderTables& n, const std::vector<int>& distinct) : n_(n), distinct_(distinct) {}

  bool run(std::vector<int> counts, int stages) {
    counts_ = std::move(counts);
    return visit(0, stages);
  }
  // Each kind of order: the placed counts of the stages but the last, then the last one's kind.
  [[nodiscard]] const std::set<std::pair<std::string, int>>& kinds() const { return kinds_; }
  [[nodiscard]] std::size_t stage_kinds() const { return starts_.size(); }
  [[nodiscard]] int start_of(std::size_t kind) const { return starts_[kind]; }
  [[nodiscard]] int size_of(std::size_t kind) const { return sizes_[kind]; }
  [[nodiscard]] static int count_at(const std::string& placed, std::size_t kind) {
    if ((2 * kind) + 1 >= placed.size()) return 0;
    return (static_cast<unsigned char>(placed[2 * kind]) << 8U) |
           static_cast<unsigned char>(placed[(2 * kind) + 1]);
  }

 private:
  // A stage of g GPUs from rank `start`: of its type when it has one, else of where it starts.
  std::size_t kind_at(int start, int g) {
    const int* ranks = n_.rank_type.data() + start;
    const std::uint64_t key =
        mixed(ranks, static_cast<std::size_t>(g))
            ? kCrosses | (static_cast<std::uint64_t>(start) << 32U) | static_cast<std::uint32_t>(g)
            : (static_cast<std::uint64_t>(static_cast<std::uint32_t>(ranks[0])) << 32U) |
                  static_cast<std::uint32_t>(g);
    const auto [it, fresh] = ids_.try_emplace(key, starts_.size());
    if (fresh) {
      starts_.push_back(start);
      sizes_.push_back(g);
    }
    return it->second;
  }

  [[nodiscard]] std::string key() const {
    std::string out;
    std::size_t used = placed_.size();
    while (used > 0 && placed_[used - 1] == 0) --used;
    for (std::size_t k = 0; k < used; ++k) {
      out.push_back(static_cast<char>(placed_[k] >> 8U));
      out.push_back(static_cast<char>(placed_[k] & 0xffU));
    }
    return out;
  }

  bool visit(int offset, int stages_left) {
    if (!seen_.insert(key()).second) return true;
    if (seen_.size() > kMaxStates) return false;
    for (std::size_t d = 0; d < distinct_.size(); ++d) {
      if (counts_[d] == 0) continue;
      const int g = distinct_[d];
      const std::size_t kind = kind_at(offset, g);
      if (stages_left == 1) {
        kinds_.emplace(key(), static_cast<int>(kind));
        continue;
      }
      if (placed_.size() <= kind) placed_.resize(kind + 1, 0);
      ++placed_[kind];
      --counts_[d];
      const bool more = visit(offset + g, stages_left - 1);
      ++counts_[d];
      --placed_[kind];
      if (!more) return false;
    }
    return true;
  }

  const NodeOrderTables& n_;
  const std::vector<int>& distinct_;
  std::vector<int> counts_;            // per distinct size: the stages left
  std::vector<std::uint16_t> placed_;  // per stage kind: the stages placed so far
  std::unordered_map<std::uint64_t, std::size_t> ids_;
  std::vector<int> starts_;  // per stage kind: a start of it
  std::vector<int> sizes_;   // per stage kind: its GPUs
  std::unordered_set<std::string> seen_;
  std::set<std::pair<std::string, int>> kinds_;
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
  for (const auto& [placed, last_kind] : finder.kinds()) {
    const auto last = static_cast<std::size_t>(last_kind);
    const auto place = static_cast<std::size_t>(
        std::lower_bound(distinct.begin(), distinct.end(), finder.size_of(last)) - distinct.begin());
    for (std::size_t k = 0; k < options.size(); ++k) {
      const int batches = options[k];
      start_plan();
      double fb = 0;
      bool usable = true;
      for (std::size_t kind = 0; kind < finder.stage_kinds() && usable; ++kind) {
        const int count = KindFinder::count_at(placed, kind);
        if (count == 0) continue;
        const StageBound& b = stage(n, order_id, finder.start_of(kind), finder.size_of(kind), batches);
        for (int c = 0; c < count && usable; ++c) usable = gather(b, false, fb);
      }
      if (usable)
        usable = gather(stage(n, order_id, finder.start_of(last), finder.size_of(last), batches), true, fb);
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
