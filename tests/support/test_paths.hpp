#pragma once
// Where the source tree and the built helpline binary are, as configured by CMake.
#include <filesystem>

namespace test_support {

std::filesystem::path source_dir();
std::filesystem::path helpline_binary();

}  // namespace test_support
