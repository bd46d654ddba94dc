#pragma once
//! Numbers as people read them in reports and summaries ("2.31 M H100e", "$41.2B", "9.84 GW"),
//! and text made safe for HTML.

#include <string>
#include <string_view>

namespace aidc {

//! Compute: "2.31 M H100e", "345 k H100e", "912 H100e".
std::string human_h100e(double h100e);
//! Money: "$1.24T", "$41.2B", "$340M", "$12,345"; negative amounts with a leading minus.
std::string human_usd(double usd);
//! Power: "9.84 GW", "350 MW".
std::string human_mw(double mw);
//! A fraction as a percentage: 0.213 → "21%", 0.0042 → "0.4%".
std::string human_percent(double fraction);
//! `text` with & < > " ' escaped for HTML text and attribute values.
std::string html_escape(std::string_view text);

}  // namespace aidc
