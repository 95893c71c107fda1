#include "test_paths.hpp"

namespace test_support {

std::filesystem::path source_dir() { return HELPLINE_SOURCE_DIR; }
std::filesystem::path helpline_binary() { return HELPLINE_BINARY; }

}  // namespace test_support
