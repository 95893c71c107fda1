#pragma once
// A conversation as stored in its hash (docs/redis.md, "Conversations"), parsed once.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <vector>

#include "app/record.hpp"

namespace helpline {

struct conversation {
  std::string id;
  std::string state;  // "" when the conversation does not exist (or has expired)
  std::string caller_type, lang, level;
  std::vector<std::string> categories;
  boost::json::array answers;  // screening answers, with their flags
  std::string question;        // the pending screening question
  long long created_at = 0, queued_at = 0, accepted_at = 0, offer_expires_at = 0, last_seq = 0;
  std::string advisor, advisor_name, offered_to;
  bool interpreter = false;
  std::string transfer_to, transfer_note, transfer_from;
  std::string visitor_lang;  // a language the visitor asked for that has no screening pack
  std::string ended_by;
  std::string ended_reason;  // "quick_exit" when the visitor left with quick exit
  std::string presence;      // the visitor: connected (also when "") | away | gone
  boost::json::value plan;  // null when none
  boost::json::array disclosures;
  std::string stats_day;
  std::string screening_context;

  bool exists() const { return !state.empty(); }
  bool is_live() const;  // screening, queued, offered or active
  bool visitor_connected() const { return presence.empty() || presence == "connected"; }
  static conversation from_record(const record& r);
  // The summary advisors see (docs/protocol.md, "conversation"); waits counted up to now_ms.
  boost::json::object summary_json(long long now_ms) const;
};

}  // namespace helpline
