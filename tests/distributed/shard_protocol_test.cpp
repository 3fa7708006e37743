#include <gtest/gtest.h>

#include "../index/search_reference.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/distributed/shard_protocol.hpp"
#include "shrewd/index/flat_index.hpp"

namespace shrewd::distributed {
namespace {

TEST(ShardProtocol, CodesKnnAndRadiusAnswersSurviveTheRoundTrip) {
  const CodeMatrix db = testing::random_codes(72, 60, 1);  // 72 bits: two words, padding in the second
  const CodeMatrix queries = testing::random_codes(72, 5, 2);
  const CodeMatrix decoded = decode_codes(encode_codes(queries), 72, "body");
  ASSERT_EQ(decoded.size(), queries.size());
  EXPECT_EQ(decoded.packed_bytes(), queries.packed_bytes());

  const FlatIndex index(db.span());
  const KnnResult knn = index.search(queries, 7);
  const KnnResult knn_back = decode_knn(encode_knn(knn), 5, 7, "shard");
  EXPECT_EQ(knn_back.ids, knn.ids);
  EXPECT_EQ(knn_back.distances, knn.distances);

  const RadiusResult radius = index.range_search(queries, 33);
  const RadiusResult radius_back = decode_radius(encode_radius(radius), 5, "shard");
  EXPECT_EQ(radius_back.offsets, radius.offsets);
  EXPECT_EQ(radius_back.ids, radius.ids);
  EXPECT_EQ(radius_back.distances, radius.distances);
}

TEST(ShardProtocol, TruncatedLongOrMismatchedAnswersAreErrorsNamingTheShard) {
  const CodeMatrix db = testing::random_codes(64, 30, 3);
  const CodeMatrix queries = testing::random_codes(64, 4, 4);
  const FlatIndex index(db.span());
  const std::string knn = encode_knn(index.search(queries, 3));
  for (const std::string& body : {knn.substr(0, knn.size() - 1), knn + "x", std::string()}) {
    try {
      decode_knn(body, 4, 3, "shard server h:1");
      FAIL() << "no error for a body of " << body.size() << " bytes";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("shard server h:1"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(decode_knn(knn, 5, 3, "s"), Error);  // answers another number of queries
  EXPECT_THROW(decode_knn(knn, 4, 2, "s"), Error);
  const std::string radius = encode_radius(index.range_search(queries, 30));
  EXPECT_THROW(decode_radius(radius.substr(0, radius.size() - 4), 4, "s"), Error);
  EXPECT_THROW(decode_radius(radius, 3, "s"), Error);
}

TEST(ShardProtocol, QueryBodiesOfPartialCodesOrNonzeroPaddingAreRejected) {
  const CodeMatrix queries = testing::random_codes(56, 3, 5);
  std::string body = encode_codes(queries);
  EXPECT_THROW(decode_codes(body.substr(0, 12), 56, "body"), Error);
  body[7] = char(0xff);  // the eighth byte of a 56-bit code is padding
  EXPECT_THROW(decode_codes(body, 56, "body"), Error);
  EXPECT_THROW(decode_codes(encode_codes(queries), 57, "body"), Error);
}

}  // namespace
}  // namespace shrewd::distributed
