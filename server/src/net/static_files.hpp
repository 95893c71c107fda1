// Static files: /widget/* from <root>/web-widget, /console/* from <root>/web-console.
// Paths are percent-decoded once and checked segment by segment: "..", ".", hidden files,
// backslashes and NUL are refused, and the resolved file must stay under its mount (symlinks
// that leave it are refused too). ETag + Last-Modified + Cache-Control: no-cache (always
// revalidated, cheap with 304), so a deployment is seen at once.
#pragma once

#include "net/http_types.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace helpline::net {

class static_files {
 public:
  explicit static_files(std::filesystem::path root);  // empty root = serve nothing

  // True when the path is under a static mount (/widget/ or /console/).
  static bool handles(std::string_view path) noexcept;

  // GET or HEAD of a path under a mount (path without query, as sent).
  any_response serve(const http_request& request, std::string_view path) const;

  // The file for a URL path, or nullopt if it is unsafe, missing or outside the mounts.
  // Directories resolve to the directory itself (the caller adds index.html).
  std::optional<std::filesystem::path> resolve(std::string_view path) const;

  static std::string_view mime_type(const std::filesystem::path& file) noexcept;

 private:
  std::filesystem::path widget_dir_;   // canonical, or empty
  std::filesystem::path console_dir_;  // canonical, or empty
};

// Percent-decodes a URL path; nullopt for a malformed escape or a decoded NUL.
std::optional<std::string> percent_decode(std::string_view text);

}  // namespace helpline::net
