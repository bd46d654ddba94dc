#include "aidc/text/text_file.hpp"

#include <fstream>
#include <system_error>

namespace aidc {

std::string too_large_message(std::size_t bytes, std::size_t max_bytes, const TextFileKind& kind) {
  return "is more than " + std::to_string(bytes >> 20) + " MiB; " + std::string(kind.plural) + " are limited to " +
         std::to_string(max_bytes >> 20) + " MiB";
}

std::optional<std::string> read_text_file(const std::filesystem::path& path, std::size_t max_bytes,
                                          const TextFileKind& kind, std::string& problem) {
  const auto fail = [&problem](std::string why) {
    problem = std::move(why);
    return std::nullopt;
  };
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) return fail("no such file; expected " + std::string(kind.expected));
  if (std::filesystem::is_directory(status)) return fail("is a directory; expected " + std::string(kind.expected));
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > max_bytes) return fail(too_large_message(static_cast<std::size_t>(size), max_bytes, kind));
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("cannot be opened for reading (check its permissions)");
  std::string content;
  if (!ec) content.reserve(static_cast<std::size_t>(size));
  char chunk[1 << 16];
  while (content.size() <= max_bytes && (in.read(chunk, sizeof chunk) || in.gcount() > 0)) {
    content.append(chunk, static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) return fail("read error");
  if (content.size() > max_bytes) return fail(too_large_message(content.size(), max_bytes, kind));
  return content;
}

}  // namespace aidc
