#include "folded_dictionary.hpp"

#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <system_error>

#include "triage/content_error.hpp"

namespace triage {
namespace {

constexpr char32_t table_limit = 0x3000;

std::string read_whole(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw content_error(file, 0, "cannot read the dictionary file");
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw content_error(file, 0, "cannot read the dictionary file");
  return s;
}

void write_whole(const std::filesystem::path& file, std::string_view text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) throw std::system_error(errno, std::generic_category(), "cannot write " + file.string());
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    auto line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const auto start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) fields.push_back(line.substr(start, i - start));
  }
  return fields;
}

bool starts_with_keyword(std::string_view line, std::string_view keyword) {
  return line.size() > keyword.size() && line.starts_with(keyword) &&
         (line[keyword.size()] == ' ' || line[keyword.size()] == '\t');
}

bool is_utf8_name(std::string_view encoding) {
  std::string lower;
  for (const char c : encoding) {
    if (c != '-' && c != '_') lower.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  }
  return lower == "utf8";
}

// The encoding named by the .aff's SET line; Hunspell's default is ISO8859-1.
std::string aff_encoding(std::string_view raw_aff) {
  if (raw_aff.starts_with("\xEF\xBB\xBF")) raw_aff.remove_prefix(3);
  for (const auto line : split_lines(raw_aff)) {
    if (starts_with_keyword(line, "SET")) return std::string(trim(line.substr(3)));
  }
  return "ISO8859-1";
}

std::string to_utf8(std::string_view bytes, const std::string& encoding,
                    const std::filesystem::path& file) {
  if (is_utf8_name(encoding)) {
    if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);  // en_GB has a byte order mark
    return std::string(bytes);
  }
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, decltype(&ucnv_close)> conv(ucnv_open(encoding.c_str(), &status),
                                                          &ucnv_close);
  if (U_FAILURE(status) || !conv) {
    throw content_error(file, 0, "unknown dictionary encoding '" + encoding + "' (SET line)");
  }
  icu::UnicodeString text(bytes.data(), static_cast<std::int32_t>(bytes.size()), conv.get(), status);
  if (U_FAILURE(status)) {
    throw content_error(file, 0, "cannot convert the dictionary from " + encoding + " to UTF-8");
  }
  std::string out;
  text.toUTF8String(out);
  return out;
}

void append_utf8(std::string& out, char32_t cp) {
  char buf[4];
  std::int32_t len = 0;
  UBool error = false;
  U8_APPEND(buf, len, 4, static_cast<UChar32>(cp), error);
  if (!error) out.append(buf, static_cast<std::size_t>(len));
}

// Code points of a UTF-8 string (invalid bytes come out as U+FFFD, which folds to a separator).
std::u32string code_points(std::string_view s) {
  std::u32string out;
  std::int32_t i = 0;
  const auto n = static_cast<std::int32_t>(s.size());
  while (i < n) {
    UChar32 cp = 0;
    U8_NEXT(s.data(), i, n, cp);
    out.push_back(cp < 0 ? U'\uFFFD' : static_cast<char32_t>(cp));
  }
  return out;
}

// One .dic line split into the word and the rest ("/flags", morphological fields), kept verbatim.
struct dic_line {
  std::string word;        // unescaped ("\/" -> "/")
  std::string_view rest;
  bool single_word = true;  // false: "Reino Unido", never one token
};

dic_line split_dic_line(std::string_view line) {
  dic_line d;
  std::size_t i = 0;
  while (i < line.size()) {
    const char c = line[i];
    if (c == '\\' && i + 1 < line.size() && line[i + 1] == '/') {
      d.word.push_back('/');
      i += 2;
      continue;
    }
    if (c == '/' || c == '\t') break;
    if (c == ' ') {
      // Hunspell starts the morphological fields at a space followed by a "xx:" tag; any other
      // text after a space makes a multi-word entry. Trailing spaces are dropped.
      const auto after = trim(line.substr(i));
      if (after.empty() || (after.size() >= 3 && after[2] == ':')) break;
      d.single_word = false;
    }
    d.word.push_back(c);
    ++i;
  }
  d.rest = line.substr(i);
  return d;
}

}  // namespace

folded_dictionary::folded_dictionary(const std::filesystem::path& aff, const std::filesystem::path& dic,
                                     const text_normaliser& normaliser)
    : normaliser_(normaliser), fold_table_(table_limit) {
  const std::string raw_aff = read_whole(aff);
  const std::string raw_dic = read_whole(dic);
  const std::string encoding = aff_encoding(raw_aff);
  const std::string utf8_aff = to_utf8(raw_aff, encoding, aff);
  const std::string utf8_dic = to_utf8(raw_dic, encoding, dic);

  // The .dic first: folding the .aff's conditions needs to know which letters the words use.
  const std::string dic_text = fold_dic(utf8_dic);
  // An 8-bit dictionary without a FLAG line has one-byte flags; converted to UTF-8, a flag above
  // 0x7F would become two bytes, i.e. two flags. FLAG UTF-8 keeps each one a single flag.
  const std::string aff_text = fold_aff(utf8_aff, !is_utf8_name(encoding));

  std::string pattern = (std::filesystem::temp_directory_path() / "helpline-hunspell-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {  // mode 0700: private to this user
    throw std::system_error(errno, std::generic_category(), "cannot create " + pattern);
  }
  folder_ = pattern;
  try {
    aff_out_ = folder_ / aff.filename();
    dic_out_ = folder_ / dic.filename();
    write_whole(aff_out_, aff_text);
    write_whole(dic_out_, dic_text);
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove_all(folder_, ec);
    throw;
  }
}

folded_dictionary::~folded_dictionary() {
  std::error_code ec;
  std::filesystem::remove_all(folder_, ec);  // nothing to do about a failure in a destructor
}

const folded_dictionary::char_fold& folded_dictionary::fold_char(char32_t cp) {
  char_fold* f = nullptr;
  if (cp < table_limit) {
    f = &fold_table_[cp];
  } else {
    f = &fold_other_[cp];
  }
  if (f->known) return *f;
  // Ask text_normaliser itself, so the folding can never drift from the one chat text gets: the
  // letter between two x's is inside a word, where apostrophes are dropped rather than splitting.
  std::string probe = "x";
  append_utf8(probe, cp);
  probe += "x";
  const auto words = normaliser_.normalise_words(probe);
  f->known = true;
  f->in_word = words.size() == 1 && words[0].size() >= 2;
  if (f->in_word) f->text = words[0].substr(1, words[0].size() - 2);
  return *f;
}

bool folded_dictionary::fold_word(std::string_view utf8, std::string& out) {
  out.clear();
  for (const char32_t cp : code_points(utf8)) {
    const auto& f = fold_char(cp);
    if (!f.in_word) return false;
    out += f.text;
  }
  return true;
}

void folded_dictionary::note_letters(std::string_view utf8) {
  for (const char32_t cp : code_points(utf8)) {
    const auto& f = fold_char(cp);
    if (!f.in_word || f.text.empty()) continue;
    const auto lower = static_cast<char32_t>(u_foldCase(static_cast<UChar32>(cp), U_FOLD_CASE_DEFAULT));
    auto& src = sources_[f.text];
    if (std::find(src.begin(), src.end(), lower) == src.end()) src.push_back(lower);
  }
}

std::string folded_dictionary::fold_condition(std::string_view condition) {
  const std::u32string cps = code_points(condition);
  std::string out;
  std::size_t i = 0;
  while (i < cps.size()) {
    const char32_t c = cps[i];
    if (c == U'.') {
      out += '.';
      ++i;
      continue;
    }
    if (c != U'[') {
      const auto& f = fold_char(c);
      if (f.in_word) {
        out += f.text;  // an apostrophe vanishes, as it does from the words
      } else {
        append_utf8(out, c);  // only words that are dropped anyway could end in a separator
      }
      ++i;
      continue;
    }
    // A class "[...]" or "[^...]".
    std::size_t j = i + 1;
    const bool negated = j < cps.size() && cps[j] == U'^';
    if (negated) ++j;
    std::vector<std::string> members;
    for (; j < cps.size() && cps[j] != U']'; ++j) {
      const auto& f = fold_char(cps[j]);
      if (!f.in_word || f.text.empty()) continue;
      const std::u32string folded = code_points(f.text);
      std::string one;
      append_utf8(one, folded[0]);
      if (negated) {
        // Excluding a letter that folding merges with another would also exclude the other
        // one's words ("[^ą]" -> "[^a]"): drop it, the rule then applies to both.
        if (folded.size() > 1) continue;
        const auto src = sources_.find(f.text);
        if (src != sources_.end() && src->second.size() > 1) continue;
      }
      // A class holds single letters: "ß" -> "ss" is represented by its first letter (this only
      // ever widens the class).
      if (std::find(members.begin(), members.end(), one) == members.end()) members.push_back(one);
    }
    i = j < cps.size() ? j + 1 : j;
    if (members.empty()) {
      out += '.';
    } else if (!negated && members.size() == 1) {
      out += members[0];
    } else {
      out += negated ? "[^" : "[";
      for (const auto& m : members) out += m;
      out += ']';
    }
  }
  return out.empty() ? std::string(".") : out;
}

std::string folded_dictionary::fold_dic(std::string_view utf8_dic) {
  const auto lines = split_lines(utf8_dic);
  std::vector<dic_line> entries;
  entries.reserve(lines.size());
  for (std::size_t k = 1; k < lines.size(); ++k) {  // line 1 is the (approximate) word count
    if (trim(lines[k]).empty()) continue;
    entries.push_back(split_dic_line(lines[k]));
    note_letters(entries.back().word);
  }
  std::string body;
  body.reserve(utf8_dic.size());
  std::string folded;
  for (const auto& e : entries) {
    if (!e.single_word || !fold_word(e.word, folded) || folded.empty()) {
      ++dropped_;
      continue;
    }
    // A word that now holds '/' cannot (fold_word refuses separators), so no escaping is needed.
    body += folded;
    body += e.rest;
    body += '\n';
    ++words_;
  }
  return std::to_string(words_) + "\n" + body;
}

std::string folded_dictionary::fold_aff(std::string_view utf8_aff, bool add_utf8_flag) {
  const auto lines = split_lines(utf8_aff);
  bool has_flag_line = false;
  bool has_set_line = false;
  for (const auto line : lines) {
    has_flag_line = has_flag_line || starts_with_keyword(line, "FLAG");
    has_set_line = has_set_line || starts_with_keyword(line, "SET");
  }

  // Which lines are affix rules: a "PFX/SFX flag Y count" header is followed by `count` lines,
  // which Hunspell reads as its rules whatever they hold.
  std::vector<bool> is_rule(lines.size(), false);
  std::size_t rules_left = 0;
  std::string_view tag;
  for (std::size_t k = 0; k < lines.size(); ++k) {
    const auto fields = split_fields(lines[k]);
    if (rules_left > 0) {
      --rules_left;
      is_rule[k] = fields.size() >= 4 && fields[0] == tag;
    } else if (!fields.empty() && (fields[0] == "PFX" || fields[0] == "SFX") && fields.size() >= 4) {
      tag = fields[0];
      rules_left = std::strtoul(std::string(fields[3]).c_str(), nullptr, 10);
    }
  }
  // The affixes' letters count as dictionary letters too (see fold_condition).
  for (std::size_t k = 0; k < lines.size(); ++k) {
    if (!is_rule[k]) continue;
    const auto fields = split_fields(lines[k]);
    note_letters(fields[2]);
    note_letters(fields[3].substr(0, fields[3].find('/')));
  }

  std::string out;
  out.reserve(utf8_aff.size());
  const std::string_view encoding_lines =
      add_utf8_flag && !has_flag_line ? "SET UTF-8\nFLAG UTF-8\n" : "SET UTF-8\n";
  if (!has_set_line) out += encoding_lines;  // without one, Hunspell would read it as ISO8859-1
  std::string strip;
  std::string add;
  for (std::size_t k = 0; k < lines.size(); ++k) {
    const auto line = lines[k];
    if (starts_with_keyword(line, "SET")) {
      out += encoding_lines;
      continue;
    }
    const auto fields = is_rule[k] ? split_fields(line) : std::vector<std::string_view>{};
    // "SFX flag strip add[/flags] condition [morphology...]"; "0" is the empty string.
    const auto add_field = fields.empty() ? std::string_view{} : fields[3];
    const auto slash = add_field.find('/');
    const auto add_text = add_field.substr(0, slash);
    const auto add_flags = slash == std::string_view::npos ? std::string_view{} : add_field.substr(slash);
    const bool folded = is_rule[k] && (fields[2] == "0" || fold_word(fields[2], strip)) &&
                        (add_text == "0" || fold_word(add_text, add));
    if (!folded) {
      // Not a rule, or a hyphenated or dotted affix, which only builds words that are never one
      // token: kept as it is.
      out += line;
      out += '\n';
      continue;
    }
    if (fields[2] == "0") strip.clear();
    if (add_text == "0") add.clear();
    out += fields[0];
    out += ' ';
    out += fields[1];
    out += ' ';
    out += strip.empty() ? std::string_view("0") : std::string_view(strip);
    out += ' ';
    out += add.empty() ? std::string_view("0") : std::string_view(add);
    out += add_flags;
    out += ' ';
    out += fields.size() >= 5 ? fold_condition(fields[4]) : std::string(".");
    for (std::size_t f = 5; f < fields.size(); ++f) {
      out += ' ';
      out += fields[f];
    }
    out += '\n';
  }
  return out;
}

}  // namespace triage
