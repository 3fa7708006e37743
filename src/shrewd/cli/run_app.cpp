#include <fmt/format.h>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "shrewd/cli/commands.hpp"
#include "shrewd/semantics/edit_distance.hpp"

namespace shrewd::cli {
namespace {

// The command the user chose (the deepest subcommand parsed), or the application itself.
const CLI::App& chosen_command(const CLI::App& app) {
  const CLI::App* command = &app;
  for (auto subcommands = command->get_subcommands(); !subcommands.empty(); subcommands = command->get_subcommands())
    command = subcommands.front();
  return *command;
}

// "; did you mean --k?" for each unexpected option that is close to one the command has.
std::string suggestions(const CLI::App& command) {
  std::vector<std::string> names;
  for (const CLI::Option* option : command.get_options())
    for (const auto& name : option->get_lnames()) names.push_back("--" + name);
  const std::vector<std::string_view> candidates(names.begin(), names.end());
  std::string text;
  for (const auto& extra : command.remaining()) {
    if (!extra.starts_with("--")) continue;
    const auto closest = semantics::closest_names(extra.substr(0, extra.find('=')), candidates, 1);
    if (!closest.empty()) text += fmt::format("; did you mean {} instead of {}?", closest.front(), extra);
  }
  return text;
}

// "shrewd index build": the words that choose the command.
std::string command_path(const CLI::App& command, const char* program) {
  std::string path;
  for (const CLI::App* c = &command; c->get_parent() != nullptr; c = c->get_parent()) path = " " + c->get_name() + path;
  return program + path;
}

}  // namespace

int run_app(CLI::App& app, const char* program, int argc, char** argv,
            const std::function<std::string(const std::exception&)>& message_of) {
  app.require_subcommand(1);
  app.set_version_flag("--version", "shrewd 0.1.0");
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help, --version
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    const CLI::App& command = chosen_command(app);
    std::cerr << program << ": error: " << e.what() << suggestions(command) << " (see `"
              << command_path(command, program) << " --help`)\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << program << ": error: " << (message_of ? message_of(e) : std::string(e.what())) << "\n";
    return 1;
  }
  return 0;
}

}  // namespace shrewd::cli
