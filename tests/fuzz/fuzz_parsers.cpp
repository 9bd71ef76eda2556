// libFuzzer target for the text readers: hostfile, clusterfile, profile files, args and case JSON. The first
// byte picks the reader; the rest is its input. Any outcome is fine except a crash, a hang or a sanitizer
// report.
#include <cstddef>
#include <cstdint>
#include <string>

#include "hetplan/json_api.hpp"
#include "hetplan/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 5) {
    case 0:
      (void)hetplan::parse_hostfile(text, "hostfile");
      break;
    case 1:
      (void)hetplan::parse_clusterfile(text, "clusterfile.json");
      break;
    case 2: {
      // A file name and a body, split at the first newline.
      const auto nl = text.find('\n');
      std::string name = nl == std::string::npos ? text : text.substr(0, nl);
      std::string body = nl == std::string::npos ? "" : text.substr(nl + 1);
      (void)hetplan::parse_profiles({{name, body}}, "profiles");
      break;
    }
    case 3:
      (void)hetplan::parse_case_args(text, "args.json");
      break;
    default: {
      auto c = hetplan::case_from_json(text, "case.json");
      if (c) (void)hetplan::case_summary_json_text(*c);
      (void)hetplan::synthetic_case_json(text);
      break;
    }
  }
  return 0;
}
