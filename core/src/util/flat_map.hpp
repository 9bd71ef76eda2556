// A hash map for the search's caches, which are filled plan after plan and cleared when the node order
// changes: open addressing with linear probing in one array. An insert allocates nothing once the array has
// grown, clear() keeps the array, and the whole map is freed at once: a node-based map allocated, and
// later freed, one node per figure kept (a few hundred per search of a small case).
//
// The subset of std::unordered_map the caches use, with pointers for iterators: find() is end() (nullptr)
// when the key is absent. Entries are never erased; a pointer to an entry is valid until the next insert.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <utility>

namespace hetplan::internal {

template <class Key, class Value, class Hash>
class FlatMap {
 public:
  struct Entry {
    Key first{};
    Value second{};
  };
  // Slots are only ever overwritten, never destroyed one by one.
  static_assert(std::is_trivially_destructible_v<Entry> && std::is_trivially_copyable_v<Entry>);

  FlatMap() = default;
  // A moved-from map is empty and usable: its size and capacity go with its arrays.
  FlatMap(FlatMap&& other) noexcept { *this = std::move(other); }
  FlatMap& operator=(FlatMap&& other) noexcept {
    slots_ = std::move(other.slots_);
    used_ = std::move(other.used_);
    capacity_ = std::exchange(other.capacity_, 0);
    mask_ = std::exchange(other.mask_, 0);
    size_ = std::exchange(other.size_, 0);
    return *this;
  }
  FlatMap(const FlatMap&) = delete;
  FlatMap& operator=(const FlatMap&) = delete;
  ~FlatMap() = default;

  [[nodiscard]] Entry* end() const { return nullptr; }

  Entry* find(const Key& key) {
    if (size_ == 0) return nullptr;
    for (std::size_t i = home(key);; i = (i + 1) & mask_) {
      if (used_[i] == 0) return nullptr;
      Entry& e = slots_[i].entry;
      if (e.first == key) return &e;
    }
  }

  // The entry of key, and whether this call added it (with a value-initialised value).
  std::pair<Entry*, bool> try_emplace(const Key& key) {
    if ((size_ + 1) * 2 > capacity_) grow();
    for (std::size_t i = home(key);; i = (i + 1) & mask_) {
      if (used_[i] == 0) {
        used_[i] = 1;
        Entry* e = std::construct_at(&slots_[i].entry, Entry{key, Value{}});
        ++size_;
        return {e, true};
      }
      Entry& e = slots_[i].entry;
      if (e.first == key) return {&e, false};
    }
  }

  // Adds key with value unless key is there (as std::unordered_map::emplace).
  void emplace(const Key& key, const Value& value) {
    auto [e, fresh] = try_emplace(key);
    if (fresh) e->second = value;
  }

  void clear() {
    std::fill_n(used_.get(), capacity_, static_cast<unsigned char>(0));
    size_ = 0;
  }

  [[nodiscard]] std::size_t size() const { return size_; }

 private:
  static constexpr std::size_t kFirstSize = 64;

  // Room for one entry, left unwritten until a key is inserted there (`used_` says which hold one): growing
  // the array then writes one byte per slot, not a whole entry (the largest caches' entries are 80 bytes, and
  // a search grows each map several times from its first size).
  union Slot {
    Slot() {}  // leaves `entry` uninitialised
    Entry entry;
  };

  // The hash's high bits after a multiplication by 2^64 / phi, so that keys packed from small integers
  // (whose plain hash is often the integer itself) spread over the whole array.
  [[nodiscard]] std::size_t home(const Key& key) const {
    const std::uint64_t mixed = static_cast<std::uint64_t>(Hash{}(key)) * 0x9E3779B97F4A7C15ULL;
    return static_cast<std::size_t>(mixed >> 32U) & mask_;
  }

  void grow() {
    std::unique_ptr<Slot[]> old_slots = std::move(slots_);
    std::unique_ptr<unsigned char[]> old_used = std::move(used_);
    const std::size_t old_capacity = capacity_;
    capacity_ = old_capacity == 0 ? kFirstSize : old_capacity * 2;
    slots_ = std::make_unique<Slot[]>(capacity_);
    used_ = std::make_unique<unsigned char[]>(capacity_);  // zeroed: no slot holds an entry
    mask_ = capacity_ - 1;
    size_ = 0;
    for (std::size_t i = 0; i < old_capacity; ++i) {
      if (old_used[i] == 0) continue;
      const Entry& e = old_slots[i].entry;
      try_emplace(e.first).first->second = e.second;
    }
  }

  std::unique_ptr<Slot[]> slots_;          // capacity_ slots, a power of two, at most half used
  std::unique_ptr<unsigned char[]> used_;  // per slot: 1 when it holds an entry
  std::size_t capacity_ = 0;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace hetplan::internal
