#pragma once
// Frames: how concepts combine into a risk category. Language-independent content under
// content/frames/ (docs/screening.md, "Concepts and frames"):
//   concepts.tsv   concept<TAB>description              the concept ids lexicons may use
//   contexts.tsv   context<TAB>scope<TAB>effect<TAB>description
//                  context modes that set findings aside (media, hypothetical...) or restore them
//   *.tsv          category<TAB>name<TAB>scope<TAB>elements<TAB>reason
// A frame fires when every element group has an occurrence inside one scope unit (near:N words,
// a clause, a sentence, the message, or the recent conversation) and no excluded element does.
// Elements are concept ids or category ids ('a|b' alternatives, '!a' excluded).
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace triage {

enum class frame_scope : std::uint8_t { near, clause, sentence, message, conversation };
// set_aside_firm: as set_aside, but a restore marker does not cancel it (a what-if stays a what-if
// even when it names the act: "what if I ended up hitting him?").
enum class context_effect : std::uint8_t { set_aside, set_aside_firm, restore };

// One thing found in a message (or carried from an earlier one) that frames can use.
struct frame_item {
  std::uint16_t symbol = 0;        // frame_set::symbol_of(label)
  std::uint32_t message_back = 0;  // 0: the message being screened; 1: the one before...
  std::uint32_t first_token = 0;   // token range in the current message (0 for carried items)
  std::uint32_t end_token = 0;
  std::uint32_t clause = 0;        // clause and sentence index in the current message
  std::uint32_t sentence = 0;
  std::uint32_t start = 0;         // byte offsets in its own message
  std::uint32_t end = 0;
};

struct frame_firing {
  std::uint32_t frame = 0;            // index into frames()
  std::vector<std::uint32_t> items;   // indexes of the items used as evidence, one per element group
};

class frame_set {
 public:
  struct context_mode {
    std::string id;
    frame_scope scope = frame_scope::sentence;  // clause, sentence or message
    context_effect effect = context_effect::set_aside;
    std::string description;
  };
  struct frame {
    std::string category;
    std::string name;
    frame_scope scope = frame_scope::sentence;
    std::uint32_t near_words = 0;  // for near:N
    std::vector<std::vector<std::uint16_t>> groups;    // each needs one occurrence
    std::vector<std::uint64_t> group_masks;            // per group, a bitset of its symbols (pre-check)
    std::vector<std::uint16_t> excluded;               // none may occur in the unit
    std::string reason;
    std::string rule;  // "frames/imminent.tsv:12 armed_approach"
  };

  // Loads content/frames. Throws content_error naming file:line.
  static frame_set load(const std::filesystem::path& frames_dir);

  // Symbols: the 17 category ids first (in taxonomy order), then the concept ids.
  std::size_t symbol_count() const { return symbols_.size(); }
  const std::string& symbol_label(std::uint16_t symbol) const { return symbols_.at(symbol); }
  // Returns symbol_count() when the label is unknown.
  std::uint16_t symbol_of(std::string_view label) const;
  bool is_category(std::uint16_t symbol) const { return symbol < category_count_; }
  const std::string& concept_description(std::string_view concept_id) const;

  const std::vector<std::string>& concepts() const { return concepts_; }
  const std::vector<context_mode>& contexts() const { return contexts_; }
  std::vector<std::string> context_ids() const;
  const std::vector<frame>& frames() const { return frames_; }
  std::uint32_t conversation_window() const { return conversation_window_; }

  // Frames that fire on `items`, each with the items it used. Categories produced by one frame
  // can complete another: the caller appends the new category items and calls again (see
  // screening_engine). `fired` lists frames already fired for this message (skipped).
  // `first_round`: false when called again after categories were added, so only frames that use
  // categories are tried.
  void evaluate(const std::vector<frame_item>& items, const std::vector<bool>& fired,
                std::vector<frame_firing>& out, bool first_round = true) const;

 private:
  std::vector<std::string> symbols_;
  std::size_t category_count_ = 0;
  std::vector<std::string> concepts_;
  std::vector<std::string> concept_descriptions_;
  std::vector<context_mode> contexts_;
  std::vector<frame> frames_;
  std::uint32_t conversation_window_ = 3;
  std::size_t mask_words_ = 0;  // 64-bit words of a symbol bitset
  // Frames by a symbol of their most selective group: a frame can fire only when one of those
  // symbols occurs, so a message tries only the frames its symbols index.
  std::vector<std::vector<std::uint32_t>> frames_by_symbol_;
  std::vector<bool> uses_category_;  // per frame: an element is a category (may complete in later rounds)
};

}  // namespace triage
