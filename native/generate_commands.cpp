// `hetplan gen-profiles` and `hetplan gen-hostfile`: write the synthetic inputs of the published experiments
// to disk, byte for byte what the core's generators produce (the same text the planner uses in memory).
#include <cmath>
#include <filesystem>
#include <iostream>
#include <system_error>
#include <vector>

#include "commands.hpp"
#include "files.hpp"
#include "hetplan/synth.hpp"

namespace hetplan::cli {

namespace fs = std::filesystem;

namespace {

Outcome<SynthType> parse_type(const std::string& text) {
  const auto eq = text.find('=');
  const std::string bad = "--type '" + text + "': expected NAME=FACTOR with a positive FACTOR";
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) return Error{bad};
  SynthType t;
  t.name = text.substr(0, eq);
  try {
    std::size_t used = 0;
    const std::string factor = text.substr(eq + 1);
    t.time_factor = std::stod(factor, &used);
    if (used != factor.size()) return Error{bad};
  } catch (const std::exception&) {
    return Error{bad};
  }
  if (!std::isfinite(t.time_factor) || t.time_factor <= 0) return Error{bad};
  if (t.name.find_first_of("/\\") != std::string::npos)
    return Error{"--type '" + text + "': a name may not hold '/'"};
  return t;
}

// The reference generator empties the folder first. We only remove what we own (profile files), so a stale
// profile from a larger --max-bs cannot mix into the new set while other files stay untouched.
Outcome<int> remove_old_profiles(const fs::path& folder) {
  int removed = 0;
  std::error_code ec;
  std::vector<fs::path> old;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    if (is_profile_file_name(it->path().filename().string()) && it->is_regular_file(ec))
      old.push_back(it->path());
  }
  if (ec) return Error{"cannot list '" + folder.string() + "': " + ec.message()};
  for (const auto& p : old) {
    if (!fs::remove(p, ec) || ec)
      return Error{"cannot remove old profile '" + p.string() + "': " + ec.message()};
    ++removed;
  }
  return removed;
}

}  // namespace

int run_gen_profiles(const GenProfilesOptions& options) {
  std::vector<SynthType> types;
  if (options.types.empty()) {
    types = reference_synth_types();
  } else {
    for (const auto& text : options.types) {
      auto t = parse_type(text);
      if (!t) return usage_error(t.error().message);
      types.push_back(std::move(*t));
    }
  }
  auto files = synth_profile_files(options.layers, options.max_bs, types);
  if (!files) return usage_error(files.error().message);

  const fs::path folder(options.out);
  if (auto ok = ensure_folder(folder); !ok) return usage_error(ok.error().message);
  auto removed = remove_old_profiles(folder);
  if (!removed) return usage_error(removed.error().message);
  for (const auto& f : *files) {
    if (auto ok = write_text_file(folder / f.name, f.text); !ok) return usage_error(ok.error().message);
  }
  std::cout << "wrote " << files->size() << " profile files to " << folder.string();
  if (*removed > 0) std::cout << " (removed " << *removed << " old ones)";
  std::cout << '\n';
  return kExitOk;
}

int run_gen_hostfile(const GenHostfileOptions& options) {
  auto text = synth_hostfile(options.gpus_per_type);
  if (!text) return usage_error(text.error().message);
  if (options.out.empty()) {
    std::cout << *text << std::flush;
    return kExitOk;
  }
  if (auto ok = write_text_file(options.out, *text); !ok) return usage_error(ok.error().message);
  std::cout << "wrote " << options.out << '\n';
  return kExitOk;
}

}  // namespace hetplan::cli
