#include <gtest/gtest.h>

#include "shrewd/common/error.hpp"
#include "shrewd/eval/relevance.hpp"
#include "test_helpers.hpp"

namespace shrewd::eval {
namespace {

using testing::single;

TEST(ClassRelevance, RelevantMeansSameClassAndGainComesFromTheMatrix) {
  const Labels q = single({1}), db = single({0, 1, 2});
  const ClassRelevance relevance(q, db, {1.0f, 0.25f, 0.0f, 0.25f, 1.0f, 0.5f, 0.0f, 0.5f, 1.0f}, 3, "s.npy");
  std::vector<std::uint8_t> rel(3);
  std::vector<float> gain(3);
  relevance.judge_all(0, rel, gain);
  EXPECT_EQ(rel, (std::vector<std::uint8_t>{0, 1, 0}));
  EXPECT_EQ(gain, (std::vector<float>{0.25f, 1.0f, 0.5f}));
}

TEST(ClassRelevance, IdealGainsTakeTheMostSimilarClassesFirstAndSaturate) {
  const Labels q = single({0}), db = single({1, 0, 1, 2, 0});
  const ClassRelevance relevance(q, db, {1.0f, 0.5f, 0.2f, 0.5f, 1.0f, 0.0f, 0.2f, 0.0f, 1.0f}, 3, "s.npy");
  std::vector<double> ideal(7);
  relevance.ideal_gains(0, -1, ideal);
  const std::vector<double> expected = {1.0, 2.0, 2.5, 3.0, 3.2, 3.2, 3.2};
  for (std::size_t k = 0; k < 7; ++k) EXPECT_NEAR(ideal[k], expected[k], 1e-6) << k;
  // Leaving out database item 1 (class 0) removes one gain of 1.
  relevance.ideal_gains(0, 1, ideal);
  EXPECT_NEAR(ideal[0], 1.0, 1e-7);
  EXPECT_NEAR(ideal[1], 1.5, 1e-7);
  EXPECT_NEAR(ideal[3], 2.2, 1e-7);
  EXPECT_NEAR(ideal[6], 2.2, 1e-7);
}

TEST(ClassRelevance, WithoutAMatrixGainEqualsRelevance) {
  const Labels q = single({2}), db = single({2, 0, 2});
  const ClassRelevance relevance(q, db);
  std::vector<std::uint8_t> rel(3);
  std::vector<float> gain(3);
  relevance.judge_all(0, rel, gain);
  EXPECT_EQ(gain, (std::vector<float>{1.0f, 0.0f, 1.0f}));
  EXPECT_EQ(relevance.class_count(), 3u);
}

TEST(ClassRelevance, LabelOutsideTheSimilarityMatrixNamesTheLabelsFile) {
  const Labels q = Labels::single({0}, "ql.npy"), db = Labels::single({0, 3}, "dl.npy");
  try {
    ClassRelevance relevance(q, db, std::vector<float>(9, 1.0f), 3, "the similarity matrix sim.npy");
    FAIL() << "no error";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("dl.npy"), std::string::npos) << message;
    EXPECT_NE(message.find("label 3 of item 1"), std::string::npos) << message;
    EXPECT_NE(message.find("sim.npy"), std::string::npos) << message;
  }
}

TEST(Labels, NegativeLabelsAreRejected) {
  EXPECT_THROW(Labels::single({0, -1}, "l.npy"), Error);
}

TEST(Labels, MultiHotValuesMustBeZeroOrOne) {
  EXPECT_THROW(Labels::multi(1, 2, {0, 2}, "m.npy"), Error);
}

TEST(MultiLabelRelevance, SharedLabelIsRelevantAndGainIsJaccard) {
  // query {0, 1}; items {1}, {2}, {0, 1, 2}, {}
  const Labels q = Labels::multi(1, 3, {1, 1, 0});
  const Labels db = Labels::multi(4, 3, {0, 1, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0});
  const MultiLabelRelevance relevance(q, db);
  std::vector<std::uint8_t> rel(4);
  std::vector<float> gain(4);
  relevance.judge_all(0, rel, gain);
  EXPECT_EQ(rel, (std::vector<std::uint8_t>{1, 0, 1, 0}));
  EXPECT_FLOAT_EQ(gain[0], 0.5f);
  EXPECT_FLOAT_EQ(gain[1], 0.0f);
  EXPECT_FLOAT_EQ(gain[2], 2.0f / 3);
  EXPECT_FLOAT_EQ(gain[3], 0.0f);
  std::vector<double> ideal(3);
  relevance.ideal_gains(0, 2, ideal);  // without item 2
  EXPECT_NEAR(ideal[0], 0.5, 1e-7);
  EXPECT_NEAR(ideal[2], 0.5, 1e-7);
}

TEST(MakeRelevance, MixingSingleAndMultiLabelsIsAnError) {
  const Labels q = single({0}), db = Labels::multi(1, 2, {1, 0}, "dl.npy");
  EXPECT_THROW(make_relevance(q, db), Error);
}

}  // namespace
}  // namespace shrewd::eval
