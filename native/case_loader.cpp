#include "case_loader.hpp"

#include <system_error>
#include <utility>
#include <vector>

#include "files.hpp"
#include "hetplan/json_api.hpp"
#include "hetplan/synth.hpp"

namespace hetplan::cli {

namespace fs = std::filesystem;

Outcome<Case> load_case_folder(const fs::path& folder) {
  std::error_code ec;
  if (!fs::exists(folder, ec)) return Error{"case folder '" + folder.string() + "' does not exist"};
  if (!fs::is_directory(folder, ec)) return Error{"case folder '" + folder.string() + "' is not a folder"};

  const fs::path hostfile = folder / "hostfile";
  const fs::path clusterfile = folder / "clusterfile.json";
  const fs::path args_file = folder / "args.json";
  const fs::path profiles_dir = folder / "profiles";
  const fs::path synthetic = folder / "synthetic.json";

  auto hostfile_text = read_text_file(hostfile, "hostfile");
  if (!hostfile_text) return hostfile_text.error();
  auto clusterfile_text = read_text_file(clusterfile, "clusterfile");
  if (!clusterfile_text) return clusterfile_text.error();
  auto args_text = read_text_file(args_file, "args file");
  if (!args_text) return args_text.error();

  auto args = parse_case_args(*args_text, args_file.string());
  const TextFile hostfile_file{hostfile.string(), *hostfile_text};
  const TextFile clusterfile_file{clusterfile.string(), *clusterfile_text};
  if (fs::is_directory(profiles_dir, ec)) {
    auto files = read_profile_folder(profiles_dir);
    if (!files) return files.error();
    if (!args) return args.error();
    return case_from_texts(hostfile_file, clusterfile_file, std::move(*files), profiles_dir.string(), *args);
  }
  if (fs::exists(synthetic, ec)) {
    auto text = read_text_file(synthetic, "synthetic profile spec");
    if (!text) return text.error();
    auto set = synthetic_profile_set_json(*text, synthetic.string(), synthetic.string());
    if (!set) return set.error();
    if (!args) return args.error();
    set = with_layers_of_args(std::move(set), synthetic.string(), args_file.string(), args->model.num_layers);
    if (!set) return set.error();
    return case_with_profiles(
        hostfile_file, clusterfile_file, [&] { return std::move(*set); }, *args);
  }
  return Error{"case folder '" + folder.string() + "' has neither a profiles/ folder nor synthetic.json"};
}

Outcome<Case> load_case_json(const fs::path& file) {
  auto text = read_text_file(file, "case JSON");
  if (!text) return text.error();
  return case_from_json(*text, file.string());
}

Outcome<Case> load_case_files(const fs::path& hostfile, const fs::path& clusterfile, const fs::path& profiles,
                              const CaseArgs& args) {
  auto hostfile_text = read_text_file(hostfile, "hostfile");
  if (!hostfile_text) return hostfile_text.error();
  auto clusterfile_text = read_text_file(clusterfile, "clusterfile");
  if (!clusterfile_text) return clusterfile_text.error();
  auto files = read_profile_folder(profiles);
  if (!files) return files.error();
  return case_from_texts({hostfile.string(), *hostfile_text}, {clusterfile.string(), *clusterfile_text},
                         std::move(*files), profiles.string(), args);
}

}  // namespace hetplan::cli
