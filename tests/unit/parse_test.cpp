// Input readers: what they accept, and the exact message for each kind of malformed input.
#include <gtest/gtest.h>

#include "hetplan/parse.hpp"

namespace hetplan {
namespace {

TEST(Hostfile, AcceptsSlotsPlainCountsCommentsAndBlankLines) {
  auto h = parse_hostfile("0.0.0.1 slots=4\n\n# a comment\n  0.0.0.4 12   # two digits\n", "hostfile");
  ASSERT_TRUE(h.ok()) << h.error().message;
  ASSERT_EQ(h->size(), 2U);
  EXPECT_EQ((*h)[0].ip, "0.0.0.1");
  EXPECT_EQ((*h)[0].gpus, 4);
  EXPECT_EQ((*h)[1].ip, "0.0.0.4");
  EXPECT_EQ((*h)[1].gpus, 12);
}

TEST(Hostfile, AcceptsWindowsLineEndingsAndNoFinalNewline) {
  auto h = parse_hostfile("a slots=2\r\nb slots=8", "hostfile");
  ASSERT_TRUE(h.ok()) << h.error().message;
  EXPECT_EQ((*h)[1].gpus, 8);
}

struct BadInput {
  std::string text;
  std::string message;
};

class BadHostfile : public ::testing::TestWithParam<BadInput> {};

TEST_P(BadHostfile, NamesTheLineAndWhatWasExpected) {
  auto h = parse_hostfile(GetParam().text, "my/hostfile");
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.error().message, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Messages, BadHostfile,
    ::testing::Values(
        BadInput{"", "my/hostfile: no nodes (expected lines 'IP slots=N')"},
        BadInput{"# only a comment\n\n", "my/hostfile: no nodes (expected lines 'IP slots=N')"},
        BadInput{"0.0.0.1 slots=4\n0.0.0.2\n",
                 "my/hostfile:2: expected 'IP slots=N' (or 'IP N'), got '0.0.0.2'"},
        BadInput{"0.0.0.1 slots=0\n",
                 "my/hostfile:1: slots must be a whole number from 1 to 64, got 'slots=0'"},
        BadInput{"0.0.0.1 slots=100\n",
                 "my/hostfile:1: slots must be a whole number from 1 to 64, got 'slots=100'"},
        BadInput{"0.0.0.1 slots=four\n",
                 "my/hostfile:1: slots must be a whole number from 1 to 64, got 'slots=four'"},
        BadInput{"0.0.0.1 -2\n", "my/hostfile:1: slots must be a whole number from 1 to 64, got '-2'"},
        BadInput{"0.0.0.1 slots=4 extra\n",
                 "my/hostfile:1: expected 'IP slots=N' (or 'IP N'), got '0.0.0.1 slots=4 extra'"}));

class BadClusterfile : public ::testing::TestWithParam<BadInput> {};

TEST_P(BadClusterfile, NamesTheJsonPathAndWhatWasExpected) {
  auto c = parse_clusterfile(GetParam().text, "clusterfile.json");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().message, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Messages, BadClusterfile,
    ::testing::Values(
        BadInput{
            "{\"a\": {\"instance_type\": \"A100\",}}",
            "clusterfile.json: not valid JSON (line 1, column 32): syntax error while parsing object key - "
            "unexpected '}'; expected string literal"},
        BadInput{"[]",
                 "clusterfile.json: (top level): expected an object mapping each node IP to its description, "
                 "got []"},
        BadInput{"{\"10.0.0.1\": 5}", "clusterfile.json: \"10.0.0.1\": expected an object, got 5"},
        BadInput{R"({"10.0.0.1": {"instance_type": "A100", "inter_bandwidth": 10, "intra_bandwidth": 46}})",
                 "clusterfile.json: \"10.0.0.1\".memory: missing (expected a number > 0)"},
        BadInput{
            R"({"10.0.0.1": {"instance_type": "A100", "inter_bandwidth": -1, "intra_bandwidth": 46, "memory": 80}})",
            "clusterfile.json: \"10.0.0.1\".inter_bandwidth: expected a number > 0, got -1"},
        BadInput{
            R"({"10.0.0.1": {"instance_type": "A100", "inter_bandwidth": 10, "intra_bandwidth": 0, "memory": 80}})",
            "clusterfile.json: \"10.0.0.1\".intra_bandwidth: expected a number > 0, got 0"},
        BadInput{
            R"({"10.0.0.1": {"instance_type": "A100", "inter_bandwidth": 10, "intra_bandwidth": 4, "memory": "80"}})",
            "clusterfile.json: \"10.0.0.1\".memory: expected a number > 0, got \"80\""},
        BadInput{
            R"({"10.0.0.1": {"instance_type": "", "inter_bandwidth": 10, "intra_bandwidth": 4, "memory": 8}})",
            "clusterfile.json: \"10.0.0.1\".instance_type: expected a non-empty string, got \"\""}));

TEST(Cluster, EveryHostNeedsAClusterfileEntry) {
  auto hosts = parse_hostfile("1.2.3.4 slots=4\n", "hostfile");
  auto specs = parse_clusterfile(R"({"1.2.3.5": {"instance_type": "A100", "inter_bandwidth": 10,
      "intra_bandwidth": 46, "memory": 80}})",
                                 "clusterfile.json");
  ASSERT_TRUE(hosts.ok() && specs.ok());
  auto c = make_cluster(*hosts, *specs, "hostfile", "clusterfile.json");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().message, "hostfile: node 1.2.3.4 is not described in clusterfile.json");
}

TEST(Cluster, TypeMemoryComesFromTheFirstEntryOfThatType) {
  auto hosts = parse_hostfile("b slots=2\na slots=2\n", "hostfile");
  auto specs = parse_clusterfile(
      R"({"a": {"instance_type": "X", "inter_bandwidth": 1, "intra_bandwidth": 2, "memory": 16},
      "b": {"instance_type": "X", "inter_bandwidth": 1, "intra_bandwidth": 2, "memory": 32}})",
      "cf");
  auto c = make_cluster(*hosts, *specs, "hostfile", "cf");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->memory_mb_of_type("X"), 16 * 1024);
  EXPECT_EQ(c->total_gpus(), 4);
  EXPECT_EQ(c->sorted_types(), std::vector<std::string>{"X"});
}

std::string profile(const std::string& times, const std::string& extra = "") {
  return R"({"model": {"parameters": {"parameters_per_layer_bytes": [10, 20, 30]}},
    "execution_time": {"forward_backward_time_ms": 10, "optimizer_time_ms": 2, "batch_generator_time_ms": 1,
                       "layer_compute_total_ms": )" +
         times + R"(}, "execution_memory": {"layer_memory_total_mb": [1, 2, 3]})" + extra + "}";
}

TEST(Profiles, ReadsFilesInByteOrderAndTakesModelFiguresFromTheFirst) {
  std::vector<TextFile> files{{"DeviceType.B_tp1_bs1.json", profile("[1, 2, 3]")},
                              {"DeviceType.A_x_tp2_bs16.json", profile("[2, 2, 2]")}};
  auto p = parse_profiles(files, "prof");
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->types, (std::vector<std::string>{"A_x", "B"}));
  EXPECT_EQ(p->model.source_file, "DeviceType.A_x_tp2_bs16.json");
  EXPECT_EQ(p->model.optimizer_time, 4);
  const ProfileEntry* e = p->find("B", 1, 1);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->layer_time_sum, 6);
  EXPECT_EQ(e->fb_sync, 4);
  EXPECT_EQ(p->find("A_x", 2, 16)->layer_times.size(), 3U);
}

class BadProfile : public ::testing::TestWithParam<std::pair<TextFile, std::string>> {};

TEST_P(BadProfile, NamesTheFileTheFieldAndWhatWasExpected) {
  auto p = parse_profiles({GetParam().first}, "prof");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().message, GetParam().second);
}

INSTANTIATE_TEST_SUITE_P(
    Messages, BadProfile,
    ::testing::Values(
        std::make_pair(
            TextFile{"DeviceType.A100.json", profile("[1]")},
            "prof/DeviceType.A100.json: file name does not match DeviceType.<TYPE>_tp<T>_bs<B>.json (T "
            "and B whole numbers from 1, no leading zeros)"),
        std::make_pair(
            TextFile{"DeviceType.A100_tp01_bs1.json", profile("[1]")},
            "prof/DeviceType.A100_tp01_bs1.json: file name does not match DeviceType.<TYPE>_tp<T>_bs<B>"
            ".json (T and B whole numbers from 1, no leading zeros)"),
        std::make_pair(
            TextFile{"DeviceType.A100_tp1_bs1.json", profile("\"fast\"")},
            "prof/DeviceType.A100_tp1_bs1.json: execution_time.layer_compute_total_ms: expected an array "
            "of at least 1 numbers >= 0, got \"fast\""),
        std::make_pair(
            TextFile{"DeviceType.A100_tp1_bs1.json", profile("[1, -3]")},
            "prof/DeviceType.A100_tp1_bs1.json: execution_time.layer_compute_total_ms[1]: expected a "
            "number >= 0, got -3"),
        std::make_pair(
            TextFile{"DeviceType.A100_tp1_bs1.json", profile("[]")},
            "prof/DeviceType.A100_tp1_bs1.json: execution_time.layer_compute_total_ms: expected an array "
            "of at least 1 numbers >= 0, got []"),
        std::make_pair(
            TextFile{"DeviceType.A100_tp1_bs1.json", "{\"model\": 1"},
            "prof/DeviceType.A100_tp1_bs1.json: not valid JSON (line 1, column 12): syntax error while "
            "parsing object - unexpected end of input; expected '}'"),
        std::make_pair(TextFile{"DeviceType.A100_tp1_bs1.json",
                                R"({"model": {}, "execution_time": {}, "execution_memory": {}})"},
                       "prof/DeviceType.A100_tp1_bs1.json: model.parameters: missing (expected a value)")));

TEST(CaseArgs, ReadsTheReferenceFieldsWithDefaults) {
  auto a = parse_case_args(R"({"num_layers": 10, "gbs": 128, "min_group_scale_variance": 0.5})", "args.json");
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->model.num_layers, 10);
  EXPECT_EQ(a->bounds.gbs, 128);
  EXPECT_EQ(a->bounds.scale_variance, 0.5);
  EXPECT_EQ(a->bounds.max_tp, 128);
  EXPECT_EQ(a->model.hidden_size, 4096);
}

TEST(CaseArgs, BadValuesNameTheField) {
  auto a = parse_case_args(R"({"num_layers": 10, "gbs": "abc"})", "args.json");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().message, "args.json: gbs: expected a whole number from 1 to 16777216, got \"abc\"");
  auto b = parse_case_args(R"({"gbs": 8})", "args.json");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().message, "args.json: num_layers: missing (expected a whole number from 1 to 4096)");
  auto c = parse_case_args(R"({"num_layers": 2.5, "gbs": 8})", "args.json");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().message, "args.json: num_layers: expected a whole number from 1 to 4096, got 2.5");
}

Outcome<Case> small_case(const std::vector<TextFile>& files, int layers) {
  CaseArgs args;
  args.model.num_layers = layers;
  args.bounds.gbs = 8;
  return case_from_texts(
      {"hostfile", "h slots=2\n"},
      {"cf",
       R"({"h": {"instance_type": "A100", "inter_bandwidth": 10, "intra_bandwidth": 46, "memory": 80}})"},
      files, "prof", args);
}

TEST(MakeCase, LayerCountsMustAgree) {
  auto c = small_case({{"DeviceType.A100_tp1_bs1.json", profile("[1, 2, 3]")}}, 4);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(
      c.error().message,
      "prof/DeviceType.A100_tp1_bs1.json: execution_time.layer_compute_total_ms has 3 layers, but num_layers "
      "is 4");
}

TEST(MakeCase, EveryClusterTypeNeedsProfiles) {
  auto c = small_case({{"DeviceType.V100_tp1_bs1.json", profile("[1, 2, 3]")}}, 3);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().message,
            "device type A100 (in the clusterfile) has no profile files DeviceType.A100_tp<T>_bs<B>.json");
}

TEST(MakeCase, FallsBackToTheNextTypeWithATp1Bs1Profile) {
  auto c = small_case({{"DeviceType.A100_tp2_bs1.json", profile("[1, 2, 3]")},
                       {"DeviceType.B_tp1_bs1.json", profile("[1, 2, 3]")}},
                      3);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->balance_type, "B");
  ASSERT_EQ(c->notes.size(), 1U);
  EXPECT_EQ(c->notes[0],
            "the first profile type A100 has no tp1_bs1 profile; layer times are normalised with B tp1_bs1 "
            "instead");
}

// One memory figure per type: nodes of a type that differ are said in a note, naming both.
TEST(MakeCase, NodesOfATypeThatDifferInMemoryAreNoted) {
  CaseArgs args;
  args.model.num_layers = 3;
  args.bounds.gbs = 8;
  auto c = case_from_texts(
      {"hostfile", "h slots=2\ng slots=2\n"},
      {"cf", R"({"h": {"instance_type": "A100", "inter_bandwidth": 10, "intra_bandwidth": 46, "memory": 16},
                 "g": {"instance_type": "A100", "inter_bandwidth": 10, "intra_bandwidth": 46, "memory": 80.5}})"},
      {{"DeviceType.A100_tp1_bs1.json", profile("[1, 2, 3]")}}, "prof", args);
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_EQ(c->notes.size(), 1U);
  EXPECT_EQ(
      c->notes[0],
      "the A100 nodes differ in memory (16 GB at h, 80.5 GB at g); the search takes one figure per type, "
      "the first one's 16 GB");
  EXPECT_TRUE(small_case({{"DeviceType.A100_tp1_bs1.json", profile("[1, 2, 3]")}}, 3)->notes.empty());
}

TEST(MakeCase, NoTp1Bs1AnywhereIsAnError) {
  auto c = small_case({{"DeviceType.A100_tp2_bs1.json", profile("[1, 2, 3]")}}, 3);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(
      c.error().message,
      "no device type has a tp1_bs1 profile; the layer balancer needs one (DeviceType.<TYPE>_tp1_bs1.json)");
}

}  // namespace
}  // namespace hetplan
