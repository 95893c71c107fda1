#pragma once
// A TCP port on 127.0.0.1 that nothing listens on right now (the kernel picks it). Another process
// could take it before the caller binds it; the range the kernel picks from makes that rare.
#include <cstdint>

namespace test_support {

std::uint16_t free_port();

}  // namespace test_support
