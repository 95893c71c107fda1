#pragma once
// Keeps folded copies of Hunspell dictionaries (folded_dictionary) between processes. Folding a
// large dictionary (pl_PL: 4 MB, 300,000 entries) costs more than Hunspell's own load, and every
// helpline process, content reload and test process pays it; the copy depends only on the two
// source files and on how this build folds, so it is made once and reused.
//
// The cache is a folder private to the user (owned by the user, made 0700, not a symlink):
// $HELPLINE_CACHE_DIR, else $XDG_CACHE_HOME/helpline, else $HOME/.cache/helpline, else
// <temp>/helpline-cache-<uid>. An entry is named after a hash of both source files (path, size,
// modification time) and of how this build folds, so a dictionary upgrade makes a new entry
// instead of reusing a stale one (older entries of the same dictionary are removed). Entries are
// written under a temporary name and renamed, so a reader never sees half a file. When no folder
// can be used, the lemmatiser folds into a private temporary folder as before.
#include <filesystem>
#include <optional>
#include <string>

namespace triage {

class folded_dictionary_cache {
 public:
  struct entry {
    std::filesystem::path aff;
    std::filesystem::path dic;
  };

  // The cache folder for this user, created if missing; nullopt when none is usable.
  static std::optional<folded_dictionary_cache> open();

  // Paths of the folded copy of (aff, dic) if the cache holds one.
  std::optional<entry> find(const std::filesystem::path& aff, const std::filesystem::path& dic) const;
  // Stores a folded copy (copies the files, then renames them into place). Best effort: returns
  // false when it could not (the caller already has its own copy).
  bool store(const std::filesystem::path& aff, const std::filesystem::path& dic,
             const std::filesystem::path& folded_aff, const std::filesystem::path& folded_dic) const;

  const std::filesystem::path& folder() const { return folder_; }

 private:
  explicit folded_dictionary_cache(std::filesystem::path folder) : folder_(std::move(folder)) {}
  // <dictionary name>-<16 hex digits of a hash of both files and the fold version>
  static std::string key(const std::filesystem::path& aff, const std::filesystem::path& dic);

  std::filesystem::path folder_;
};

}  // namespace triage
