#pragma once
//! The charts of a report, as data: which series each draws, in which unit, in which section.
//! One list drives the interactive report, `compare` (the same charts, runs overlaid) and the
//! static figures, so all three always show the same thing.

#include <optional>
#include <string>
#include <vector>

#include "aidc/report/run_data.hpp"

namespace aidc {

//! One line (or area, or bar) of a chart: a recorded series, optionally divided by another
//! series of the same entity (stranded / installed…). A "band" is the spread of a line across an
//! ensemble's seeds (ensemble.csv): 5–95% shaded light, 25–75% darker, in the colour of the line
//! of the same series, whose values (timeseries.csv) are the median.
struct ChartSeries {
  std::string name;      //!< legend label
  EntityKind kind = EntityKind::global;
  std::string entity;
  std::string metric;
  std::string divide_by;  //!< "" or a metric of the same entity
  std::string style = "line";  //!< "line", "dashed", "area", "bar" or "band"
  int axis = 0;           //!< 0: left axis, 1: right axis
};

//! One chart: a title, a note saying how to read it, and its series in one or two units.
struct Chart {
  std::string id;       //!< stable, file-name safe ("world-compute"); figures are <id>.svg/png
  std::string section;  //!< id of its Section
  std::string title;
  std::string note;     //!< one sentence: what it shows, how to read it
  std::string unit;     //!< left axis label ("M H100e", "%", "GW", "$B per quarter")
  double scale = 1.0;   //!< plotted value = recorded value × scale
  std::string unit2;    //!< right axis label, "" if none
  double scale2 = 1.0;
  std::vector<ChartSeries> series;
  std::optional<ChartSeries> band;  //!< quarters where this series is > 0.5 are shaded
  std::string band_label;
};

//! A part of the report, in reading order.
struct Section {
  std::string id;
  std::string title;
  std::string lead;  //!< a paragraph introducing it
};

//! The sections of a report (or of a comparison, without the per-agent one).
std::vector<Section> report_sections(bool per_agent);

//! The charts for `runs` (one for a report, several for a comparison): a chart appears when at
//! least one run recorded one of its series, and keeps only the series some run recorded.
//! Entities are taken from every run, in the order they first appear. With `per_agent`, one
//! section per agent is added (the report; a comparison leaves it out). For one run that is an
//! ensemble, each line of a recorded series (not a ratio of two) gets a "band" series after the
//! chart's own ones; a comparison draws medians only.
std::vector<Chart> report_charts(const std::vector<const RunData*>& runs, bool per_agent);

}  // namespace aidc
