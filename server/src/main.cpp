// helpline: one executable, subcommands. Thin: each subcommand lives in app/commands.cpp.
#include <iostream>
#include <string>
#include <vector>

#include "app/commands.hpp"

namespace {
constexpr const char* usage =
    "usage: helpline <command> [options]\n"
    "  serve [--config FILE]            run a node of the service\n"
    "  user add --username ... --role   create an advisor, supervisor or admin account\n"
    "  screen [--lang en]               screen JSON Lines from stdin (see docs/screening.md)\n"
    "  screen --explain [--lang en]     what matched in each line of a conversation, and why\n"
    "  screen --eval FILE|DIR[,...] [--misses] [--rules-only]\n"
    "                                   recall, false alarms and under-triage of labelled messages\n"
    "  programmes --postcode LS6 --level high --lang en   suggest programmes as JSON\n"
    "  import-postcodes ONSPD.csv [--out FILE]            build a postcode table\n"
    "  check-config [--config FILE]     validate configuration and content, then exit\n";
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << usage;
    return 2;
  }
  std::string command = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "serve") return helpline::serve_command(args);
  if (command == "user") return helpline::user_command(args);
  if (command == "screen") return helpline::screen_command(args);
  if (command == "programmes") return helpline::programmes_command(args);
  if (command == "import-postcodes") return helpline::import_postcodes_command(args);
  if (command == "check-config") return helpline::check_config_command(args);
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << usage;
    return 0;
  }
  std::cerr << "helpline: unknown command \"" << command << "\"\n" << usage;
  return 2;
}
