// helpline: one executable, subcommands. Kept thin: each subcommand lives in app/.
#include <iostream>

int main(int argc, char** argv) {
  (void)argc;
  (void)argv;
  std::cerr << "helpline: not built yet\n";
  return 2;
}
