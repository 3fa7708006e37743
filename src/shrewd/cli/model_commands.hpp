#pragma once

// The commands that run a network model (train, encode, serve --model or --dataset) need LibTorch,
// which takes about a second and 150 MB to load. They live in a second program, shrewd-torch,
// installed beside shrewd; shrewd hands such a command over to it (exec, same arguments), so every
// other command starts in milliseconds. docs/architecture.md explains the split.

#include <CLI/CLI.hpp>

namespace shrewd::cli {

// True when the command line asks for one of the commands above.
bool needs_model_program(int argc, char** argv);

// Replaces this process with shrewd-torch (beside this executable) running the same arguments, with
// the environment LibTorch's runtimes want (common/recommended_environment.hpp). Returns only on
// failure, with the Error to report (shrewd-torch missing or not executable).
void exec_model_program(int argc, char** argv);

// Lists train and encode in `shrewd --help` (their options come from shrewd-torch).
void add_model_command_entries(CLI::App& app);

}  // namespace shrewd::cli
