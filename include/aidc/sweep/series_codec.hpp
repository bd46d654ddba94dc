#pragma once
//! A run's kept series as a shard stores it: one gzip member per run (zlib at level 6, no file
//! name, modification time 0, so the bytes depend on nothing but the text and zlib), appended to
//! the shard's `.series.gz`. Concatenated members are one gzip file: `zcat shard-0-of-4.series.gz`
//! prints every run's lines.

#include <cstdint>
#include <string>
#include <string_view>

namespace aidc::sweep {

//! The most text one member may inflate to (one run's series): a larger one is refused, not
//! allocated.
inline constexpr std::size_t max_series_member_bytes = 256u << 20;

//! `text` compressed as one gzip member. Deterministic: the same bytes on every call, machine and
//! thread count for the same zlib.
std::string gzip_member(std::string_view text);

//! The member starting `offset` bytes into the open file `fd`, of which the first `end` bytes
//! count: its text, and in `member_bytes` how many bytes it takes. Throws ResultsError ("FILE:
//! byte N: …") if those bytes are not a whole gzip member (cut short, damaged, a bad checksum)
//! or inflate to more than max_series_member_bytes.
std::string inflate_member(int fd, std::uint64_t offset, std::uint64_t end, std::uint64_t& member_bytes,
                           const std::string& file);

}  // namespace aidc::sweep
