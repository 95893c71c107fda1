#pragma once
// The subcommands of the `helpline` executable (main.cpp only dispatches).
#include <string>
#include <vector>

namespace helpline {

int serve_command(const std::vector<std::string>& args);
int user_command(const std::vector<std::string>& args);
int screen_command(const std::vector<std::string>& args);
int programmes_command(const std::vector<std::string>& args);
int import_postcodes_command(const std::vector<std::string>& args);
int check_config_command(const std::vector<std::string>& args);

}  // namespace helpline
