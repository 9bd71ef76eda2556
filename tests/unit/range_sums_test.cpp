// The tabled slice sums answer with the bits of a direct left-to-right sum, for every slice, clamped like a
// Python slice; vectors too long to table get none.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "cost/range_sums.hpp"
#include "cost/stage_estimates.hpp"  // slice_sum: what the search summed before the tables
#include "input/context.hpp"
#include "synthetic_cases.hpp"

namespace hetplan {
namespace {

using internal::CaseTables;
using internal::EntryRangeSums;

// Figures of many magnitudes, so that the order of the additions shows in the last bits.
std::vector<double> figures(std::size_t n, std::uint32_t seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> mantissa(0.5, 1.0);
  std::uniform_int_distribution<int> exponent(-20, 20);
  std::vector<double> v(n);
  for (double& x : v) x = std::ldexp(mantissa(gen), exponent(gen));
  return v;
}

void expect_all_slices_equal(const std::vector<double>& v) {
  std::vector<double> table(internal::range_sums_size(v.size()));
  internal::fill_range_sums(v, table.data());
  const auto n = static_cast<int>(v.size());
  const EntryRangeSums::Table sums{table.data(), n};
  for (int a = -2; a <= n + 2; ++a) {
    for (int b = -2; b <= n + 2; ++b) {
      ASSERT_EQ(std::bit_cast<std::uint64_t>(sums.sum(a, b)),
                std::bit_cast<std::uint64_t>(internal::slice_sum(v, a, b)))
          << "n " << n << " slice [" << a << ", " << b << ")";
    }
  }
}

TEST(RangeSums, EverySliceHasTheBitsOfTheDirectSum) {
  for (std::size_t n : {0, 1, 2, 7, 20, 96, 256})
    expect_all_slices_equal(figures(n, static_cast<std::uint32_t>(n)));
}

// Entries longer than the limit get no table (its size grows as n^2): the callers sum their slices directly.
TEST(EntryRangeSums, VectorsTooLongToTableGetNone) {
  testing::SyntheticCase long_model = testing::table_row(1);
  long_model.layers = static_cast<int>(internal::kMaxTabledFigures) + 1;
  auto c = testing::build(long_model);
  ASSERT_TRUE(c.ok());
  const CaseTables t(*c);
  EntryRangeSums times(t, &ProfileEntry::layer_times);
  internal::MissingLog log;
  std::size_t index = 0;
  ASSERT_NE(t.entry(0, 1, 1, log, index), nullptr);
  ASSERT_NE(index, CaseTables::kNotDense);
  const EntryRangeSums::Table table = times.table(index);
  EXPECT_EQ(table.sums, nullptr);
  EXPECT_EQ(table.size, long_model.layers);
}

// The dense table (power-of-two tp and bs) and the hash map (the rest) together answer every key as the
// profiles do, and a dense index points at the entry found.
TEST(CaseTables, EveryKeyFindsTheProfilesEntry) {
  auto c = testing::build(testing::table_row(1));
  ASSERT_TRUE(c.ok());
  // Keys the dense table has no slot for: tp or bs not a power of two.
  auto& a100 = c->profiles.entries.at("A100");
  const ProfileEntry copy = a100.at({1, 1});
  a100.emplace(std::pair{1, 3}, copy);
  a100.emplace(std::pair{3, 2}, copy);
  a100.emplace(std::pair{6, 12}, copy);
  const CaseTables t(*c);
  int found = 0;
  for (int type = 0; type < static_cast<int>(t.types().size()); ++type) {
    for (int tp = -1; tp <= 260; ++tp) {
      for (int bs = -1; bs <= 260; ++bs) {
        std::size_t index = 0;
        const ProfileEntry* e = t.find_entry(type, tp, bs, index);
        ASSERT_EQ(e, c->profiles.find(t.types()[static_cast<std::size_t>(type)], tp, bs))
            << "type " << type << " tp " << tp << " bs " << bs;
        if (e == nullptr) continue;
        ++found;
        if (index != CaseTables::kNotDense) {
          EXPECT_EQ(t.dense_entry(index), e);
        }
        const bool powers =
            std::has_single_bit(static_cast<unsigned>(tp)) && std::has_single_bit(static_cast<unsigned>(bs));
        EXPECT_EQ(index != CaseTables::kNotDense, powers);
      }
    }
  }
  EXPECT_EQ(found, 2 * 8 * 8 + 3);
}

// The hot path's row + dense_offset(bs) lands where dense_at does, and past the dense table whenever dense_at
// says kNotDense (bs without a slot, or a row of kNoRow); entry_in_row answers as entry.
TEST(CaseTables, DenseOffsetAgreesWithDenseAt) {
  auto c = testing::build(testing::table_row(1));
  ASSERT_TRUE(c.ok());
  const CaseTables t(*c);
  for (int type = 0; type < static_cast<int>(t.types().size()); ++type) {
    for (int level = 0; level < 12; ++level) {
      const std::size_t row = t.dense_row(type, level);
      const std::size_t hot_row = row == CaseTables::kNotDense ? CaseTables::kNoRow : row;
      for (int bs = -3; bs <= 1100; ++bs) {
        const std::size_t at = t.dense_at(row, bs);
        const std::size_t sum = hot_row + t.dense_offset(bs);
        if (at == CaseTables::kNotDense) {
          EXPECT_GE(sum, t.dense_size()) << "type " << type << " level " << level << " bs " << bs;
          EXPECT_LT(sum, CaseTables::kNotDense);  // no wrapping round
        } else {
          EXPECT_EQ(sum, at) << "type " << type << " level " << level << " bs " << bs;
        }
        // entry_in_row finds what entry finds, and logs the same misses.
        internal::MissingLog by_row;
        internal::MissingLog direct;
        EXPECT_EQ(t.entry_in_row(row, type, level, bs, by_row), t.entry(type, 1 << level, bs, direct))
            << "type " << type << " level " << level << " bs " << bs;
        EXPECT_EQ(by_row.keys, direct.keys);
      }
    }
  }
}

TEST(EntryRangeSums, TablesTheFieldOfEachDenseEntry) {
  auto c = testing::build(testing::table_row(1));
  ASSERT_TRUE(c.ok());
  const CaseTables t(*c);
  EntryRangeSums memory(t, &ProfileEntry::layer_memory);
  internal::MissingLog log;
  int checked = 0;
  for (int type = 0; type < static_cast<int>(t.types().size()); ++type) {
    for (int tp = 1; tp <= 8; tp *= 2) {
      for (int bs = 1; bs <= 8; bs *= 2) {
        std::size_t index = 0;
        const ProfileEntry* e = t.entry(type, tp, bs, log, index);
        if (e == nullptr) continue;
        ASSERT_NE(index, CaseTables::kNotDense);
        const EntryRangeSums::Table first = memory.table(index);
        ASSERT_NE(first.sums, nullptr);
        EXPECT_EQ(memory.table(index).sums, first.sums);  // built once
        const auto n = static_cast<int>(e->layer_memory.size());
        EXPECT_EQ(first.size, n);
        for (int a = 0; a <= n; ++a) {
          for (int b = a; b <= n; ++b) {
            ASSERT_EQ(std::bit_cast<std::uint64_t>(first.sum(a, b)),
                      std::bit_cast<std::uint64_t>(internal::slice_sum(e->layer_memory, a, b)));
          }
        }
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 0);
}

// Tables live in chunks that are never reallocated: every table built is still where it was, with its sums,
// after the tables of every other entry (40 layers: a few tables fill a chunk).
TEST(EntryRangeSums, TablesStayWhereTheyWereBuilt) {
  auto c = testing::build(testing::table_row(4));
  ASSERT_TRUE(c.ok());
  const CaseTables t(*c);
  EntryRangeSums times(t, &ProfileEntry::layer_times);
  std::vector<EntryRangeSums::Table> built;
  for (std::size_t index = 0; index < t.dense_size(); ++index) {
    if (t.dense_entry(index) != nullptr) built.push_back(times.table(index));
  }
  ASSERT_GT(built.size(), 8U);
  std::size_t k = 0;
  for (std::size_t index = 0; index < t.dense_size(); ++index) {
    const ProfileEntry* e = t.dense_entry(index);
    if (e == nullptr) continue;
    const EntryRangeSums::Table table = built[k++];
    EXPECT_EQ(times.known(index).sums, table.sums);
    const auto n = static_cast<int>(e->layer_times.size());
    ASSERT_EQ(table.size, n);
    for (int a = 0; a <= n; ++a) {
      for (int b = 0; b <= n; ++b) {
        ASSERT_EQ(std::bit_cast<std::uint64_t>(table.sum(a, b)),
                  std::bit_cast<std::uint64_t>(internal::slice_sum(e->layer_times, a, b)));
      }
    }
  }
}

TEST(EntryRangeSums, KnownGivesABuiltTableOnly) {
  auto c = testing::build(testing::table_row(1));
  ASSERT_TRUE(c.ok());
  const CaseTables t(*c);
  EntryRangeSums times(t, &ProfileEntry::layer_times);
  internal::MissingLog log;
  std::size_t index = 0;
  const ProfileEntry* e = t.entry(0, 1, 1, log, index);
  ASSERT_NE(e, nullptr);
  ASSERT_NE(index, CaseTables::kNotDense);
  EXPECT_EQ(times.known(index).sums, nullptr);  // before any table is built
  times.table(index);
  const EntryRangeSums::Table known = times.known(index);
  ASSERT_NE(known.sums, nullptr);
  const auto n = static_cast<int>(e->layer_times.size());
  EXPECT_EQ(known.size, n);
  for (int a = -1; a <= n + 1; ++a) {
    for (int b = -1; b <= n + 1; ++b) {
      ASSERT_EQ(std::bit_cast<std::uint64_t>(known.sum(a, b)),
                std::bit_cast<std::uint64_t>(internal::slice_sum(e->layer_times, a, b)));
    }
  }
  std::size_t other = 0;
  ASSERT_NE(t.entry(0, 1, 2, log, other), nullptr);
  EXPECT_EQ(times.known(other).sums, nullptr);  // another entry's table is not built by this one
}

}  // namespace
}  // namespace hetplan
