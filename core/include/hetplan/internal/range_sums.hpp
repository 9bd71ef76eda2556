// Sums over slices of per-layer figures, tabled. The search sums the same slices of the same profile entries
// over and over (a stage's layer times in the cost, its layer memory in the memory estimate); a table of
// every slice's sum, each added left to right as a direct sum would be, answers with the very same bits.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "hetplan/internal/context.hpp"
#include "hetplan/profiles.hpp"

namespace hetplan::internal {

// Left-to-right sum of v[begin:end] with Python's slice clamping, for every (begin, end).
class RangeSums {
 public:
  // Larger vectors are summed on each call instead: the table grows as n^2.
  static constexpr std::size_t kMaxTabled = 256;

  // Refers to v, which must outlive the object (only when it is too long to table).
  void assign(const std::vector<double>& v) {
    values_ = &v;
    n_ = static_cast<int>(v.size());
    sums_.clear();
    if (v.size() > kMaxTabled) return;
    const std::size_t width = v.size() + 1;
    sums_.assign(width * width, 0.0);  // 0 for the empty slices, b <= a
    for (std::size_t a = 0; a < v.size(); ++a) {
      double sum = 0;
      for (std::size_t b = a; b < v.size(); ++b) {
        sum += v[b];
        sums_[(a * width) + b + 1] = sum;
      }
    }
  }

  // The table, [a * (size() + 1) + b] = sum(a, b) for 0 <= a, b <= size(); nullptr when not tabled. It
  // stays where it is when the object is moved.
  [[nodiscard]] const double* table() const { return sums_.empty() ? nullptr : sums_.data(); }
  [[nodiscard]] int size() const { return n_; }

  [[nodiscard]] double sum(int begin, int end) const {
    const int b = std::clamp(begin, 0, n_);
    const int e = std::clamp(end, 0, n_);
    if (!sums_.empty())
      return sums_[(static_cast<std::size_t>(b) * static_cast<std::size_t>(n_ + 1)) +
                   static_cast<std::size_t>(e)];
    double s = 0;
    for (int i = b; i < e; ++i) s += (*values_)[static_cast<std::size_t>(i)];
    return s;
  }

 private:
  const std::vector<double>* values_ = nullptr;
  int n_ = 0;
  std::vector<double> sums_;  // [a * (n + 1) + b]: v[a] + ... + v[b - 1]
};

// RangeSums of one per-layer field of the entries in the dense profile table, each built on first use and
// kept as long as the object (one search).
class EntryRangeSums {
 public:
  using Field = std::vector<double> ProfileEntry::*;
  EntryRangeSums(const CaseTables& t, Field field) : t_(t), field_(field) {}

  // A built table, by where it is: it stays there as long as the object. sums is nullptr before the table is
  // built, and for vectors too long to table.
  struct Table {
    const double* sums = nullptr;
    int size = 0;
    // As RangeSums::sum, for a table that is there.
    [[nodiscard]] double sum(int begin, int end) const {
      const int b = std::clamp(begin, 0, size);
      const int e = std::clamp(end, 0, size);
      return sums[(static_cast<std::size_t>(b) * static_cast<std::size_t>(size + 1)) +
                  static_cast<std::size_t>(e)];
    }
  };

  // Number of the table of the entry at dense-table `index` (see CaseTables::entry), built on first use. The
  // number stays valid as long as the object.
  std::uint32_t table(std::size_t index) {
    if (table_of_.empty()) {
      table_of_.assign(t_.dense_size(), kNone);
      known_.assign(t_.dense_size(), Table{});
    }
    std::uint32_t& k = table_of_[index];
    if (k == kNone) {
      k = static_cast<std::uint32_t>(tables_.size());
      RangeSums& sums = tables_.emplace_back();
      sums.assign(t_.dense_entry(index)->*field_);
      known_[index] = Table{sums.table(), sums.size()};
    }
    return k;
  }
  // Valid until the next call of table().
  [[nodiscard]] const RangeSums& operator[](std::uint32_t k) const { return tables_[k]; }

  // The table of the entry at `index` when table() has built it, for callers that ask again and again: two
  // loads instead of the lookup through table(). Its sums are nullptr otherwise.
  [[nodiscard]] Table known(std::size_t index) const {
    return index < known_.size() ? known_[index] : Table{};
  }

 private:
  static constexpr std::uint32_t kNone = UINT32_MAX;
  const CaseTables& t_;
  Field field_;
  std::vector<std::uint32_t> table_of_;  // per dense index: place in tables_, kNone before first use
  std::vector<RangeSums> tables_;
  std::vector<Table> known_;  // per dense index
};

}  // namespace hetplan::internal
