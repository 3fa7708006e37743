#include "shrewd/semantics/edit_distance.hpp"

#include <gtest/gtest.h>

namespace shrewd::semantics {
namespace {

TEST(EditDistance, CountsInsertionsDeletionsSubstitutionsAndSwaps) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("dog", "dog"), 0u);
  EXPECT_EQ(edit_distance("dog", "dogs"), 1u);
  EXPECT_EQ(edit_distance("dog", "do"), 1u);
  EXPECT_EQ(edit_distance("dog", "dig"), 1u);
  EXPECT_EQ(edit_distance("dgo", "dog"), 1u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
}

TEST(ClosestNames, ReturnsNearestFirstAndDropsFarOnes) {
  const std::vector<std::string_view> names{"cat", "dog", "dot", "elephant", "doge"};
  const auto closest = closest_names("dgo", names, 2);
  ASSERT_EQ(closest.size(), 2u);
  EXPECT_EQ(closest[0], "dog");
  EXPECT_TRUE(closest_names("zzzzzzzzzzzz", names, 3).empty());
}

}  // namespace
}  // namespace shrewd::semantics
