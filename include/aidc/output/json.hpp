#pragma once
//! The bits of JSON the writers need: strings escaped per RFC 8259, numbers that read back exactly.

#include <string>
#include <string_view>

namespace aidc {

//! `s` as a quoted JSON string.
std::string json_string(std::string_view s);
//! `v` as a JSON number (shortest text that reads back as the same double); null if not finite.
std::string json_number(double v);

}  // namespace aidc
