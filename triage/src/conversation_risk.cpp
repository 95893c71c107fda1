#include "triage/conversation_risk.hpp"

#include <stdexcept>

#include "triage/taxonomy.hpp"

namespace triage {

conversation_risk::conversation_risk(std::shared_ptr<const screening_engine> engine) : engine_(std::move(engine)) {
  if (!engine_) throw std::invalid_argument("conversation_risk needs a screening engine");
}

void conversation_risk::add(const screening_result& r) {
  bool changed = false;
  for (const auto& f : r.flags) {
    if (category_severity(f.category)) changed |= categories_.insert(f.category).second;
  }
  if (changed) level_ = engine_->level_for(categories_);
}

void conversation_risk::add_category(std::string_view category) {
  if (!category_severity(category)) return;
  if (categories_.emplace(category).second) level_ = engine_->level_for(categories_);
}

risk_level conversation_risk::level() const { return level_; }
const std::set<std::string>& conversation_risk::categories() const { return categories_; }

}  // namespace triage
