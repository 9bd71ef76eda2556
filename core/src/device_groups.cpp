#include "hetplan/internal/device_groups.hpp"

#include <algorithm>
#include <cstdint>
#include <numeric>

namespace hetplan::internal {

std::vector<int> group_shapes(int num_gpus) {
  std::vector<int> shapes;
  for (long s = 1; s <= num_gpus; s *= 2) shapes.push_back(static_cast<int>(s));
  return shapes;
}

namespace {

void multisets_rec(int stages_left, int remaining, std::size_t from, const std::vector<int>& shapes,
                   std::size_t max_lists, std::vector<int>& cur, std::vector<std::vector<int>>& out) {
  if (out.size() > max_lists) return;
  if (stages_left == 0) {
    if (remaining == 0) out.push_back(cur);
    return;
  }
  for (std::size_t i = from; i < shapes.size(); ++i) {
    const long s = shapes[i];
    // Sizes never decrease: the rest needs at least s each and at most the largest shape each.
    if (s * stages_left > remaining) break;
    if (static_cast<long>(shapes.back()) * stages_left < remaining) return;
    cur.push_back(shapes[i]);
    multisets_rec(stages_left - 1, remaining - shapes[i], i, shapes, max_lists, cur, out);
    cur.pop_back();
  }
}

int unit_sum(const std::vector<int>& u) {
  return std::accumulate(u.begin(), u.end(), 0);
}

// One more than the length of the leading run equal to the first unit (the whole length when all are equal).
int leading_run_plus_one(const std::vector<std::vector<int>>& units) {
  for (std::size_t i = 0; i < units.size(); ++i) {
    if (units[i] != units[0]) return static_cast<int>(i) + 1;
  }
  return static_cast<int>(units.size());
}

}  // namespace

bool stage_size_multisets(int num_stages, int num_gpus, const std::vector<int>& shapes, std::size_t max_lists,
                          std::vector<std::vector<int>>& out) {
  out.clear();
  if (num_stages < 1 || shapes.empty()) return true;
  std::vector<int> cur;
  multisets_rec(num_stages, num_gpus, 0, shapes, max_lists, cur, out);
  return out.size() <= max_lists;
}

std::vector<std::vector<int>> stage_size_multisets(int num_stages, int num_gpus,
                                                   const std::vector<int>& shapes) {
  std::vector<std::vector<int>> out;
  stage_size_multisets(num_stages, num_gpus, shapes, SIZE_MAX - 1, out);
  return out;
}

std::int64_t count_orders(std::vector<int> ranks) {
  using Wide = unsigned __int128;
  constexpr Wide kCap = static_cast<Wide>(INT64_MAX);
  std::sort(ranks.begin(), ranks.end());
  Wide total = 1;
  std::int64_t placed = 0;
  for (std::size_t i = 0; i < ranks.size();) {
    std::size_t j = i;
    while (j < ranks.size() && ranks[j] == ranks[i]) ++j;
    // Multiply by C(placed + k, k), built up one factor at a time (each partial product is a binomial).
    Wide binomial = 1;
    const auto k = static_cast<std::int64_t>(j - i);
    for (std::int64_t m = 1; m <= k; ++m) {
      binomial = binomial * static_cast<Wide>(placed + m) / static_cast<Wide>(m);
      if (binomial > kCap) return INT64_MAX;
    }
    total *= binomial;
    if (total > kCap) return INT64_MAX;
    placed += k;
    i = j;
  }
  return static_cast<std::int64_t>(total);
}

std::vector<std::vector<int>> merge_units(const std::vector<int>& sizes, int max_permute_len) {
  std::vector<std::vector<int>> units;
  units.reserve(sizes.size());
  for (int s : sizes) units.push_back({s});
  int to_reduce = static_cast<int>(units.size()) - max_permute_len;
  while (to_reduce > 0) {
    const int smallest = unit_sum(units[0]);
    const int run = leading_run_plus_one(units);
    if (run / 2 > to_reduce) to_reduce = run / 2;
    std::vector<std::vector<int>> merged;
    for (std::size_t i = 0; i < units.size(); i += 2) {
      if (static_cast<std::size_t>(to_reduce) <= i / 2) {
        merged.insert(merged.end(), units.begin() + static_cast<std::ptrdiff_t>(i), units.end());
        break;
      }
      if (i + 1 >= units.size()) {
        merged.push_back(units[i]);
      } else if (unit_sum(units[i]) == smallest && unit_sum(units[i + 1]) == smallest) {
        std::vector<int> both = units[i];
        both.insert(both.end(), units[i + 1].begin(), units[i + 1].end());
        merged.push_back(std::move(both));
      } else {
        merged.push_back(units[i]);
        merged.push_back(units[i + 1]);
      }
    }
    units = std::move(merged);
    const int left = static_cast<int>(units.size()) - max_permute_len;
    if (to_reduce == left) break;  // nothing could be merged this round
    to_reduce = left;
  }
  return units;
}

std::vector<std::vector<int>> coollex_multiset_orders(std::vector<int> a) {
  std::vector<std::vector<int>> out;
  if (a.empty()) return out;
  std::sort(a.begin(), a.end(), std::greater<>());
  out.push_back(a);
  const std::size_t n = a.size();
  if (n == 1) return out;
  // Array form of the prefix-shift algorithm: `i` is the position of the tracked element; the element after
  // it plays the role of `j`. Each step moves one element to the front.
  std::size_t i = n - 2;
  while (i + 2 < n || a[i + 1] < a[0]) {
    const std::size_t s = (i + 2 < n && a[i] >= a[i + 2]) ? i + 1 : i;
    const std::size_t t = s + 1;
    const int moved = a[t];
    const int old_head = a[0];
    std::rotate(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(t),
                a.begin() + static_cast<std::ptrdiff_t>(t) + 1);
    i = moved < old_head ? 0 : i + 1;
    out.push_back(a);
  }
  return out;
}

namespace {

// Stage sizes may not fall far below an even split: at least max(N/S, S/N) x variance GPUs per stage.
std::vector<int> allowed_shapes(int num_stages, int num_gpus, double scale_variance) {
  const double min_size =
      static_cast<double>(std::max(num_gpus / num_stages, num_stages / num_gpus)) * scale_variance;
  std::vector<int> shapes;
  for (int s : group_shapes(num_gpus)) {
    if (static_cast<double>(s) >= min_size) shapes.push_back(s);
  }
  return shapes;
}

// The merged units of a size list as ranks into their sorted distinct values; distinct unit k is
// values[starts[k] .. starts[k + 1]).
struct RankedUnits {
  std::vector<int> values;
  std::vector<std::size_t> starts;
  std::vector<int> ranks;
};

RankedUnits ranked_units(const std::vector<int>& sizes, int max_permute_len) {
  RankedUnits r;
  r.ranks.reserve(sizes.size());
  if (sizes.size() <= static_cast<std::size_t>(std::max(max_permute_len, 0))) {
    // Nothing to merge (the common case): every size is a unit of its own, and units of one size compare as
    // their sizes, so the ranks come without building merge_units' list of lists (2% of a row-1 search).
    r.values = sizes;
    std::sort(r.values.begin(), r.values.end());
    r.values.erase(std::unique(r.values.begin(), r.values.end()), r.values.end());
    r.starts.resize(r.values.size() + 1);
    std::iota(r.starts.begin(), r.starts.end(), std::size_t{0});
    for (int size : sizes) {
      r.ranks.push_back(
          static_cast<int>(std::lower_bound(r.values.begin(), r.values.end(), size) - r.values.begin()));
    }
    return r;
  }
  auto units = merge_units(sizes, max_permute_len);
  auto distinct = units;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  r.starts.push_back(0);
  for (const auto& u : distinct) {
    r.values.insert(r.values.end(), u.begin(), u.end());
    r.starts.push_back(r.values.size());
  }
  for (const auto& u : units) {
    r.ranks.push_back(
        static_cast<int>(std::lower_bound(distinct.begin(), distinct.end(), u) - distinct.begin()));
  }
  return r;
}

}  // namespace

GroupCount count_device_groups_for_stages(int num_stages, int num_gpus, double scale_variance,
                                          int max_permute_len, std::size_t max_multisets) {
  GroupCount count;
  std::vector<std::vector<int>> multisets;
  if (!stage_size_multisets(num_stages, num_gpus, allowed_shapes(num_stages, num_gpus, scale_variance),
                            max_multisets, multisets)) {
    count.complete = false;
  }
  for (const auto& sizes : multisets) {
    const std::int64_t orders = count_orders(ranked_units(sizes, max_permute_len).ranks);
    count.lists = orders > INT64_MAX - count.lists ? INT64_MAX : count.lists + orders;
  }
  return count;
}

std::vector<std::vector<int>> device_groups_for_stages(int num_stages, int num_gpus, double scale_variance,
                                                       int max_permute_len) {
  std::vector<std::vector<int>> result;
  for (const auto& sizes :
       stage_size_multisets(num_stages, num_gpus, allowed_shapes(num_stages, num_gpus, scale_variance))) {
    // Units compare as sequences; order them and permute their ranks.
    const RankedUnits units = ranked_units(sizes, max_permute_len);
    for (const auto& order : coollex_multiset_orders(units.ranks)) {
      std::vector<int> flat;
      flat.reserve(sizes.size());
      for (int r : order) {
        const auto k = static_cast<std::size_t>(r);
        flat.insert(flat.end(), units.values.begin() + static_cast<std::ptrdiff_t>(units.starts[k]),
                    units.values.begin() + static_cast<std::ptrdiff_t>(units.starts[k + 1]));
      }
      result.push_back(std::move(flat));
    }
  }
  return result;
}

}  // namespace hetplan::internal
