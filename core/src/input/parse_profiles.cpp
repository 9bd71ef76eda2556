#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "hetplan/parse.hpp"
#include "input/json_util.hpp"
#include "input/profile_assembly.hpp"

namespace hetplan {

namespace {

constexpr int kMaxDegree = 1 << 20;

bool parse_positive(std::string_view s, int& out) {
  if (s.empty() || s.size() > 7 || s[0] == '0') return false;
  int v = 0;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return false;
    v = v * 10 + (ch - '0');
  }
  out = v;
  return v <= kMaxDegree;
}

// DeviceType.<TYPE>_tp<T>_bs<B>.json; TYPE may itself hold underscores, so the suffix is matched from the
// end.
bool parse_profile_name(const std::string& name, std::string& type, int& tp, int& bs) {
  const std::string prefix = "DeviceType.";
  const std::string suffix = ".json";
  if (name.size() <= prefix.size() + suffix.size() || name.rfind(prefix, 0) != 0 ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return false;
  }
  std::string mid = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
  auto bs_pos = mid.rfind("_bs");
  if (bs_pos == std::string::npos || !parse_positive(std::string_view(mid).substr(bs_pos + 3), bs))
    return false;
  auto tp_pos = mid.rfind("_tp", bs_pos);
  if (tp_pos == std::string::npos || tp_pos == 0) return false;
  if (!parse_positive(std::string_view(mid).substr(tp_pos + 3, bs_pos - tp_pos - 3), tp)) return false;
  type = mid.substr(0, tp_pos);
  return true;
}

// model.model_name trimmed of white space. The name only labels the output, so a file that gives none, or
// something else than a string, is read as the page reads it (web/profile-facts.js): as naming no model.
std::string model_name_of(const internal::Json& model) {
  const auto it = model.find("model_name");
  if (it == model.end() || !it->is_string()) return {};
  const std::string& name = it->get_ref<const std::string&>();
  const char* const blank = " \t\n\r\f\v";
  const auto first = name.find_first_not_of(blank);
  if (first == std::string::npos) return {};
  return name.substr(first, name.find_last_not_of(blank) - first + 1);
}

}  // namespace

namespace internal {

std::string profile_file_name(const std::string& type, int tp, int bs) {
  return "DeviceType." + type + "_tp" + std::to_string(tp) + "_bs" + std::to_string(bs) + ".json";
}

std::optional<Error> add_profile(ProfileSet& set, const std::string& name, std::string source,
                                 const std::string& type, int tp, int bs, ProfileFigures figures) {
  ProfileEntry e;
  e.layer_times = std::move(figures.layer_times);
  for (double x : e.layer_times) e.layer_time_sum += x;  // left to right, as the reference sums
  e.fb_sync = figures.forward_backward - e.layer_time_sum;
  e.layer_memory = std::move(figures.layer_memory);
  if (set.entries.find(type) == set.entries.end()) set.types.push_back(type);
  if (set.model.source_file.empty()) {
    set.model.source_file = name;
    set.model.optimizer_time = figures.optimizer * 2;
    set.model.batch_generator = figures.batch_generator;
    set.model.parameters_per_layer = std::move(figures.parameters_per_layer);
    set.model.num_layers = static_cast<int>(e.layer_times.size());
  }
  if (set.model.name.empty()) set.model.name = std::move(figures.model_name);
  auto& of_type = set.entries[type];
  const auto key = std::make_pair(tp, bs);
  if (of_type.find(key) != of_type.end()) {
    return Error{source + ": a second profile for " + type + " tp" + std::to_string(tp) + " bs" +
                 std::to_string(bs)};
  }
  e.source = std::move(source);
  of_type.emplace(key, std::move(e));
  return std::nullopt;
}

Outcome<ProfileSet> read_profiles(std::vector<ProfileSource> files, const std::string& folder) {
  std::sort(files.begin(), files.end(),
            [](const ProfileSource& a, const ProfileSource& b) { return a.name < b.name; });
  ProfileSet set;
  if (files.empty())
    return Error{folder + ": no profile files (expected DeviceType.<TYPE>_tp<T>_bs<B>.json)"};
  for (const auto& f : files) {
    const std::string source = folder.empty() ? f.name : folder + "/" + f.name;
    std::string type;
    int tp = 0;
    int bs = 0;
    if (!parse_profile_name(f.name, type, tp, bs)) {
      return Error{source +
                   ": file name does not match DeviceType.<TYPE>_tp<T>_bs<B>.json (T and B whole "
                   "numbers from 1, no leading zeros)"};
    }
    std::optional<Json> parsed;
    if (f.parsed == nullptr) {
      auto read = parse_json(f.text, source);
      if (!read) return read.error();
      parsed = std::move(*read);
    }
    const Json& root = f.parsed != nullptr ? *f.parsed : *parsed;
    JsonReader r(source);
    if (!root.is_object()) return r.error("(top level)", "an object", &root);
    const Json* exec = r.member(root, "execution_time", "", true);
    const Json* mem = r.member(root, "execution_memory", "", true);
    const Json* model = r.member(root, "model", "", true);
    if (r.failed()) return r.first_error();
    if (!exec->is_object()) return r.error("execution_time", "an object", exec);
    if (!mem->is_object()) return r.error("execution_memory", "an object", mem);
    if (!model->is_object()) return r.error("model", "an object", model);
    const Json* params_obj = r.member(*model, "parameters", "model", true);
    if (r.failed()) return r.first_error();
    if (!params_obj->is_object()) return r.error("model.parameters", "an object", params_obj);

    ProfileFigures figures;
    auto times = r.number_array(*exec, "layer_compute_total_ms", "execution_time", 1);
    auto fb = r.number(*exec, "forward_backward_time_ms", "execution_time", true, true, true);
    auto opt = r.number(*exec, "optimizer_time_ms", "execution_time", true, true, true);
    auto gen = r.number(*exec, "batch_generator_time_ms", "execution_time", true, true, true);
    auto memory = r.number_array(*mem, "layer_memory_total_mb", "execution_memory", 1);
    auto params = r.number_array(*params_obj, "parameters_per_layer_bytes", "model.parameters", 2);
    if (r.failed()) return r.first_error();
    figures.layer_times = std::move(*times);
    figures.forward_backward = *fb;
    figures.optimizer = *opt;
    figures.batch_generator = *gen;
    figures.layer_memory = std::move(*memory);
    figures.parameters_per_layer = std::move(*params);
    figures.model_name = model_name_of(*model);
    if (auto error = add_profile(set, f.name, source, type, tp, bs, std::move(figures))) return *error;
  }
  return set;
}

}  // namespace internal

Outcome<ProfileSet> parse_profiles(std::vector<TextFile> files, const std::string& folder) {
  std::vector<internal::ProfileSource> sources;
  sources.reserve(files.size());
  for (TextFile& f : files) sources.push_back({std::move(f.name), std::move(f.text), nullptr});
  return internal::read_profiles(std::move(sources), folder);
}

}  // namespace hetplan
