// Sums over slices of per-layer figures, tabled. The search sums the same slices of the same profile entries
// over and over (a stage's layer times in the cost, its layer memory in the memory estimate); a table of
// every slice's sum, each added left to right as a direct sum would be, answers with the very same bits.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "hetplan/profiles.hpp"
#include "input/context.hpp"

namespace hetplan::internal {

// Vectors longer than this are not tabled (the table grows as n^2): their slices are summed on each call.
inline constexpr std::size_t kMaxTabledFigures = 256;

// The number of doubles in the slice-sum table of n figures.
constexpr std::size_t range_sums_size(std::size_t n) {
  return (n + 1) * (n + 1);
}

// Writes the slice-sum table of v into sums[0, range_sums_size(v.size())): [a * (n + 1) + b] = v[a] + ... +
// v[b - 1], added left to right, and 0 for the empty slices (b <= a).
inline void fill_range_sums(const std::vector<double>& v, double* sums) {
  const std::size_t width = v.size() + 1;
  for (std::size_t a = 0; a < width; ++a) {
    double* row = sums + (a * width);
    std::fill(row, row + a + 1, 0.0);
    double sum = 0;
    for (std::size_t b = a; b < v.size(); ++b) {
      sum += v[b];
      row[b + 1] = sum;
    }
  }
}

// Slice-sum tables (fill_range_sums) of one per-layer field of the entries in the dense profile table, each
// built on first use and kept as long as the object (one search).
class EntryRangeSums {
 public:
  using Field = std::vector<double> ProfileEntry::*;
  EntryRangeSums(const CaseTables& t, Field field) : t_(t), field_(field) {}

  // A table, by where it is: it stays there as long as the object. sums is nullptr before the table is built,
  // and for vectors too long to table (longer than kMaxTabledFigures).
  struct Table {
    const double* sums = nullptr;
    int size = 0;
    // The left-to-right sum of the figures [begin, end), clamped like a Python slice, for a table that is
    // there.
    [[nodiscard]] double sum(int begin, int end) const {
      const int b = std::clamp(begin, 0, size);
      const int e = std::clamp(end, 0, size);
      return sums[(static_cast<std::size_t>(b) * static_cast<std::size_t>(size + 1)) +
                  static_cast<std::size_t>(e)];
    }
  };

  // The table of the entry at dense-table `index` (see CaseTables::entry), built on first use. Its sums are
  // nullptr when the entry's vector is too long to table: the caller then sums the slices itself.
  Table table(std::size_t index) {
    if (known_.empty()) known_.assign(t_.dense_size(), Table{});
    Table& table = known_[index];
    if (table.sums != nullptr) return table;
    const std::vector<double>& values = t_.dense_entry(index)->*field_;
    table.size = static_cast<int>(values.size());
    if (values.size() <= kMaxTabledFigures) {
      double* sums = allocate(range_sums_size(values.size()));
      fill_range_sums(values, sums);
      table.sums = sums;
    }
    return table;
  }

  // The table of the entry at `index` when table() has built it, for callers that ask again and again: two
  // loads instead of the lookup through table(). Its sums are nullptr otherwise.
  [[nodiscard]] Table known(std::size_t index) const {
    return index < known_.size() ? known_[index] : Table{};
  }

 private:
  // Room for n doubles that stays where it is: callers keep pointers to the tables, so a chunk that holds
  // some is never reallocated. One vector per table was a fifth of a small search's allocations; chunks that
  // double in size take a few.
  double* allocate(std::size_t n) {
    if (n > chunk_left_) {
      const std::size_t size = std::max(n, chunks_.empty() ? kFirstChunk : 2 * chunk_size_);
      // Not make_unique, which would zero the chunk first (make_unique_for_overwrite is missing from
      // Emscripten 3.1.6's C++ library): every double is written before it is read.
      chunks_.emplace_back(new double[size]);
      chunk_free_ = chunks_.back().get();
      chunk_size_ = size;
      chunk_left_ = size;
    }
    double* room = chunk_free_;
    chunk_free_ += n;
    chunk_left_ -= n;
    return room;
  }
  // Doubles in the first chunk: 32 KiB, some thirty tables of ten layers.
  static constexpr std::size_t kFirstChunk = 4096;

  const CaseTables& t_;
  Field field_;
  std::vector<Table> known_;  // per dense index
  std::vector<std::unique_ptr<double[]>> chunks_;
  double* chunk_free_ = nullptr;  // the free part of the last chunk
  std::size_t chunk_size_ = 0;    // of the last chunk
  std::size_t chunk_left_ = 0;
};

}  // namespace hetplan::internal
