#include "triage/screen_command.hpp"

#include "triage/screening_json.hpp"

#include <boost/json.hpp>

#include <array>
#include <string>

namespace triage {
namespace {

constexpr std::size_t max_line_bytes = 1 << 20;   // longer lines get an error, the rest is skipped
constexpr std::size_t read_chunk = 1 << 20;
constexpr std::size_t flush_threshold = 1 << 19;  // output buffer is written out past this size

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(hex[c >> 4]);
          out.push_back(hex[c & 15]);
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}


class line_screener {
 public:
  line_screener(const screening_engine& engine, std::string_view default_lang)
      : engine_(engine), default_lang_(default_lang) {}

  void error(std::string& out, std::string_view message, const boost::json::value* id) {
    out += "{\"error\":";
    append_json_string(out, message);
    if (id) {
      out += ",\"id\":";
      out += boost::json::serialize(*id);
    }
    out += "}\n";
  }

  void screen_line(std::string_view line, std::string& out) {
    // Each line's document lives in the arena, freed in one go before the next line.
    resource_.release();
    parser_.reset(boost::json::storage_ptr(&resource_));
    boost::system::error_code ec;
    parser_.write(line.data(), line.size(), ec);
    if (ec) return error(out, "invalid JSON: " + ec.message(), nullptr);
    const boost::json::value doc = parser_.release();
    const auto* obj = doc.if_object();
    if (!obj) return error(out, "a line must be a JSON object", nullptr);
    const boost::json::value* id = obj->if_contains("id");
    const boost::json::value* text = obj->if_contains("text");
    if (!text || !text->is_string()) return error(out, "missing string \"text\"", id);
    std::string_view lang = default_lang_;
    if (const auto* l = obj->if_contains("lang")) {
      if (!l->is_string()) return error(out, "\"lang\" must be a string", id);
      lang = l->get_string();
    }
    const auto result = engine_.screen(text->get_string(), lang);
    // The same fields as the protocol and the stored transcript (triage/screening_json.hpp).
    out += "{\"id\":";
    out += id ? boost::json::serialize(*id) : std::string("null");
    out.push_back(',');
    const std::string body = boost::json::serialize(to_json(result));
    out.append(body, 1, std::string::npos);  // the object's fields after its opening brace
    out.push_back('\n');
  }

 private:
  const screening_engine& engine_;
  std::string_view default_lang_;
  std::array<unsigned char, 16384> initial_{};  // first block of the per-line arena
  boost::json::monotonic_resource resource_{initial_.data(), initial_.size()};
  // Its own working memory persists between lines (reset() only sets where each line's value lives).
  boost::json::parser parser_;
};

bool is_blank(std::string_view line) {
  for (char c : line) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

}  // namespace

int run_screen_command(std::istream& in, std::ostream& out, const screening_engine& engine,
                       std::string_view default_lang) {
  line_screener screener(engine, default_lang);
  std::string output;
  output.reserve(flush_threshold + max_line_bytes);
  std::string pending;  // bytes of the current line not yet complete; at most max_line_bytes
  bool skipping_long_line = false;
  std::string chunk(read_chunk, '\0');

  auto handle_line = [&](std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (is_blank(line)) return;
    screener.screen_line(line, output);
  };
  auto flush = [&] {
    out.write(output.data(), static_cast<std::streamsize>(output.size()));
    output.clear();
  };

  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got == 0) break;
    std::string_view data(chunk.data(), got);
    while (!data.empty()) {
      const std::size_t nl = data.find('\n');
      const std::string_view part = data.substr(0, nl);
      if (skipping_long_line) {
        if (nl != std::string_view::npos) skipping_long_line = false;
      } else if (pending.size() + part.size() > max_line_bytes) {
        screener.error(output, "line longer than 1 MiB", nullptr);
        pending.clear();
        skipping_long_line = nl == std::string_view::npos;
      } else if (nl == std::string_view::npos) {
        pending.append(part);
      } else if (pending.empty()) {
        handle_line(part);
      } else {
        pending.append(part);
        handle_line(pending);
        pending.clear();
      }
      if (nl == std::string_view::npos) break;
      data.remove_prefix(nl + 1);
    }
    if (output.size() >= flush_threshold) flush();
  }
  if (!pending.empty() && !skipping_long_line) handle_line(pending);
  flush();
  out.flush();
  if (in.bad() || !out) return 1;
  return 0;
}

}  // namespace triage
