#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <set>

#include "hetplan/parse.hpp"
#include "input/json_util.hpp"
#include "input/parse_values.hpp"

namespace hetplan {

namespace {

// "80", "15.5": a memory figure as a clusterfile writes it.
std::string gb_text(double gb) {
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), "%g", gb);
  return text.data();
}

}  // namespace

namespace {

// Beyond these a search would not finish in any useful time; refuse them up front with a clear message.
constexpr std::int64_t kMaxLayers = 4096;
constexpr std::int64_t kMaxGbs = 1 << 24;
constexpr std::int64_t kMaxDegree = 1 << 20;
constexpr int kMaxGpus = 1 << 16;
constexpr std::size_t kMaxTypes = 8;

}  // namespace

Outcome<CaseArgs> parse_case_args(std::string_view text, const std::string& source) {
  auto parsed = internal::parse_json(text, source);
  if (!parsed) return parsed.error();
  return internal::case_args_from_json(*parsed, source);
}

Outcome<CaseArgs> internal::case_args_from_json(const Json& root, const std::string& source) {
  internal::JsonReader r(source);
  if (!root.is_object()) return r.error("(top level)", "an object", &root);
  CaseArgs a;
  if (auto name = r.string(root, "model_name", "", false)) a.model_name = *name;
  auto layers = r.integer(root, "num_layers", "", true, 1, kMaxLayers);
  auto gbs = r.integer(root, "gbs", "", true, 1, kMaxGbs);
  auto hidden = r.integer(root, "hidden_size", "", false, 1, kMaxGbs);
  auto seq = r.integer(root, "sequence_length", "", false, 1, kMaxGbs);
  auto vocab = r.integer(root, "vocab_size", "", false, 1, kMaxGbs);
  auto heads = r.integer(root, "attention_head_size", "", false, 1, kMaxGbs);
  auto max_tp = r.integer(root, "max_profiled_tp_degree", "", false, 1, kMaxDegree);
  auto max_bs = r.integer(root, "max_profiled_batch_size", "", false, 1, kMaxDegree);
  auto variance = r.number(root, "min_group_scale_variance", "", false, true, true);
  auto permute = r.integer(root, "max_permute_len", "", false, 1, kMaxDegree);
  if (r.failed()) return r.first_error();
  a.model.num_layers = static_cast<int>(*layers);
  a.bounds.gbs = static_cast<int>(*gbs);
  if (hidden) a.model.hidden_size = static_cast<int>(*hidden);
  if (seq) a.model.sequence_length = static_cast<int>(*seq);
  if (vocab) a.model.vocab_size = static_cast<int>(*vocab);
  if (heads) a.model.attention_heads = static_cast<int>(*heads);
  if (max_tp) a.bounds.max_tp = static_cast<int>(*max_tp);
  if (max_bs) a.bounds.max_bs = static_cast<int>(*max_bs);
  if (variance) a.bounds.scale_variance = *variance;
  if (permute) a.bounds.max_permute_len = static_cast<int>(*permute);
  return a;
}

Outcome<Case> make_case(Cluster cluster, ProfileSet profiles, const CaseArgs& given) {
  CaseArgs args = given;
  Case c;
  if (args.from_profiles.any())
    c.taken_from_profiles = take_from_profiles(args, profile_facts(profiles, cluster.sorted_types()));
  c.model_name = args.model_name;
  c.model = args.model;
  c.bounds = args.bounds;
  const int layers = c.model.num_layers;
  if (layers < 1 || layers > kMaxLayers) {
    return Error{"num_layers: expected a whole number from 1 to " + std::to_string(kMaxLayers) + ", got " +
                 std::to_string(layers)};
  }
  if (c.bounds.gbs < 1 || c.bounds.gbs > kMaxGbs) {
    return Error{"gbs: expected a whole number from 1 to " + std::to_string(kMaxGbs) + ", got " +
                 std::to_string(c.bounds.gbs)};
  }
  if (c.bounds.max_tp < 1 || c.bounds.max_bs < 1 || c.bounds.max_permute_len < 1) {
    return Error{"max tp, max bs and max permute length must be at least 1"};
  }
  if (!std::isfinite(c.bounds.scale_variance) || c.bounds.scale_variance < 0) {
    return Error{"scale variance: expected a number >= 0"};
  }
  long total = 0;
  for (const auto& h : cluster.hosts) total += h.gpus;
  if (total > kMaxGpus) {
    return Error{"the cluster has " + std::to_string(total) + " GPUs; at most " + std::to_string(kMaxGpus) +
                 " are supported"};
  }
  const auto types = cluster.sorted_types();
  if (types.size() > kMaxTypes) {
    return Error{"the cluster has " + std::to_string(types.size()) + " device types; at most " +
                 std::to_string(kMaxTypes) + " are supported (node orders grow as the factorial)"};
  }
  for (const auto& t : types) {
    if (profiles.entries.find(t) == profiles.entries.end()) {
      return Error{"device type " + t + " (in the clusterfile) has no profile files DeviceType." + t +
                   "_tp<T>_bs<B>.json"};
    }
  }
  for (const auto& [type, by_key] : profiles.entries) {
    for (const auto& [key, e] : by_key) {
      if (!(e.layer_time_sum > 0)) {
        return Error{e.source +
                     ": execution_time.layer_compute_total_ms: the layer times sum to 0; expected a "
                     "positive total"};
      }
      if (static_cast<int>(e.layer_times.size()) != layers) {
        return Error{e.source + ": execution_time.layer_compute_total_ms has " +
                     std::to_string(e.layer_times.size()) + " layers, but num_layers is " +
                     std::to_string(layers)};
      }
    }
  }
  // The layer balancer normalises with tp1_bs1 of the first profile type; fall back to the next type that has
  // it.
  for (const auto& t : profiles.types) {
    const ProfileEntry* e = profiles.find(t, 1, 1);
    if (e == nullptr) continue;
    c.balance_type = t;
    break;
  }
  if (c.balance_type.empty()) {
    return Error{
        "no device type has a tp1_bs1 profile; the layer balancer needs one "
        "(DeviceType.<TYPE>_tp1_bs1.json)"};
  }
  if (c.balance_type != profiles.types.front()) {
    c.notes.push_back("the first profile type " + profiles.types.front() +
                      " has no tp1_bs1 profile; layer times are "
                      "normalised with " +
                      c.balance_type + " tp1_bs1 instead");
  }
  // The search takes one memory figure per type (the first node of the type in the clusterfile); nodes of a
  // type that differ are said, not silently evened out.
  for (std::size_t i = 0; i < cluster.specs.size(); ++i) {
    const NodeSpec& first = cluster.specs[i];
    const bool first_of_type =
        std::none_of(cluster.specs.begin(), cluster.specs.begin() + static_cast<std::ptrdiff_t>(i),
                     [&](const NodeSpec& s) { return s.type == first.type; });
    if (!first_of_type) continue;
    for (std::size_t j = i + 1; j < cluster.specs.size(); ++j) {
      const NodeSpec& other = cluster.specs[j];
      if (other.type != first.type || other.memory_gb == first.memory_gb) continue;
      c.notes.push_back("the " + first.type + " nodes differ in memory (" + gb_text(first.memory_gb) +
                        " GB at " + first.ip + ", " + gb_text(other.memory_gb) + " GB at " + other.ip +
                        "); the search takes one figure per type, the first one's " +
                        gb_text(first.memory_gb) + " GB");
      break;
    }
  }
  c.cluster = std::move(cluster);
  c.profiles = std::move(profiles);
  return c;
}

Outcome<Case> case_from_texts(const TextFile& hostfile, const TextFile& clusterfile,
                              std::vector<TextFile> profiles, const std::string& profiles_source,
                              const CaseArgs& args) {
  return case_with_profiles(
      hostfile, clusterfile, [&] { return parse_profiles(std::move(profiles), profiles_source); }, args);
}

Outcome<Case> case_with_profiles(const TextFile& hostfile, const TextFile& clusterfile,
                                 const std::function<Outcome<ProfileSet>()>& read_profiles,
                                 const CaseArgs& args) {
  return internal::case_from_parts(hostfile, parse_clusterfile(clusterfile.text, clusterfile.name),
                                   clusterfile.name, read_profiles, args);
}

Outcome<Case> internal::case_from_parts(const TextFile& hostfile, Outcome<std::vector<NodeSpec>> specs,
                                        const std::string& clusterfile_name,
                                        const std::function<Outcome<ProfileSet>()>& read_profiles,
                                        const CaseArgs& args) {
  // The hostfile's errors first, as a reader of the files in order meets them.
  auto hosts = parse_hostfile(hostfile.text, hostfile.name);
  if (!hosts) return hosts.error();
  if (!specs) return specs.error();
  auto cluster = make_cluster(std::move(*hosts), std::move(*specs), hostfile.name, clusterfile_name);
  if (!cluster) return cluster.error();
  auto set = read_profiles();
  if (!set) return set.error();
  return make_case(std::move(*cluster), std::move(*set), args);
}

}  // namespace hetplan
