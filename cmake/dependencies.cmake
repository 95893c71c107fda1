# Everything comes from Debian bookworm packages (scripts/install-deps installs them).
find_package(Threads REQUIRED)
find_package(Boost 1.81.0 EXACT REQUIRED CONFIG COMPONENTS json)
find_package(ICU 72 REQUIRED COMPONENTS uc i18n data)
find_package(spdlog REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
# Lemmatisers (triage/src/lemmatiser.cpp): Hunspell dictionaries and Snowball stemmers.
pkg_check_modules(HUNSPELL REQUIRED IMPORTED_TARGET hunspell)
# The learned layer of screening (triage/src/fasttext_model.cpp): fastText 0.9 (libfasttext-dev).
pkg_check_modules(FASTTEXT REQUIRED IMPORTED_TARGET fasttext)
# libstemmer-dev ships no pkg-config file or CMake package, only the header and the library.
find_path(STEMMER_INCLUDE_DIR libstemmer.h REQUIRED)
find_library(STEMMER_LIBRARY stemmer REQUIRED)
add_library(libstemmer::libstemmer UNKNOWN IMPORTED)
set_target_properties(libstemmer::libstemmer PROPERTIES
  IMPORTED_LOCATION ${STEMMER_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${STEMMER_INCLUDE_DIR})
if(HELPLINE_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(HELPLINE_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
