#pragma once

#include <CLI/CLI.hpp>

namespace shrewd::cli {

// Each command group adds its subcommands (options + callback) to the application.
void add_index_commands(CLI::App& app);  // index build|add|delete|compact|info, search
void add_hierarchy_commands(CLI::App& app);
void add_eval_command(CLI::App& app);
void add_experiment_commands(CLI::App& app);  // text-embed, select-classes
void add_serve_command(CLI::App& app);  // serve: HTTP search service + web page
#ifdef SHREWD_WITH_TORCH
void add_train_commands(CLI::App& app);  // train, encode
#endif

}  // namespace shrewd::cli
