// shrewd: every command but those that run a network model, which it hands over to shrewd-torch
// (cli/model_commands.hpp), so that it never loads LibTorch.
#include <iostream>

#include "shrewd/cli/commands.hpp"
#include "shrewd/cli/model_commands.hpp"
#include "shrewd/cli/shard_commands.hpp"

int main(int argc, char** argv) {
  if (shrewd::cli::needs_model_program(argc, argv)) {
    try {
      shrewd::cli::exec_model_program(argc, argv);
    } catch (const std::exception& e) {
      std::cerr << "shrewd: error: " << e.what() << "\n";
    }
    return 1;
  }
  CLI::App app{"shrewd: semantic deep hashing and exact Hamming search"};
  shrewd::cli::add_hierarchy_commands(app);
  shrewd::cli::add_index_commands(app);
  shrewd::cli::add_shard_commands(app);
  shrewd::cli::add_eval_command(app);
  shrewd::cli::add_experiment_commands(app);
  shrewd::cli::add_plot_command(app);
  shrewd::cli::add_serve_command(app);
  shrewd::cli::add_model_command_entries(app);
  return shrewd::cli::run_app(app, "shrewd", argc, argv);
}
