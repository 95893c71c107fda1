// The transport's public API in one include.
#pragma once

#include "net/application.hpp"
#include "net/connection_handler.hpp"
#include "net/http_server.hpp"
#include "net/log.hpp"
#include "net/metrics_registry.hpp"
#include "net/server_options.hpp"
#include "net/websocket_session.hpp"
