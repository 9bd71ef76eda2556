#include "hetplan/json_api.hpp"

#include "api/json_values.hpp"

#include <cmath>

#include "hetplan/parse.hpp"
#include "hetplan/reasons.hpp"
#include "hetplan/synth.hpp"
#include "input/json_util.hpp"
#include "input/parse_values.hpp"
#include "input/profile_assembly.hpp"

namespace hetplan {

namespace {

using internal::Json;

bool valid_type_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (unsigned char ch : name) {
    if (ch < 0x20 || ch == 0x7f) return false;
  }
  return true;
}

// A factor past kMaxSynthTimeFactor, refused where the spec names it (the generator would refuse it too).
constexpr const char* kTimeFactorRange = "a number > 0 and at most 1000000";

Outcome<std::vector<SynthType>> read_synth_types(const Json& list, const std::string& source,
                                                 const std::string& path) {
  internal::JsonReader r(source);
  if (!list.is_array() || list.empty()) return r.error(path, "a non-empty array of device types", &list);
  std::vector<SynthType> types;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string p = path + "[" + std::to_string(i) + "]";
    if (!list[i].is_object()) return r.error(p, "an object", &list[i]);
    auto name = r.string(list[i], "name", p, true);
    auto factor = r.number(list[i], "time_factor", p, true, true);
    if (r.failed()) return r.first_error();
    if (!valid_type_name(*name)) {
      return r.error(p + ".name", "1 to 64 characters without control characters", &list[i]["name"]);
    }
    if (*factor > kMaxSynthTimeFactor) {
      return r.error(p + ".time_factor", kTimeFactorRange, &list[i]["time_factor"]);
    }
    // Two types of one name would write the same profile files.
    for (const SynthType& earlier : types) {
      if (earlier.name == *name) return r.error(p + ".name", "a name no earlier type has", &list[i]["name"]);
    }
    types.push_back({*name, *factor});
  }
  return types;
}

// A synthetic block ({"layers": L, "max_batch_size": B} and optionally "types") -> the generated set.
Outcome<ProfileSet> synthetic_set(const Json& spec, const std::string& source, const std::string& folder) {
  internal::JsonReader r(source);
  if (!spec.is_object())
    return r.error("(top level)", "an object {\"layers\": L, \"max_batch_size\": B}", &spec);
  auto layers = r.integer(spec, "layers", "", true, 2, 4096);
  auto max_bs = r.integer(spec, "max_batch_size", "", true, 1, 65536);
  if (r.failed()) return r.first_error();
  std::vector<SynthType> types = reference_synth_types();
  if (auto t = spec.find("types"); t != spec.end()) {
    auto read = read_synth_types(*t, source, "types");
    if (!read) return read.error();
    types = std::move(*read);
  }
  auto set = synth_profile_set(static_cast<int>(*layers), static_cast<int>(*max_bs), types, folder);
  if (!set) return Error{source + ": " + set.error().message};
  return set;
}

}  // namespace

Outcome<ProfileSet> with_layers_of_args(Outcome<ProfileSet> set, const std::string& spec_source,
                                        const std::string& args_source, int num_layers) {
  if (!set) return set;
  for (const auto& [type, by_key] : set->entries) {
    for (const auto& [key, e] : by_key) {
      const auto layers = static_cast<int>(e.layer_times.size());
      if (layers == num_layers) return set;
      return Error{spec_source + ": layers is " + std::to_string(layers) + ", but " + args_source +
                   ": num_layers is " + std::to_string(num_layers) + "; they must be equal"};
    }
  }
  return set;
}

Outcome<ProfileSet> synthetic_profile_set_json(std::string_view text, const std::string& source,
                                               const std::string& folder) {
  auto parsed = internal::parse_json(text, source);
  if (!parsed) return parsed.error();
  return synthetic_set(*parsed, source, folder);
}

Outcome<Case> case_from_json(std::string_view text, const std::string& source) {
  auto parsed = internal::parse_json(text, source);
  if (!parsed) return parsed.error();
  return internal::case_from_json_value(*parsed, source);
}

Outcome<Case> internal::case_from_json_value(const Json& root, const std::string& source) {
  internal::JsonReader r(source);
  if (!root.is_object())
    return r.error("(top level)", "an object with hostfile, clusterfile, args and profiles", &root);
  const Json* hostfile = r.member(root, "hostfile", "", true);
  const Json* clusterfile = r.member(root, "clusterfile", "", true);
  const Json* args = r.member(root, "args", "", true);
  if (r.failed()) return r.first_error();
  if (!hostfile->is_string()) return r.error("hostfile", "the hostfile's text", hostfile);
  if (!clusterfile->is_object() && !clusterfile->is_string()) {
    return r.error("clusterfile", "the clusterfile object (or its text)", clusterfile);
  }
  if (!args->is_object()) return r.error("args", "an object (the fields of args.json)", args);

  const std::string cluster_source = source + ": clusterfile";
  auto specs = clusterfile->is_string() ? parse_clusterfile(clusterfile->get<std::string>(), cluster_source)
                                        : internal::clusterfile_from_json(*clusterfile, cluster_source);
  auto case_args = internal::case_args_from_json(*args, source + ": args");
  if (!case_args) return case_args.error();

  const auto profiles = root.find("profiles");
  const auto synthetic = root.find("synthetic");
  const TextFile hostfile_file{source + ": hostfile", hostfile->get<std::string>()};
  const std::string profiles_source = source + ": profiles";
  if (profiles != root.end()) {
    if (!profiles->is_object() || profiles->empty()) {
      return r.error("profiles", "an object mapping DeviceType.<TYPE>_tp<T>_bs<B>.json names to profiles",
                     &*profiles);
    }
    // Profiles given as objects are read as they are: printing them and reading the text again gave the same
    // figures and, in WebAssembly, took most of the time spent reading a case (numbers read twice).
    std::vector<internal::ProfileSource> files;
    for (const auto& [name, body] : profiles->items()) {
      if (body.is_string()) {
        files.push_back({name, body.get<std::string>(), nullptr});
      } else {
        files.push_back({name, {}, &body});
      }
    }
    return internal::case_from_parts(
        hostfile_file, std::move(specs), cluster_source,
        [&] { return internal::read_profiles(std::move(files), profiles_source); }, *case_args);
  }
  if (synthetic == root.end()) {
    return r.missing("profiles", "measured profiles, or \"synthetic\" for generated ones");
  }
  // Generated profiles go into the set directly: writing their files and reading them back gives the same
  // figures and was most of a small case's set-up (docs/performance.md, "What made the difference", item 4).
  auto set = with_layers_of_args(synthetic_set(*synthetic, source + ": synthetic", profiles_source),
                                 source + ": synthetic", source + ": args", case_args->model.num_layers);
  if (!set) return set.error();
  return internal::case_from_parts(
      hostfile_file, std::move(specs), cluster_source, [&] { return std::move(*set); }, *case_args);
}

Outcome<std::string> synthetic_case_json(std::string_view spec_text) {
  const std::string source = "synthetic spec";
  auto parsed = internal::parse_json(spec_text, source);
  if (!parsed) return parsed.error();
  const Json& spec = *parsed;
  internal::JsonReader r(source);
  if (!spec.is_object()) return r.error("(top level)", "an object", &spec);
  const Json* types = r.member(spec, "types", "", true);
  auto layers = r.integer(spec, "layers", "", true, 2, 4096);
  auto max_bs = r.integer(spec, "max_batch_size", "", true, 1, 65536);
  if (r.failed()) return r.first_error();
  if (!types->is_array() || types->empty())
    return r.error("types", "a non-empty array of device types", types);

  std::string hostfile;
  Json clusterfile = Json::object();
  Json synth_types = Json::array();
  for (std::size_t i = 0; i < types->size(); ++i) {
    const Json& t = (*types)[i];
    const std::string p = "types[" + std::to_string(i) + "]";
    if (!t.is_object()) return r.error(p, "an object", &t);
    auto name = r.string(t, "name", p, true);
    auto memory = r.number(t, "memory", p, true, true);
    auto intra = r.number(t, "intra_bandwidth", p, true, true);
    auto inter = r.number(t, "inter_bandwidth", p, true, true);
    auto factor = r.number(t, "time_factor", p, true, true);
    auto nodes = r.integer(t, "nodes", p, true, 0, 4096);
    auto per_node = r.integer(t, "gpus_per_node", p, true, 1, 64);
    if (r.failed()) return r.first_error();
    if (!valid_type_name(*name)) {
      return r.error(p + ".name", "1 to 64 characters without control characters", &t["name"]);
    }
    if (*factor > kMaxSynthTimeFactor)
      return r.error(p + ".time_factor", kTimeFactorRange, &t["time_factor"]);
    for (const auto& other : synth_types) {
      if (other["name"] == *name) return r.error(p + ".name", "a name not used by another type", &t["name"]);
    }
    const std::string ip = "10.0.0." + std::to_string(i + 1);
    for (std::int64_t n = 0; n < *nodes; ++n) hostfile += ip + " slots=" + std::to_string(*per_node) + "\n";
    clusterfile[ip] = {{"instance_type", *name},
                       {"inter_bandwidth", *inter},
                       {"intra_bandwidth", *intra},
                       {"memory", *memory}};
    synth_types.push_back({{"name", *name}, {"time_factor", *factor}});
  }
  if (hostfile.empty()) return Error{source + ": types: no nodes (every type has 0 nodes)"};
  Json args = Json::object();
  if (auto a = spec.find("args"); a != spec.end()) {
    if (!a->is_object()) return r.error("args", "an object (the fields of args.json)", &*a);
    args = *a;
  }
  if (args.find("num_layers") == args.end()) args["num_layers"] = *layers;
  Json out;
  out["hostfile"] = hostfile;
  out["clusterfile"] = clusterfile;
  out["synthetic"] = {{"layers", *layers}, {"max_batch_size", *max_bs}, {"types", synth_types}};
  out["args"] = args;
  // Validate the whole case now, so the page learns of a problem before it starts a search.
  auto check = internal::case_from_json_value(out, source);
  if (!check) return check.error();
  return internal::dump(out);
}

namespace internal {

nlohmann::ordered_json result_json(const SearchResult& r, double elapsed_ms) {
  Json j;
  j["strategy"] = to_string(r.strategy);
  j["cost_model"] = to_string(r.cost_model);
  j["count"] = r.count;
  j["costed_plans"] = r.costed_plans;
  j["cost_errors"] = r.cost_errors;
  j["inter_plans"] = r.inter_plans;
  j["skipped_candidates"] = r.skipped_candidates;
  if (uses_bounds(r.strategy)) j["pruned_by_bound"] = r.pruned_by_bound;
  j["skipped_no_memory_estimate"] = r.skipped_no_memory_estimate;
  j["skipped_no_layer_balance"] = r.skipped_no_layer_balance;
  j["out_of_memory_candidates"] = r.out_of_memory;
  j["missing_profile_keys"] = r.missing_keys;
  j["notes"] = r.notes;
  Json reasons = Json::array();
  for (const auto& reason : all_reasons(r)) reasons.push_back({{"code", reason.code}, {"text", reason.text}});
  j["reasons"] = std::move(reasons);
  j["no_plan"] = found_no_plan(r);
  j["cancelled"] = r.cancelled;
  j["elapsed_ms"] = elapsed_ms;
  Json top = Json::array();
  for (const auto& p : r.top) {
    Json e;
    e["cost"] = p.cost;
    e["node_sequence"] = p.node_sequence;
    e["device_groups"] = p.device_groups;
    e["num_stage"] = p.num_stage;
    Json strategies = Json::array();
    for (const auto& [dp, tp] : p.strategies) strategies.push_back({dp, tp});
    e["strategies"] = strategies;
    e["batches"] = p.batches;
    e["layer_partition"] = p.layer_partition;
    e["inter_plan_index"] = p.inter_plan_index;
    e["num_repartition"] = p.num_repartition;
    // Only when there are some: a plan without warnings keeps the bytes it always had.
    if (!p.warnings.empty()) {
      Json warnings = Json::array();
      for (const auto& w : p.warnings) {
        warnings.push_back({{"kind", to_string(w.issue)}, {"stage", w.stage}, {"message", w.message}});
      }
      e["warnings"] = std::move(warnings);
    }
    top.push_back(std::move(e));
  }
  j["top"] = std::move(top);
  return j;
}

nlohmann::ordered_json case_summary_json(const Case& c) {
  Json j;
  j["model_name"] = c.model_name;
  j["gpus"] = c.cluster.total_gpus();
  j["nodes"] = c.cluster.hosts.size();
  Json types = Json::array();
  for (const auto& t : c.cluster.sorted_types()) {
    types.push_back({{"name", t},
                     {"gpus", c.cluster.gpus_of_type(t)},
                     {"nodes", c.cluster.hosts_of_type(t)},
                     {"memory_gb", c.cluster.memory_mb_of_type(t) / 1024}});
  }
  j["types"] = std::move(types);
  j["num_layers"] = c.model.num_layers;
  j["gbs"] = c.bounds.gbs;
  std::size_t files = 0;
  for (const auto& [type, m] : c.profiles.entries) files += m.size();
  j["profile_entries"] = files;
  j["first_profile_file"] = c.profiles.model.source_file;
  j["balance_type"] = c.balance_type;
  j["inter_stage_plans"] = count_inter_stage_plans(c);
  j["notes"] = c.notes;
  return j;
}

std::string compact(const nlohmann::ordered_json& j) {
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace internal

std::string result_json_text(const SearchResult& r, double elapsed_ms) {
  return internal::compact(internal::result_json(r, elapsed_ms));
}

Outcome<std::string> export_plan_json(const Case& c, std::string_view plan_json, ExportTarget target,
                                      const ExportOptions& options, const std::string& source) {
  auto parsed = internal::parse_json(plan_json, source);
  if (!parsed) return parsed.error();
  auto plan = internal::plan_from_json_value(*parsed, source);
  if (!plan) return plan.error();
  auto x = export_plan(c, *plan, target, options);
  if (!x) return x.error();
  return internal::compact(internal::export_json(*x));
}

std::string case_summary_json_text(const Case& c) {
  return internal::compact(internal::case_summary_json(c));
}

}  // namespace hetplan
