#pragma once
//! events.jsonl: the event log of a run, one JSON object per line, in the order things happened.

#include <string>
#include <vector>

#include "aidc/model/event_log.hpp"

namespace aidc {

//! One line per event: {"quarter":"2026Q2","entity_kind":"agent","entity":"coreweave",
//! "kind":"distress","cause":"…","figures":{"cash_usd":-1.2e9,…}}. Figures keep their order.
std::string format_events_jsonl(const std::vector<LoggedEvent>& events);

}  // namespace aidc
