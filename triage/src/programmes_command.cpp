#include "triage/programmes_command.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <optional>

#include "triage/content_error.hpp"
#include "triage/postcode_index.hpp"
#include "triage/programme_directory.hpp"
#include "triage/programme_matcher.hpp"

namespace triage {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view usage =
    "usage: helpline programmes --level none|low|medium|high|imminent [--postcode CODE]\n"
    "         [--lang en] [--gender male|female|non_binary] [--relationship heterosexual|same_sex]\n"
    "         [--one-to-one] [--limit N] [--content DIR] [--postcodes FILE]\n"
    "  CODE: a postcode (LS6 2AB), district (LS6), area (LS) or post town (Leeds). Without it,\n"
    "  only programmes available anywhere (online) are suggested.\n";

struct usage_error : std::runtime_error {
  using runtime_error::runtime_error;
};

}  // namespace

int run_programmes_command(const std::vector<std::string>& args, const fs::path& content_dir,
                           std::ostream& out, std::ostream& err) {
  programme_need need;
  std::optional<risk_level> level;
  std::size_t limit = 5;
  fs::path content = content_dir;
  fs::path postcodes_file;
  try {
    for (std::size_t i = 0; i < args.size(); ++i) {
      const std::string& a = args[i];
      auto value = [&]() -> const std::string& {
        if (i + 1 >= args.size()) throw usage_error(a + " needs a value");
        return args[++i];
      };
      if (a == "--help" || a == "-h") {
        out << usage;
        return 0;
      } else if (a == "--postcode" || a == "--location") {
        need.location = value();
      } else if (a == "--level") {
        const std::string& v = value();
        level = parse_risk_level(v);
        if (!level) throw usage_error("unknown level '" + v + "'");
      } else if (a == "--lang") {
        need.lang = value();
      } else if (a == "--gender") {
        need.gender = value();
        if (need.gender != "male" && need.gender != "female" && need.gender != "non_binary") {
          throw usage_error("--gender is male, female or non_binary");
        }
      } else if (a == "--relationship") {
        need.relationship = value();
        if (need.relationship != "heterosexual" && need.relationship != "same_sex") {
          throw usage_error("--relationship is heterosexual or same_sex");
        }
      } else if (a == "--one-to-one") {
        need.one_to_one = true;
      } else if (a == "--limit") {
        const std::string& v = value();
        const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), limit);
        if (ec != std::errc{} || ptr != v.data() + v.size() || limit == 0 || limit > 50) {
          throw usage_error("--limit is a number from 1 to 50");
        }
      } else if (a == "--content") {
        content = value();
      } else if (a == "--postcodes") {
        postcodes_file = value();
      } else {
        throw usage_error("unknown argument '" + a + "'");
      }
    }
    if (!level) throw usage_error("--level is required");
  } catch (const usage_error& e) {
    err << "helpline programmes: " << e.what() << "\n" << usage;
    return 2;
  }
  need.level = *level;

  try {
    const auto directory = programme_directory::load(content / "programmes" / "directory.json");
    std::vector<fs::path> tables;
    if (!postcodes_file.empty()) {
      tables.push_back(postcodes_file);
    } else {
      if (fs::exists(content / "postcodes" / "postcodes.csv")) {
        tables.push_back(content / "postcodes" / "postcodes.csv");
      }
      tables.push_back(content / "postcodes" / "uk_outcodes.csv");
    }
    const auto postcodes = postcode_index::load(tables);
    const auto suggestions = match_programmes(*directory, postcodes, need, limit);
    for (const auto& w : directory->warnings()) err << "warning: " << w << "\n";

    boost::json::object query{{"level", to_string(need.level)},
                              {"lang", need.lang},
                              {"one_to_one", need.one_to_one}};
    if (!need.location.empty()) query["location"] = need.location;
    if (!need.gender.empty()) query["gender"] = need.gender;
    if (!need.relationship.empty()) query["relationship"] = need.relationship;
    boost::json::array cards;
    for (const auto& s : suggestions) cards.push_back(to_json(s));
    boost::json::object result{{"query", std::move(query)}, {"suggestions", std::move(cards)}};
    if (need.level == risk_level::imminent) result["note"] = emergency_first_note;
    if (directory->sample()) {
      result["warning"] = "the programme directory is SAMPLE data: fictional organisations";
    }
    out << boost::json::serialize(result) << "\n";
    return 0;
  } catch (const unknown_location& e) {
    err << "helpline programmes: " << e.what() << "\n";
  } catch (const content_error& e) {
    err << "helpline programmes: invalid content: " << e.what() << "\n";
  } catch (const std::exception& e) {
    err << "helpline programmes: " << e.what() << "\n";
  }
  return 2;
}

}  // namespace triage
