#include "shrewd/cli/model_commands.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string_view>

#include "shrewd/common/error.hpp"
#include "shrewd/common/recommended_environment.hpp"
#include "shrewd/serve/signal_loop.hpp"

namespace shrewd::cli {
namespace {

constexpr const char* kModelProgram = "shrewd-torch";

bool names_model_option(std::string_view argument) {
  for (std::string_view option : {"--model", "--dataset"})
    if (argument == option || (argument.starts_with(option) && argument[option.size()] == '=')) return true;
  return false;
}

// The command word: the first argument that is not an option, or "".
std::string_view command_name(int argc, char** argv) {
  int command = 1;
  while (command < argc && argv[command][0] == '-') ++command;
  return command < argc ? argv[command] : "";
}

}  // namespace

bool needs_model_program(int argc, char** argv) {
  const std::string_view name = command_name(argc, argv);
  if (name == "train" || name == "encode") return true;
  if (name != "serve") return false;
  for (int i = 1; i < argc; ++i)
    if (names_model_option(argv[i])) return true;
  return false;
}

void exec_model_program(int argc, char** argv) {
  std::error_code error;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
  const auto program = (error ? std::filesystem::path(argv[0]).parent_path() : self.parent_path()) / kModelProgram;
  set_recommended_environment_variables();
  // LibTorch's libraries start threads (OpenBLAS) in their constructors, before serve can block its
  // signals; blocked here, the signals stay blocked in every thread of the new program (the mask
  // survives exec), and serve's signal thread receives SIGHUP and SIGTERM as it should.
  if (command_name(argc, argv) == "serve") serve::block_serve_signals();
  execv(program.c_str(), argv);
  const int reason = errno;
  fail(program.string(), reason == ENOENT
                             ? "not found: train, encode and serve --model/--dataset need LibTorch, which this "
                               "build of shrewd leaves out (build with -DSHREWD_WITH_TORCH=ON)"
                             : std::string("cannot run: ") + std::strerror(reason));
}

void add_model_command_entries(CLI::App& app) {
#ifdef SHREWD_WITH_TORCH
  app.add_subcommand("train", "Train a hash model (config keys: docs/training.md)");
  app.add_subcommand("encode", "Encode a dataset into codes (.npy packbits) with a trained model");
#else
  (void)app;
#endif
}

}  // namespace shrewd::cli
