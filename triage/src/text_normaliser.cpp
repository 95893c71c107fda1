#include "triage/text_normaliser.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <memory>
#include <stdexcept>

namespace triage {
namespace {

// folded::info of a word character.
constexpr std::uint8_t info_letter = 1;      // a letter (not a digit, not a combining mark)
constexpr std::uint8_t info_latin = 2;       // a Latin letter (after NFKC: "ｓ", "𝐬" are Latin)
constexpr std::uint8_t info_other = 4;       // a digit or another non-letter word character
constexpr std::uint8_t info_confusable = 8;  // a letter of another script with a Latin prototype

// folded::info of a separator or punctuation character: the separator of spaced-out letters it
// is ("k-i-l-l"), 0 for none. The same values (with gap_*) describe what separates two tokens.
constexpr std::uint8_t sep_dot = 2;         // .
constexpr std::uint8_t sep_hyphen = 3;      // -
constexpr std::uint8_t sep_underscore = 4;  // _
constexpr std::uint8_t sep_star = 5;        // *
constexpr std::uint8_t sep_middle_dot = 6;  // ·
constexpr std::uint8_t gap_empty = 0;       // nothing yet
constexpr std::uint8_t gap_spaces = 1;      // one or more spaces
constexpr std::uint8_t gap_invalid = 7;     // anything else: spaced-out letters stop there

constexpr std::size_t min_spaced_letters = 3;

// Letters that have no canonical decomposition but are written without their stroke in chat
// ("pobilem" for "pobiłem"). Applied after case folding.
std::u32string_view stroke_letter(char32_t c) {
  switch (c) {
    case U'\u0142': return U"l";   // ł
    case U'\u00f8': return U"o";   // ø
    case U'\u0111': return U"d";   // đ
    case U'\u0127': return U"h";   // ħ
    case U'\u0131': return U"i";   // dotless ı
    case U'\u00e6': return U"ae";  // æ
    case U'\u0153': return U"oe";  // œ
    case U'\u00fe': return U"th";  // þ
    case U'\u00f0': return U"d";   // ð
    case U'\u0140': return U"l";   // ŀ
    case U'\u0167': return U"t";   // ŧ
    default: return {};
  }
}

bool is_sentence_punct(std::int32_t cp) {
  switch (cp) {
    case 0x2026:  // …
    case 0x3002:  // 。
    case 0x00A1:  // ¡ (starts a Spanish sentence)
    case 0x00BF:  // ¿
    case 0x061F:  // Arabic question mark
    case 0x06D4:  // Arabic full stop
    case 0x0964:  // Devanagari danda
    case 0xFF01: case 0xFF1F:
    case 0x2028: case 0x2029: case 0x0085:  // line/paragraph separators
      return true;
    default:
      return false;
  }
}

bool is_apostrophe(std::int32_t cp) {
  return cp == 0x27 || cp == 0x2019 || cp == 0x2018 || cp == 0x02BC || cp == 0x60 || cp == 0xB4;
}

// Separators of spaced-out letters outside ASCII (full-width forms reach them through NFKC).
std::uint8_t run_separator(std::int32_t cp) {
  switch (cp) {
    case 0x00B7: case 0x2027: case 0x30FB: case 0xFF65:  // middle dot, hyphenation point
    case 0x2022: case 0x2219: case 0x22C5:               // bullet, bullet and dot operators
      return sep_middle_dot;
    case 0x2010: case 0x2011:  // hyphen, non-breaking hyphen
      return sep_hyphen;
    default:
      return 0;
  }
}

bool is_mark_type(UCharCategory t) {
  return t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK || t == U_COMBINING_SPACING_MARK;
}

UCharCategory char_type(UChar32 c) { return static_cast<UCharCategory>(u_charType(c)); }

const icu::Normalizer2& normaliser_instance(const icu::Normalizer2* (*get)(UErrorCode&), const char* what) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = get(status);
  if (U_FAILURE(status) || n == nullptr) throw std::runtime_error(std::string("ICU ") + what + " normaliser unavailable");
  return *n;
}
const icu::Normalizer2& nfkc() { return normaliser_instance(&icu::Normalizer2::getNFKCInstance, "NFKC"); }
const icu::Normalizer2& nfkd() { return normaliser_instance(&icu::Normalizer2::getNFKDInstance, "NFKD"); }

// NFKD of one code point: compatibility forms ("ｓ", "𝐬", "ﬁ", "ⓐ", "⒜") become plain letters
// and accents combining marks.
icu::UnicodeString decompose(UChar32 cp) {
  icu::UnicodeString d;
  if (!nfkd().getDecomposition(cp, d)) d.setTo(cp);
  return d;
}

icu::UnicodeString normalize(const icu::Normalizer2& n, const icu::UnicodeString& s) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString out = n.normalize(s, status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU normalisation failed");
  return out;
}

icu::UnicodeString without_marks(const icu::UnicodeString& s) {
  icu::UnicodeString out;
  for (std::int32_t k = 0; k < s.length();) {
    const UChar32 c = s.char32At(k);
    const auto t = char_type(c);
    if (t != U_NON_SPACING_MARK && t != U_ENCLOSING_MARK) out.append(c);
    k += U16_LENGTH(c);
  }
  return out;
}

UScriptCode script_of(UChar32 c) {
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode s = uscript_getScript(c, &status);
  return U_FAILURE(status) ? USCRIPT_UNKNOWN : s;
}

bool is_neutral_script(UScriptCode s) {
  return s == USCRIPT_LATIN || s == USCRIPT_COMMON || s == USCRIPT_INHERITED || s == USCRIPT_UNKNOWN;
}

// ICU's confusable data (UTS #39), opened once per process; uspoof_getSkeleton is thread-safe.
const USpoofChecker& spoof_checker() {
  static const std::unique_ptr<USpoofChecker, decltype(&uspoof_close)> checker = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<USpoofChecker, decltype(&uspoof_close)> c(uspoof_open(&status), &uspoof_close);
    if (U_FAILURE(status) || c == nullptr) throw std::runtime_error("ICU confusable data unavailable");
    return c;
  }();
  return *checker;
}

constexpr std::size_t max_prototype = 4;

// The skeleton of `s` as lower-case ASCII letters, or "" when it is anything else.
std::string ascii_skeleton(const icu::UnicodeString& s) {
  std::array<UChar, 32> buf{};
  UErrorCode status = U_ZERO_ERROR;
  const std::int32_t len = uspoof_getSkeleton(&spoof_checker(), 0, s.getBuffer(), s.length(), buf.data(),
                                              static_cast<std::int32_t>(buf.size()), &status);
  if (U_FAILURE(status)) return {};
  std::string out;
  for (std::int32_t k = 0; k < len; ++k) {
    const UChar c = buf[static_cast<std::size_t>(k)];
    if (c >= 'a' && c <= 'z') out.push_back(static_cast<char>(c));
    else if (c >= 'A' && c <= 'Z') out.push_back(static_cast<char>(c - 'A' + 'a'));
    else if (char_type(c) != U_NON_SPACING_MARK) return {};  // "ë" -> "e": the accent goes anyway
  }
  return out.size() <= max_prototype ? out : std::string();
}

// Letters of these scripts may look Latin; ideographs and Hangul never do.
bool may_look_latin(UChar32 letter) {
  const UScriptCode s = script_of(letter);
  return !is_neutral_script(s) && s != USCRIPT_HAN && s != USCRIPT_HANGUL;
}

struct prototype {
  std::uint8_t size = 0;
  std::array<char, max_prototype> bytes{};
};

// The Latin prototype of a letter of another script (`d`: its NFKD), from ICU's confusable
// skeleton of that one letter: Cyrillic "а" -> "a", Greek "ο" -> "o", Cherokee "Ꭺ" -> "a". Lower
// case first ("І" -> "і" -> "i", not the "l" of "I"), then as written (Cyrillic "М" -> "m").
// Empty when the skeleton is not made of ASCII letters.
prototype compute_prototype(const icu::UnicodeString& d) {
  icu::UnicodeString lower(d);
  lower.foldCase();
  std::string p = ascii_skeleton(lower);
  if (p.empty()) p = ascii_skeleton(d);
  prototype out;
  out.size = static_cast<std::uint8_t>(p.size());
  std::copy(p.begin(), p.end(), out.bytes.begin());
  return out;
}

// Prototypes of the letters below U+3000 are computed once per process and shared by every
// normaliser's table; letters above go to ICU (and the caller's per-thread cache).
constexpr std::int32_t shared_prototypes = 0x3000;

prototype latin_prototype(std::int32_t cp, const icu::UnicodeString& d) {
  if (cp >= shared_prototypes) return compute_prototype(d);
  static const std::vector<prototype> shared = [] {
    std::vector<prototype> t(static_cast<std::size_t>(shared_prototypes));
    for (UChar32 c = 0x80; c < shared_prototypes; ++c) {
      if (!u_hasBinaryProperty(c, UCHAR_ALPHABETIC)) continue;
      const icu::UnicodeString dc = decompose(c);
      if (!dc.isEmpty() && may_look_latin(dc.char32At(0))) t[static_cast<std::size_t>(c)] = compute_prototype(dc);
    }
    return t;
  }();
  return shared[static_cast<std::size_t>(cp)];
}

std::atomic<std::uint64_t> next_normaliser_id{1};

// Joins tokens [b, e) into one (spaced-out letters): their normalised bytes become contiguous, the
// source span covers the run. Tokens after e move back.
void join_tokens(normalised_text& out, std::size_t b, std::size_t e) {
  auto& tokens = out.tokens;
  auto& text = out.text;
  auto& offsets = out.src_offset;
  text_token merged = tokens[b];
  std::uint32_t w = merged.norm_end;
  for (std::size_t k = b + 1; k < e; ++k) {
    for (std::uint32_t p = tokens[k].norm_begin; p < tokens[k].norm_end; ++p, ++w) {
      text[w] = text[p];
      offsets[w] = offsets[p];
    }
  }
  merged.norm_end = w;
  merged.src_end = tokens[e - 1].src_end;
  merged.joined = true;
  text[w] = ' ';
  offsets[w] = merged.src_end;
  ++w;
  const std::uint32_t rest = tokens[e - 1].norm_end + 1;  // after the run's last space
  const std::uint32_t shift = rest - w;
  for (std::uint32_t p = rest; p < text.size(); ++p, ++w) {
    text[w] = text[p];
    offsets[w] = offsets[p];
  }
  text.resize(w);
  offsets.resize(w);
  tokens[b] = merged;
  for (std::size_t k = e; k < tokens.size(); ++k) {
    tokens[k].norm_begin -= shift;
    tokens[k].norm_end -= shift;
  }
  tokens.erase(tokens.begin() + static_cast<std::ptrdiff_t>(b + 1), tokens.begin() + static_cast<std::ptrdiff_t>(e));
}

}  // namespace

std::uint32_t normalised_text::original_offset(std::size_t norm_pos) const {
  return norm_pos < src_offset.size() ? src_offset[norm_pos] : original_size;
}

std::uint32_t normalised_text::first_letter_size(const text_token& t) const {
  std::uint32_t k = t.norm_begin;
  while (k < t.norm_end && src_offset[k] == src_offset[t.norm_begin]) ++k;
  return k - t.norm_begin;
}

bool normalised_text::split_joined_token(std::size_t i, std::string_view original) {
  if (i >= tokens.size() || !tokens[i].joined) return false;
  const text_token t = tokens[i];
  const std::uint32_t k = t.norm_begin + first_letter_size(t);
  if (k >= t.norm_end) return false;
  // The letter's source: its code point and the combining marks after it.
  const auto n = static_cast<std::int32_t>(std::min<std::size_t>(original.size(), 0x7FFFFFFF));
  auto p = static_cast<std::int32_t>(src_offset[t.norm_begin]);
  UChar32 c = 0;
  U8_NEXT(original.data(), p, n, c);
  while (p < n) {
    std::int32_t q = p;
    U8_NEXT(original.data(), q, n, c);
    if (c < 0 || !is_mark_type(char_type(c))) break;
    p = q;
  }
  text_token first = t;
  first.norm_end = k;
  first.src_end = static_cast<std::uint32_t>(std::min(p, static_cast<std::int32_t>(t.src_end)));
  first.joined = false;
  text_token rest = t;
  rest.norm_begin = k + 1;
  rest.norm_end = t.norm_end + 1;
  rest.src_begin = src_offset[k];
  rest.break_before = token_break::none;
  text.insert(text.begin() + k, ' ');
  src_offset.insert(src_offset.begin() + k, first.src_end);
  for (std::size_t j = i + 1; j < tokens.size(); ++j) {
    ++tokens[j].norm_begin;
    ++tokens[j].norm_end;
  }
  tokens[i] = first;
  tokens.insert(tokens.begin() + static_cast<std::ptrdiff_t>(i + 1), rest);
  return true;
}

void normalised_text::clear() {
  text.clear();
  src_offset.clear();
  tokens.clear();
  original_size = 0;
}

text_normaliser::text_normaliser(std::string_view keep_marks)
    : id_(next_normaliser_id.fetch_add(1, std::memory_order_relaxed)) {
  // Letters to keep as written (apart from case).
  std::int32_t i = 0;
  const auto n = static_cast<std::int32_t>(keep_marks.size());
  while (i < n) {
    UChar32 cp = 0;
    U8_NEXT(keep_marks.data(), i, n, cp);
    if (cp < 0 || u_isspace(cp)) continue;
    keep_marks_.push_back(cp);
    keep_marks_.push_back(u_foldCase(cp, U_FOLD_CASE_DEFAULT));
    keep_marks_.push_back(u_toupper(cp));
  }
  std::sort(keep_marks_.begin(), keep_marks_.end());
  table_.resize(table_size);
  for (std::int32_t cp = 0; cp < table_size; ++cp) table_[static_cast<std::size_t>(cp)] = fold_slow(cp);
}

text_normaliser::folded text_normaliser::fold_slow(std::int32_t cp) const {
  folded f;
  if (cp < 0x80) {
    const char c = static_cast<char>(cp);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      f.cls = char_class::word;
      f.size = 1;
      f.bytes[0] = c;
      f.info = c <= '9' ? info_other : info_letter | info_latin;
    } else if (c >= 'A' && c <= 'Z') {
      f.cls = char_class::word;
      f.size = 1;
      f.bytes[0] = static_cast<char>(c - 'A' + 'a');
      f.info = info_letter | info_latin;
    } else if (c == ' ' || c == '\t') {
      f.cls = char_class::space;
    } else if (c == '\'' || c == '`') {
      f.cls = char_class::apostrophe;
    } else if (c == '.' || c == '!' || c == '?' || c == ';' || c == '\n' || c == '\r') {
      f.cls = char_class::sentence_punct;
      if (c == '.') f.info = sep_dot;
    } else if (c == ',' || c == ':' || c == '(' || c == ')' || c == '[' || c == ']' || c == '{' ||
               c == '}' || c == '/') {
      f.cls = char_class::clause_punct;
    } else if (c == '-') {
      f.info = sep_hyphen;
    } else if (c == '_') {
      f.info = sep_underscore;
    } else if (c == '*') {
      f.info = sep_star;
    }
    return f;
  }
  // Zero-width space and joiners, soft hyphen, word joiner, BOM, variation selectors, tags...:
  // invisible, so dropped without ending the word ("str\u200Bangled" is "strangled").
  if (u_hasBinaryProperty(cp, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) {
    f.cls = char_class::ignorable;
    return f;
  }
  if (is_apostrophe(cp)) {
    f.cls = char_class::apostrophe;
    return f;
  }
  const auto type = char_type(cp);
  const bool is_mark = is_mark_type(type);
  icu::UnicodeString d = decompose(cp);
  if (!(u_isalnum(cp) || is_mark || u_hasBinaryProperty(cp, UCHAR_ALPHABETIC))) {
    // Full-width and other compatibility forms of ASCII punctuation and spaces ("．", no-break
    // space) behave as the ASCII character.
    if (d.length() == 1 && d[0] < 0x80) return fold_slow(d[0]);
    if (is_sentence_punct(cp)) {
      f.cls = char_class::sentence_punct;
      return f;
    }
    if (type == U_SPACE_SEPARATOR) {
      f.cls = char_class::space;
      return f;
    }
    // Parenthesised and other enclosed letters that are symbols, not letters ("⒜" -> "(a)"): a
    // word character when NFKD gives one letter, apart from brackets and full stops.
    icu::UnicodeString letter;
    int letters = 0;
    bool other = false;
    for (std::int32_t j = 0; j < d.length();) {
      const UChar32 c = d.char32At(j);
      j += U16_LENGTH(c);
      const auto t = char_type(c);
      if (t == U_START_PUNCTUATION || t == U_END_PUNCTUATION || t == U_OTHER_PUNCTUATION) continue;
      if (is_mark_type(t) && letters == 1) {
        letter.append(c);
      } else if (!is_mark_type(t) && u_hasBinaryProperty(c, UCHAR_ALPHABETIC)) {
        ++letters;
        letter.append(c);
      } else {
        other = true;
      }
    }
    if (letters != 1 || other) {
      f.info = run_separator(cp);
      if (type == U_DASH_PUNCTUATION || type == U_START_PUNCTUATION || type == U_END_PUNCTUATION ||
          type == U_OTHER_PUNCTUATION) {
        f.cls = char_class::clause_punct;
      }
      return f;
    }
    d = letter;
  }
  f.cls = char_class::word;
  // Compatibility forms first ("ｓ", "𝐬", "ﬁ", "ⓐ" are plain letters), then accents and case.
  const bool keep = std::binary_search(keep_marks_.begin(), keep_marks_.end(), cp);
  icu::UnicodeString s;
  if (keep) {
    s = normalize(nfkc(), icu::UnicodeString(static_cast<UChar32>(cp)));
    s.foldCase();
  } else {
    s = without_marks(d);
    s.foldCase();
    s = without_marks(s);  // folding can add a mark back (U+0130 alone folds to "i" + dot above)
  }
  std::u32string out32;
  for (std::int32_t k = 0; k < s.length();) {
    const UChar32 c = s.char32At(k);
    k += U16_LENGTH(c);
    // Spaces and punctuation inside a compatibility form ("ŉ" -> "ʼn") are not part of the word.
    if (is_apostrophe(c) || !(u_isalnum(c) || u_hasBinaryProperty(c, UCHAR_ALPHABETIC) || is_mark_type(char_type(c))))
      continue;
    const auto repl = keep ? std::u32string_view{} : stroke_letter(static_cast<char32_t>(c));
    if (!repl.empty()) {
      out32.append(repl);
    } else {
      out32.push_back(static_cast<char32_t>(c));
    }
  }
  for (char32_t c : out32) {
    std::array<std::uint8_t, 4> buf{};
    std::int32_t len = 0;
    UBool error = false;
    U8_APPEND(buf.data(), len, 4, static_cast<UChar32>(c), error);
    if (error || f.size + len > static_cast<std::int32_t>(sizeof f.bytes)) break;  // long ligatures are cut
    for (std::int32_t k = 0; k < len; ++k) f.bytes[f.size++] = static_cast<char>(buf[static_cast<std::size_t>(k)]);
  }
  // What kind of word character it is, judged on its compatibility form ("𝐬" is a Latin letter).
  const UChar32 base = d.isEmpty() ? cp : d.char32At(0);
  if (is_mark_type(char_type(base))) {
    f.info = 0;  // a combining mark belongs to the letter before it
  } else if (u_hasBinaryProperty(base, UCHAR_ALPHABETIC)) {
    f.info = info_letter;
    if (script_of(base) == USCRIPT_LATIN) {
      f.info |= info_latin;
    } else if (may_look_latin(base)) {
      const prototype proto = latin_prototype(cp, d);
      if (proto.size > 0 && proto.size <= f.size) {
        f.info |= info_confusable;
        f.alt_size = proto.size;
        std::copy(proto.bytes.begin(), proto.bytes.begin() + proto.size, f.alt);
      }
    }
  } else {
    f.info = info_other;
  }
  return f;
}

const text_normaliser::folded& text_normaliser::fold(std::int32_t cp, folded& scratch) const {
  if (cp >= 0 && cp < table_size) return table_[static_cast<std::size_t>(cp)];
  // Above the table: ICU, remembered per thread in a small direct-mapped cache (no lock, no
  // allocation). `owner` tells normalisers apart (their keep_marks differ).
  struct slot {
    std::uint64_t owner = 0;
    std::int32_t cp = -1;
    folded f;
  };
  thread_local std::array<slot, 512> cache;
  slot& e = cache[static_cast<std::size_t>(cp) & (cache.size() - 1)];
  if (e.owner != id_ || e.cp != cp) {
    e.f = fold_slow(cp);
    e.owner = id_;
    e.cp = cp;
  }
  scratch = e.f;
  return scratch;
}

void text_normaliser::apply_confusables(std::string_view utf8, normalised_text& out, std::size_t i) const {
  text_token& tok = out.tokens[i];
  auto& text = out.text;
  auto& offsets = out.src_offset;
  const auto n = static_cast<std::int32_t>(std::min<std::size_t>(utf8.size(), 0x7FFFFFFF));
  folded scratch;
  // The normalised bytes of one original character share its offset: walk them character by character.
  auto fold_at = [&](std::uint32_t offset) -> const folded& {
    auto p = static_cast<std::int32_t>(offset);
    UChar32 cp = 0;
    U8_NEXT(utf8.data(), p, n, cp);
    return cp < 0 ? table_[0] : fold(cp, scratch);
  };
  std::uint8_t info = 0;
  for (std::uint32_t p = tok.norm_begin; p < tok.norm_end;) {
    const std::uint32_t offset = offsets[p];
    info |= fold_at(offset).info;
    while (p < tok.norm_end && offsets[p] == offset) ++p;
  }
  if (!(info & info_latin) || !(info & info_confusable)) return;
  // A Latin prototype is never longer than the letter's own folded form: rewrite in place.
  std::uint32_t w = tok.norm_begin;
  for (std::uint32_t p = tok.norm_begin; p < tok.norm_end;) {
    const std::uint32_t offset = offsets[p];
    std::uint32_t end = p;
    while (end < tok.norm_end && offsets[end] == offset) ++end;
    const folded& f = fold_at(offset);
    if (f.alt_size > 0 && f.alt_size <= end - p) {
      for (std::uint8_t k = 0; k < f.alt_size; ++k, ++w) {
        text[w] = f.alt[k];
        offsets[w] = offset;
      }
    } else {
      for (std::uint32_t k = p; k < end; ++k, ++w) {
        text[w] = text[k];
        offsets[w] = offsets[k];
      }
    }
    p = end;
  }
  const std::uint32_t shift = tok.norm_end - w;
  if (shift == 0) return;
  for (std::uint32_t p = tok.norm_end; p < text.size(); ++p, ++w) {
    text[w] = text[p];
    offsets[w] = offsets[p];
  }
  text.resize(w);
  offsets.resize(w);
  tok.norm_end -= shift;
  for (std::size_t k = i + 1; k < out.tokens.size(); ++k) {
    out.tokens[k].norm_begin -= shift;
    out.tokens[k].norm_end -= shift;
  }
}

void text_normaliser::normalise(std::string_view utf8, normalised_text& out) const {
  out.clear();
  // Offsets are 32-bit: longer texts are screened up to 4 GiB - 1 (the server caps messages far lower).
  const auto n = static_cast<std::int32_t>(std::min<std::size_t>(utf8.size(), 0x7FFFFFFF));
  out.original_size = static_cast<std::uint32_t>(n);
  out.text.reserve(static_cast<std::size_t>(n) + 16);
  out.src_offset.reserve(static_cast<std::size_t>(n) + 16);
  const char* s = utf8.data();
  const folded* table = table_.data();
  bool in_token = false;
  bool pending_apostrophe = false;
  token_break pending_break = token_break::sentence;  // start of text starts a sentence
  text_token tok;
  folded scratch;
  // The token being read.
  std::uint8_t tok_info = 0;  // info bits of its characters
  std::uint8_t tok_gap = gap_invalid;
  bool tok_after_lone_dot = false;
  // What separates the last token from the next one: gap_* or sep_*.
  std::uint8_t gap = gap_invalid;
  bool gap_lone_dot = false;  // the gap starts with "." and has no other sentence punctuation
  // The current run of one-letter tokens (spaced-out letters).
  std::size_t run_begin = 0;
  std::size_t run_len = 0;
  std::uint8_t run_gap = gap_empty;

  // Joins a run of 3+ letters; `followed`: the token after the run is already in out.tokens.
  auto finish_run = [&](bool followed, bool next_after_lone_dot) {
    if (run_len >= min_spaced_letters) {
      join_tokens(out, run_begin, run_begin + run_len);
      apply_confusables(utf8, out, run_begin);
      // "k.i.l.l.e.d. her": the full stop ending dotted letters is not the end of a sentence.
      auto& next = out.tokens.back();
      if (followed && run_gap == sep_dot && next_after_lone_dot && next.break_before == token_break::sentence)
        next.break_before = token_break::clause;
    }
    run_len = 0;
  };

  auto close_token = [&] {
    tok.norm_end = static_cast<std::uint32_t>(out.text.size());
    out.text.push_back(' ');
    out.src_offset.push_back(tok.src_end);
    out.tokens.push_back(tok);
    in_token = false;
    if ((tok_info & info_latin) && (tok_info & info_confusable)) apply_confusables(utf8, out, out.tokens.size() - 1);
    // One letter: all its normalised bytes come from one character ("a", "ß"; marks add none).
    const text_token& closed = out.tokens.back();
    const bool single = (tok_info & (info_letter | info_other)) == info_letter &&
                        closed.norm_end > closed.norm_begin &&
                        out.src_offset[closed.norm_begin] == out.src_offset[closed.norm_end - 1];
    const bool letter_gap = tok_gap >= gap_spaces && tok_gap < gap_invalid;
    if (single && run_len > 0 && letter_gap && (run_len == 1 || tok_gap == run_gap)) {
      run_gap = tok_gap;
      ++run_len;
    } else if (single && run_len == 2 && letter_gap) {
      // "I s.t.r.a.n.g.l.e.d": two letters with another separator; the second starts the run.
      ++run_begin;
      run_gap = tok_gap;
    } else {
      if (run_len > 0) finish_run(true, tok_after_lone_dot);
      if (single) {
        run_begin = out.tokens.size() - 1;
        run_len = 1;
      }
    }
    gap = pending_apostrophe ? gap_invalid : gap_empty;
    gap_lone_dot = false;
    pending_apostrophe = false;
  };

  std::int32_t i = 0;
  while (i < n) {
    const std::int32_t start = i;
    const folded* f;
    const auto byte = static_cast<unsigned char>(s[i]);
    if (byte < 0x80) {
      f = &table[byte];
      ++i;
    } else {
      UChar32 cp = 0;
      U8_NEXT(s, i, n, cp);  // advances past invalid sequences, cp < 0 for them
      f = cp < 0 ? &table[0] : &fold(cp, scratch);
    }
    switch (f->cls) {
      case char_class::word:
        if (!in_token) {
          in_token = true;
          tok.norm_begin = static_cast<std::uint32_t>(out.text.size());
          tok.src_begin = static_cast<std::uint32_t>(start);
          tok.break_before = pending_break;
          pending_break = token_break::none;
          tok_info = 0;
          tok_gap = gap;
          tok_after_lone_dot = gap_lone_dot;
        }
        pending_apostrophe = false;
        tok_info |= f->info;
        for (std::uint8_t k = 0; k < f->size; ++k) {
          out.text.push_back(f->bytes[k]);
          out.src_offset.push_back(static_cast<std::uint32_t>(start));
        }
        tok.src_end = static_cast<std::uint32_t>(i);
        break;
      case char_class::ignorable:
        break;
      case char_class::apostrophe:
        if (in_token) {
          if (pending_apostrophe) close_token();  // two apostrophes in a row end the word
          else pending_apostrophe = true;
        } else {
          gap = gap_invalid;
        }
        break;
      case char_class::space:
        if (in_token) close_token();
        gap = gap <= gap_spaces ? gap_spaces : gap_invalid;
        break;
      case char_class::separator:
        if (in_token) close_token();
        gap = gap == gap_empty && f->info != 0 ? f->info : gap_invalid;
        break;
      case char_class::clause_punct:
        if (in_token) close_token();
        gap = gap == gap_empty && f->info != 0 ? f->info : gap_invalid;
        pending_break = std::max(pending_break, token_break::clause);
        break;
      case char_class::sentence_punct:
        if (in_token) close_token();
        gap_lone_dot = gap == gap_empty && f->info == sep_dot;
        gap = gap == gap_empty && f->info != 0 ? f->info : gap_invalid;
        pending_break = token_break::sentence;
        break;
    }
  }
  if (in_token) close_token();
  if (run_len > 0) finish_run(false, false);
}

std::vector<std::string> text_normaliser::normalise_words(std::string_view utf8) const {
  normalised_text nt;
  normalise(utf8, nt);
  std::vector<std::string> words;
  for (const auto& t : nt.tokens) words.emplace_back(nt.token_text(t));
  return words;
}

}  // namespace triage
