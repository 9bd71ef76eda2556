// File-system access for the CLI. The core only sees text; these helpers turn paths into text and turn every
// file-level failure (missing, unreadable, a folder where a file was expected) into an error that names the
// path.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "hetplan/outcome.hpp"
#include "hetplan/parse.hpp"

namespace hetplan::cli {

// Success without a value (Outcome needs a type).
struct Done {};

// Reads a whole file. `what` says what the file is for ("hostfile", "clusterfile"), so the message reads
// "cannot read hostfile 'x': No such file or directory".
Outcome<std::string> read_text_file(const std::filesystem::path& path, std::string_view what);

// Reads every regular file of a profile folder, in byte order of the names. Hidden files (".DS_Store", editor
// swap files) are left out; any other file goes to the core, which rejects names that are not profiles.
Outcome<std::vector<TextFile>> read_profile_folder(const std::filesystem::path& folder);

Outcome<Done> write_text_file(const std::filesystem::path& path, std::string_view text);

// Creates the folder (and its parents) if needed.
Outcome<Done> ensure_folder(const std::filesystem::path& folder);

// True for names of the form DeviceType.<TYPE>_tp<T>_bs<B>.json (the files gen-profiles owns).
bool is_profile_file_name(std::string_view name);

}  // namespace hetplan::cli
