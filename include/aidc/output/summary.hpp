#pragma once
//! The short table printed at the end of a run: the world's key figures, one row per year.

#include <string>

#include "aidc/output/recorder.hpp"

namespace aidc {

//! One row per calendar year: compute stocks at the year's last recorded quarter (million
//! H100e), utilization and price then, and the year's revenue and capex (USD billions).
std::string format_summary(const Recorder& recorder, Quarter start, Quarter end);

}  // namespace aidc
