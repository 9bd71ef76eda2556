// Device groups: how the GPUs split into pipeline stages. Each stage gets a power-of-two number of GPUs; the
// multisets of stage sizes are generated in order, then each is expanded into its distinct orderings.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace hetplan::internal {

// Powers of two up to num_gpus.
std::vector<int> group_shapes(int num_gpus);

// Non-decreasing size lists of exactly num_stages shapes summing to num_gpus, in lexicographic order. Stops
// (returning false) once more than `max_lists` lists have been produced.
bool stage_size_multisets(int num_stages, int num_gpus, const std::vector<int>& shapes, std::size_t max_lists,
                          std::vector<std::vector<int>>& out);
std::vector<std::vector<int>> stage_size_multisets(int num_stages, int num_gpus,
                                                   const std::vector<int>& shapes);

// Caps the number of units to permute at max_permute_len by pairing the smallest equal groups, as the
// reference does: the result is a list of units, each a run of stage sizes that stays together.
std::vector<std::vector<int>> merge_units(const std::vector<int>& sizes, int max_permute_len);

// Distinct orderings of a multiset of ranks, in the "cool-lex" prefix-shift order of A. Williams (2009),
// starting from the non-increasing arrangement.
std::vector<std::vector<int>> coollex_multiset_orders(std::vector<int> ranks);

// Number of distinct orders of a multiset (n! / the product of the factorials of the repeat counts),
// saturating at INT64_MAX.
std::int64_t count_orders(std::vector<int> ranks);

struct GroupCount {
  std::int64_t lists = 0;  // device-group lists of the stage count (saturating)
  bool complete = true;    // false when counting gave up after `max_multisets` multisets
};

// Counts and builds the device-group lists of one cluster, stage count after stage count. Its buffers are
// kept from one stage count to the next: a search counts every stage count and builds most of them, and
// fresh buffers for each were a third of the allocations of a small search.
class DeviceGroups {
 public:
  DeviceGroups(int num_gpus, double scale_variance, int max_permute_len);

  // The number of lists build() would produce, without producing them.
  GroupCount count(int num_stages, std::size_t max_multisets);
  // Appends the lists of a stage count to `out` (multisets after the scale-variance filter, each expanded
  // into its orderings of merged units), in enumeration order.
  void build(int num_stages, std::vector<std::vector<int>>& out);

  // The multisets of a stage count after the scale-variance filter, in enumeration order, with the number of
  // device-group lists each expands into (saturating): what build() expands, without expanding it.
  void multisets(int num_stages, std::vector<std::vector<int>>& sizes, std::vector<std::int64_t>& lists);
  // Calls visit(list) with each device-group list of one multiset of multisets(), in enumeration order.
  void lists_of(const std::vector<int>& sizes, const std::function<void(const std::vector<int>&)>& visit);

 private:
  // Calls visit(sizes) with each size multiset of the stage count, in order, up to the (max_multisets + 1)th;
  // false when it stopped there.
  template <class Visit>
  bool for_each_multiset(int num_stages, std::size_t max_multisets, Visit&& visit);
  // Calls visit(list) with each list of one multiset, in enumeration order.
  template <class Visit>
  void expand(const std::vector<int>& sizes, Visit&& visit);
  // The number of lists a multiset expands into (saturating).
  [[nodiscard]] std::int64_t orders_of(const std::vector<int>& sizes) const;
  // Whether the sizes are more than max_permute_len units, so that merge_units pairs some.
  [[nodiscard]] bool merges(const std::vector<int>& sizes) const;

  int num_gpus_;
  double scale_variance_;
  int max_permute_len_;
  std::vector<int> sizes_;  // the multiset being visited
  std::vector<int> order_;  // its order being visited
};

// DeviceGroups(num_gpus, scale_variance, max_permute_len).count(num_stages, max_multisets).
GroupCount count_device_groups_for_stages(int num_stages, int num_gpus, double scale_variance,
                                          int max_permute_len, std::size_t max_multisets);

// All device-group lists for a stage count (see DeviceGroups::build). Empty when that stage count admits
// none.
std::vector<std::vector<int>> device_groups_for_stages(int num_stages, int num_gpus, double scale_variance,
                                                       int max_permute_len);

}  // namespace hetplan::internal
