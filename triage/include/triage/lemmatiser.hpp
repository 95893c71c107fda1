#pragma once
// Placeholder until the analyser-backed lemmatiser lands: maps a token to itself.
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace triage {

class lemmatiser {
 public:
  static std::unique_ptr<lemmatiser> create(std::string_view spec,
                                            const std::filesystem::path& dictionary_dir = "/usr/share/hunspell");
  virtual ~lemmatiser() = default;
  virtual void lemmas(std::string_view token, std::vector<std::string>& out) const = 0;
};

}  // namespace triage
