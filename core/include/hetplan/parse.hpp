// Readers for the reference's input formats. They take text (the faces do the file I/O) and name the source,
// the line or JSON path and what was expected in every error.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "hetplan/case.hpp"
#include "hetplan/outcome.hpp"

namespace hetplan {

struct TextFile {
  std::string name;  // file name (for profiles: DeviceType.<TYPE>_tp<T>_bs<B>.json)
  std::string text;
};

struct CaseArgs {
  std::string model_name = "GPT";
  ModelConfig model;
  SearchBounds bounds;
  // The values above to take from the profiles instead, where they tell them (make_case does).
  FromProfiles from_profiles;
};

// Sets the values of `args` that args.from_profiles marks to what `facts` tell (a value they do not tell,
// such as a missing model name, stays as it is) and returns those it set.
FromProfiles take_from_profiles(CaseArgs& args, const ProfileFacts& facts);

Outcome<std::vector<HostEntry>> parse_hostfile(std::string_view text, const std::string& source);
Outcome<std::vector<NodeSpec>> parse_clusterfile(std::string_view text, const std::string& source);
Outcome<Cluster> make_cluster(std::vector<HostEntry> hosts, std::vector<NodeSpec> specs,
                              const std::string& hostfile_source, const std::string& clusterfile_source);

// Reads every DeviceType.*.json file, in byte order of their names (the pinned order: the first file gives
// the model-level figures). Files whose names do not match the pattern are an error, not silently skipped.
Outcome<ProfileSet> parse_profiles(std::vector<TextFile> files, const std::string& folder);

// args.json of a case folder (the reference's command-line values).
Outcome<CaseArgs> parse_case_args(std::string_view text, const std::string& source);

// Checks the pieces against each other (layer counts, profiled device types, bounds) and builds the case,
// first taking from the profiles (over the cluster's types) the values given.from_profiles marks.
Outcome<Case> make_case(Cluster cluster, ProfileSet profiles, const CaseArgs& given);

// All of the above from texts, in the order a user would fix them: hostfile, clusterfile, profiles, then the
// checks across them. Each file's name is the source its messages give.
Outcome<Case> case_from_texts(const TextFile& hostfile, const TextFile& clusterfile,
                              std::vector<TextFile> profiles, const std::string& profiles_source,
                              const CaseArgs& args);
// The same with the profiles from `read_profiles` (generated, or read some other way), called once the
// cluster is read, so that messages come in the same order.
Outcome<Case> case_with_profiles(const TextFile& hostfile, const TextFile& clusterfile,
                                 const std::function<Outcome<ProfileSet>()>& read_profiles,
                                 const CaseArgs& args);

}  // namespace hetplan
