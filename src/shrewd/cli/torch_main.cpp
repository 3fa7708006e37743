// shrewd-torch: the commands of shrewd that run a network model (train, encode, serve with --model
// or --dataset). Users type `shrewd <command>`; shrewd hands these over to this program.
#include <c10/util/Exception.h>

#include "shrewd/cli/commands.hpp"
#include "shrewd/serve/torch_support.hpp"

namespace {

// LibTorch's errors carry a C++ backtrace in what(): the user gets the message alone, one line.
std::string message_of(const std::exception& error) {
  if (const auto* torch_error = dynamic_cast<const c10::Error*>(&error)) return torch_error->what_without_backtrace();
  return error.what();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"shrewd-torch: the commands of shrewd that need LibTorch (run them as `shrewd <command>`)"};
  shrewd::cli::add_train_commands(app);
  shrewd::cli::add_serve_command(app, {shrewd::serve::add_dataset, shrewd::serve::load_model_encoder});
  return shrewd::cli::run_app(app, "shrewd", argc, argv, message_of);
}
