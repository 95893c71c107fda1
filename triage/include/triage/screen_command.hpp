#pragma once
// `helpline screen`: screens JSON Lines.
//   in:  {"id": <any JSON value>, "text": "<message>", "lang": "en"}   (lang optional)
//   out: {"id": <same>, "level": "none|low|medium|high|imminent",
//         "flags": [{"category": "...", "start": <byte>, "end": <byte>, "match": "..."}],
//         "cues": [{"cue": "...", "start": <byte>, "end": <byte>}]}
// One output line per non-blank input line, in order. A line that is not a JSON object with a
// string "text" (or has a non-string "lang", or is longer than 1 MiB) gets {"error": "...", "id": ...}
// (id when it could be read) and the run goes on. Blank lines are skipped (no output line).
#include <istream>
#include <ostream>
#include <string_view>

#include "triage/screening_engine.hpp"

namespace triage {

// Returns the process exit code: 0 when the input was read to its end and all output written
// (per-line errors are reported in-band and do not change it), 1 on an I/O error.
int run_screen_command(std::istream& in, std::ostream& out, const screening_engine& engine,
                       std::string_view default_lang);

}  // namespace triage
