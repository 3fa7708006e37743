#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

namespace shrewd::serve {
struct ItemCatalog;
class QueryEncoder;
}  // namespace shrewd::serve

namespace shrewd::cli {

// Each command group adds its subcommands (options + callback) to the application.
void add_index_commands(CLI::App& app);  // index build|add|delete|compact|info, search
void add_hierarchy_commands(CLI::App& app);
void add_eval_command(CLI::App& app);
void add_experiment_commands(CLI::App& app);  // text-embed, select-classes
void add_plot_command(CLI::App& app);         // plot: charts from JSON specs

// What `serve` can do only with LibTorch (a dataset's images, an encoder for uploads). shrewd-torch
// fills both in; in shrewd they are empty, and shrewd hands such a serve over to shrewd-torch.
struct ServeModelSupport {
  std::function<void(const std::string& spec, serve::ItemCatalog& catalog)> add_dataset;
  std::function<std::shared_ptr<const serve::QueryEncoder>(const std::filesystem::path& model)> load_encoder;
};
void add_serve_command(CLI::App& app, const ServeModelSupport& model_support = {});  // HTTP service + web page

// shrewd-torch only (LibTorch).
void add_train_commands(CLI::App& app);  // train, encode

// Parses the command line and runs the chosen command; errors become "<program>: error: ..." and exit 1.
// message_of, when given, says what an error that escaped the command says (e.g. without the
// backtrace LibTorch's errors carry).
int run_app(CLI::App& app, const char* program, int argc, char** argv,
            const std::function<std::string(const std::exception&)>& message_of = {});

}  // namespace shrewd::cli
