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
std::vector<std::vector<int>> coollex_multiset_orders(const std::vector<int>& ranks);

// The same orders one at a time, so that a search can step through them without holding them.
class CoolLexOrders {
 public:
  // Starts at the first order (the non-increasing arrangement) of a non-empty multiset.
  void reset(const std::vector<int>& ranks);
  [[nodiscard]] const std::vector<int>& order() const { return a_; }
  // Moves to the next order; false (staying on the last) when there is none.
  bool next();

 private:
  std::vector<int> a_;
  std::size_t i_ = 0;
};

// The device-group lists of one stage-size multiset one at a time, in enumeration order: the orders of its
// units (merge_units) laid out flat.
class ListOrders {
 public:
  // Starts at the first list of a non-empty multiset.
  void reset(const std::vector<int>& sizes, int max_permute_len);
  [[nodiscard]] const std::vector<int>& list() const { return merged_ ? list_ : orders_.order(); }
  // Moves to the next list; false (staying on the last) when there is none.
  bool next();

 private:
  void flatten();

  CoolLexOrders orders_;  // of the sizes, or of the ranks of the merged units
  bool merged_ = false;
  // Merged: distinct unit k is values_[starts_[k] .. starts_[k + 1]); list_ the current order laid out.
  std::vector<int> values_;
  std::vector<std::size_t> starts_;
  std::vector<int> list_;
};

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
  ListOrders orders_;       // its lists
};

// The device-group lists of a cluster by stage count and list number, made when asked, one at a time: a
// search visits lists in increasing number, and holding every list of a large space took gigabytes per
// thread. List g of a stage count is reached by skipping whole multisets by their list counts and stepping
// through the lists of the one that holds it; moving forward costs at most the lists passed, moving back (or
// to another stage count) starts that stage count again.
class ListCursor {
 public:
  ListCursor(int num_gpus, double scale_variance, int max_permute_len);

  // List g (from 0, below the stage count's list count) of num_stages stages. The reference stays valid, and
  // the list unchanged, until the next call.
  const std::vector<int>& at(int num_stages, std::int64_t g);

 private:
  // Starts the stage count's first multiset again (loading its multisets when the stage count changes).
  void restart(int num_stages);

  DeviceGroups groups_;
  int max_permute_len_;
  int stages_ = 0;                           // the stage count loaded (0: none)
  std::vector<std::vector<int>> multisets_;  // its multisets, in enumeration order
  std::vector<std::int64_t> counts_;         // the lists of each
  std::size_t m_ = 0;                        // the multiset holding the current list
  std::int64_t first_ = 0;                   // the number of its first list
  std::int64_t k_ = -1;                      // the current list within it (-1: not begun)
  ListOrders lists_;
};

// DeviceGroups(num_gpus, scale_variance, max_permute_len).count(num_stages, max_multisets).
GroupCount count_device_groups_for_stages(int num_stages, int num_gpus, double scale_variance,
                                          int max_permute_len, std::size_t max_multisets);

// All device-group lists for a stage count (see DeviceGroups::build). Empty when that stage count admits
// none.
std::vector<std::vector<int>> device_groups_for_stages(int num_stages, int num_gpus, double scale_variance,
                                                       int max_permute_len);

}  // namespace hetplan::internal
