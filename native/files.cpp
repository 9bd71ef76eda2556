#include "files.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <system_error>

namespace hetplan::cli {

namespace fs = std::filesystem;

namespace {

// A profile is a few kilobytes; a clusterfile or case JSON a few megabytes at most. The cap keeps a mistaken
// path (a disk image, /dev/zero) from eating all memory.
constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t{256} * 1024 * 1024;

// Built with append: GCC 12 warns (-Wrestrict, a false positive) on "'" + s + "'" at -O2.
std::string quoted(const fs::path& p) {
  std::string s(1, '\'');
  s.append(p.string());
  s.push_back('\'');
  return s;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

}  // namespace

Outcome<std::string> read_text_file(const fs::path& path, std::string_view what) {
  const std::string prefix = "cannot read " + std::string(what) + " " + quoted(path) + ": ";
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) return Error{prefix + "no such file"};
  if (fs::is_directory(status)) return Error{prefix + "it is a folder, expected a file"};
  if (fs::is_regular_file(status)) {
    const auto size = fs::file_size(path, ec);
    if (!ec && size > kMaxFileBytes) return Error{prefix + "larger than 256 MB"};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{prefix + std::strerror(errno)};
  std::string text;
  // Read in chunks so a special file without a size still stops at the cap.
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxFileBytes) return Error{prefix + "larger than 256 MB"};
  }
  if (in.bad()) return Error{prefix + "read error"};
  return text;
}

Outcome<std::vector<TextFile>> read_profile_folder(const fs::path& folder) {
  const std::string prefix = "cannot read profile folder " + quoted(folder) + ": ";
  std::error_code ec;
  const auto status = fs::status(folder, ec);
  if (ec || !fs::exists(status)) return Error{prefix + "no such folder"};
  if (!fs::is_directory(status)) return Error{prefix + "it is not a folder"};

  std::vector<fs::path> paths;
  fs::directory_iterator it(folder, ec);
  if (ec) return Error{prefix + ec.message()};
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) return Error{prefix + ec.message()};
    const std::string name = it->path().filename().string();
    if (name.empty() || name.front() == '.') continue;
    std::error_code type_ec;
    if (!it->is_regular_file(type_ec)) continue;  // sub-folders are not profiles; the core never sees them
    paths.push_back(it->path());
  }
  if (ec) return Error{prefix + ec.message()};
  if (paths.empty()) return Error{prefix + "it holds no profile files (DeviceType.<TYPE>_tp<T>_bs<B>.json)"};
  // Byte order of the names: the pinned order (the core sorts too; sorting here keeps reading reproducible).
  std::sort(paths.begin(), paths.end(), [](const fs::path& a, const fs::path& b) {
    return a.filename().string() < b.filename().string();
  });

  std::vector<TextFile> files;
  files.reserve(paths.size());
  for (const auto& p : paths) {
    auto text = read_text_file(p, "profile");
    if (!text) return text.error();
    files.push_back(TextFile{p.filename().string(), std::move(*text)});
  }
  return files;
}

Outcome<Done> write_text_file(const fs::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Error{"cannot write " + quoted(path) + ": " + std::strerror(errno)};
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) return Error{"cannot write " + quoted(path) + ": write failed"};
  return Done{};
}

Outcome<Done> ensure_folder(const fs::path& folder) {
  std::error_code ec;
  if (fs::is_directory(folder, ec)) return Done{};
  if (fs::exists(folder, ec))
    return Error{"cannot use " + quoted(folder) + " as output folder: it is a file"};
  fs::create_directories(folder, ec);
  if (ec) return Error{"cannot create folder " + quoted(folder) + ": " + ec.message()};
  return Done{};
}

bool is_profile_file_name(std::string_view name) {
  constexpr std::string_view kPrefix = "DeviceType.";
  constexpr std::string_view kSuffix = ".json";
  if (name.size() <= kPrefix.size() + kSuffix.size() || !name.starts_with(kPrefix) ||
      !name.ends_with(kSuffix)) {
    return false;
  }
  std::string_view middle = name.substr(kPrefix.size(), name.size() - kPrefix.size() - kSuffix.size());
  const auto bs = middle.rfind("_bs");
  if (bs == std::string_view::npos || !all_digits(middle.substr(bs + 3))) return false;
  middle = middle.substr(0, bs);
  const auto tp = middle.rfind("_tp");
  return tp != std::string_view::npos && tp > 0 && all_digits(middle.substr(tp + 3));
}

}  // namespace hetplan::cli
