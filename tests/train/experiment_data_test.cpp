#include <gtest/gtest.h>
#include <torch/torch.h>

#include "shrewd/common/error.hpp"
#include "shrewd/train/experiment_data.hpp"

namespace shrewd::train {
namespace {

// 10 items: input row i = (i, -i), label i % 5; no class names.
data::Dataset ten_items() {
  data::Dataset d;
  auto i = torch::arange(10, torch::kFloat);
  d.inputs = torch::stack({i, -i}, 1);
  d.labels = torch::arange(10, torch::kLong).remainder(5);
  d.source = "ten items";
  return d;
}

TEST(RestrictTrainingData, KeepsOnlyTheListedClassesInOrderAndTheClassCount) {
  auto kept = restrict_training_data(ten_items(), {3, 1}, 0, 1);
  EXPECT_TRUE(torch::equal(kept.labels, torch::tensor({1, 3, 1, 3}, torch::kLong)));
  EXPECT_TRUE(torch::equal(kept.inputs.select(1, 0), torch::tensor({1.f, 3.f, 6.f, 8.f})));
  EXPECT_EQ(kept.num_classes(), 5);  // labels keep their meaning for the classifier and the hierarchy
}

TEST(RestrictTrainingData, SubsetIsSeededSortedAndOfTheRequestedSize) {
  auto a = restrict_training_data(ten_items(), {}, 4, 7);
  auto b = restrict_training_data(ten_items(), {}, 4, 7);
  ASSERT_EQ(a.size(), 4);
  EXPECT_TRUE(torch::equal(a.inputs, b.inputs));
  auto order = a.inputs.select(1, 0);
  EXPECT_TRUE(torch::equal(order, std::get<0>(order.sort())));
  EXPECT_EQ(restrict_training_data(ten_items(), {}, 0, 7).size(), 10);
  EXPECT_EQ(restrict_training_data(ten_items(), {2}, 5, 7).size(), 2);  // fewer items than the subset
}

TEST(RestrictTrainingData, BadSettingsNameTheConfigKey) {
  EXPECT_THROW(restrict_training_data(ten_items(), {5}, 0, 1), Error);
  EXPECT_THROW(restrict_training_data(ten_items(), {}, -1, 1), Error);
  auto unlabelled = ten_items();
  unlabelled.labels = at::Tensor();
  try {
    restrict_training_data(unlabelled, {1}, 0, 1);
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("data.train_classes"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace shrewd::train
