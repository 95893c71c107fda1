# Warnings are errors for the project's own targets (not for third-party headers).
add_library(helpline_warnings INTERFACE)
target_compile_options(helpline_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Werror -Wshadow=local -Wnon-virtual-dtor
  -Wcast-align -Wunused -Woverloaded-virtual
  # GCC 12 reports false null dereferences inside Asio coroutine frames; -Wnull-dereference is off.
  -Wno-null-dereference
  # GCC 12 also misreports Asio's coroutine frame allocator as mismatched new/delete.
  -Wno-mismatched-new-delete
  -Wno-missing-field-initializers)

add_library(helpline_sanitizers INTERFACE)
if(HELPLINE_SANITIZE)
  target_compile_options(helpline_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(helpline_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
