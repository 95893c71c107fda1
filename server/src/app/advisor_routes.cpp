#include "app/advisor_routes.hpp"

#include "app/administration_routes.hpp"
#include "app/callback_routes.hpp"
#include "app/casework_routes.hpp"
#include "app/session_routes.hpp"
#include "app/supervision_routes.hpp"

namespace helpline {

advisor_access access_of(role r) {
  switch (r) {
    case role::advisor: return advisor_access::advisor;
    case role::supervisor: return advisor_access::supervisor;
    case role::admin: return advisor_access::admin;
  }
  return advisor_access::advisor;  // not reached: every role is listed
}

const advisor_route_table& advisor_routes() {
  static const advisor_route_table table = [] {
    advisor_route_table t;
    session_routes::add_to(t);
    casework_routes::add_to(t);
    callback_routes::add_to(t);
    supervision_routes::add_to(t);
    administration_routes::add_to(t);
    return t;
  }();
  return table;
}

boost::json::array advisor_features(role r) {
  boost::json::array out;
  for (const auto& name : advisor_routes().allowed(advisor_access::advisor, access_of(r))) out.emplace_back(name);
  return out;
}

}  // namespace helpline
