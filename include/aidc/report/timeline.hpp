#pragma once
//! "What happened": the event log told in plain words, quarter by quarter. Notable events (a
//! region becomes power-bound, a buyer defaults, a what-if event starts) are told one by one;
//! routine ones (orders, deliveries, sites, loans) are summed up in one line per quarter.

#include <string>
#include <vector>

#include "aidc/report/run_data.hpp"

namespace aidc {

//! One line of the timeline.
struct TimelineEntry {
  Quarter quarter;
  bool notable = false;  //!< told on its own (false: a summary of routine events)
  std::string kind;      //!< the event kind, or "activity" for a summary line
  std::string entity;    //!< who ("" for summaries)
  std::string text;      //!< plain words, e.g. "us-texas becomes power-bound: … (requested 10.0 GW, …)"
};

//! The timeline of `run`, in quarter order; within a quarter, notable events in log order, then
//! the summary of routine ones. Cost: linear in the number of events.
std::vector<TimelineEntry> build_timeline(const RunData& run);

//! True for event kinds told one by one (everything but orders, deliveries, construction, grid
//! connections, loans, power projects, retrofits and used-chip purchases).
bool is_notable_event(std::string_view kind) noexcept;

//! An event's figures in words: "requested 10.0 GW, delivered 9.84 GW" (zeros left out).
std::string describe_figures(const RunEvent& event);

}  // namespace aidc
