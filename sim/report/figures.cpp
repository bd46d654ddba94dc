#include "aidc/report/figures.hpp"

#include <stdexcept>

#include "aidc/output/atomic_file.hpp"
#include "aidc/report/browser.hpp"

namespace aidc {

std::string decode_base64(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 3 / 4);
  unsigned buffer = 0;
  int bits = 0;
  bool padding = false;
  for (const char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+') v = 62;
    else if (c == '/') v = 63;
    else if (c == '=') {
      padding = true;
      continue;
    } else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      continue;
    } else {
      throw std::invalid_argument(std::string("not base64: '") + c + "'");
    }
    if (padding) throw std::invalid_argument("base64: data after '='");
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

namespace {

// The text of attribute `name` in the first element with id="`id`", or "".
std::string attribute_of(const std::string& dom, std::string_view id, std::string_view name) {
  const std::size_t at = dom.find("id=\"" + std::string(id) + "\"");
  if (at == std::string::npos) return {};
  const std::size_t start = dom.rfind('<', at);
  const std::size_t end = dom.find('>', at);
  const std::string tag = dom.substr(start, end - start);
  const std::string key = " " + std::string(name) + "=\"";
  const std::size_t k = tag.find(key);
  if (k == std::string::npos) return {};
  const std::size_t v = k + key.size();
  return tag.substr(v, tag.find('"', v) - v);
}

std::string unescape_html(std::string s) {
  const std::pair<std::string_view, std::string_view> entities[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}};
  for (const auto& [from, to] : entities) {
    for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) {
      s.replace(p, from.size(), to);
    }
  }
  return s;
}

}  // namespace

std::vector<std::filesystem::path> write_figures(const std::vector<const RunData*>& runs,
                                                 const std::vector<Chart>& charts, FigureFormat format,
                                                 const std::filesystem::path& dir) {
  const auto chromium = find_chromium();
  if (!chromium) {
    throw OutputError(
        "static figures need headless Chromium, and none was found (looked for $AIDC_CHROMIUM, chromium, "
        "chromium-browser, google-chrome on PATH): install it with tools/setup (Debian package chromium)");
  }
  TemporaryDirectory work;
  const std::filesystem::path page = work.path() / "figures.html";
  write_file_atomically(page, format_figures_html(runs, charts, format));
  const std::string dom = dump_dom_headless(*chromium, page);

  if (attribute_of(dom, "aidc-status", "data-state") != "ready") {
    throw OutputError("the browser did not finish drawing the figures (no ready state in the page)");
  }
  if (const std::string errors = attribute_of(dom, "aidc-status", "data-errors"); errors != "0") {
    const std::size_t s = dom.find("id=\"aidc-errors\"");
    std::string text;
    if (s != std::string::npos) {
      const std::size_t b = dom.find('>', s) + 1;
      text = unescape_html(dom.substr(b, dom.find("</pre>", b) - b));
    }
    throw OutputError("drawing the figures failed with " + errors + " script error(s):\n" + text);
  }

  ensure_output_directory(dir);
  const std::string extension = format == FigureFormat::svg ? ".svg" : ".png";
  std::vector<std::filesystem::path> written;
  for (const Chart& c : charts) {
    const std::string open = "<pre class=\"figure-out\" data-id=\"" + c.id + "\">";
    const std::size_t at = dom.find(open);
    if (at == std::string::npos) throw OutputError("the browser drew no figure for chart " + c.id);
    const std::size_t begin = at + open.size();
    const std::size_t end = dom.find("</pre>", begin);
    std::string bytes;
    try {
      bytes = decode_base64(std::string_view(dom).substr(begin, end - begin));
    } catch (const std::invalid_argument& e) {
      throw OutputError("the figure of chart " + c.id + " came back garbled: " + e.what());
    }
    if (format == FigureFormat::svg) {
      bytes = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + bytes + (bytes.ends_with("\n") ? "" : "\n");
    }
    const std::filesystem::path file = dir / (c.id + extension);
    write_file_atomically(file, bytes);
    written.push_back(file);
  }
  return written;
}

}  // namespace aidc
