#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "../index/search_reference.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/distributed/shard_client.hpp"
#include "shrewd/distributed/shard_protocol.hpp"
#include "shrewd/distributed/shard_server.hpp"
#include "shrewd/index/flat_index.hpp"
#include "shrewd/index/shard_set.hpp"
#include "support/serving_thread.hpp"
#include "support/slow_client.hpp"

namespace shrewd::distributed {
namespace {

RemoteShardOptions timeouts(int connect_s, int call_s) {
  RemoteShardOptions options;
  options.connect_timeout_s = connect_s;
  options.timeout_s = call_s;
  return options;
}

// A ShardServer on a free loopback port, served by a thread for the test's lifetime.
class RunningServer {
 public:
  RunningServer(std::shared_ptr<const BinaryIndex> index, ShardIdentity identity, ShardServerOptions options = {})
      : server_(std::move(index), std::move(identity), std::move(options)), serving_(server_) {}
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
  const RemoteShard remote(server.address(), timeouts(1, 5));
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
  EXPECT_THROW(RemoteShard(server.address(), timeouts(1, 5)), Error);
}

TEST(ShardServer, HugeKIsClampedOrRefusedNeverACrash) {
  const CodeMatrix codes = testing::random_codes(64, 50, 4);
  const auto index = flat(codes, 0);
  RunningServer server(index, {"s.shx", 64, 50, 1});
  httplib::Client client("127.0.0.1", server.address().port);
  const std::string four = encode_codes(testing::random_codes(64, 4, 5));
  // 4 * 2^62 wraps to 0: this request killed the server
  auto result = client.Post("/knn?bits=64&k=4611686018427387904", four, "application/octet-stream");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200) << result->body;  // k is clamped to the 50 live codes
  const KnnResult clamped = decode_knn(result->body, 4, 50, "test");
  const KnnResult want = index->search(testing::random_codes(64, 4, 5), 50);
  EXPECT_EQ(clamped.ids, want.ids);
  // still alive, and a client asking for more than the shard holds gets all of it
  const RemoteShard remote(server.address());
  const KnnResult padded = remote.search(testing::random_codes(64, 4, 5), 100000000);
  EXPECT_EQ(padded.k, 50u);
  EXPECT_EQ(padded.ids, want.ids);
  // a server limit on results per request: 413 with the reason
  const CodeMatrix many = testing::random_codes(64, 100000, 6);  // 5M results > the default 4M
  result = client.Post("/knn?bits=64&k=50", encode_codes(many), "application/octet-stream");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 413) << result->body;
  EXPECT_NE(result->body.find("--max-results"), std::string::npos) << result->body;
  result = client.Post("/radius?bits=64&radius=64", encode_codes(many), "application/octet-stream");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 413) << result->body;
}

// A "shard server" that accepts one connection and answers one byte every 300 ms, for ~8 s.
class TricklingServer {
 public:
  TricklingServer() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&address), length);
    ::listen(listener_, 4);
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] {
      const int connection = ::accept(listener_, nullptr, nullptr);
      const std::string answer = "HTTP/1.1 200 OK\r\nX-Slow: " + std::string(100, 'a');
      for (std::size_t i = 0; i < answer.size() && !done_; ++i) {
        if (::send(connection, &answer[i], 1, MSG_NOSIGNAL) != 1) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        if (i > 26) break;
      }
      ::close(connection);
    });
  }
  ~TricklingServer() {
    done_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    thread_.join();
    ::close(listener_);
  }
  int port() const { return port_; }

 private:
  int listener_ = -1, port_ = 0;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

TEST(ShardServer, TheTimeoutBoundsTheWholeCallNotEachRead) {
  TricklingServer slow;
  const auto start = std::chrono::steady_clock::now();
  try {
    RemoteShard remote({"127.0.0.1", slow.port()}, timeouts(1, 1));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("127.0.0.1:" + std::to_string(slow.port())), std::string::npos) << e.what();
  }
  // each byte arrives well within the 1 s read timeout; the whole answer would take 8 s
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 3.0);
}

TEST(ShardServer, SlowClientsAreCutAtTheRequestTimeoutAndKnnStillAnswers) {
  // more clients than connections, each sending a header line every 200 ms for 6 s: with a timeout
  // per read only, they would hold every connection for all of that time
  const CodeMatrix codes = testing::random_codes(64, 50, 4);
  ShardServerOptions options;
  options.connections = 2;
  options.request_timeout_s = 1;
  RunningServer server(flat(codes, 0), {"s.shx", 64, 50, 1}, options);
  std::vector<std::chrono::steady_clock::duration> kept(options.connections + 2);
  std::vector<std::thread> slow;
  for (auto& k : kept)
    slow.emplace_back([&k, port = server.address().port] {
      k = testing::trickle_headers(port, std::chrono::milliseconds(200), std::chrono::seconds(6),
                                   "POST /knn?bits=64&k=3 HTTP/1.1");
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  httplib::Client client("127.0.0.1", server.address().port);
  client.set_read_timeout(20, 0);
  const auto start = std::chrono::steady_clock::now();
  auto result = client.Post("/knn?bits=64&k=3", encode_codes(testing::random_codes(64, 1, 5)), "application/octet-stream");
  const auto waited = std::chrono::steady_clock::now() - start;
  for (auto& t : slow) t.join();
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200) << result->body;
  EXPECT_LT(waited, std::chrono::milliseconds(3000));  // one request timeout, and some slack
  for (const auto k : kept) EXPECT_LT(k, std::chrono::milliseconds(3500));
}

// A server answering /knn with a fixed body.
class FakeShard {
 public:
  explicit FakeShard(KnnResult answer) {
    server_.Get("/info", [](const httplib::Request&, httplib::Response& response) {
      response.set_content(R"({"format": "shrewd-shard", "version": 1, "name": "f.shx", "bits": 64, "codes": 10,
                              "checksum": "00000001"})",
                           "application/json");
    });
    server_.Post("/knn", [answer](const httplib::Request&, httplib::Response& response) {
      response.set_content(encode_knn(answer), "application/octet-stream");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FakeShard() {
    server_.stop();
    thread_.join();
  }
  ShardAddress address() const { return {"127.0.0.1", port_}; }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

TEST(ShardServer, AnAnswerWithIdsOutsideTheShardIsAnErrorNamingIt) {
  const CodeMatrix query = testing::random_codes(64, 1, 3);
  auto expect_rejected = [&](KnnResult answer, RemoteShardOptions options, const std::string& why) {
    FakeShard fake(std::move(answer));
    const RemoteShard remote(fake.address(), options);
    try {
      remote.search(query, 3);
      FAIL() << "accepted: " << why;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(fake.address().text()), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("id"), std::string::npos) << e.what();
    }
  };
  // a negative id before the padding silently dropped the shard's other hits in the merge
  expect_rejected({1, 3, {4, -7, 5}, {1, 2, 3}}, {}, "negative id");
  expect_rejected({1, 3, {4, 5, 6}, {1, 2, 99}}, {}, "distance above the bits");
  RemoteShardOptions ranged;
  ranged.min_id = 100;
  ranged.max_id = 199;
  expect_rejected({1, 3, {104, 150, 200}, {1, 2, 3}}, ranged, "id above the shard's range");
  FakeShard good({1, 3, {104, 150, 199}, {1, 2, 3}});
  EXPECT_EQ(RemoteShard(good.address(), ranged).search(query, 3).ids, (std::vector<std::int64_t>{104, 150, 199}));
}

TEST(ShardServer, WithATokenEveryRequestMustSendIt) {
  const CodeMatrix codes = testing::random_codes(64, 50, 4);
  ShardServerOptions options;
  options.token = "s3cret-token";
  RunningServer server(flat(codes, 0), {"s.shx", 64, 50, 1}, options);
  try {
    RemoteShard remote(server.address());
    FAIL() << "no error without the token";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("status 401"), std::string::npos) << e.what();
  }
  httplib::Client client("127.0.0.1", server.address().port);
  client.set_bearer_token_auth("wrong");
  auto result = client.Post("/knn?bits=64&k=3", encode_codes(codes), "application/octet-stream");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 401);
  RemoteShardOptions with_token;
  with_token.token = "s3cret-token";
  const RemoteShard remote(server.address(), with_token);
  EXPECT_EQ(remote.search(codes, 3).ids, flat(codes, 0)->search(codes, 3).ids);
}

TEST(ShardServer, ABodyOfMoreQueriesThanMaxResultsIsRefusedUnread) {
  const CodeMatrix codes = testing::random_codes(64, 50, 4);
  ShardServerOptions options;
  options.max_results = 10;
  RunningServer server(flat(codes, 0), {"s.shx", 64, 50, 1}, options);
  httplib::Client client("127.0.0.1", server.address().port);
  auto ten = client.Post("/knn?bits=64&k=0", encode_codes(testing::random_codes(64, 10, 5)), "application/octet-stream");
  ASSERT_TRUE(ten);
  EXPECT_EQ(ten->status, 200) << ten->body;
  auto eleven = client.Post("/knn?bits=64&k=0", encode_codes(testing::random_codes(64, 11, 5)), "application/octet-stream");
  ASSERT_TRUE(eleven);
  EXPECT_EQ(eleven->status, 413);  // the library's refusal, from the Content-Length
}

TEST(ShardServer, AChunkedBodyIsRefusedBeforeItIsRead) {
  const CodeMatrix codes = testing::random_codes(64, 50, 4);
  RunningServer server(flat(codes, 0), {"s.shx", 64, 50, 1});
  httplib::Client client("127.0.0.1", server.address().port);
  std::size_t sent = 0;
  auto result = client.Post(
      "/knn?bits=64&k=3",
      [&](std::size_t, httplib::DataSink& sink) {
        const std::string chunk(1 << 16, '\0');
        sink.write(chunk.data(), chunk.size());
        if ((sent += chunk.size()) >= (std::size_t(64) << 20)) sink.done();
        return true;
      },
      "application/octet-stream");
  // the server answers 411 and closes; the client may see the answer or only its write failing
  if (result) {
    EXPECT_EQ(result->status, 411) << result->body;
  }
  EXPECT_LT(sent, std::size_t(16) << 20);  // far from all 64 MiB: the server did not read them
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
