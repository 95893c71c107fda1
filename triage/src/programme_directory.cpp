#include "triage/programme_directory.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "content_json_file.hpp"
#include "triage/content_error.hpp"
#include "triage/uk_postcode.hpp"

namespace triage {
namespace {

namespace json = boost::json;
using anchor = content_json_file::anchor;

constexpr std::size_t max_file_bytes = 8 * 1024 * 1024;
constexpr double max_radius_km = 1000;
constexpr double max_weeks = 520;
constexpr std::size_t max_reported_problems = 50;

constexpr std::array<std::string_view, 4> known_genders{"male", "female", "non_binary", "any"};
constexpr std::array<std::string_view, 3> known_relationships{"heterosexual", "same_sex", "any"};
constexpr std::array<std::string_view, 3> known_formats{"group", "one_to_one", "online"};

template <std::size_t n>
bool one_of(const std::array<std::string_view, n>& known, std::string_view v) {
  return std::find(known.begin(), known.end(), v) != known.end();
}

template <std::size_t n>
std::string list(const std::array<std::string_view, n>& known) {
  std::string out;
  for (auto k : known) out += (out.empty() ? "" : ", ") + std::string(k);
  return out;
}

bool is_language_tag(std::string_view s) {
  if (s.size() < 2 || s.size() > 16) return false;
  std::size_t i = 0;
  while (i < s.size() && s[i] >= 'a' && s[i] <= 'z') ++i;
  if (i < 2 || i > 3) return false;
  return std::all_of(s.begin() + static_cast<std::ptrdiff_t>(i), s.end(), [](char c) {
    return c == '-' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  });
}

bool contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

class directory_reader {
 public:
  explicit directory_reader(const content_json_file& f) : f_(f) {}

  // `occurrence`: how many earlier entries have the same id, so errors point at this entry.
  programme read(const json::value& v, std::size_t occurrence) {
    const auto& o = f_.object(v, "programme", {"programmes", ""});
    const std::string id = f_.string(o, "id", "programme", {"programmes", ""});
    const anchor at{"id", id, occurrence};
    const std::string where = "programme '" + id + "'";
    f_.check_keys(o,
                  {"id", "organisation", "name", "type", "area", "languages", "interpreters",
                   "genders", "relationships", "risk_levels", "formats", "length", "length_weeks",
                   "fees", "waiting_weeks", "referral", "contact", "accreditation",
                   "partner_support", "risk_management", "sample", "notes"},
                  where, at);
    programme p;
    p.id = id;
    p.organisation = f_.string(o, "organisation", where, at);
    p.name = f_.string(o, "name", where, at);
    const std::string type = f_.string(o, "type", where, at);
    const auto parsed_type = parse_programme_type(type);
    if (!parsed_type) {
      f_.fail(at, where + ": unknown type '" + type +
                      "' (known: early_response, dapp, one_to_one, high_risk_high_harm, "
                      "womens_use_of_violence, same_sex_relationships)");
    }
    p.type = *parsed_type;
    read_area(o, p, where, at);

    p.languages = f_.strings(o, "languages", where, at);
    if (p.languages.empty()) f_.fail(at, where + ": 'languages' is required");
    for (const auto& l : p.languages) {
      if (!is_language_tag(l)) f_.fail(at, where + ": '" + l + "' is not a language tag");
    }
    p.interpreters = f_.boolean(o, "interpreters", false, where, at);
    p.genders = checked(o, "genders", known_genders, where, at);
    p.relationships = checked(o, "relationships", known_relationships, where, at);
    p.formats = checked(o, "formats", known_formats, where, at);
    if (p.formats.empty()) f_.fail(at, where + ": 'formats' is required");
    for (const auto& level : f_.strings(o, "risk_levels", where, at)) {
      const auto parsed = parse_risk_level(level);
      if (!parsed) {
        f_.fail(at, where + ": unknown risk level '" + level +
                        "' (known: none, low, medium, high, imminent)");
      }
      p.risk_levels.push_back(*parsed);
    }
    if (p.risk_levels.empty()) f_.fail(at, where + ": 'risk_levels' is required");

    p.length = f_.optional_string(o, "length", where, at).value_or("");
    p.length_weeks = bounded(o, "length_weeks", where, at, max_weeks);
    p.fees = f_.optional_string(o, "fees", where, at).value_or("");
    p.waiting_weeks = bounded(o, "waiting_weeks", where, at, max_weeks);
    p.referral = f_.optional_string(o, "referral", where, at).value_or("");
    if (const auto* c = o.if_contains("contact")) {
      const auto& co = f_.object(*c, where + " contact", at);
      f_.check_keys(co, {"phone", "email", "url", "address"}, where + " contact", at);
      p.contact.phone = f_.optional_string(co, "phone", where, at).value_or("");
      p.contact.email = f_.optional_string(co, "email", where, at).value_or("");
      p.contact.url = f_.optional_string(co, "url", where, at).value_or("");
      p.contact.address = f_.optional_string(co, "address", where, at).value_or("");
    }
    if (p.contact.phone.empty() && p.contact.email.empty() && p.contact.url.empty()) {
      f_.fail(at, where + ": contact needs a phone, email or url");
    }
    p.accreditation = f_.strings(o, "accreditation", where, at);
    p.partner_support = f_.boolean(o, "partner_support", false, where, at);
    p.risk_management = f_.boolean(o, "risk_management", false, where, at);
    p.sample = f_.boolean(o, "sample", false, where, at);
    p.notes = f_.optional_string(o, "notes", where, at).value_or("");
    check_consistency(p, where, at);
    return p;
  }

 private:
  void read_area(const json::object& o, programme& p, const std::string& where, anchor at) {
    const auto* a = o.if_contains("area");
    if (a == nullptr) f_.fail(at, where + ": 'area' is required");
    const auto& ao = f_.object(*a, where + " area", at);
    f_.check_keys(ao, {"codes", "centre", "radius_km", "nationwide"}, where + " area", at);
    p.area.codes = f_.strings(ao, "codes", where + " area", at);
    for (auto& code : p.area.codes) {
      const auto parsed = parse_uk_postcode(code);
      if (!parsed || parsed->precision == uk_postcode::level::full) {
        f_.fail(at, where + ": area code '" + code +
                        "' is not a postcode area (LS) or district (LS6)");
      }
      code = parsed->display();
    }
    if (const auto* c = ao.if_contains("centre"); c != nullptr && !c->is_null()) {
      if (c->is_string()) {
        const auto parsed = parse_uk_postcode(c->get_string());
        if (!parsed) {
          f_.fail(at, where + ": centre '" + std::string(c->get_string()) +
                          "' is not a postcode, district or area");
        }
        p.area.centre_code = parsed->display();
      } else {
        const auto& co = f_.object(*c, where + " centre (a postcode or {\"lat\", \"lon\"})", at);
        f_.check_keys(co, {"lat", "lon"}, where + " centre", at);
        const auto lat = f_.number(co, "lat", where + " centre", at);
        const auto lon = f_.number(co, "lon", where + " centre", at);
        if (!lat || !lon || *lat < -90 || *lat > 90 || *lon < -180 || *lon > 180) {
          f_.fail(at, where + ": centre needs lat and lon in decimal degrees");
        }
        p.area.centre = geo_point{*lat, *lon};
      }
    }
    p.area.radius_km = bounded(ao, "radius_km", where + " area", at, max_radius_km).value_or(0);
    p.area.nationwide = f_.boolean(ao, "nationwide", false, where + " area", at);
    const bool has_centre = p.area.centre || !p.area.centre_code.empty();
    if (p.area.radius_km > 0 && !has_centre) {
      f_.fail(at, where + ": radius_km needs a centre");
    }
    if (p.area.codes.empty() && p.area.radius_km <= 0 && !p.area.nationwide) {
      f_.fail(at, where + ": area serves nowhere: give codes, a centre and radius_km, or "
                          "nationwide");
    }
  }

  template <std::size_t n>
  std::vector<std::string> checked(const json::object& o, std::string_view key,
                                   const std::array<std::string_view, n>& known,
                                   const std::string& where, anchor at) {
    auto values = f_.strings(o, key, where, at);
    for (const auto& v : values) {
      if (!one_of(known, v)) {
        f_.fail(at, where + ": unknown " + std::string(key) + " value '" + v + "' (known: " +
                        list(known) + ")");
      }
    }
    return values;
  }

  std::optional<double> bounded(const json::object& o, std::string_view key,
                                const std::string& where, anchor at, double max) {
    const auto v = f_.number(o, key, where, at);
    if (v && (*v < 0 || *v > max)) {
      f_.fail(at, where + ": " + std::string(key) + " must be between 0 and " +
                      std::to_string(static_cast<int>(max)));
    }
    return v;
  }

  // A specialist entry must accept the people it is for: a contradiction here would hide it.
  void check_consistency(const programme& p, const std::string& where, anchor at) {
    auto accepts_any = [](const std::vector<std::string>& v, std::string_view s) {
      return v.empty() || contains(v, s) || contains(v, "any");
    };
    if (p.type == programme_type::womens_use_of_violence && !accepts_any(p.genders, "female")) {
      f_.fail(at, where + ": a womens_use_of_violence programme must accept gender 'female'");
    }
    if (p.type == programme_type::same_sex_relationships &&
        !accepts_any(p.relationships, "same_sex")) {
      f_.fail(at, where + ": a same_sex_relationships programme must accept relationship "
                          "'same_sex'");
    }
    if (p.type == programme_type::high_risk_high_harm && !p.accepts(risk_level::high) &&
        !p.accepts(risk_level::imminent)) {
      f_.fail(at, where + ": a high_risk_high_harm programme must accept high or imminent risk");
    }
    if (p.type == programme_type::one_to_one && !p.has_format("one_to_one")) {
      f_.fail(at, where + ": a one_to_one programme needs format 'one_to_one'");
    }
  }

  const content_json_file& f_;
};

}  // namespace

std::shared_ptr<const programme_directory> programme_directory::load(
    const std::filesystem::path& file) {
  content_json_file f(file, max_file_bytes);
  const auto& root = f.object(f.root(), "directory", {});
  f.check_keys(root, {"sample", "country", "programmes"}, "directory", {});
  auto dir = std::make_shared<programme_directory>();
  dir->sample_ = f.boolean(root, "sample", false, "directory", {});
  dir->country_ = f.optional_string(root, "country", "directory", {}).value_or("the country");
  const auto* list_value = root.if_contains("programmes");
  if (list_value == nullptr) f.fail({}, "directory: 'programmes' is required");
  const auto& entries = f.array(*list_value, "programmes", {"programmes", ""});
  if (entries.size() > max_programmes) {
    f.fail({"programmes", ""}, "more than " + std::to_string(max_programmes) + " programmes");
  }
  directory_reader reader(f);
  std::map<std::string, std::size_t, std::less<>> seen;  // id -> entries so far with that id
  // Every entry is checked and its first problem reported, so a directory exported from a
  // spreadsheet is fixed in one round; the list is bounded so a wholly wrong file stays readable.
  std::vector<content_error> problems;
  std::size_t unreported = 0;
  for (const auto& v : entries) {
    std::size_t occurrence = 0;
    if (const auto* o = v.if_object(); o != nullptr) {
      if (const auto* id = o->if_contains("id"); id != nullptr && id->is_string()) {
        occurrence = seen[std::string(id->get_string())]++;
      }
    }
    programme p;
    try {
      p = reader.read(v, occurrence);
      if (occurrence > 0) f.fail({"id", p.id, occurrence}, "programme id '" + p.id + "' used twice");
    } catch (const content_error& e) {
      if (problems.size() < max_reported_problems) {
        problems.push_back(e);
      } else {
        ++unreported;
      }
      continue;
    }
    if (!p.safe()) {
      std::string missing;
      if (!p.partner_support) missing = "no integrated partner support service";
      if (!p.risk_management) {
        missing += std::string(missing.empty() ? "" : " and ") + "no risk management";
      }
      const std::size_t line = f.line_of({"id", p.id, occurrence});
      dir->warnings_.push_back(file.string() + (line > 0 ? ":" + std::to_string(line) : "") +
                               ": programme '" + p.id + "' is unsafe (" + missing +
                               "; Respect minimum standards): it will never be suggested");
    }
    dir->programmes_.push_back(std::move(p));
  }
  if (unreported > 0) {
    problems.emplace_back(file, 0, std::to_string(unreported) + " more programmes have problems");
  }
  if (!problems.empty()) throw content_error(problems);
  return dir;
}

const programme* programme_directory::find(std::string_view id) const {
  for (const auto& p : programmes_) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

}  // namespace triage
