// The values a case takes from its profiles when the user leaves them out: the page's rule for measured
// profiles loaded without args.json (web/profile-facts.js, profileFacts and argsOverProfiles), in one place
// for the faces that read files.
#include "hetplan/profile_facts.hpp"

#include <algorithm>

#include "hetplan/parse.hpp"

namespace hetplan {

ProfileFacts profile_facts(const ProfileSet& profiles, const std::vector<std::string>& types) {
  ProfileFacts facts;
  facts.model_name = profiles.model.name;
  facts.num_layers = profiles.model.num_layers;
  for (const auto& type : types) {
    const auto of_type = profiles.entries.find(type);
    if (of_type == profiles.entries.end()) continue;  // make_case names the type without profiles
    for (const auto& [key, entry] : of_type->second) {
      facts.max_tp = std::max(facts.max_tp, key.first);
      facts.max_bs = std::max(facts.max_bs, key.second);
    }
  }
  return facts;
}

FromProfiles take_from_profiles(CaseArgs& args, const ProfileFacts& facts) {
  const FromProfiles& wanted = args.from_profiles;
  FromProfiles taken;
  if (wanted.model_name && !facts.model_name.empty()) {
    args.model_name = facts.model_name;
    taken.model_name = true;
  }
  if (wanted.num_layers && facts.num_layers > 0) {
    args.model.num_layers = facts.num_layers;
    taken.num_layers = true;
  }
  if (wanted.max_tp && facts.max_tp > 0) {
    args.bounds.max_tp = facts.max_tp;
    taken.max_tp = true;
  }
  if (wanted.max_bs && facts.max_bs > 0) {
    args.bounds.max_bs = facts.max_bs;
    taken.max_bs = true;
  }
  return taken;
}

}  // namespace hetplan
