#include "hetplan/synth.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <utility>

#include "input/json_util.hpp"
#include "input/profile_assembly.hpp"

namespace hetplan {

namespace {

// Figures of the nine measured A100 samples the published experiments start from (GPT, 10 layers, tp 1/2/4 x
// bs 1/2/4). In every sample the middle layers share one time, so first, middle and last layer times suffice.
struct SampleFigures {
  int tp, bs;
  double total, forward_backward, batch_generator, layernorm_allreduce, embedding_allreduce, optimizer;
  double first_layer, middle_layer, last_layer;
};

constexpr SampleFigures kSamples[] = {
    {1, 1, 336.21833324432373, 292.7964687347412, 0.9145021438598633, 0.020313262939453125,
     0.04248619079589844, 39.308977127075195, 0.2892017364501953, 29.507994651794434, 0.4100799560546875},
    {1, 2, 623.8969802856445, 580.2594184875488, 1.1479616165161133, 0.022220611572265625,
     0.048804283142089844, 39.59686756134033, 0.6282329559326172, 58.86340141296387, 0.6556510925292969},
    {1, 4, 1187.6213073730469, 1143.9790725708008, 1.0437250137329102, 0.02143383026123047,
     0.04825592041015625, 39.47432041168213, 1.0962486267089844, 116.56570434570312, 1.066446304321289},
    {2, 1, 191.60630702972412, 167.60022640228271, 0.9002208709716797, 0.5506515502929688,
     0.03962516784667969, 20.2700138092041, 1.1625289916992188, 16.83783531188965, 0.3528594970703125},
    {2, 2, 337.15617656707764, 313.36352825164795, 1.025700569152832, 0.5963563919067383,
     0.043272972106933594, 20.301532745361328, 1.7201900482177734, 32.2415828704834, 0.469207763671875},
    {2, 4, 635.8691215515137, 611.6964817047119, 0.9355545043945312, 0.6118535995483398, 0.038433074951171875,
     20.454931259155273, 2.507448196411133, 63.25173377990723, 0.6699562072753906},
    {4, 1, 113.75594139099121, 99.9199390411377, 0.9341955184936523, 0.4595518112182617, 0.037360191345214844,
     10.814285278320312, 1.0263919830322266, 10.216951370239258, 0.3376007080078125},
    {4, 2, 193.59173774719238, 179.92208003997803, 0.9298801422119141, 0.5153894424438477,
     0.03802776336669922, 10.793113708496094, 1.8298625946044922, 19.173383712768555, 0.4038810729980469},
    {4, 4, 349.4198799133301, 335.2949619293213, 0.9746074676513672, 0.6551504135131836, 0.04265308380126953,
     10.96353530883789, 2.949237823486328, 35.823822021484375, 0.67901611328125},
};
constexpr int kSampleLayers = 10;
// Shared by all nine samples: per-layer memory (MB; the samples list 9 values for 10 layers) and parameters.
constexpr std::int64_t kMemoryFirst = 7820, kMemoryMiddle = 4146, kMemoryLast = 12132;
constexpr std::int64_t kParamsFirst = 393216000, kParamsMiddle = 202383360, kParamsLast = 393220096;
constexpr const char* kSampleModelName = "GPT3";

struct Times {
  double total, forward_backward, batch_generator, layernorm, embedding, optimizer, between;
  std::vector<double> layers;
};

double sum(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s;
}

// first, then middle n - 2 times, then last: the per-layer shape of every sample figure.
template <class T>
std::vector<T> repeat_middle(T first, T middle, T last, int n) {
  std::vector<T> v{first};
  for (int i = 0; i < n - 2; ++i) v.push_back(middle);
  v.push_back(last);
  return v;
}

// The sample, with the fb-sync gap made explicit and then stretched to `layers` layers, as the generator
// does.
Times stretched_sample(const SampleFigures& s, int layers) {
  Times t{s.total,
          s.forward_backward,
          s.batch_generator,
          s.layernorm_allreduce,
          s.embedding_allreduce,
          s.optimizer,
          0,
          {}};
  t.between =
      s.forward_backward - sum(repeat_middle(s.first_layer, s.middle_layer, s.last_layer, kSampleLayers));
  t.layers = repeat_middle(s.first_layer, s.middle_layer, s.last_layer, layers);
  t.forward_backward = t.between + sum(t.layers);
  t.layernorm = t.layernorm / kSampleLayers * layers;
  t.optimizer = t.optimizer / kSampleLayers * layers;
  t.total = t.forward_backward + t.batch_generator + t.layernorm + t.embedding + t.optimizer;
  return t;
}

// Doubling the batch doubles the compute times; doubling tp halves them. Other fields stay.
Times scaled(Times t, bool doubling_batch) {
  for (double& x : t.layers) x = doubling_batch ? x * 2 : x / 2;
  t.forward_backward = doubling_batch ? t.forward_backward * 2 : t.forward_backward / 2;
  t.between = doubling_batch ? t.between * 2 : t.between / 2;
  t.total = t.forward_backward + t.optimizer + t.batch_generator + t.layernorm + t.embedding;
  return t;
}

Times times_factor(Times t, double f) {
  t.total *= f;
  t.forward_backward *= f;
  t.batch_generator *= f;
  t.layernorm *= f;
  t.embedding *= f;
  t.optimizer *= f;
  for (double& x : t.layers) x *= f;
  t.between *= f;
  return t;
}

internal::Json profile_json(const Times& t, int layers) {
  using internal::Json;
  const std::vector<std::int64_t> params = repeat_middle(kParamsFirst, kParamsMiddle, kParamsLast, layers);
  const std::vector<std::int64_t> memory = repeat_middle(kMemoryFirst, kMemoryMiddle, kMemoryLast, layers);
  std::int64_t total_params = 0;
  for (auto p : params) total_params += p;
  std::int64_t total_memory = 0;
  for (auto m : memory) total_memory += m;

  Json j;
  j["model"]["model_name"] = kSampleModelName;
  j["model"]["num_layers"] = layers;
  j["model"]["parameters"]["total_parameters_bytes"] = total_params;
  j["model"]["parameters"]["parameters_per_layer_bytes"] = params;
  j["model"]["num_MHA_layers"] = layers - 2;
  auto& e = j["execution_time"];
  e["total_time_ms"] = t.total;
  e["forward_backward_time_ms"] = t.forward_backward;
  e["batch_generator_time_ms"] = t.batch_generator;
  e["layernorm_grads_all_reduce_time_ms"] = t.layernorm;
  e["embedding_grads_all_reduce_time_ms"] = t.embedding;
  e["optimizer_time_ms"] = t.optimizer;
  e["layer_compute_total_ms"] = t.layers;
  e["between_forward_backward_time_ms"] = t.between;
  j["execution_memory"]["total_memory"] = total_memory;
  j["execution_memory"]["layer_memory_total_mb"] = memory;
  return j;
}

}  // namespace

std::vector<SynthType> reference_synth_types() {
  return {{"A100", 1.0}, {"V100", 3.5}};
}

namespace {

// One generated profile: its file's name, what the name says, and its figures.
struct GeneratedProfile {
  std::string name;
  const SynthType* type;
  int tp;
  int bs;
  Times times;
};

// The generator's profiles, in the order it writes them (type by type, then by (tp, bs)).

Outcome<std::vector<GeneratedProfile>> generate_profiles(int layers, int max_bs,
                                                         const std::vector<SynthType>& types) {
  if (layers < 2 || layers > 4096) return Error{"layers: expected a whole number from 2 to 4096"};
  if (max_bs < 1 || max_bs > (1 << 16))
    return Error{"max batch size: expected a whole number from 1 to 65536"};
  if (types.empty()) return Error{"at least one device type is needed"};
  for (std::size_t i = 0; i < types.size(); ++i) {
    const SynthType& t = types[i];
    // Names are free text (the clusterfile's instance_type); writing them to disk is the CLI's concern.
    if (t.name.empty()) return Error{"device type name must not be empty"};
    if (!std::isfinite(t.time_factor) || t.time_factor <= 0 || t.time_factor > kMaxSynthTimeFactor) {
      return Error{"time factor of " + t.name + ": expected a number > 0 and at most 1000000"};
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (types[j].name == t.name) return Error{"device type " + t.name + " is given twice"};
    }
  }
  std::map<std::pair<int, int>, Times> base;
  for (const auto& s : kSamples) base[{s.tp, s.bs}] = stretched_sample(s, layers);
  // Batch sizes grow from 4 on tp 1, 2, 4 until they reach max_bs; then tp grows from 4 for every batch size.
  for (int tp : {1, 2, 4}) {
    for (int bs = 4; bs < max_bs; bs *= 2) base[{tp, bs * 2}] = scaled(base.at({tp, bs}), true);
  }
  const int largest_pow2_bs = 1 << static_cast<int>(std::floor(std::log2(max_bs)));
  for (int bs = 1; bs <= largest_pow2_bs; bs *= 2) {
    for (int tp = 4; tp < max_bs; tp *= 2) base[{tp * 2, bs}] = scaled(base.at({tp, bs}), false);
  }
  std::vector<GeneratedProfile> out;
  out.reserve(types.size() * base.size());
  for (const auto& type : types) {
    for (const auto& [key, t] : base) {
      out.push_back({internal::profile_file_name(type.name, key.first, key.second), &type, key.first,
                     key.second, times_factor(t, type.time_factor)});
    }
  }
  return out;
}

}  // namespace

Outcome<std::vector<TextFile>> synth_profile_files(int layers, int max_bs,
                                                   const std::vector<SynthType>& types) {
  auto generated = generate_profiles(layers, max_bs, types);
  if (!generated) return generated.error();
  std::vector<TextFile> files;
  files.reserve(generated->size());
  for (const auto& g : *generated)
    files.push_back({g.name, internal::dump(profile_json(g.times, layers), 2) + "\n"});
  return files;
}

Outcome<ProfileSet> synth_profile_set(int layers, int max_bs, const std::vector<SynthType>& types,
                                      const std::string& folder) {
  auto generated = generate_profiles(layers, max_bs, types);
  if (!generated) return generated.error();
  // parse_profiles' order: byte order of the names.
  std::sort(generated->begin(), generated->end(),
            [](const GeneratedProfile& a, const GeneratedProfile& b) { return a.name < b.name; });
  // The files hold these as whole numbers, which read back as these doubles.
  const auto as_doubles = [&](std::int64_t first, std::int64_t middle, std::int64_t last) {
    return repeat_middle(static_cast<double>(first), static_cast<double>(middle), static_cast<double>(last),
                         layers);
  };
  const std::vector<double> memory = as_doubles(kMemoryFirst, kMemoryMiddle, kMemoryLast);
  const std::vector<double> params = as_doubles(kParamsFirst, kParamsMiddle, kParamsLast);
  ProfileSet set;
  for (auto& g : *generated) {
    internal::ProfileFigures figures;
    figures.layer_times = std::move(g.times.layers);
    figures.forward_backward = g.times.forward_backward;
    figures.optimizer = g.times.optimizer;
    figures.batch_generator = g.times.batch_generator;
    figures.layer_memory = memory;
    figures.parameters_per_layer = params;
    figures.model_name = kSampleModelName;
    std::string source = folder.empty() ? g.name : folder + "/" + g.name;
    if (auto error = internal::add_profile(set, g.name, std::move(source), g.type->name, g.tp, g.bs,
                                           std::move(figures))) {
      return *error;
    }
  }
  return set;
}

Outcome<std::string> synth_hostfile(int gpus_per_type) {
  if (gpus_per_type < 4 || gpus_per_type > 16384) {
    return Error{"GPUs per type: expected a whole number from 4 to 16384 (nodes hold 4 GPUs)"};
  }
  std::string out;
  for (int i = 0; i < gpus_per_type / 4; ++i) out += "0.0.0.1 slots=4\n";
  for (int i = 0; i < gpus_per_type / 4; ++i) out += "0.0.0.4 slots=4\n";
  return out;
}

std::string reference_clusterfile() {
  return R"({
  "0.0.0.1": {"instance_type": "V100", "inter_bandwidth": 10, "intra_bandwidth": 50, "memory": 16},
  "0.0.0.2": {"instance_type": "P100", "inter_bandwidth": 10, "intra_bandwidth": 50, "memory": 15},
  "0.0.0.3": {"instance_type": "T4", "inter_bandwidth": 10, "intra_bandwidth": 50, "memory": 15},
  "0.0.0.4": {"instance_type": "A100", "inter_bandwidth": 10, "intra_bandwidth": 46, "memory": 80}
}
)";
}

Outcome<Case> published_table_case(const PublishedTableRow& row) {
  CaseArgs args;
  args.model_name = "GPT";
  args.model.num_layers = row.layers;
  args.bounds.gbs = 128;
  args.bounds.max_tp = 128;
  args.bounds.max_bs = 128;
  args.bounds.scale_variance = 1;
  args.bounds.max_permute_len = 128;
  auto hostfile = synth_hostfile(row.gpus_per_type);
  if (!hostfile) return hostfile.error();
  return case_with_profiles(
      {"synthetic hostfile", *hostfile}, {"reference clusterfile", reference_clusterfile()},
      [&] {
        return synth_profile_set(row.layers, args.bounds.max_bs, reference_synth_types(),
                                 "synthetic profiles");
      },
      args);
}

}  // namespace hetplan
