// Bad inputs get an Error that names the file at fault; good ones load and agree.
#include <gtest/gtest.h>

#include <cmath>

#include "shrewd/codes/code_npy.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/common/npy.hpp"
#include "shrewd/eval/inputs.hpp"
#include "support/temp_dir.hpp"
#include "test_helpers.hpp"

namespace shrewd::eval {
namespace {

using shrewd::testing::TempDir;
using shrewd::testing::write_bytes;

struct Files {
  TempDir dir;
  EvalPaths paths;

  Files() {
    write_codes(dir / "q.npy", {0x00, 0x0F});
    write_codes(dir / "d.npy", {0x00, 0x01, 0xFF});
    write_labels(dir / "ql.npy", {0, 1});
    write_labels(dir / "dl.npy", {0, 1, 1});
    paths.query_codes = dir / "q.npy";
    paths.database_codes = dir / "d.npy";
    paths.query_labels = dir / "ql.npy";
    paths.database_labels = dir / "dl.npy";
  }
  static void write_codes(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
    write_codes_npy(path, testing::codes8(bytes));
  }
  static void write_labels(const std::filesystem::path& path, const std::vector<std::int64_t>& labels) {
    write_npy<std::int64_t>(path, labels, {labels.size()});
  }
  static void write_matrix(const std::filesystem::path& path, const std::vector<float>& values, std::size_t rows) {
    write_npy<float>(path, values, {rows, values.size() / rows});
  }
};

std::string error_of(const EvalPaths& paths) {
  try {
    load_eval_inputs(paths);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

#define EXPECT_CONTAINS(text, part) EXPECT_NE(std::string(text).find(part), std::string::npos) << (text)

TEST(EvalInputs, GoodFilesLoad) {
  Files f;
  const EvalInputs in = load_eval_inputs(f.paths);
  EXPECT_EQ(in.query_codes.size(), 2u);
  EXPECT_EQ(in.database_codes.size(), 3u);
  EXPECT_FALSE(in.queries_in_database);
}

TEST(EvalInputs, LabelCountDifferentFromCodeCountNamesTheLabelsFile) {
  Files f;
  Files::write_labels(f.dir / "dl.npy", {0, 1});
  const std::string message = error_of(f.paths);
  EXPECT_CONTAINS(message, "dl.npy");
  EXPECT_CONTAINS(message, "has 2 labels but");
  EXPECT_CONTAINS(message, "3 codes");
}

TEST(EvalInputs, DifferentCodeLengthsNameTheDatabaseCodes) {
  Files f;
  CodeMatrix wide(16);
  const std::uint8_t bytes[2] = {0, 0};
  for (int i = 0; i < 3; ++i) wide.append_bytes(bytes);
  write_codes_npy(f.dir / "d.npy", wide);
  const std::string message = error_of(f.paths);
  EXPECT_CONTAINS(message, "d.npy");
  EXPECT_CONTAINS(message, "16 bits");
}

TEST(EvalInputs, LabelOutsideTheSimilarityMatrixIsAnError) {
  Files f;
  Files::write_matrix(f.dir / "sim.npy", {1, 0, 0, 1}, 2);
  Files::write_labels(f.dir / "dl.npy", {0, 1, 2});
  f.paths.similarity = f.dir / "sim.npy";
  const std::string message = error_of(f.paths);
  EXPECT_CONTAINS(message, "dl.npy");
  EXPECT_CONTAINS(message, "label 2 of item 2");
  EXPECT_CONTAINS(message, "sim.npy");
}

TEST(EvalInputs, LabelOutsideTheClassListIsAnError) {
  Files f;
  write_bytes(f.dir / "classes.txt", "0 cat\n1 dog\n");
  Files::write_labels(f.dir / "ql.npy", {0, 5});
  f.paths.classes = f.dir / "classes.txt";
  const std::string message = error_of(f.paths);
  EXPECT_CONTAINS(message, "ql.npy");
  EXPECT_CONTAINS(message, "label 5 of item 1");
  EXPECT_CONTAINS(message, "class list");
}

TEST(EvalInputs, HugeLabelWithoutClassListIsAnErrorNamingFileAndRow) {
  // Once a SIGSEGV (the class count squared wrapped) and 3.6 GB for a label of 30000.
  for (const std::int64_t huge : {std::int64_t{4294967295}, std::int64_t{30000}, std::int64_t{1} << 62}) {
    Files f;
    Files::write_labels(f.dir / "dl.npy", {0, huge, 1});
    const std::string message = error_of(f.paths);
    EXPECT_CONTAINS(message, "dl.npy");
    EXPECT_CONTAINS(message, "label " + std::to_string(huge) + " of item 1");
    EXPECT_CONTAINS(message, "--classes");
  }
  Files f;
  Files::write_labels(f.dir / "ql.npy", {0, 4294967295});
  write_bytes(f.dir / "classes.txt", "0 cat\n1 dog\n");
  f.paths.classes = f.dir / "classes.txt";
  const std::string message = error_of(f.paths);
  EXPECT_CONTAINS(message, "ql.npy");
  EXPECT_CONTAINS(message, "label 4294967295 of item 1");
  EXPECT_CONTAINS(message, "classes.txt");
}

TEST(EvalInputs, LabelsUpToTheDocumentedLimitLoadWithoutClassList) {
  Files f;
  Files::write_labels(f.dir / "dl.npy", {0, 1499, 1});
  const EvalInputs in = load_eval_inputs(f.paths);
  EXPECT_EQ(in.relevance->class_count(), 1500u);
}

TEST(EvalInputs, SimilarityOutsideZeroOneOrNotSquareIsAnError) {
  Files f;
  Files::write_matrix(f.dir / "sim.npy", {1, 2, 0, 1}, 2);
  f.paths.similarity = f.dir / "sim.npy";
  EXPECT_CONTAINS(error_of(f.paths), "in [0, 1]");
  Files::write_matrix(f.dir / "sim.npy", {1, 0, 0, 1, 0, 0}, 2);
  EXPECT_CONTAINS(error_of(f.paths), "square");
}

TEST(EvalInputs, NanFeaturesNameTheFile) {
  Files f;
  Files::write_matrix(f.dir / "qz.npy", std::vector<float>(16, 0.5f), 2);
  std::vector<float> db(24, 0.5f);
  db[9] = std::nanf("");
  Files::write_matrix(f.dir / "dz.npy", db, 3);
  f.paths.query_features = f.dir / "qz.npy";
  f.paths.database_features = f.dir / "dz.npy";
  const std::string message = error_of(f.paths);
  EXPECT_CONTAINS(message, "dz.npy");
  EXPECT_CONTAINS(message, "NaN");
}

TEST(EvalInputs, FeatureShapeMustMatchTheCodes) {
  Files f;
  Files::write_matrix(f.dir / "qz.npy", std::vector<float>(16, 0.5f), 2);
  Files::write_matrix(f.dir / "dz.npy", std::vector<float>(16, 0.5f), 2);
  f.paths.query_features = f.dir / "qz.npy";
  f.paths.database_features = f.dir / "dz.npy";
  EXPECT_CONTAINS(error_of(f.paths), "dz.npy: has 2 rows but");
  Files::write_matrix(f.dir / "dz.npy", std::vector<float>(12, 0.5f), 3);
  EXPECT_CONTAINS(error_of(f.paths), "4 columns but the codes have 8 bits");
  f.paths.database_features.clear();
  EXPECT_CONTAINS(error_of(f.paths), "needs both");
}

TEST(EvalInputs, SameFilesMeanTheQueriesAreDatabaseItems) {
  Files f;
  f.paths.query_codes = f.paths.database_codes;
  f.paths.query_labels = f.paths.database_labels;
  EXPECT_TRUE(load_eval_inputs(f.paths).queries_in_database);
}

TEST(EvalInputs, QueriesInDatabaseFlagChecksThatTheLabelsAgree) {
  Files f;
  Files::write_codes(f.dir / "q.npy", {0x00, 0x01});
  Files::write_labels(f.dir / "ql.npy", {0, 0});
  f.paths.queries_in_database = true;
  const std::string message = error_of(f.paths);
  EXPECT_CONTAINS(message, "ql.npy");
  EXPECT_CONTAINS(message, "query 1");
  Files::write_labels(f.dir / "ql.npy", {0, 1});
  EXPECT_TRUE(load_eval_inputs(f.paths).queries_in_database);
}

TEST(EvalInputs, HierarchyGivesLcsHeightSimilarities) {
  Files f;
  // root -> animal -> {cat, dog}; root -> car. height(root) = 2; cat-dog meet at animal (height 1).
  write_bytes(f.dir / "tree.txt", "root animal\nanimal cat\nanimal dog\nroot car\n");
  write_bytes(f.dir / "classes.txt", "0 cat\n1 dog\n2 car\n");
  Files::write_labels(f.dir / "dl.npy", {0, 1, 2});
  f.paths.hierarchy = f.dir / "tree.txt";
  f.paths.classes = f.dir / "classes.txt";
  const EvalInputs in = load_eval_inputs(f.paths);
  std::vector<std::uint8_t> rel(3);
  std::vector<float> gain(3);
  in.relevance->judge_all(0, rel, gain);  // query 0 is a cat
  EXPECT_EQ(rel, (std::vector<std::uint8_t>{1, 0, 0}));
  EXPECT_FLOAT_EQ(gain[0], 1.0f);
  EXPECT_FLOAT_EQ(gain[1], 0.5f);
  EXPECT_FLOAT_EQ(gain[2], 0.0f);
  EXPECT_EQ(in.class_names, (std::vector<std::string>{"cat", "dog", "car"}));
  EXPECT_EQ(in.class_similarity, (std::vector<float>{1.0f, 0.5f, 0.0f, 0.5f, 1.0f, 0.0f, 0.0f, 0.0f, 1.0f}));
}

TEST(EvalInputs, HierarchyWithoutClassListOrWithSimilarityIsAnError) {
  Files f;
  f.paths.hierarchy = f.dir / "tree.txt";
  EXPECT_CONTAINS(error_of(f.paths), "needs --classes");
  f.paths.similarity = f.dir / "sim.npy";
  EXPECT_CONTAINS(error_of(f.paths), "not both");
}

TEST(EvalInputs, MultiLabelMatrixWithBadValuesNamesTheFile) {
  Files f;
  write_npy<std::uint8_t>(f.dir / "dl.npy", std::vector<std::uint8_t>{1, 0, 0, 3, 1, 1}, {3, 2});
  const std::string message = error_of(f.paths);
  EXPECT_CONTAINS(message, "dl.npy");
}

}  // namespace
}  // namespace shrewd::eval
