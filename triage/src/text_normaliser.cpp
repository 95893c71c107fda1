#include "triage/text_normaliser.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace triage {
namespace {

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
    case 0xFF01: case 0xFF1F: case 0xFF0E:
    case 0x2028: case 0x2029: case 0x0085:  // line/paragraph separators
      return true;
    default:
      return false;
  }
}

bool is_apostrophe(std::int32_t cp) {
  return cp == 0x27 || cp == 0x2019 || cp == 0x2018 || cp == 0x02BC || cp == 0x60 || cp == 0xB4;
}

}  // namespace

std::uint32_t normalised_text::original_offset(std::size_t norm_pos) const {
  return norm_pos < src_offset.size() ? src_offset[norm_pos] : original_size;
}

void normalised_text::clear() {
  text.clear();
  src_offset.clear();
  tokens.clear();
  original_size = 0;
}

text_normaliser::text_normaliser(std::string_view keep_marks) {
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
    } else if (c >= 'A' && c <= 'Z') {
      f.cls = char_class::word;
      f.size = 1;
      f.bytes[0] = static_cast<char>(c - 'A' + 'a');
    } else if (c == '\'' || c == '`') {
      f.cls = char_class::apostrophe;
    } else if (c == '.' || c == '!' || c == '?' || c == ';' || c == '\n' || c == '\r') {
      f.cls = char_class::sentence_punct;
    } else if (c == ',' || c == ':' || c == '(' || c == ')' || c == '[' || c == ']' || c == '{' ||
               c == '}' || c == '/') {
      f.cls = char_class::clause_punct;
    }
    return f;
  }
  if (is_apostrophe(cp)) {
    f.cls = char_class::apostrophe;
    return f;
  }
  if (is_sentence_punct(cp)) {
    f.cls = char_class::sentence_punct;
    return f;
  }
  const auto type = static_cast<UCharCategory>(u_charType(cp));
  const bool is_mark = type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK ||
                       type == U_COMBINING_SPACING_MARK;
  if (!(u_isalnum(cp) || is_mark || u_hasBinaryProperty(cp, UCHAR_ALPHABETIC))) {
    if (type == U_DASH_PUNCTUATION || type == U_START_PUNCTUATION || type == U_END_PUNCTUATION ||
        type == U_OTHER_PUNCTUATION) {
      f.cls = char_class::clause_punct;
    }
    return f;
  }
  f.cls = char_class::word;
  icu::UnicodeString s(static_cast<UChar32>(cp));
  const bool keep = std::binary_search(keep_marks_.begin(), keep_marks_.end(), cp);
  if (!keep) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    if (U_FAILURE(status)) throw std::runtime_error("ICU NFD normaliser unavailable");
    icu::UnicodeString decomposed = nfd->normalize(s, status);
    if (U_FAILURE(status)) throw std::runtime_error("ICU NFD normalisation failed");
    icu::UnicodeString without_marks;
    for (std::int32_t k = 0; k < decomposed.length();) {
      const UChar32 c = decomposed.char32At(k);
      const auto t = static_cast<UCharCategory>(u_charType(c));
      if (t != U_NON_SPACING_MARK && t != U_ENCLOSING_MARK) without_marks.append(c);
      k += U16_LENGTH(c);
    }
    s = without_marks;
  }
  s.foldCase();
  std::u32string out32;
  for (std::int32_t k = 0; k < s.length();) {
    const UChar32 c = s.char32At(k);
    k += U16_LENGTH(c);
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
    if (error || f.size + len > static_cast<std::int32_t>(sizeof f.bytes)) break;  // never for real letters
    for (std::int32_t k = 0; k < len; ++k) f.bytes[f.size++] = static_cast<char>(buf[static_cast<std::size_t>(k)]);
  }
  return f;
}

const text_normaliser::folded& text_normaliser::fold(std::int32_t cp, folded& scratch) const {
  if (cp >= 0 && cp < table_size) return table_[static_cast<std::size_t>(cp)];
  scratch = fold_slow(cp);
  return scratch;
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

  auto close_token = [&] {
    tok.norm_end = static_cast<std::uint32_t>(out.text.size());
    out.text.push_back(' ');
    out.src_offset.push_back(tok.src_end);
    out.tokens.push_back(tok);
    in_token = false;
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
        }
        pending_apostrophe = false;
        for (std::uint8_t k = 0; k < f->size; ++k) {
          out.text.push_back(f->bytes[k]);
          out.src_offset.push_back(static_cast<std::uint32_t>(start));
        }
        tok.src_end = static_cast<std::uint32_t>(i);
        break;
      case char_class::apostrophe:
        if (in_token) {
          if (pending_apostrophe) close_token();  // two apostrophes in a row end the word
          else pending_apostrophe = true;
        }
        break;
      case char_class::separator:
        if (in_token) close_token();
        break;
      case char_class::clause_punct:
        if (in_token) close_token();
        pending_break = std::max(pending_break, token_break::clause);
        break;
      case char_class::sentence_punct:
        if (in_token) close_token();
        pending_break = token_break::sentence;
        break;
    }
  }
  if (in_token) close_token();
}

std::vector<std::string> text_normaliser::normalise_words(std::string_view utf8) const {
  normalised_text nt;
  normalise(utf8, nt);
  std::vector<std::string> words;
  for (const auto& t : nt.tokens) words.emplace_back(nt.token_text(t));
  return words;
}

}  // namespace triage
