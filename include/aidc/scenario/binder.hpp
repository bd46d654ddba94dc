#pragma once
//! The binder: every reference by name in a scenario resolved, once, to the index of what it
//! names (sites → owners and regions, chips → vendors, agents → vendors and regions, contracts →
//! agents, events → targets, recipients and regions, blocs → their index…), so that a run never
//! looks a name up.

#include "aidc/scenario/spec.hpp"

namespace aidc {

//! Fills every `*_index` member (and `ChipSpec::market_mask`) of spec from the names beside them
//! and sets `references_bound`. The loader calls it once a scenario is valid, where every name
//! is known; a spec built by hand must go through it before a run is made from it. A name that
//! is not there throws std::out_of_range naming the reference (never for a loaded scenario: the
//! loader reports those first). Binding again gives the same indices.
void bind_references(ScenarioSpec& spec);

}  // namespace aidc
