#include <CLI/CLI.hpp>
#include <iostream>

#include "shrewd/cli/commands.hpp"
#include "shrewd/cli/shard_commands.hpp"
#include "shrewd/common/error.hpp"

int main(int argc, char** argv) {
  CLI::App app{"shrewd: semantic deep hashing and exact Hamming search"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "shrewd 0.1.0");
  shrewd::cli::add_hierarchy_commands(app);
  shrewd::cli::add_index_commands(app);
  shrewd::cli::add_shard_commands(app);
  shrewd::cli::add_eval_command(app);
  shrewd::cli::add_experiment_commands(app);
  shrewd::cli::add_serve_command(app);
#ifdef SHREWD_WITH_TORCH
  shrewd::cli::add_train_commands(app);
#endif

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    std::cerr << "shrewd: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
