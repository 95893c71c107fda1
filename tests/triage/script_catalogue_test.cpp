// Loading and validating screening scripts: every mistake a helpline can make in a script file is
// refused with the file and the question named.
#include "triage/script_catalogue.hpp"

#include <gtest/gtest.h>

#include <string>

#include "test_paths.hpp"
#include "triage/content_error.hpp"
#include "triage_scratch_dir.hpp"

namespace {

using triage::caller_type;
using triage::content_error;
using triage::script_catalogue;

// A small valid script: danger first, then free text, in en and pl.
std::string valid_script(std::string_view type) {
  return R"({
  "caller_type": ")" + std::string(type) + R"(",
  "languages": ["en", "pl"],
  "questions": [
    {
      "id": "danger",
      "purpose": "immediate_danger",
      "text": {"en": "Is anyone in danger right now?", "pl": "Czy ktoś jest teraz w niebezpieczeństwie?"},
      "options": [
        {"value": "yes", "categories": ["imminent_danger"], "label": {"en": "Yes", "pl": "Tak"}},
        {"value": "no", "label": {"en": "No", "pl": "Nie"}, "next": "more"}
      ]
    },
    {
      "id": "more",
      "kind": "free_text",
      "text": {"en": "Tell us more", "pl": "Powiedz nam więcej"}
    }
  ],
  "services": [{"name": "Helpline", "phone": "0808 000 0000"}],
  "urgent_help": [{"name": {"en": "Emergency", "pl": "Pogotowie"}, "phone": "999"}]
}
)";
}

std::string replaced(std::string text, std::string_view from, std::string_view to) {
  const auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << "test setup: '" << from << "' not in script";
  if (pos != std::string::npos) text.replace(pos, from.size(), to);
  return text;
}

class script_catalogue_test : public ::testing::Test {
 protected:
  void SetUp() override {
    for (auto type : triage::caller_type_ids) {
      dir.write("scripts/" + std::string(type) + ".json", valid_script(type));
    }
  }
  // Loads and returns the error message; fails the test when loading succeeds.
  std::string load_error() {
    try {
      script_catalogue::load(dir.path());
    } catch (const content_error& e) {
      return e.what();
    }
    ADD_FAILURE() << "expected a content_error";
    return {};
  }
  void break_script(std::string_view type, std::string_view from, std::string_view to) {
    dir.write("scripts/" + std::string(type) + ".json", replaced(valid_script(type), from, to));
  }

  triage_test::scratch_dir dir;
};

TEST_F(script_catalogue_test, valid_scripts_load) {
  const auto catalogue = script_catalogue::load(dir.path());
  EXPECT_EQ(catalogue->languages(), (std::vector<std::string>{"en", "pl"}));
  const auto& s = catalogue->find(caller_type::professional, "pl");
  EXPECT_EQ(s.lang(), "pl");
  EXPECT_EQ(s.type(), caller_type::professional);
  EXPECT_EQ(s.first().text, "Czy ktoś jest teraz w niebezpieczeństwie?");
  ASSERT_EQ(s.services().size(), 1u);
  EXPECT_EQ(s.services()[0].phone, "0808 000 0000");
}

TEST_F(script_catalogue_test, unreachable_question_names_file_and_question) {
  break_script("professional", R"("questions": [)",
               R"("questions": [
    {"id": "orphan_start", "purpose": "immediate_danger", "text": {"en": "Start?", "pl": "Start?"},
     "options": [{"value": "a", "categories": ["imminent_danger"], "label": {"en": "A", "pl": "A"}},
                 {"value": "b", "label": {"en": "B", "pl": "B"}}]},
    {"id": "lonely", "kind": "free_text", "text": {"en": "Never asked", "pl": "Nigdy"}},)");
  const std::string error = load_error();
  EXPECT_NE(error.find("professional.json"), std::string::npos) << error;
  EXPECT_NE(error.find("'lonely' is unreachable"), std::string::npos) << error;
}

TEST_F(script_catalogue_test, unknown_category_is_refused) {
  break_script("friend_family", R"(["imminent_danger"])", R"(["imminent_danger", "strangling"])");
  const std::string error = load_error();
  EXPECT_NE(error.find("friend_family.json:"), std::string::npos) << error;
  EXPECT_NE(error.find("question 'danger'"), std::string::npos) << error;
  EXPECT_NE(error.find("unknown category 'strangling'"), std::string::npos) << error;
}

TEST_F(script_catalogue_test, cues_are_not_categories) {
  break_script("friend_family", R"(["imminent_danger"])", R"(["imminent_danger", "minimisation"])");
  EXPECT_NE(load_error().find("unknown category 'minimisation'"), std::string::npos);
}

TEST_F(script_catalogue_test, dangling_next_is_refused) {
  break_script("professional", R"("next": "more")", R"("next": "nowhere")");
  const std::string error = load_error();
  EXPECT_NE(error.find("professional.json"), std::string::npos) << error;
  EXPECT_NE(error.find("question 'danger' option 'no': next 'nowhere'"), std::string::npos)
      << error;
}

TEST_F(script_catalogue_test, cycle_is_refused) {
  break_script("professional", R"("kind": "free_text",)", R"("kind": "free_text", "next": "danger",)");
  const std::string error = load_error();
  EXPECT_NE(error.find("question 'more'"), std::string::npos) << error;
  EXPECT_NE(error.find("cycle"), std::string::npos) << error;
}

TEST_F(script_catalogue_test, missing_translation_names_question_and_language) {
  break_script("experiencing_abuse", R"({"en": "Tell us more", "pl": "Powiedz nam więcej"})",
               R"({"en": "Tell us more"})");
  const std::string error = load_error();
  EXPECT_NE(error.find("experiencing_abuse.json:"), std::string::npos) << error;
  EXPECT_NE(error.find("question 'more' text: missing translation in 'pl'"), std::string::npos)
      << error;
}

TEST_F(script_catalogue_test, missing_option_translation_is_refused) {
  break_script("professional", R"({"en": "No", "pl": "Nie"})", R"({"en": "No"})");
  EXPECT_NE(load_error().find("option 'no' label: missing translation in 'pl'"),
            std::string::npos);
}

TEST_F(script_catalogue_test, own_behaviour_must_start_with_immediate_danger) {
  break_script("own_behaviour", R"("purpose": "immediate_danger",)", "");
  const std::string error = load_error();
  EXPECT_NE(error.find("own_behaviour.json:"), std::string::npos) << error;
  EXPECT_NE(error.find("question 'danger'"), std::string::npos) << error;
  EXPECT_NE(error.find("immediate danger"), std::string::npos) << error;
}

TEST_F(script_catalogue_test, other_caller_types_may_start_elsewhere) {
  dir.write("scripts/professional.json",
            replaced(valid_script("professional"), R"("purpose": "immediate_danger",)", ""));
  EXPECT_NO_THROW(script_catalogue::load(dir.path()));
}

TEST_F(script_catalogue_test, immediate_danger_question_must_map_to_imminent_danger) {
  break_script("professional", R"("categories": ["imminent_danger"], )", "");
  EXPECT_NE(load_error().find("needs an answer mapping to imminent_danger"), std::string::npos);
}

TEST_F(script_catalogue_test, unknown_field_is_refused) {
  break_script("professional", R"("next": "more")", R"("nxt": "more")");
  EXPECT_NE(load_error().find("unknown field 'nxt'"), std::string::npos);
}

TEST_F(script_catalogue_test, json_syntax_error_names_line) {
  break_script("professional", R"("kind": "free_text",)", R"("kind": "free_text" "oops",)");
  const std::string error = load_error();
  EXPECT_NE(error.find("professional.json:16: invalid JSON"), std::string::npos) << error;
}

TEST_F(script_catalogue_test, missing_caller_type_is_refused) {
  std::filesystem::remove(dir.path() / "scripts" / "friend_family.json");
  EXPECT_NE(load_error().find("no script for caller_type 'friend_family'"), std::string::npos);
}

TEST_F(script_catalogue_test, duplicate_caller_type_is_refused) {
  dir.write("scripts/zz_copy.json", valid_script("professional"));
  const std::string error = load_error();
  EXPECT_NE(error.find("zz_copy.json"), std::string::npos) << error;
  EXPECT_NE(error.find("already has a script"), std::string::npos) << error;
}

TEST_F(script_catalogue_test, experiencing_abuse_needs_services) {
  break_script("experiencing_abuse", R"("services": [{"name": "Helpline", "phone": "0808 000 0000"}])",
               R"("services": [])");
  EXPECT_NE(load_error().find("needs a 'services' list"), std::string::npos);
}

TEST_F(script_catalogue_test, every_script_needs_urgent_help_with_a_phone) {
  // Without it a visitor who discloses danger would get nothing but a queue position.
  break_script("own_behaviour", R"(,
  "urgent_help": [{"name": {"en": "Emergency", "pl": "Pogotowie"}, "phone": "999"}])", "");
  EXPECT_NE(load_error().find("'urgent_help' is required"), std::string::npos);
  break_script("own_behaviour", R"("phone": "999")", R"("url": "https://example.org/help")");
  EXPECT_NE(load_error().find("at least one entry needs a phone number"), std::string::npos);
  break_script("own_behaviour", R"({"en": "Emergency", "pl": "Pogotowie"})", R"({"en": "Emergency"})");
  EXPECT_NE(load_error().find("urgent_help 1"), std::string::npos);
}

TEST_F(script_catalogue_test, missing_scripts_directory_is_refused) {
  triage_test::scratch_dir empty;
  EXPECT_THROW(script_catalogue::load(empty.path()), content_error);
}

// --- the shipped content -------------------------------------------------------------------

class shipped_scripts_test : public ::testing::Test {
 protected:
  std::shared_ptr<const script_catalogue> catalogue =
      script_catalogue::load(test_support::source_dir() / "content");
};

TEST_F(shipped_scripts_test, every_script_is_complete_in_en_es_pl_ar) {
  for (auto id : triage::caller_type_ids) {
    const auto type = *triage::parse_caller_type(id);
    for (const std::string lang : {"en", "es", "pl", "ar"}) {
      SCOPED_TRACE(std::string(id) + "/" + lang);
      const auto& s = catalogue->find(type, lang);
      EXPECT_EQ(s.lang(), lang);
      EXPECT_GE(s.questions().size(), type == caller_type::experiencing_abuse ? 2u : 3u);
      EXPECT_LE(s.questions().size(), 6u);
      EXPECT_EQ(s.first().purpose, "immediate_danger");
      for (const auto& q : s.questions()) {
        EXPECT_FALSE(q.text.empty()) << q.id;
        for (const auto& o : q.options) EXPECT_FALSE(o.label.empty()) << q.id << "/" << o.value;
      }
    }
  }
  const std::vector<std::string> expected{"ar", "en", "es", "pl"};
  EXPECT_EQ(catalogue->languages(), expected);
}

TEST_F(shipped_scripts_test, texts_differ_by_language) {
  const auto& en = catalogue->find(caller_type::own_behaviour, "en");
  const auto& pl = catalogue->find(caller_type::own_behaviour, "pl");
  const auto& es = catalogue->find(caller_type::own_behaviour, "es");
  EXPECT_NE(en.first().text, pl.first().text);
  EXPECT_NE(en.first().text, es.first().text);
  EXPECT_NE(pl.first().text.find("niebezpieczeństwie"), std::string::npos);
}

TEST_F(shipped_scripts_test, unknown_language_falls_back_to_english) {
  EXPECT_EQ(catalogue->find(caller_type::own_behaviour, "de").lang(), "en");
  EXPECT_EQ(catalogue->find(caller_type::own_behaviour, "").lang(), "en");
  EXPECT_EQ(catalogue->find(caller_type::own_behaviour, "pl-PL").lang(), "pl");
  EXPECT_EQ(catalogue->find(caller_type::friend_family, "ES").lang(), "es");
}

TEST_F(shipped_scripts_test, urgent_help_fits_each_caller_type) {
  auto phones = [&](caller_type type, const std::string& lang) {
    std::vector<std::string> out;
    for (const auto& s : catalogue->find(type, lang).urgent_help()) out.push_back(s.phone);
    return out;
  };
  for (auto id : triage::caller_type_ids) {
    for (const std::string lang : {"en", "es", "pl"}) {
      const auto list = phones(*triage::parse_caller_type(id), lang);
      ASSERT_FALSE(list.empty()) << id;
      EXPECT_EQ(list.front(), "999") << id << ": the emergency number comes first";
    }
  }
  // Someone afraid they will hurt someone now gets a line for that, not only victims' services.
  const auto own = phones(caller_type::own_behaviour, "en");
  EXPECT_NE(std::find(own.begin(), own.end(), "116 123"), own.end());
  EXPECT_EQ(std::find(own.begin(), own.end(), "0808 2000 247"), own.end());
  const auto victim = phones(caller_type::experiencing_abuse, "en");
  EXPECT_NE(std::find(victim.begin(), victim.end(), "0808 2000 247"), victim.end());
  const auto& es = catalogue->find(caller_type::own_behaviour, "es").urgent_help();
  EXPECT_NE(es.front().description, catalogue->find(caller_type::own_behaviour, "en").urgent_help().front().description);
}

TEST_F(shipped_scripts_test, experiencing_abuse_lists_victim_services) {
  const auto& s = catalogue->find(caller_type::experiencing_abuse, "en");
  std::vector<std::string> phones;
  for (const auto& svc : s.services()) phones.push_back(svc.phone);
  EXPECT_NE(std::find(phones.begin(), phones.end(), "999"), phones.end());
  EXPECT_NE(std::find(phones.begin(), phones.end(), "0808 2000 247"), phones.end());
  EXPECT_NE(std::find(phones.begin(), phones.end(), "0808 801 0327"), phones.end());
  // Some answer asks the widget to show them.
  bool shows = false;
  for (const auto& q : s.questions()) {
    for (const auto& o : q.options) shows = shows || o.show_services;
  }
  EXPECT_TRUE(shows);
  const auto& pl = catalogue->find(caller_type::experiencing_abuse, "pl");
  EXPECT_EQ(pl.services().size(), s.services().size());
  EXPECT_NE(pl.services()[0].description, s.services()[0].description);
}

}  // namespace
