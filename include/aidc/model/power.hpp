#pragma once
//! Power beyond what a region's grid plans: what its utility commits to build in answer to
//! large-load requests, and the power technologies agents can buy themselves.

#include <vector>

#include "aidc/scenario/spec.hpp"

namespace aidc {

//! What a region's utility commits to build this quarter in answer to large-load requests
//! (docs/model.md §4): response × max(0, requests − available − pending), with requests the
//! capacity × PUE of every site in the region (built or queued), available the power datacenters
//! may draw now and pending what it committed to earlier and is not online yet.
double utility_commitment_mw(double requests_mw, double available_mw, double pending_mw, double response) noexcept;

//! The fastest of the technologies an agent can buy (the cheapest among equally fast ones), among
//! the bridge ones (`bridge`: behind the meter at one site) or the others (a region's supply);
//! nullptr when there is none.
const PowerTechnologySpec* fastest_power_technology(const std::vector<PowerTechnologySpec>& technologies,
                                                    bool bridge) noexcept;

}  // namespace aidc
