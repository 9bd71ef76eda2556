// The parsers of args.json and the clusterfile on values already parsed as JSON: the case JSON holds them as
// objects, which are read as they are rather than printed and parsed again. The text parsers (parse.hpp)
// parse, then call these.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "hetplan/case.hpp"
#include "hetplan/parse.hpp"
#include "input/json_util.hpp"

namespace hetplan::internal {

Outcome<CaseArgs> case_args_from_json(const Json& root, const std::string& source);
Outcome<std::vector<NodeSpec>> clusterfile_from_json(const Json& root, const std::string& source);

// A case from its parts: the hostfile's text, the clusterfile's node specs (or why they could not be read),
// the profiles (read once the cluster is known good) and the args.
Outcome<Case> case_from_parts(const TextFile& hostfile, Outcome<std::vector<NodeSpec>> specs,
                              const std::string& clusterfile_name,
                              const std::function<Outcome<ProfileSet>()>& read_profiles,
                              const CaseArgs& args);

// A case JSON already parsed (case_from_json parses, then calls this).
Outcome<Case> case_from_json_value(const Json& root, const std::string& source);

}  // namespace hetplan::internal
