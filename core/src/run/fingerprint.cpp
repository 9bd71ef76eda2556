// The fingerprint of a run: a hash of everything the result depends on, so that shard files and MPI ranks
// can tell whether they searched the same case with the same options. File names are left out (a case read
// from a folder and the same case as one JSON file are the same case); numbers enter as their bits, which
// parsing the same text gives on every platform.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include "hetplan/run.hpp"

namespace hetplan {

namespace {

// FNV-1a, 64 bits: not a cryptographic hash (the parts are the user's own files), just a stable one.
class Hasher {
 public:
  void bytes(const void* data, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < n; ++i) {
      h_ ^= p[i];
      h_ *= 0x100000001b3ULL;
    }
  }
  void integer(std::int64_t v) {
    const auto u = static_cast<std::uint64_t>(v);
    for (int i = 0; i < 8; ++i) {
      const auto b = static_cast<unsigned char>(u >> (8 * i));
      bytes(&b, 1);
    }
  }
  // The bits of the double (memcpy: Emscripten's library has no std::bit_cast).
  void number(double v) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    integer(static_cast<std::int64_t>(bits));
  }
  // Length first, so that ("ab", "c") and ("a", "bc") differ.
  void text(const std::string& s) {
    integer(static_cast<std::int64_t>(s.size()));
    bytes(s.data(), s.size());
  }
  void numbers(const std::vector<double>& v) {
    integer(static_cast<std::int64_t>(v.size()));
    for (const double x : v) number(x);
  }
  [[nodiscard]] std::uint64_t value() const { return h_; }

 private:
  std::uint64_t h_ = 0xcbf29ce484222325ULL;
};

void add_case(Hasher& h, const Case& c) {
  h.text(c.model_name);
  h.integer(static_cast<std::int64_t>(c.cluster.hosts.size()));
  for (std::size_t i = 0; i < c.cluster.hosts.size(); ++i) {
    const NodeSpec& spec = c.cluster.spec_of_host(i);
    h.text(c.cluster.hosts[i].ip);
    h.integer(c.cluster.hosts[i].gpus);
    h.text(spec.type);
    h.number(spec.inter_bandwidth);
    h.number(spec.intra_bandwidth);
    h.number(spec.memory_gb);
  }
  // A type's memory is its first clusterfile entry's, which may belong to no host.
  for (const auto& type : c.cluster.sorted_types()) h.number(c.cluster.memory_mb_of_type(type));
  for (const auto& type : c.profiles.types) h.text(type);
  for (const auto& [type, by_key] : c.profiles.entries) {
    h.text(type);
    h.integer(static_cast<std::int64_t>(by_key.size()));
    for (const auto& [key, entry] : by_key) {
      h.integer(key.first);
      h.integer(key.second);
      h.numbers(entry.layer_times);
      h.number(entry.fb_sync);
      h.numbers(entry.layer_memory);
    }
  }
  h.number(c.profiles.model.optimizer_time);
  h.number(c.profiles.model.batch_generator);
  h.numbers(c.profiles.model.parameters_per_layer);
  h.integer(c.profiles.model.num_layers);
  const ModelConfig& m = c.model;
  for (const int v : {m.num_layers, m.hidden_size, m.sequence_length, m.vocab_size, m.attention_heads}) {
    h.integer(v);
  }
  const SearchBounds& b = c.bounds;
  for (const int v : {b.gbs, b.max_tp, b.max_bs, b.max_permute_len}) h.integer(v);
  h.number(b.scale_variance);
  h.text(c.balance_type);
  h.integer(static_cast<std::int64_t>(c.notes.size()));
  for (const auto& note : c.notes) h.text(note);
}

}  // namespace

std::string run_fingerprint(const Case& c, const RunOptions& o) {
  Hasher h;
  add_case(h, c);
  // What shapes the result; not the shard index (parts of one run differ in it), threads or trials.
  h.integer(static_cast<std::int64_t>(o.strategies.size()));
  for (const Strategy s : o.strategies) h.text(to_string(s));
  h.text(to_string(o.cost_model));
  h.integer(o.top_k);
  h.integer(o.launchable_only ? 1 : 0);
  h.integer(o.shard_count);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h.value()));
  return hex;
}

}  // namespace hetplan
