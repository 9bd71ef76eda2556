// A hash map for the search's caches, which are filled plan after plan and cleared when the node order
// changes: open addressing with linear probing in one array. An insert allocates nothing once the array has
// grown, clear() keeps the array, and the whole map is freed at once: a node-based map allocated, and
// later freed, one node per figure kept (a few hundred per search of a small case).
//
// The subset of std::unordered_map the caches use, with pointers for iterators: find() is end() (nullptr)
// when the key is absent. Entries are never erased; a pointer to an entry is valid until the next insert.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace hetplan::internal {

template <class Key, class Value, class Hash>
class FlatMap {
 public:
  struct Entry {
    Key first{};
    Value second{};
    bool used = false;
  };

  [[nodiscard]] Entry* end() const { return nullptr; }

  Entry* find(const Key& key) {
    if (size_ == 0) return nullptr;
    for (std::size_t i = home(key);; i = (i + 1) & mask_) {
      Entry& e = entries_[i];
      if (!e.used) return nullptr;
      if (e.first == key) return &e;
    }
  }

  // The entry of key, and whether this call added it (with a value-initialised value).
  std::pair<Entry*, bool> try_emplace(const Key& key) {
    if ((size_ + 1) * 2 > entries_.size()) grow();
    for (std::size_t i = home(key);; i = (i + 1) & mask_) {
      Entry& e = entries_[i];
      if (!e.used) {
        e.used = true;
        e.first = key;
        e.second = Value{};
        ++size_;
        return {&e, true};
      }
      if (e.first == key) return {&e, false};
    }
  }

  // Adds key with value unless key is there (as std::unordered_map::emplace).
  void emplace(const Key& key, const Value& value) {
    auto [e, fresh] = try_emplace(key);
    if (fresh) e->second = value;
  }

  void clear() {
    for (Entry& e : entries_) e.used = false;
    size_ = 0;
  }

  [[nodiscard]] std::size_t size() const { return size_; }

 private:
  static constexpr std::size_t kFirstSize = 16;

  // The hash's high bits after a multiplication by 2^64 / phi, so that keys packed from small integers
  // (whose plain hash is often the integer itself) spread over the whole array.
  [[nodiscard]] std::size_t home(const Key& key) const {
    const std::uint64_t mixed = static_cast<std::uint64_t>(Hash{}(key)) * 0x9E3779B97F4A7C15ULL;
    return static_cast<std::size_t>(mixed >> 32U) & mask_;
  }

  void grow() {
    std::vector<Entry> old = std::move(entries_);
    entries_.clear();
    entries_.resize(old.empty() ? kFirstSize : old.size() * 2);
    mask_ = entries_.size() - 1;
    size_ = 0;
    for (Entry& e : old) {
      if (!e.used) continue;
      auto [moved, fresh] = try_emplace(e.first);
      moved->second = std::move(e.second);
    }
  }

  std::vector<Entry> entries_;  // a power of two in size, at most half used
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace hetplan::internal
