#pragma once
// Risk of a whole conversation: the categories found so far across its messages (and scripted
// screening answers), with the level computed by the engine's rules. Not thread-safe: one per
// conversation, owned by whoever serialises that conversation's events.
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "triage/screening_engine.hpp"

namespace triage {

class conversation_risk {
 public:
  explicit conversation_risk(std::shared_ptr<const screening_engine> engine);
  void add(const screening_result& r);           // adds the categories of the flags (cues never count)
  void add_category(std::string_view category);  // e.g. from a scripted screening answer; unknown ids ignored
  risk_level level() const;
  const std::set<std::string>& categories() const;

 private:
  std::shared_ptr<const screening_engine> engine_;
  std::set<std::string> categories_;  // bounded by the 17 taxonomy ids
  risk_level level_ = risk_level::none;
};

}  // namespace triage
