// shrewd-torch: the commands of shrewd that run a network model (train, encode, serve with --model
// or --dataset). Users type `shrewd <command>`; shrewd hands these over to this program.
#include "shrewd/cli/commands.hpp"
#include "shrewd/serve/torch_support.hpp"

int main(int argc, char** argv) {
  CLI::App app{"shrewd-torch: the commands of shrewd that need LibTorch (run them as `shrewd <command>`)"};
  shrewd::cli::add_train_commands(app);
  shrewd::cli::add_serve_command(app, {shrewd::serve::add_dataset, shrewd::serve::load_model_encoder});
  return shrewd::cli::run_app(app, "shrewd", argc, argv);
}
