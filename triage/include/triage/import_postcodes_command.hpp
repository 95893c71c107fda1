#pragma once
// `helpline import-postcodes ONSPD.csv [--out content/postcodes/postcodes.csv] [--live-only]`
// Converts the ONS Postcode Directory CSV (header row with pcds, lat, long; doterm for
// --live-only) into a postcode table (postcode_index format) with every full postcode, plus each
// district and area at the mean of its postcodes. Rows without coordinates (empty, or the ONSPD
// placeholder lat 99.999999) are skipped and counted. The output is written to a temporary file,
// loaded back as a check, then renamed over --out: a failed import leaves the old table in place.
#include <ostream>
#include <string>
#include <vector>

namespace triage {

// args are the words after "import-postcodes". Returns 0, or 2 with a message on err.
int run_import_postcodes_command(const std::vector<std::string>& args, std::ostream& out,
                                 std::ostream& err);

}  // namespace triage
