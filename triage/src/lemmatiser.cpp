#include "triage/lemmatiser.hpp"

namespace triage {
namespace {
class identity_lemmatiser final : public lemmatiser {
 public:
  void lemmas(std::string_view token, std::vector<std::string>& out) const override { out.emplace_back(token); }
};
}  // namespace

std::unique_ptr<lemmatiser> lemmatiser::create(std::string_view, const std::filesystem::path&) {
  return std::make_unique<identity_lemmatiser>();
}

}  // namespace triage
