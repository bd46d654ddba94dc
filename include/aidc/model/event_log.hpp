#pragma once
//! Notable events of a run (MODEL.md §10): what happened, to whom, why, with the figures.

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aidc/kernel/quarter.hpp"
#include "aidc/model/metric.hpp"

namespace aidc {

//! One line of the event log: in `quarter`, `entity` (of `entity_kind`) saw `kind` because of
//! `cause`, with named figures (units in their names, like metrics).
struct LoggedEvent {
  Quarter quarter;
  EntityKind entity_kind = EntityKind::global;
  std::string entity;
  std::string kind;   //!< e.g. "order", "power_bound", "default"
  std::string cause;  //!< plain words
  std::vector<std::pair<std::string, double>> figures;
};

//! Receives the event log as the run produces it, in order.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void log(LoggedEvent event) = 0;
};

//! An EventSink that keeps every event in memory.
class EventList final : public EventSink {
 public:
  void log(LoggedEvent event) override { events_.push_back(std::move(event)); }
  [[nodiscard]] const std::vector<LoggedEvent>& events() const noexcept { return events_; }

 private:
  std::vector<LoggedEvent> events_;
};

//! Figures of an event, in the order given: {{"count_chips", 1e5}, {"price_usd", 3e4}}.
using Figures = std::initializer_list<std::pair<std::string_view, double>>;

}  // namespace aidc
