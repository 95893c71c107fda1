#pragma once
// An advisor's live state (docs/redis.md, "Advisors and accounts"): the presence they chose,
// whether a node holding their console heartbeats, their conversations and offers.
#include <string>
#include <vector>

namespace helpline {

struct advisor_status {
  std::string id;
  std::string presence = "away";  // available | away (as chosen; see online)
  int capacity = 1;
  bool online = false;  // a node heartbeated for them within advisor_alive
  std::vector<std::string> conversations, offers;
};

}  // namespace helpline
