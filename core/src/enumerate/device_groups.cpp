#include "enumerate/device_groups.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <numeric>
#include <span>
#include <utility>

#include "util/reserve.hpp"

namespace hetplan::internal {

namespace {

// Powers of two up to a GPU count, in a fixed array: there are at most 31 (2^0 .. 2^30 within an int), and
// the search asks for them once per stage count it counts or builds.
struct Shapes {
  std::array<int, 31> value{};
  std::size_t size = 0;
  [[nodiscard]] std::span<const int> list() const& { return {value.data(), size}; }
  // A span into a temporary would dangle once the expression ends.
  std::span<const int> list() const&& = delete;
};

Shapes powers_of_two_up_to(int num_gpus) {
  Shapes shapes;
  for (long s = 1; s <= num_gpus; s *= 2) shapes.value[shapes.size++] = static_cast<int>(s);
  return shapes;
}

// Calls visit(cur) with each non-decreasing extension of cur by stages_left shapes from shapes[from..] that
// adds up to `remaining`, in lexicographic order. False once visit has returned false (enough lists).
template <class Visit>
bool visit_multisets(int stages_left, int remaining, std::size_t from, std::span<const int> shapes,
                     std::vector<int>& cur, Visit& visit) {
  if (stages_left == 0) return remaining != 0 || visit(std::as_const(cur));
  for (std::size_t i = from; i < shapes.size(); ++i) {
    const long s = shapes[i];
    // Sizes never decrease: the rest needs at least s each and at most the largest shape each.
    if (s * stages_left > remaining) break;
    if (static_cast<long>(shapes.back()) * stages_left < remaining) return true;
    cur.push_back(shapes[i]);
    const bool more = visit_multisets(stages_left - 1, remaining - shapes[i], i, shapes, cur, visit);
    cur.pop_back();
    if (!more) return false;
  }
  return true;
}

// Visits the lists of stage_size_multisets, up to the (max_lists + 1)th; false when it stopped there.
template <class Visit>
bool visit_stage_size_multisets(int num_stages, int num_gpus, std::span<const int> shapes,
                                std::size_t max_lists, std::vector<int>& cur, Visit&& visit) {
  if (num_stages < 1 || shapes.empty()) return true;
  cur.clear();
  cur.reserve(static_cast<std::size_t>(num_stages));
  std::size_t lists = 0;
  auto counted = [&](const std::vector<int>& sizes) {
    visit(sizes);
    return ++lists <= max_lists;
  };
  return visit_multisets(num_stages, num_gpus, 0, shapes, cur, counted);
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

std::vector<int> group_shapes(int num_gpus) {
  const Shapes shapes = powers_of_two_up_to(num_gpus);  // kept: list() points into it
  const std::span<const int> list = shapes.list();
  return {list.begin(), list.end()};
}

bool stage_size_multisets(int num_stages, int num_gpus, const std::vector<int>& shapes, std::size_t max_lists,
                          std::vector<std::vector<int>>& out) {
  out.clear();
  std::vector<int> cur;
  return visit_stage_size_multisets(num_stages, num_gpus, shapes, max_lists, cur,
                                    [&](const std::vector<int>& sizes) { out.push_back(sizes); });
}

std::vector<std::vector<int>> stage_size_multisets(int num_stages, int num_gpus,
                                                   const std::vector<int>& shapes) {
  std::vector<std::vector<int>> out;
  stage_size_multisets(num_stages, num_gpus, shapes, SIZE_MAX - 1, out);
  return out;
}

namespace {

// count_orders of a sorted list, which it needs no copy of.
std::int64_t count_sorted_orders(std::span<const int> ranks) {
  using Wide = unsigned __int128;
  constexpr Wide kCap = static_cast<Wide>(INT64_MAX);
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

}  // namespace

std::int64_t count_orders(std::vector<int> ranks) {
  std::sort(ranks.begin(), ranks.end());
  return count_sorted_orders(ranks);
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

void CoolLexOrders::reset(const std::vector<int>& ranks) {
  a_.assign(ranks.begin(), ranks.end());
  std::sort(a_.begin(), a_.end(), std::greater<>());
  i_ = a_.size() >= 2 ? a_.size() - 2 : 0;
}

bool CoolLexOrders::next() {
  const std::size_t n = a_.size();
  if (n < 2) return false;
  // Array form of the prefix-shift algorithm: `i_` is the position of the tracked element; the element after
  // it plays the role of `j`. Each step moves one element to the front.
  if (!(i_ + 2 < n || a_[i_ + 1] < a_[0])) return false;
  const std::size_t s = (i_ + 2 < n && a_[i_] >= a_[i_ + 2]) ? i_ + 1 : i_;
  const std::size_t t = s + 1;
  const int moved = a_[t];
  const int old_head = a_[0];
  std::rotate(a_.begin(), a_.begin() + static_cast<std::ptrdiff_t>(t),
              a_.begin() + static_cast<std::ptrdiff_t>(t) + 1);
  i_ = moved < old_head ? 0 : i_ + 1;
  return true;
}

std::vector<std::vector<int>> coollex_multiset_orders(const std::vector<int>& ranks) {
  std::vector<std::vector<int>> out;
  if (ranks.empty()) return out;
  CoolLexOrders orders;
  orders.reset(ranks);
  do {
    out.push_back(orders.order());
  } while (orders.next());
  return out;
}

namespace {

// Stage sizes may not fall far below an even split: at least max(N/S, S/N) x variance GPUs per stage. The
// shapes that pass are the largest ones (those from the first that does).
std::span<const int> allowed_shapes(const Shapes& shapes, int num_stages, int num_gpus,
                                    double scale_variance) {
  const double min_size =
      static_cast<double>(std::max(num_gpus / num_stages, num_stages / num_gpus)) * scale_variance;
  const std::span<const int> all = shapes.list();
  const auto first =
      std::find_if(all.begin(), all.end(), [&](int s) { return static_cast<double>(s) >= min_size; });
  return all.subspan(static_cast<std::size_t>(first - all.begin()));
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

DeviceGroups::DeviceGroups(int num_gpus, double scale_variance, int max_permute_len)
    : num_gpus_(num_gpus), scale_variance_(scale_variance), max_permute_len_(max_permute_len) {
  // Every stage has a GPU at least, and the inter-stage space asks for up to one stage more than GPUs.
  reserve_each(static_cast<std::size_t>(std::max(num_gpus, 0)) + 1, sizes_);
}

template <class Visit>
bool DeviceGroups::for_each_multiset(int num_stages, std::size_t max_multisets, Visit&& visit) {
  if (num_stages < 1) return true;
  const Shapes shapes = powers_of_two_up_to(num_gpus_);
  return visit_stage_size_multisets(num_stages, num_gpus_,
                                    allowed_shapes(shapes, num_stages, num_gpus_, scale_variance_),
                                    max_multisets, sizes_, visit);
}

bool DeviceGroups::merges(const std::vector<int>& sizes) const {
  return sizes.size() > static_cast<std::size_t>(std::max(max_permute_len_, 0));
}

std::int64_t DeviceGroups::orders_of(const std::vector<int>& sizes) const {
  // Unmerged, the ranks of the sizes run as the sizes do, and those are sorted already.
  return merges(sizes) ? count_orders(ranked_units(sizes, max_permute_len_).ranks)
                       : count_sorted_orders(sizes);
}

GroupCount DeviceGroups::count(int num_stages, std::size_t max_multisets) {
  GroupCount count;
  count.complete = for_each_multiset(num_stages, max_multisets, [&](const std::vector<int>& sizes) {
    const std::int64_t orders = orders_of(sizes);
    count.lists = orders > INT64_MAX - count.lists ? INT64_MAX : count.lists + orders;
  });
  return count;
}

void ListOrders::reset(const std::vector<int>& sizes, int max_permute_len) {
  merged_ = sizes.size() > static_cast<std::size_t>(std::max(max_permute_len, 0));
  if (!merged_) {
    // Every size is a unit of its own: the orders of the sizes are those of their ranks.
    orders_.reset(sizes);
    return;
  }
  // Units compare as sequences; order them and permute their ranks.
  auto units = ranked_units(sizes, max_permute_len);
  values_ = std::move(units.values);
  starts_ = std::move(units.starts);
  orders_.reset(units.ranks);
  flatten();
}

bool ListOrders::next() {
  if (!orders_.next()) return false;
  if (merged_) flatten();
  return true;
}

void ListOrders::flatten() {
  list_.clear();
  for (int r : orders_.order()) {
    const auto k = static_cast<std::size_t>(r);
    list_.insert(list_.end(), values_.begin() + static_cast<std::ptrdiff_t>(starts_[k]),
                 values_.begin() + static_cast<std::ptrdiff_t>(starts_[k + 1]));
  }
}

template <class Visit>
void DeviceGroups::expand(const std::vector<int>& sizes, Visit&& visit) {
  if (sizes.empty()) return;
  orders_.reset(sizes, max_permute_len_);
  do {
    visit(orders_.list());
  } while (orders_.next());
}

void DeviceGroups::build(int num_stages, std::vector<std::vector<int>>& out) {
  for_each_multiset(num_stages, SIZE_MAX - 1, [&](const std::vector<int>& sizes) {
    expand(sizes, [&](const std::vector<int>& list) { out.push_back(list); });
  });
}

void DeviceGroups::multisets(int num_stages, std::vector<std::vector<int>>& sizes,
                             std::vector<std::int64_t>& lists) {
  sizes.clear();
  lists.clear();
  for_each_multiset(num_stages, SIZE_MAX - 1, [&](const std::vector<int>& s) {
    sizes.push_back(s);
    lists.push_back(orders_of(s));
  });
}

void DeviceGroups::lists_of(const std::vector<int>& sizes,
                            const std::function<void(const std::vector<int>&)>& visit) {
  expand(sizes, visit);
}

ListCursor::ListCursor(int num_gpus, double scale_variance, int max_permute_len)
    : groups_(num_gpus, scale_variance, max_permute_len), max_permute_len_(max_permute_len) {}

void ListCursor::restart(int num_stages) {
  if (num_stages != stages_) {
    groups_.multisets(num_stages, multisets_, counts_);
    stages_ = num_stages;
  }
  m_ = 0;
  first_ = 0;
  k_ = -1;
}

const std::vector<int>& ListCursor::at(int num_stages, std::int64_t g) {
  if (num_stages != stages_ || (k_ >= 0 && g < first_ + k_) || (k_ < 0 && g < first_)) restart(num_stages);
  while (m_ < counts_.size() && g - first_ >= counts_[m_]) {
    first_ += counts_[m_];
    ++m_;
    k_ = -1;
  }
  // g is below the stage count's list count, so multiset m_ holds it.
  if (k_ < 0) {
    lists_.reset(multisets_[m_], max_permute_len_);
    k_ = 0;
  }
  for (; k_ < g - first_; ++k_) lists_.next();
  return lists_.list();
}

GroupCount count_device_groups_for_stages(int num_stages, int num_gpus, double scale_variance,
                                          int max_permute_len, std::size_t max_multisets) {
  return DeviceGroups(num_gpus, scale_variance, max_permute_len).count(num_stages, max_multisets);
}

std::vector<std::vector<int>> device_groups_for_stages(int num_stages, int num_gpus, double scale_variance,
                                                       int max_permute_len) {
  std::vector<std::vector<int>> out;
  DeviceGroups(num_gpus, scale_variance, max_permute_len).build(num_stages, out);
  return out;
}

}  // namespace hetplan::internal
