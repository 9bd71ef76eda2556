// Turns what the user pointed at (a case folder, a case JSON file, or separate files) into a checked Case.
// File-level errors (missing file or folder) are reported here; content errors come from the core's parsers,
// which name the file, the line or JSON path and what was expected.
#pragma once

#include <filesystem>
#include <string>

#include "hetplan/case.hpp"
#include "hetplan/outcome.hpp"
#include "hetplan/parse.hpp"

namespace hetplan::cli {

// A case folder: hostfile, clusterfile.json, args.json, and profiles/ or synthetic.json (profiles/ wins when
// both exist, as in the golden table1-row1).
Outcome<Case> load_case_folder(const std::filesystem::path& folder);

// The JSON a page exports (see json_api.hpp).
Outcome<Case> load_case_json(const std::filesystem::path& file);

// The reference's own command line: separate hostfile, clusterfile, profile folder and model values.
Outcome<Case> load_case_files(const std::filesystem::path& hostfile, const std::filesystem::path& clusterfile,
                              const std::filesystem::path& profiles, const CaseArgs& args);

}  // namespace hetplan::cli
