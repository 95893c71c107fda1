#include "folded_dictionary_cache.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <system_error>

#include "folded_dictionary.hpp"
#include "triage/text_normaliser.hpp"

namespace triage {
namespace {

namespace fs = std::filesystem;

// 64-bit FNV-1a: not for security (the folder is private to the user), only to tell versions of a
// dictionary apart.
struct fnv1a {
  std::uint64_t h = 14695981039346656037ULL;
  void add(std::string_view bytes) {
    for (unsigned char c : bytes) {
      h ^= c;
      h *= 1099511628211ULL;
    }
    h ^= 0xFF;  // separates consecutive pieces
    h *= 1099511628211ULL;
  }
};

// A file by its path, size and modification time (what a package upgrade changes), not its
// bytes: hashing 5 MB of dictionary on every load would cost a tenth of the load saved.
bool add_file(fnv1a& hash, const fs::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  hash.add(fs::absolute(file).string());
  hash.add(std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
           std::to_string(st.st_mtim.tv_nsec) + ":" + std::to_string(st.st_ino));
  return true;
}

// How this build's text_normaliser folds letters of the languages we serve (and more): a change
// of folding changes the key, so a copy folded by an older build is never reused.
std::string folding_fingerprint() {
  static const std::string fingerprint = [] {
    const text_normaliser normaliser;
    std::string out;
    for (const auto& w : normaliser.normalise_words(
             "ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖòóôõöÙÚÛÜùúûüÝýÿß ĄąĆćĘęŁłŃńŚśŹźŻż "
             "ĞğİıŞşČčŠšŽžŘřŮůĎďŤťŇňŐőŰűÆæØøŒœÞþÐð ΑαΒβΓγ АаБбВвГг")) {
      out += w;
      out += ' ';
    }
    return out;
  }();
  return fingerprint;
}

// A usable cache folder: a real directory, owned by this user, private to it (made 0700).
bool private_folder(const fs::path& folder) {
  std::error_code ec;
  fs::create_directories(folder, ec);
  struct stat st {};
  if (::lstat(folder.c_str(), &st) != 0) return false;
  if (!S_ISDIR(st.st_mode) || st.st_uid != ::geteuid()) return false;
  if ((st.st_mode & 077) != 0) {  // private, like the temporary copies it replaces
    if (::chmod(folder.c_str(), 0700) != 0) return false;
  }
  return ::access(folder.c_str(), W_OK | X_OK) == 0;
}

fs::path cache_folder_candidate() {
  if (const char* dir = std::getenv("HELPLINE_CACHE_DIR"); dir != nullptr && *dir != '\0') return dir;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg == '/') {
    return fs::path(xdg) / "helpline";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home == '/') {
    return fs::path(home) / ".cache" / "helpline";
  }
  std::error_code ec;
  const auto temp = fs::temp_directory_path(ec);
  if (ec) return {};
  return temp / ("helpline-cache-" + std::to_string(::geteuid()));
}

}  // namespace

std::optional<folded_dictionary_cache> folded_dictionary_cache::open() {
  const fs::path folder = cache_folder_candidate();
  if (folder.empty() || !private_folder(folder)) return std::nullopt;
  return folded_dictionary_cache(folder);
}

std::string folded_dictionary_cache::key(const fs::path& aff, const fs::path& dic) {
  fnv1a hash;
  hash.add(std::to_string(folded_dictionary::fold_version));
  hash.add(folding_fingerprint());
  if (!add_file(hash, aff) || !add_file(hash, dic)) return {};
  static constexpr char digits[] = "0123456789abcdef";
  std::string hex(16, '0');
  for (int i = 15; i >= 0; --i) {
    hex[static_cast<std::size_t>(i)] = digits[hash.h & 0xF];
    hash.h >>= 4;
  }
  return dic.stem().string() + "-" + hex;
}

std::optional<folded_dictionary_cache::entry> folded_dictionary_cache::find(const fs::path& aff,
                                                                            const fs::path& dic) const {
  const std::string k = key(aff, dic);
  if (k.empty()) return std::nullopt;
  entry e{folder_ / (k + ".aff"), folder_ / (k + ".dic")};
  std::error_code ec;
  if (!fs::is_regular_file(e.aff, ec) || !fs::is_regular_file(e.dic, ec)) return std::nullopt;
  return e;
}

bool folded_dictionary_cache::store(const fs::path& aff, const fs::path& dic, const fs::path& folded_aff,
                                    const fs::path& folded_dic) const {
  const std::string k = key(aff, dic);
  if (k.empty()) return false;
  // A unique temporary name per process, so two processes storing at once do not mix their files.
  std::random_device random;
  const std::string tmp = ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(random());
  std::error_code ec;
  // The .dic goes in last: find() needs both, so a reader never pairs a new .aff with nothing.
  for (const auto& [from, ext] : {std::pair{folded_aff, ".aff"}, std::pair{folded_dic, ".dic"}}) {
    const fs::path staged = folder_ / (tmp + ext);
    fs::copy_file(from, staged, fs::copy_options::overwrite_existing, ec);
    if (!ec) fs::rename(staged, folder_ / (k + ext), ec);
    if (ec) {
      fs::remove(staged, ec);
      return false;
    }
  }
  // Copies of older versions of the same dictionary are never used again, nor are staged files a
  // killed process left behind (an hour old: no store takes that long), so the folder stays bounded.
  const std::string prefix = dic.stem().string() + "-";
  const auto stale_before = fs::file_time_type::clock::now() - std::chrono::hours(1);
  for (const auto& other : fs::directory_iterator(folder_, ec)) {
    const std::string name = other.path().filename().string();
    std::error_code ignored;
    const bool old_version = name.size() == prefix.size() + 20 && name.starts_with(prefix) && !name.starts_with(k);
    const bool abandoned = name.starts_with(".tmp-") && fs::last_write_time(other.path(), ignored) < stale_before;
    if (old_version || abandoned) fs::remove(other.path(), ignored);
  }
  return true;
}

}  // namespace triage
