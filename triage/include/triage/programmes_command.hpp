#pragma once
// `helpline programmes --postcode LS6 --level high [--lang en] [--gender male]
//   [--relationship same_sex] [--one-to-one] [--limit N] [--content DIR] [--postcodes FILE]`
// Prints {"query":{...},"suggestions":[card...]} (cards as to_json(programme_suggestion)).
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace triage {

// args are the words after "programmes". Postcode table: --postcodes FILE, else
// content/postcodes/postcodes.csv (an ONSPD import, when present) in front of
// content/postcodes/uk_outcodes.csv. Returns 0, or 2 with a message on err for a usage error,
// an unknown location or invalid content.
int run_programmes_command(const std::vector<std::string>& args,
                           const std::filesystem::path& content_dir, std::ostream& out,
                           std::ostream& err);

}  // namespace triage
