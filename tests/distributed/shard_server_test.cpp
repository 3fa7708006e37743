#include <gtest/gtest.h>

#include <thread>

#include "../index/search_reference.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/distributed/shard_client.hpp"
#include "shrewd/distributed/shard_server.hpp"
#include "shrewd/index/flat_index.hpp"
#include "shrewd/index/shard_set.hpp"
#include "support/serving_thread.hpp"

namespace shrewd::distributed {
namespace {

// A ShardServer on a free loopback port, served by a thread for the test's lifetime.
class RunningServer {
 public:
  RunningServer(std::shared_ptr<const BinaryIndex> index, ShardIdentity identity)
      : server_(std::move(index), std::move(identity), ShardServerOptions{}), serving_(server_) {}
  void stop() { serving_.stop(); }
  ShardAddress address() const { return {"127.0.0.1", serving_.port()}; }

 private:
  ShardServer server_;
  testing::ServingThread serving_;
};

std::shared_ptr<const BinaryIndex> flat(const CodeMatrix& codes, std::uint64_t first_id) {
  std::vector<std::uint64_t> ids(codes.size());
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = first_id + i;
  return std::make_shared<FlatIndex>(CodeMatrix(codes), ids);
}

TEST(ShardServer, RemoteShardsAnswerExactlyAsTheLocalIndexes) {
  const CodeMatrix a = testing::clustered_codes(64, 300, 4, 0.1, 1), b = testing::clustered_codes(64, 200, 4, 0.1, 2);
  const CodeMatrix queries = testing::clustered_codes(64, 9, 4, 0.1, 3);
  const auto index_a = flat(a, 0), index_b = flat(b, 300);
  RunningServer server_a(index_a, {"a.shx", 64, 300, 0x1234abcd}), server_b(index_b, {"b.shx", 64, 200, 7});

  const RemoteShard remote_a(server_a.address());
  EXPECT_EQ(remote_a.identity().name, "a.shx");
  EXPECT_EQ(remote_a.identity().checksum, 0x1234abcdu);
  EXPECT_EQ(remote_a.size(), 300u);
  EXPECT_EQ(remote_a.bits(), 64u);
  const KnnResult want = index_a->search(queries, 12), got = remote_a.search(queries, 12);
  EXPECT_EQ(got.ids, want.ids);
  EXPECT_EQ(got.distances, want.distances);
  const RadiusResult want_r = index_a->range_search(queries, 20), got_r = remote_a.range_search(queries, 20);
  EXPECT_EQ(got_r.offsets, want_r.offsets);
  EXPECT_EQ(got_r.ids, want_r.ids);

  std::vector<NamedShard> shards;
  shards.push_back({"a", std::make_unique<RemoteShard>(server_a.address())});
  shards.push_back({"b", std::make_unique<RemoteShard>(server_b.address())});
  const ShardedIndex sharded(std::move(shards));
  CodeMatrix all(64);
  all.append(a);
  all.append(b);
  const FlatIndex whole(all.span());
  const KnnResult merged = sharded.search(queries, 25), whole_knn = whole.search(queries, 25);
  EXPECT_EQ(merged.ids, whole_knn.ids);
  EXPECT_EQ(merged.distances, whole_knn.distances);
}

TEST(ShardServer, WrongQueriesGetAnErrorStatusAndAStoppedServerNoAnswer) {
  const CodeMatrix codes = testing::random_codes(64, 50, 4);
  RunningServer server(flat(codes, 0), {"s.shx", 64, 50, 1});
  const RemoteShard remote(server.address(), {1, 5});
  const CodeMatrix wrong_bits = testing::random_codes(128, 2, 5);
  try {
    remote.search(wrong_bits, 3);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(server.address().text()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("status 400"), std::string::npos) << e.what();
  }
  server.stop();
  try {
    remote.search(testing::random_codes(64, 2, 6), 3);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(server.address().text()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("no answer"), std::string::npos) << e.what();
  }
  EXPECT_THROW(RemoteShard(server.address(), {1, 5}), Error);
}

TEST(ShardAddresses, ParsesHostPortListsAndRejectsMalformedEntries) {
  const auto addresses = parse_shard_addresses("127.0.0.1:7001,node-2:80", "--shards");
  ASSERT_EQ(addresses.size(), 2u);
  EXPECT_EQ(addresses[0].host, "127.0.0.1");
  EXPECT_EQ(addresses[0].port, 7001);
  EXPECT_EQ(addresses[1].text(), "node-2:80");
  for (const char* bad : {"", "host", "host:", ":80", "h:0", "h:70000", "h:1,", "h:1x"})
    EXPECT_THROW(parse_shard_addresses(bad, "--shards"), Error) << bad;
}

}  // namespace
}  // namespace shrewd::distributed
