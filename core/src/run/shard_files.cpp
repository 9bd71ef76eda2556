// Shard files: one shard of a run written by `hetplan plan --shard I/N --out FILE` on any machine, and the
// files of all N shards checked and merged into the report one run gives.
#include <map>
#include <string>
#include <utility>

#include "api/json_values.hpp"
#include "hetplan/run.hpp"

namespace hetplan {

namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kFormat = "hetplan-shard";
constexpr int kVersion = 1;

// The options a part was run with, as the page's options JSON: what the merge needs to read and print it.
Json options_json(const RunOptions& o) {
  std::string strategies;
  for (const Strategy s : o.strategies)
    strategies += (strategies.empty() ? "" : ",") + std::string(to_string(s));
  return Json{{"strategy", strategies},
              {"cost_model", to_string(o.cost_model)},
              {"top", o.top_k},
              {"launchable_only", o.launchable_only},
              {"shard_index", o.shard_index},
              {"shard_count", o.shard_count}};
}

struct PartHead {
  std::string name;
  RunOptions options;
  std::string fingerprint;
  std::string header;
  Json result;
};

Outcome<PartHead> read_head(const ShardFile& file) {
  const auto fail = [&file](const std::string& what) { return Error{file.name + ": " + what}; };
  auto j = Json::parse(file.text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return fail("not JSON (expected a shard file of hetplan plan --out)");
  const auto format = j.find("format");
  if (format == j.end() || *format != kFormat) {
    return fail(
        "not a shard file (no \"format\": \"hetplan-shard\"; write one with hetplan plan --shard I/N --out "
        "FILE)");
  }
  if (j.value("version", 0) != kVersion) {
    return fail("a shard file of another version of hetplan (version " + j.value("version", Json()).dump() +
                ", this one reads " + std::to_string(kVersion) + ")");
  }
  PartHead head;
  head.name = file.name;
  const auto options = j.find("options");
  const auto fingerprint = j.find("fingerprint");
  const auto header = j.find("header");
  const auto result = j.find("result");
  if (options == j.end() || !options->is_object()) return fail("no \"options\" object");
  if (fingerprint == j.end() || !fingerprint->is_string()) return fail("no \"fingerprint\" text");
  if (header == j.end() || !header->is_string()) return fail("no \"header\" text");
  if (result == j.end()) return fail("no \"result\"");
  auto o = run_options_from_json(options->dump());
  if (!o) return fail(o.error().message);
  head.options = std::move(*o);
  head.fingerprint = fingerprint->get<std::string>();
  head.header = header->get<std::string>();
  head.result = std::move(*result);
  return head;
}

}  // namespace

std::string shard_file_json(const RunReport& report, const RunOptions& options,
                            const std::string& fingerprint, const std::string& header) {
  // The result is spliced in as run_report_json prints it.
  Json head{{"format", kFormat},
            {"version", kVersion},
            {"fingerprint", fingerprint},
            {"options", options_json(options)},
            {"header", header}};
  std::string text = internal::compact(head);
  text.pop_back();  // the closing brace
  return text + ",\"result\":" + run_report_json(report, options).text + "}";
}

Outcome<MergedShards> merge_shard_files(const std::vector<ShardFile>& files) {
  if (files.empty()) return Error{"no shard files to merge"};
  std::vector<PartHead> heads;
  for (const auto& file : files) {
    auto head = read_head(file);
    if (!head) return head.error();
    heads.push_back(std::move(*head));
  }
  const PartHead& first = heads.front();
  const int count = first.options.shard_count;
  std::map<int, const PartHead*> by_shard;
  for (const auto& h : heads) {
    const std::string which = h.name + " (shard " + std::to_string(h.options.shard_index) + " of " +
                              std::to_string(h.options.shard_count) + ")";
    if (h.options.shard_count != count) {
      return Error{which + ": a shard of another split than " + first.name + " (shard " +
                   std::to_string(first.options.shard_index) + " of " + std::to_string(count) + ")"};
    }
    if (h.fingerprint != first.fingerprint) {
      return Error{which + ": another case or other options than " + first.name + " (fingerprint " +
                   h.fingerprint + ", not " + first.fingerprint + ")"};
    }
    const auto [at, added] = by_shard.emplace(h.options.shard_index, &h);
    if (!added)
      return Error{which + ": shard " + std::to_string(h.options.shard_index) + " again (also " +
                   at->second->name + ")"};
  }
  std::string missing;
  for (int i = 0; i < count; ++i) {
    if (!by_shard.contains(i)) missing += (missing.empty() ? "" : ", ") + std::to_string(i);
  }
  if (!missing.empty()) {
    return Error{"shard" + std::string(missing.find(',') == std::string::npos ? " " : "s ") + missing +
                 " of " + std::to_string(count) + " missing (" + std::to_string(heads.size()) + " file" +
                 (heads.size() == 1 ? "" : "s") + " given)"};
  }
  // In shard order, so that the merge is the same whatever order the files came in.
  std::vector<ShardPart> parts;
  parts.reserve(by_shard.size());
  for (const auto& [index, h] : by_shard) parts.push_back({h->result.dump(), h->name, "result"});
  MergedShards merged;
  merged.options = first.options;
  merged.options.shard_index = 0;
  merged.options.shard_count = 1;
  auto report = merge_shard_reports(parts, merged.options);
  if (!report) return report.error();
  merged.report = std::move(*report);
  merged.header = first.header;
  merged.fingerprint = first.fingerprint;
  return merged;
}

}  // namespace hetplan
