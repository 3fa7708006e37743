#include "shrewd/serve/http_server.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include "shrewd/common/error.hpp"
#include "shrewd/net/http_error.hpp"
#include "shrewd/serve/bearer_token.hpp"
#include "shrewd/serve/web_assets.hpp"

namespace shrewd::serve {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxPathLength = 512;
// Multipart framing around an uploaded image: boundaries, part headers, small form fields.
constexpr std::size_t kMultipartOverhead = 64 * 1024;

void send_json(httplib::Response& res, const json& body, int status = 200) {
  res.status = status;
  // Replace invalid UTF-8 (echoed field names, paths) instead of throwing.
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

void send_error(httplib::Response& res, int status, const std::string& message) {
  send_json(res, {{"error", message}, {"status", status}}, status);
}

// Runs a handler and turns every failure into a JSON error (net::answer): the user's mistakes are
// 4xx with the message of the layer that found them; nothing escapes to the HTTP library.
template <class Handler>
void answer(httplib::Response& res, Handler&& handler) {
  net::answer(handler, [&](int status, const std::string& message) { send_error(res, status, message); });
}

json params_to_json(const httplib::Params& params) {
  json request = json::object();
  for (const auto& [key, value] : params) {
    if (request.contains(key))
      throw RequestError(400, fmt::format("parameter \"{}\" is given twice", key.substr(0, 64)));
    request[key] = value;
  }
  return request;
}

void require_json_size(const httplib::Request& req, const ServeLimits& limits) {
  if (req.body.size() > limits.max_json_bytes)
    throw RequestError(413, fmt::format("the request body has {} bytes; the limit is {}",
                                        req.body.size(), limits.max_json_bytes));
}

std::string_view strip_prefix(std::string_view text, std::string_view prefix) {
  return text.substr(prefix.size());
}

}  // namespace

HttpServer::HttpServer(std::shared_ptr<SearchService> service, HttpOptions options)
    : net::HttpListener({options.host, options.port, options.threads, std::chrono::seconds(options.request_timeout_s)}),
      service_(std::move(service)),
      options_(std::move(options)) {
  if (!service_) fail("serve", "no service");
  httplib::Server& server = http();
  server.set_payload_max_length(service_->limits().max_upload_bytes + kMultipartOverhead);
  server.set_read_timeout(options_.read_timeout_s, 0);
  server.set_write_timeout(options_.read_timeout_s, 0);
  server.set_keep_alive_timeout(options_.keep_alive_timeout_s);
  server.set_keep_alive_max_count(100);
  server.set_tcp_nodelay(true);
  server.set_default_headers({{"X-Content-Type-Options", "nosniff"},
                              {"X-Frame-Options", "DENY"},
                              {"Referrer-Policy", "no-referrer"},
                              {"Cache-Control", "no-store"}});
  add_routes();
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::add_routes() {
  httplib::Server& server = http();
  const auto service = service_;
  const std::string token = options_.token;

  // Runs before any body is read: long paths, authentication, static files and the item routes
  // (matched here by prefix rather than by std::regex, whose recursion grows with the path).
  server.set_pre_routing_handler([service, token](const httplib::Request& req, httplib::Response& res) {
    using Outcome = httplib::Server::HandlerResponse;
    if (const net::BodyCheck body = net::check_request_body(req); body.status != 0) {
      send_error(res, body.status, body.message);
      return Outcome::Handled;
    }
    const std::string_view path = req.path;
    if (path.size() > kMaxPathLength) {
      send_error(res, 414, fmt::format("the path is longer than {} characters", kMaxPathLength));
      return Outcome::Handled;
    }
    const bool is_api = path.starts_with("/api/");
    if (is_api && path != "/api/health" && !token.empty() &&
        !bearer_token_matches(req.get_header_value("Authorization"), token)) {
      res.set_header("WWW-Authenticate", "Bearer realm=\"shrewd\"");
      send_error(res, 401, "missing or wrong bearer token (send \"Authorization: Bearer <token>\")");
      return Outcome::Handled;
    }
    if (req.method != "GET" && req.method != "HEAD") return Outcome::Unhandled;
    if (!is_api) {
      const WebAsset* asset = find_web_asset(path == "/" ? "/index.html" : path);
      if (!asset) return Outcome::Unhandled;
      res.set_content(std::string(asset->body), std::string(asset->content_type).c_str());
      if (asset->content_type.starts_with("text/html"))
        res.set_header("Content-Security-Policy",
                       "default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; "
                       "script-src 'self'; connect-src 'self'; frame-ancestors 'none'");
      return Outcome::Handled;
    }
    if (!path.starts_with("/api/items/")) return Outcome::Unhandled;
    answer(res, [&] {
      const std::string_view rest = strip_prefix(path, "/api/items/");
      if (rest == "random") return send_json(res, service->random_item());
      if (rest.ends_with("/thumbnail.png")) {
        const std::string png = service->thumbnail_png(rest.substr(0, rest.size() - std::string_view("/thumbnail.png").size()));
        res.status = 200;
        res.set_header("Cache-Control", "max-age=60");
        return res.set_content(png, "image/png");
      }
      if (rest.find('/') != std::string_view::npos) throw RequestError(404, "no such route: GET " + req.path);
      send_json(res, service->item(rest));
    });
    return Outcome::Handled;
  });

  server.Get("/api/health", [service](const httplib::Request&, httplib::Response& res) {
    answer(res, [&] { send_json(res, service->health()); });
  });
  server.Get("/api/stats", [service](const httplib::Request&, httplib::Response& res) {
    answer(res, [&] { send_json(res, service->stats()); });
  });
  server.Get("/api/search", [service](const httplib::Request& req, httplib::Response& res) {
    answer(res, [&] { send_json(res, service->search(params_to_json(req.params))); });
  });
  server.Post("/api/search", [service](const httplib::Request& req, httplib::Response& res) {
    answer(res, [&] {
      require_json_size(req, service->limits());
      send_json(res, service->search(parse_json_object(req.body)));
    });
  });
  server.Post("/api/search/image", [service](const httplib::Request& req, httplib::Response& res) {
    answer(res, [&] {
      json request = params_to_json(req.params);
      if (req.is_multipart_form_data()) {
        std::string image;
        for (const auto& [name, part] : req.files) {
          if (name == "image") {
            if (!image.empty() || part.content.empty()) throw RequestError(400, "give one non-empty \"image\" part");
            image = part.content;
          } else {
            if (request.contains(name))
              throw RequestError(400, fmt::format("field \"{}\" is given twice", name.substr(0, 64)));
            request[name] = part.content;
          }
        }
        if (image.empty()) throw RequestError(400, "the multipart form has no \"image\" file");
        return send_json(res, service->search_image(image, request));
      }
      send_json(res, service->search_image(req.body, request));
    });
  });
  server.Get("/api/eval", [service](const httplib::Request&, httplib::Response& res) {
    answer(res, [&] { send_json(res, service->evaluation()); });
  });
  server.Get("/api/hierarchy", [service](const httplib::Request&, httplib::Response& res) {
    answer(res, [&] { send_json(res, service->hierarchy()); });
  });
  server.Post("/api/reload", [service](const httplib::Request&, httplib::Response& res) {
    answer(res, [&] { send_json(res, service->reload()); });
  });

  server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (res.status == 404)
      send_error(res, 404, fmt::format("no such route: {} {}", req.method, req.path.substr(0, 128)));
    else if (res.status == 413)
      send_error(res, 413, "the request body is larger than the server accepts");
    else
      send_error(res, res.status, fmt::format("the request was refused (HTTP {})", res.status));
  });
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    send_error(res, 500, "internal error");
  });
}

}  // namespace shrewd::serve
