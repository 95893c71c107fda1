#pragma once
// The advisor endpoint's route table (docs/protocol.md, "Advisor endpoint"): every message type a
// console may send, the least role it needs and its handler. The handler classes register their
// own routes: session_routes, casework_routes, callback_routes, supervision_routes,
// administration_routes. advisor_connection dispatches through it and `logged_in.features` is
// read from it, so what a console is offered and what the server allows cannot disagree.
#include <boost/json/array.hpp>

#include "app/account_store.hpp"
#include "app/route_table.hpp"

namespace helpline {

class advisor_connection;

// Who may send a type: anyone (before login: login, ping), or a logged-in account whose role is
// at least this one (advisor < supervisor < admin).
enum class advisor_access { anyone, advisor, supervisor, admin };
advisor_access access_of(role r);

using advisor_route_table = route_table<advisor_connection, advisor_access>;

const advisor_route_table& advisor_routes();  // built on first use, then read-only
// `logged_in.features` for a role: every request and feature of the table it may use, login and
// ping aside (they need no account).
boost::json::array advisor_features(role r);

}  // namespace helpline
