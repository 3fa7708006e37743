// shrewd serve: the HTTP search service and its web page (docs/serve.md).
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "shrewd/cli/commands.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/serve/bearer_token.hpp"
#include "shrewd/serve/http_server.hpp"
#include "shrewd/serve/search_service.hpp"
#include "shrewd/serve/serve_setup.hpp"
#include "shrewd/serve/signal_loop.hpp"

namespace shrewd::cli {
namespace {

struct ServeArgs {
  std::string index;
  std::string model;
  std::string dataset;
  std::string images, labels, classes, hierarchy, eval;
  std::string wordnet = "/usr/share/wordnet";  // names of hierarchy nodes that are WordNet ids
  bool wordnet_given = false;
  std::string measure = "lcs-height";
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string token_file;
  std::size_t max_k = 1000;
  std::size_t max_upload_mb = 8;
  int threads = 8;
  int search_threads = 1;
  int request_timeout_s = 10;
};

std::optional<std::filesystem::path> optional_path(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return std::filesystem::path(text);
}

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

void run_serve(const ServeArgs& args, const ServeModelSupport& model_support) {
  serve::block_serve_signals();
  auto catalog = std::make_shared<serve::ItemCatalog>();
  std::shared_ptr<const serve::QueryEncoder> encoder;
  if ((!args.dataset.empty() && !model_support.add_dataset) || (!args.model.empty() && !model_support.load_encoder))
    fail(args.model.empty() ? "--dataset" : "--model",
         "needs LibTorch, which this program leaves out; use --images/--labels instead of --dataset, and search "
         "by code or id instead of by image");
  if (!args.dataset.empty()) model_support.add_dataset(args.dataset, *catalog);
  const std::size_t dataset_items = catalog->images ? catalog->images->size() : catalog->labels.size();
  if (!args.model.empty()) encoder = model_support.load_encoder(args.model);
  const bool wordnet = !args.wordnet.empty() && args.wordnet != "none" &&
                       (args.wordnet_given || std::filesystem::exists(std::filesystem::path(args.wordnet) / "data.noun"));
  const serve::CatalogFiles files{optional_path(args.images),    optional_path(args.labels),
                                  optional_path(args.classes),   optional_path(args.hierarchy),
                                  optional_path(args.eval),      args.measure,
                                  wordnet ? optional_path(args.wordnet) : std::nullopt};
  serve::load_catalog_files(files, *catalog);

  auto holder = std::make_shared<serve::IndexHolder>(serve::index_file_loader(args.index));
  const auto snapshot = holder->current();
  if (encoder && encoder->bits() != snapshot->index->bits())
    fail("--model", fmt::format("makes {}-bit codes but {} holds {}-bit codes", encoder->bits(), args.index,
                                snapshot->index->bits()));
  // Item i of the index is item i of the dataset: another count means thumbnails and labels of other items.
  if (dataset_items > 0 && dataset_items != snapshot->codes.count)
    fail("--dataset", fmt::format("{} has {} items but {} holds {} codes; serve the index built from this dataset's "
                                  "codes (docs/serve.md)", args.dataset, dataset_items, args.index, snapshot->codes.count));
  if (!catalog->labels.empty() && catalog->labels.size() < snapshot->codes.count)
    std::cerr << "shrewd serve: warning: " << catalog->labels.size() << " labels for " << snapshot->codes.count
              << " stored codes; items without a label show none\n";

  serve::ServeLimits limits;
  limits.max_k = args.max_k;
  limits.max_upload_bytes = args.max_upload_mb * 1024 * 1024;
  limits.search_threads = args.search_threads;
  auto service = std::make_shared<serve::SearchService>(holder, catalog, encoder, limits);

  serve::HttpOptions options;
  options.host = args.host;
  options.port = args.port;
  options.threads = args.threads;
  options.request_timeout_s = args.request_timeout_s;
  if (!args.token_file.empty()) options.token = serve::read_token_file(args.token_file);
  serve::HttpServer server(service, options);
  const int port = server.bind();
  if (!is_loopback(args.host) && options.token.empty())
    std::cerr << "shrewd serve: warning: listening on " << args.host
              << " without --token-file: anyone who can reach this address can search and reload\n";
  std::cout << "shrewd serve: " << snapshot->index->size() << " items, " << snapshot->index->bits() << "-bit codes ("
            << snapshot->kind << ") on http://" << (args.host.find(':') != std::string::npos ? "[" + args.host + "]" : args.host)
            << ":" << port << "/" << (options.token.empty() ? "" : " (bearer token required)")
            << "; SIGHUP or POST /api/reload reloads " << args.index << std::endl;
  serve::serve_until_signalled(server, *service, [](const std::string& outcome) {
    std::cerr << "shrewd serve: SIGHUP: " << outcome << std::endl;
  });
  std::cout << "shrewd serve: stopped" << std::endl;
}

}  // namespace

void add_serve_command(CLI::App& app, const ServeModelSupport& model_support) {
  auto args = std::make_shared<ServeArgs>();
  auto* cmd = app.add_subcommand("serve", "HTTP search service and web page over an index file (docs/serve.md)");
  cmd->add_option("--index", args->index, "index file (.shx); reloaded on SIGHUP or POST /api/reload")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--model", args->model, "trained model (.pt) to search by uploaded image (needs LibTorch)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--dataset", args->dataset,
                  "dataset of the indexed items, format:split[:path], e.g. fashion-mnist:test: images, labels, "
                  "class names (needs LibTorch)");
  cmd->add_option("--images", args->images, "item images .npy, uint8 [N, H, W] or [N, H, W, C] (thumbnails)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--labels", args->labels, "item labels .npy, integer [N]")->check(CLI::ExistingFile);
  cmd->add_option("--classes", args->classes, "classes file: 'index node [display name]' per line")
      ->check(CLI::ExistingFile);
  cmd->add_option("--hierarchy", args->hierarchy, "class hierarchy, 'parent child' lines (needs --classes)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--measure", args->measure, "hierarchy distance: lcs-height (default) | wu-palmer");
  cmd->add_option_function<std::string>(
      "--wordnet",
      [args](const std::string& directory) {
        args->wordnet = directory;
        args->wordnet_given = true;
      },
      "WordNet database that names the hierarchy's WordNet-id nodes on the page (default /usr/share/wordnet "
      "when present; none: show the ids)");
  cmd->add_option("--eval", args->eval, "evaluation report to show (`shrewd eval --json` output)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--host", args->host, "address to listen on (default 127.0.0.1: this machine only)");
  cmd->add_option("--port", args->port, "port (default 8080; 0 = any free port)")->check(CLI::Range(0, 65535));
  cmd->add_option("--token-file", args->token_file,
                  "file whose first line is the bearer token every /api/ request but /api/health must send")
      ->check(CLI::ExistingFile);
  cmd->add_option("--max-k", args->max_k, "largest k, and most hits a radius search returns (default 1000, at most 1048576)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}));
  cmd->add_option("--max-upload-mb", args->max_upload_mb, "largest image upload in MiB (default 8)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{256}));
  cmd->add_option("--threads", args->threads, "connections served at once (default 8)")->check(CLI::Range(1, 1024));
  cmd->add_option("--request-timeout", args->request_timeout_s,
                  "seconds a request may take, from its first byte to the end of its answer (default 10)")
      ->check(CLI::Range(1, 3600));
  cmd->add_option("--search-threads", args->search_threads, "threads one search may use (default 1)")
      ->check(CLI::Range(1, 256));
  cmd->callback([args, model_support] { run_serve(*args, model_support); });
}

}  // namespace shrewd::cli
