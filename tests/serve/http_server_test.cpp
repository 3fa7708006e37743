#include "shrewd/serve/http_server.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "serve/serve_fixture.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/serve/code_text.hpp"
#include "support/slow_client.hpp"

namespace shrewd::serve {
namespace {

using nlohmann::json;
using testing::flat_loader;
using testing::random_codes;
using testing::RunningServer;

constexpr std::size_t kItems = 200;

// Stands in for a trained model: the image, made 8 x 8 grey, gives bit j = (pixel j >= 128).
class ThresholdEncoder : public QueryEncoder {
 public:
  std::size_t bits() const override { return 64; }
  CodeMatrix encode(const Image& image) const override {
    const Image small = convert_image(image, 8, 8, 1);
    CodeMatrix code(64, 1);
    for (std::size_t j = 0; j < 64; ++j) code.set_bit(0, j, small.pixels[j] >= 128);
    return code;
  }
  std::string description() const override { return "threshold test encoder"; }
};

Image checkerboard() {
  Image image{8, 8, 1, std::vector<std::uint8_t>(64)};
  for (std::size_t j = 0; j < 64; ++j) image.pixels[j] = ((j / 8 + j % 8) % 2) ? 255 : 0;
  return image;
}

std::shared_ptr<SearchService> make_service(std::shared_ptr<CodeMatrix> codes, ServeLimits limits = {}) {
  auto catalog = std::make_shared<ItemCatalog>();
  std::vector<std::uint8_t> pixels;
  for (std::size_t i = 0; i < codes->size(); ++i) {
    catalog->labels.push_back(std::int64_t(i % 4));
    for (int p = 0; p < 4 * 4; ++p) pixels.push_back(std::uint8_t(i + std::size_t(p)));
  }
  catalog->class_names = {"a", "b", "c", "d"};
  catalog->images = ImageSet(codes->size(), 4, 4, 1, pixels);
  catalog->evaluation = {{"mAP", 0.5}};
  return std::make_shared<SearchService>(std::make_shared<IndexHolder>(flat_loader(codes)), catalog,
                                         std::make_shared<ThresholdEncoder>(), limits);
}

json body_of(const httplib::Result& result) { return json::parse(result->body); }

class HttpServerTest : public ::testing::Test {
 protected:
  std::shared_ptr<CodeMatrix> codes = random_codes(kItems, 64, 11);
  RunningServer server{make_service(codes)};
};

TEST_F(HttpServerTest, HealthStatsAndSearchAnswerJson) {
  auto client = server.client();
  auto health = client.Get("/api/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(body_of(health)["status"], "ok");
  auto stats = client.Get("/api/stats");
  ASSERT_TRUE(stats);
  EXPECT_EQ(body_of(stats)["items"], kItems);
  EXPECT_EQ(body_of(stats)["bits"], 64);
  EXPECT_EQ(stats->get_header_value("Content-Type"), "application/json");

  auto posted = client.Post("/api/search", R"({"id": 3, "k": 5})", "application/json");
  ASSERT_TRUE(posted);
  ASSERT_EQ(posted->status, 200) << posted->body;
  auto got = client.Get("/api/search?id=3&k=5");
  ASSERT_TRUE(got);
  ASSERT_EQ(got->status, 200) << got->body;
  EXPECT_EQ(body_of(posted)["results"], body_of(got)["results"]);
  EXPECT_EQ(body_of(posted)["results"].size(), 5u);
  EXPECT_EQ(body_of(posted)["results"][0]["id"], 3);
}

TEST_F(HttpServerTest, ItemLookupAndThumbnailPng) {
  auto client = server.client();
  auto item = client.Get("/api/items/9");
  ASSERT_TRUE(item);
  ASSERT_EQ(item->status, 200);
  EXPECT_EQ(body_of(item)["label"], 1);
  EXPECT_EQ(body_of(item)["code"], hex_of_code(codes->span(), 9));
  EXPECT_TRUE(body_of(item)["has_image"]);
  auto png = client.Get("/api/items/9/thumbnail.png");
  ASSERT_TRUE(png);
  ASSERT_EQ(png->status, 200);
  EXPECT_EQ(png->get_header_value("Content-Type"), "image/png");
  const Image decoded = decode_image(png->body);
  EXPECT_EQ(decoded.width, 4);
  EXPECT_EQ(decoded.pixels[0], 9);
  auto random = client.Get("/api/items/random");
  ASSERT_TRUE(random);
  EXPECT_EQ(random->status, 200);
  EXPECT_LT(body_of(random)["id"].get<std::int64_t>(), std::int64_t(kItems));
  for (const char* path : {"/api/items/200", "/api/items/200/thumbnail.png", "/api/items/x", "/api/items/1/other"}) {
    auto missing = client.Get(path);
    ASSERT_TRUE(missing) << path;
    EXPECT_GE(missing->status, 400) << path;
    EXPECT_LT(missing->status, 500) << path;
    EXPECT_TRUE(body_of(missing).contains("error")) << path;
  }
}

TEST_F(HttpServerTest, ImageUploadIsEncodedByTheModelAsMultipartOrRawBody) {
  auto client = server.client();
  const std::string png = encode_png(checkerboard());
  const CodeMatrix expected = ThresholdEncoder().encode(checkerboard());
  httplib::MultipartFormDataItems form = {{"image", png, "query.png", "image/png"}, {"k", "3", "", ""}};
  auto multipart = client.Post("/api/search/image", form);
  ASSERT_TRUE(multipart);
  ASSERT_EQ(multipart->status, 200) << multipart->body;
  EXPECT_EQ(body_of(multipart)["query"]["code"], hex_of_code(expected.span(), 0));
  EXPECT_EQ(body_of(multipart)["results"].size(), 3u);
  auto raw = client.Post("/api/search/image?k=4", png, "image/png");
  ASSERT_TRUE(raw);
  ASSERT_EQ(raw->status, 200) << raw->body;
  EXPECT_EQ(body_of(raw)["results"].size(), 4u);
  auto bad = client.Post("/api/search/image", std::string("GIF89a but not really"), "image/gif");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(body_of(bad)["error"].get<std::string>().find("image"), std::string::npos);
}

TEST_F(HttpServerTest, PageAndItsScriptsAreServedFromTheBinaryWithAContentSecurityPolicy) {
  auto client = server.client();
  auto page = client.Get("/");
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page->get_header_value("Content-Security-Policy").find("default-src 'self'"), std::string::npos);
  EXPECT_NE(page->body.find("app.js"), std::string::npos);
  auto script = client.Get("/app.js");
  ASSERT_TRUE(script);
  EXPECT_EQ(script->status, 200);
  auto unknown = client.Get("/no/such/page");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_TRUE(body_of(unknown).contains("error"));
}

TEST_F(HttpServerTest, LongPathsAndOversizedJsonBodiesAreRefused) {
  auto client = server.client();
  auto long_path = client.Get(("/api/items/" + std::string(4000, '7')).c_str());
  ASSERT_TRUE(long_path);
  EXPECT_EQ(long_path->status, 414);
  auto big = client.Post("/api/search", R"({"id": 1, "pad": ")" + std::string(100000, 'x') + "\"}", "application/json");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
}

TEST(HttpServerToken, ApiNeedsTheBearerTokenExceptHealthAndThePage) {
  const std::string token = "0123456789abcdef0123";
  HttpOptions options;
  options.token = token;
  RunningServer server(make_service(random_codes(20, 16, 1)), options);
  auto client = server.client();
  auto refused = client.Get("/api/stats");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
  EXPECT_EQ(refused->get_header_value("WWW-Authenticate"), "Bearer realm=\"shrewd\"");
  auto wrong = client.Get("/api/stats", {{"Authorization", "Bearer 0123456789abcdef0124"}});
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  auto search = client.Post("/api/search", R"({"id": 1})", "application/json");
  ASSERT_TRUE(search);
  EXPECT_EQ(search->status, 401);
  auto reload = client.Post("/api/reload", "", "application/json");
  ASSERT_TRUE(reload);
  EXPECT_EQ(reload->status, 401);
  auto health = client.Get("/api/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  auto page = client.Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  client.set_bearer_token_auth(token.c_str());
  auto accepted = client.Get("/api/stats");
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->status, 200);
}

// Throws garbage at every endpoint: random bytes, huge numbers, wrong types, broken JSON, random
// paths. Every answer must be a JSON 4xx (or a 200 where the endpoint takes no input), and the
// server must go on answering.
TEST(HttpServerGarbage, EveryEndpointAnswersGarbageWithFourHundredsAndKeepsServing) {
  RunningServer server(make_service(random_codes(50, 64, 5), ServeLimits{.max_upload_bytes = 64 * 1024}));
  std::mt19937_64 random(99);
  auto random_bytes = [&](std::size_t size) {
    std::string bytes(size, '\0');
    for (auto& c : bytes) c = char(random());
    return bytes;
  };
  const std::vector<std::string> bodies = {
      "", "{", "}", "[]", "null", "42", "\"text\"", "{\"id\": }", R"({"id": 1e400})", R"({"id": -5})",
      R"({"id": 99999999999999999999999})", R"({"id": "1; DROP"})", R"({"code": "zz"})", R"({"code": ""})",
      R"({"code": "00112233445566"})", R"({"code_base64": "!!!!"})", R"({"code": ["ab"]})", R"({"code": {"a": 1}})",
      R"({"id": 1, "k": -1})", R"({"id": 1, "k": 1e18})", R"({"id": 1, "k": 4294967297})", R"({"id": 1, "k": true})",
      R"({"id": 1, "radius": 100000})", R"({"id": 1, "radius": "2x"})", R"({"id": 1, "radius": null, "k": "x"})",
      R"({"id": null})", R"({"id": 1.5})", R"({"id": [1]})", R"({"\u0000": 1})", "{\"id\": 1, \"\xff\xfe\": 2}",
      std::string(10000, '['), std::string(10000, '{'), random_bytes(100), random_bytes(5000)};
  const std::vector<std::string> paths = {
      "/api/search?id=abc", "/api/search?k=5", "/api/search?id=1&k=-3", "/api/search?id=1&id=2",
      "/api/search?code=%00%01", "/api/search?id=1&radius=1e9", "/api/items/%ff", "/api/items/-1",
      "/api/items/99999999999999999999999", "/api/items/1/thumbnail.png/x", "/api/items//thumbnail.png",
      "/api/nothing", "/api/search/image?k=abc", "/%2e%2e/%2e%2e/etc/passwd", "/../../etc/passwd"};

  auto client = server.client();
  auto expect_refused = [&](const httplib::Result& result, const std::string& what) {
    ASSERT_TRUE(result) << "no answer to " << what;
    EXPECT_GE(result->status, 400) << what << " -> " << result->body;
    EXPECT_LT(result->status, 500) << what << " -> " << result->body;
    if (result->status != 400 || !result->body.empty()) {  // httplib answers unparsable requests with a bare 400
      EXPECT_TRUE(json::accept(result->body)) << what;
    }
  };
  for (const auto& body : bodies) {
    expect_refused(client.Post("/api/search", body, "application/json"), "POST /api/search " + body.substr(0, 40));
    expect_refused(client.Post("/api/search/image", body, "image/png"), "POST /api/search/image " + body.substr(0, 40));
    httplib::MultipartFormDataItems form = {{"image", body, "x.png", "image/png"}, {"k", body.substr(0, 20), "", ""}};
    expect_refused(client.Post("/api/search/image", form), "multipart " + body.substr(0, 40));
    // Endpoints without input ignore a body, but must not fail on one.
    for (const char* path : {"/api/reload", "/api/stats", "/api/hierarchy"}) {
      auto result = client.Post(path, body, "application/json");
      ASSERT_TRUE(result) << path;
      EXPECT_LT(result->status, 500) << path << " " << result->body;
    }
  }
  for (const auto& path : paths) expect_refused(client.Get(path.c_str()), "GET " + path);
  for (int i = 0; i < 30; ++i) {
    std::string path = "/api/" + random_bytes(1 + random() % 40);
    auto result = client.Get(path.c_str());
    if (result) {
      EXPECT_LT(result->status, 500) << "GET random path";
    }
  }
  expect_refused(client.Post("/api/search/image", random_bytes(200 * 1024), "image/png"), "oversized upload");

  auto health = server.client().Get("/api/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  auto search = server.client().Get("/api/search?id=1&k=3");
  ASSERT_TRUE(search);
  EXPECT_EQ(search->status, 200);
}

// Clients search without pause while the index is reloaded again and again: no request fails and
// each answer is consistent with one whole index (old or new), never a mix.
TEST(HttpServerReload, ReloadUnderLoadDropsNoRequest) {
  auto small = random_codes(100, 32, 1);
  auto large = random_codes(400, 32, 2);
  std::atomic<int> loads{0};
  auto loader = [&] { return flat_loader(loads++ % 2 == 0 ? small : large)(); };
  auto service = std::make_shared<SearchService>(std::make_shared<IndexHolder>(loader), nullptr, nullptr, ServeLimits{});
  HttpOptions options;
  options.threads = 6;
  RunningServer server(service, options);

  std::atomic<bool> done{false};
  std::atomic<int> answered{0}, failed{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c)
    clients.emplace_back([&] {
      auto client = server.client();
      while (!done) {
        auto result = client.Get("/api/search?id=50&radius=32");
        if (!result || result->status != 200) {
          ++failed;
          continue;
        }
        const auto total = json::parse(result->body)["total"].get<int>();
        if (total != 100 && total != 400) ++failed;
        ++answered;
      }
    });
  auto admin = server.client();
  for (int r = 0; r < 20; ++r) {
    auto reload = admin.Post("/api/reload", "", "application/json");
    ASSERT_TRUE(reload);
    EXPECT_EQ(reload->status, 200) << reload->body;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  done = true;
  for (auto& thread : clients) thread.join();
  EXPECT_EQ(failed, 0);
  EXPECT_GT(answered, 20);
  EXPECT_EQ(service->health()["generation"], 21);
}

// Clients that ask for a large answer and hang up before reading it must cost their connection
// only, never the server.
TEST(HttpServerHangUp, ClientsHangingUpMidAnswerDoNotStopTheServer) {
  RunningServer server(make_service(random_codes(10, 16, 1)));
  for (int i = 0; i < 20; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(std::uint16_t(server.port()));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    const std::string request = "GET /vendor/chart.umd.min.js HTTP/1.1\r\nHost: x\r\n\r\n";
    ASSERT_EQ(::send(fd, request.data(), request.size(), MSG_NOSIGNAL), ssize_t(request.size()));
    // Let the server start writing, then close without reading: the kernel resets the connection
    // and the server's next write fails.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ::close(fd);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto health = server.client().Get("/api/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

// Sends raw bytes on a new loopback connection and returns what the server answers (until it
// closes, or after `wait`).
std::string raw_exchange(int port, const std::string& request, std::chrono::milliseconds wait) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(std::uint16_t(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) return "no connection";
  ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  timeval timeout{0, 100000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  std::string answer;
  const auto deadline = std::chrono::steady_clock::now() + wait;
  char buffer[4096];
  while (std::chrono::steady_clock::now() < deadline && answer.find("\r\n\r\n") == std::string::npos) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n == 0) break;
    if (n > 0) answer.append(buffer, std::size_t(n));
  }
  ::close(fd);
  return answer;
}

TEST(HttpServerBodies, NoContentLengthIsAnEmptyBodyAndAChunkedBodyIsRefusedUnread) {
  RunningServer server(make_service(random_codes(10, 16, 1)));
  // `curl -X POST .../api/reload` sends no Content-Length and keeps the connection open: the
  // server waited for the body until its read timeout, then answered 400
  const std::string reload = raw_exchange(server.port(), "POST /api/reload HTTP/1.1\r\nHost: x\r\n\r\n",
                                          std::chrono::milliseconds(2000));
  EXPECT_EQ(reload.rfind("HTTP/1.1 200", 0), 0u) << reload;
  // a chunked body was read in full whatever its size: refused before any of it is read
  const std::string chunked = raw_exchange(
      server.port(), "POST /api/search HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n100000\r\nabc",
      std::chrono::milliseconds(2000));
  EXPECT_EQ(chunked.rfind("HTTP/1.1 411", 0), 0u) << chunked;
  auto health = server.client().Get("/api/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

TEST(HttpServerSlowClients, ClientsTricklingHeadersAreCutAndHealthStillAnswers) {
  // more clients than threads, each sending a header line every 200 ms for 6 s: with a timeout per
  // read only, they would hold every thread for all of that time
  HttpOptions options;
  options.threads = 3;
  options.request_timeout_s = 1;
  RunningServer server(make_service(random_codes(kItems, 64, 11)), options);
  std::vector<std::chrono::steady_clock::duration> kept(options.threads + 2);
  std::vector<std::thread> slow;
  for (auto& k : kept)
    slow.emplace_back([&k, port = server.port()] {
      k = shrewd::testing::trickle_headers(port, std::chrono::milliseconds(200), std::chrono::seconds(6),
                                           "GET /api/health HTTP/1.1");
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto client = server.client();
  const auto start = std::chrono::steady_clock::now();
  auto health = client.Get("/api/health");
  const auto waited = std::chrono::steady_clock::now() - start;
  for (auto& t : slow) t.join();
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_LT(waited, std::chrono::milliseconds(3000));  // one request timeout, and some slack
  for (const auto k : kept) EXPECT_LT(k, std::chrono::milliseconds(3500));
}

TEST(HttpServerBind, BindingAnAddressInUseFailsWithAClearError) {
  RunningServer first(make_service(random_codes(10, 16, 1)));
  HttpOptions options;
  options.port = first.port();
  HttpServer second(make_service(random_codes(10, 16, 1)), options);
  try {
    second.bind();
    FAIL() << "bound a port in use";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find(std::to_string(first.port())), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace shrewd::serve
