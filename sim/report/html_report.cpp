#include "aidc/report/html_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <iterator>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "aidc/output/json.hpp"
#include "aidc/report/human_format.hpp"
#include "aidc/report/quantile.hpp"
#include "aidc/report/timeline.hpp"
#include "aidc/version.hpp"
#include "assets.hpp"

#ifndef AIDC_ECHARTS_VERSION
#define AIDC_ECHARTS_VERSION "unknown"
#endif

namespace aidc {

std::string_view echarts_version() noexcept { return AIDC_ECHARTS_VERSION; }

std::string script_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '<' && i + 1 < text.size() && text[i + 1] == '/') {
      out += "<\\/";
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

namespace {

// JSON data inside a <script> element, whatever names it carries: '<', '>' and '&' (which a
// name such as "</script>" or "<!--<script>" would need to close the element early or to make
// the parser skip its end) are written as the JSON escapes \u003c, \u003e and \u0026, which
// read back as the same strings. They appear only inside strings, so nothing else changes.
std::string json_script_safe(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  for (const char c : json) {
    if (c == '<') out += "\\u003c";
    else if (c == '>') out += "\\u003e";
    else if (c == '&') out += "\\u0026";
    else out += c;
  }
  return out;
}

std::string number_6g(double v) { return std::isfinite(v) ? fmt::format("{:.6g}", v) : "null"; }

std::string key_of(const ChartSeries& s) { return series_key(s.kind, s.entity, s.metric); }
std::string divide_key_of(const ChartSeries& s) {
  return s.divide_by.empty() ? std::string() : series_key(s.kind, s.entity, s.divide_by);
}

// The data and chart list the page script draws from.
std::string report_data_json(const std::vector<const RunData*>& runs, const std::vector<std::string>& labels,
                             const std::vector<Chart>& charts, std::string_view mode, std::string_view format) {
  std::set<std::string> keys;
  std::set<std::string> band_keys;
  for (const auto& c : charts) {
    for (const auto& s : c.series) {
      if (s.style == "band") band_keys.insert(key_of(s));
      keys.insert(key_of(s));
      if (!s.divide_by.empty()) keys.insert(divide_key_of(s));
    }
    if (c.band) keys.insert(key_of(*c.band));
  }
  fmt::memory_buffer out;
  auto o = std::back_inserter(out);
  fmt::format_to(o, "{{\"mode\":{},\"format\":{},\"runs\":[", json_string(mode), json_string(format));
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const RunData& run = *runs[r];
    fmt::format_to(o, "{}\n{{\"label\":{},\"quarters\":[", r ? "," : "", json_string(labels[r]));
    for (std::size_t i = 0; i < run.quarters.size(); ++i) {
      fmt::format_to(o, "{}\"{}\"", i ? "," : "", run.quarters[i].str());
    }
    fmt::format_to(o, "],\"series\":{{");
    bool first = true;
    for (const auto& key : keys) {  // std::set: sorted, so the bytes do not depend on hashing
      const auto it = run.series_by_key.find(key);
      if (it == run.series_by_key.end()) continue;
      fmt::format_to(o, "{}\n{}:[", first ? "" : ",", json_string(key));
      first = false;
      for (std::size_t i = 0; i < it->second.size(); ++i) fmt::format_to(o, "{}{}", i ? "," : "", number_6g(it->second[i]));
      fmt::format_to(o, "]");
    }
    fmt::format_to(o, "}}");
    if (!band_keys.empty() && run.ensemble()) {
      // The spread of each banded series: p05, p25, p75, p95 (its median is the series itself).
      fmt::format_to(o, ",\"quantiles\":{{");
      bool first_band = true;
      for (const auto& key : band_keys) {
        const auto it = run.quantiles_by_key.find(key);
        if (it == run.quantiles_by_key.end()) continue;
        fmt::format_to(o, "{}\n{}:[", first_band ? "" : ",", json_string(key));
        first_band = false;
        for (const std::size_t k : {0, 1, 3, 4}) {
          fmt::format_to(o, "{}[", k ? "," : "");
          const auto& values = it->second[k];
          for (std::size_t i = 0; i < values.size(); ++i) fmt::format_to(o, "{}{}", i ? "," : "", number_6g(values[i]));
          fmt::format_to(o, "]");
        }
        fmt::format_to(o, "]");
      }
      fmt::format_to(o, "}}");
    }
    fmt::format_to(o, "}}");
  }
  fmt::format_to(o, "],\n\"charts\":[");
  for (std::size_t c = 0; c < charts.size(); ++c) {
    const Chart& ch = charts[c];
    fmt::format_to(o, "{}\n{{\"id\":{},\"title\":{},\"unit\":{},\"scale\":{},\"unit2\":{},\"scale2\":{},\"series\":[",
                   c ? "," : "", json_string(ch.id), json_string(ch.title), json_string(ch.unit), number_6g(ch.scale),
                   json_string(ch.unit2), number_6g(ch.scale2));
    for (std::size_t i = 0; i < ch.series.size(); ++i) {
      const ChartSeries& s = ch.series[i];
      fmt::format_to(o, "{}{{\"name\":{},\"key\":{},\"divide\":{},\"style\":{},\"axis\":{}}}", i ? "," : "",
                     json_string(s.name), json_string(key_of(s)), json_string(divide_key_of(s)), json_string(s.style),
                     s.axis);
    }
    fmt::format_to(o, "]");
    if (ch.band) {
      fmt::format_to(o, ",\"band\":{{\"key\":{},\"label\":{}}}", json_string(key_of(*ch.band)),
                     json_string(ch.band_label));
    }
    fmt::format_to(o, "}}");
  }
  fmt::format_to(o, "]}}");
  return fmt::to_string(out);
}

// Records errors and console.error calls into the page, before anything else runs, so a headless
// browser (and a reader) can see them: #aidc-status data-errors, #aidc-errors.
constexpr std::string_view error_recorder = R"js(
window.AIDC_ERRORS = [];
(function () {
  function record(message) {
    window.AIDC_ERRORS.push(String(message));
    var show = function () {
      var box = document.getElementById('aidc-errors');
      var status = document.getElementById('aidc-status');
      if (box) { box.hidden = false; box.textContent = window.AIDC_ERRORS.join('\n'); }
      if (status) status.setAttribute('data-errors', String(window.AIDC_ERRORS.length));
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', show); else show();
  }
  window.addEventListener('error', function (e) {
    record('error: ' + (e.message || e.type) + (e.filename ? ' (' + e.filename + ':' + e.lineno + ')' : ''));
  });
  window.addEventListener('unhandledrejection', function (e) { record('unhandled rejection: ' + e.reason); });
  var original = console.error;
  console.error = function () {
    record('console.error: ' + Array.prototype.map.call(arguments, String).join(' '));
    return original.apply(console, arguments);
  };
})();
)js";

std::string page(std::string_view title, std::string_view body, std::string_view data_json) {
  std::string out;
  out.reserve(echarts_min_js().size() + body.size() + data_json.size() + 64 * 1024);
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"aidcsim ";
  out += html_escape(version);
  out += "\">\n<title>";
  out += html_escape(title);
  out += "</title>\n<script>";
  out += error_recorder;
  out += "</script>\n<style>\n";
  out += report_css();
  out += "</style>\n</head>\n<body>\n<div id=\"aidc-status\" data-state=\"loading\" data-errors=\"0\" hidden></div>\n"
         "<pre id=\"aidc-errors\" class=\"errors\" hidden></pre>\n";
  out += body;
  out += "\n<script>\n";
  out += script_safe(echarts_min_js());
  out += "\n</script>\n<script>\nwindow.AIDC_REPORT = ";
  out += json_script_safe(data_json);
  out += ";\n</script>\n<script>\n";
  out += script_safe(report_js());
  out += "\n</script>\n</body>\n</html>\n";
  return out;
}

// "seed 42", or for an ensemble "20 seeds (1 … 20), the median of each value".
std::string seeds_text(const RunData& run) {
  if (!run.ensemble()) return "seed " + html_escape(run.seed);
  return fmt::format("{} seeds ({} … {}); the median of each value, the spread across seeds shaded",
                     run.seeds.size(), html_escape(run.seeds.front()), html_escape(run.seeds.back()));
}

std::string provenance_line(const RunData& run) {
  std::string out = fmt::format("Scenario <code>{}</code> ({}), {}", html_escape(run.scenario_source),
                                html_escape(run.scenario_hash), seeds_text(run));
  if (!run.quarters.empty()) out += fmt::format(", {}–{}", run.quarters.front().str(), run.quarters.back().str());
  if (!run.overrides.empty()) {
    out += ", overrides";
    for (const auto& o : run.overrides) out += " <code>" + html_escape(o) + "</code>";
  }
  out += fmt::format("; aidcsim {} ({} build); charts by Apache ECharts {}.", html_escape(run.version),
                     html_escape(run.build_type), echarts_version());
  return out;
}

double value_at(const RunData& run, EntityKind kind, std::string_view entity, Metric metric, Quarter q) {
  const double v = run.value(kind, entity, metric, q);
  return std::isfinite(v) ? v : 0.0;
}

// The year-by-year table (the terminal summary's figures, from the files).
std::string year_table(const RunData& run) {
  if (run.quarters.empty()) return {};
  std::string out =
      "<table class=\"years\">\n<thead><tr><th>year</th><th>installed</th><th>powered</th><th>stranded</th>"
      "<th>utilized</th><th>idle</th><th>utilization</th><th>price</th><th>revenue</th><th>capex</th>"
      "<th>power-bound regions</th></tr>\n<tr class=\"units\"><th></th><th>M H100e</th><th>M H100e</th>"
      "<th>M H100e</th><th>M H100e</th><th>M H100e</th><th>%</th><th>$/H100e-h</th><th>$B / year</th>"
      "<th>$B / year</th><th>at year end</th></tr></thead>\n<tbody>\n";
  const auto G = EntityKind::global;
  for (int year = run.quarters.front().year(); year <= run.quarters.back().year(); ++year) {
    const Quarter first = std::max(run.quarters.front(), Quarter(year, 1));
    const Quarter last = std::min(run.quarters.back(), Quarter(year, 4));
    double revenue = 0, capex = 0;
    for (Quarter q = first; q <= last; ++q) {
      revenue += value_at(run, G, "world", Metric::revenue_usd, q);
      capex += value_at(run, G, "world", Metric::capex_usd, q);
    }
    std::string bound;
    for (const auto& r : run.entities_of(EntityKind::region)) {
      if (value_at(run, EntityKind::region, r, Metric::power_bound, last) > 0.5) bound += (bound.empty() ? "" : ", ") + r;
    }
    out += fmt::format(
        "<tr><td>{}</td><td>{:.2f}</td><td>{:.2f}</td><td>{:.2f}</td><td>{:.2f}</td><td>{:.2f}</td><td>{:.1f}</td>"
        "<td>{:.2f}</td><td>{:.1f}</td><td>{:.1f}</td><td>{}</td></tr>\n",
        year, value_at(run, G, "world", Metric::installed_h100e, last) / 1e6,
        value_at(run, G, "world", Metric::powered_h100e, last) / 1e6, value_at(run, G, "world", Metric::stranded_h100e, last) / 1e6,
        value_at(run, G, "world", Metric::utilized_h100e, last) / 1e6, value_at(run, G, "world", Metric::idle_h100e, last) / 1e6,
        100 * value_at(run, G, "world", Metric::utilization, last), value_at(run, G, "world", Metric::price_usd_per_h100e_hour, last),
        revenue / 1e9, capex / 1e9, bound.empty() ? "–" : html_escape(bound));
  }
  return out + "</tbody>\n</table>\n";
}

std::string key_moments(const RunData& run, const KeyFigures& k) {
  std::string out = "<ul class=\"key-moments\">\n";
  const auto firsts = first_power_bound_by_bloc(k);
  for (const auto& s : firsts) {
    std::string subject = power_bound_subject(s);
    subject[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(subject[0])));
    out += "<li class=\"power-bound\"><strong>" + html_escape(subject) + " becomes power-bound in " + s.start.str() + ".</strong> " + html_escape(power_bound_details(s)) +
           " <a href=\"#fig-region-" + html_escape(s.region) + "-power\">See the power chart.</a></li>\n";
  }
  for (const auto& s : k.power_bound) {
    if (std::any_of(firsts.begin(), firsts.end(),
                    [&](const PowerBoundSpell& f) { return f.region == s.region && f.start == s.start; })) {
      continue;
    }
    out += fmt::format("<li>{} is power-bound from {}{}: stranded compute of {} then {}.</li>\n",
                       html_escape(s.region), s.start.str(), s.end ? " to " + (*s.end - 1).str() : " to the end",
                       html_escape(s.stranded_scope), human_h100e(s.stranded_h100e));
  }
  if (k.power_bound.empty()) out += "<li>No region becomes power-bound.</li>\n";
  const double powered_at_peak =
      value_at(run, EntityKind::global, "world", Metric::powered_h100e, k.peak_idle_quarter);
  out += fmt::format(
      "<li><strong>Idle compute</strong> peaks at {} in {} ({} of powered compute).</li>\n"
      "<li><strong>Stranded compute</strong> peaks at {} in {}; in {} of {} quarters more than {} of installed "
      "compute is stranded.</li>\n",
      human_h100e(k.peak_idle_h100e), k.peak_idle_quarter.str(),
      human_percent(powered_at_peak > 0 ? k.peak_idle_h100e / powered_at_peak : 0.0), human_h100e(k.peak_stranded_h100e),
      k.peak_stranded_quarter.str(), k.stranded_quarters, run.quarters.size(), human_percent(k.thresholds.stranded_share));
  out += fmt::format(
      "<li><strong>Money:</strong> buyers spend {} in capex and earn {} in revenue; cumulative free cash flow at the "
      "end is {}; the chips' book value exceeds their economic value by {}.</li>\n",
      human_usd(k.cumulative_capex_usd), human_usd(k.cumulative_revenue_usd),
      human_usd(k.cumulative_free_cash_flow_usd), human_usd(k.final_value_gap_usd));
  if (k.utilization_first_low) {
    out += fmt::format("<li><strong>Utilization</strong> first falls below {} in {}.</li>\n",
                       human_percent(k.thresholds.utilization_low), k.utilization_first_low->str());
  }
  if (run.ensemble()) {
    // The median series above; here each seed's own figures, summed up.
    std::string figures = format_ensemble_figures_text(run);
    figures = figures.substr(figures.find('\n') + 1);
    out += fmt::format("<li class=\"ensemble\"><strong>Across the {} seeds</strong> (median [5%–95%]; the lines "
                       "above describe the median series, the events below the first seed, {}):<ul>\n",
                       run.seeds.size(), html_escape(run.seeds.front()));
    for (std::size_t at = 0; at < figures.size();) {
      const std::size_t end = figures.find('\n', at);
      out += "<li>" + html_escape(figures.substr(at + 2, end - at - 2)) + "</li>\n";
      at = end + 1;
    }
    out += "</ul></li>\n";
  }
  for (const auto& e : run.events) {
    if (e.kind == "default" || e.kind == "distress") {
      out += fmt::format("<li><strong>{} {}</strong> in {}: {}.</li>\n", html_escape(e.entity),
                         e.kind == "default" ? "defaults" : "is in distress", e.quarter.str(), html_escape(e.cause));
    }
  }
  return out + "</ul>\n";
}

std::string chart_block(const Chart& c) {
  return fmt::format(
      "<figure class=\"chart-block\" id=\"fig-{0}\">\n<figcaption><h3>{1}</h3><p>{2}</p></figcaption>\n"
      "<div class=\"chart\" id=\"chart-{0}\" data-chart=\"{0}\" data-points=\"0\" role=\"img\" aria-label=\"{1}\"></div>\n"
      "</figure>\n",
      html_escape(c.id), html_escape(c.title), html_escape(c.note));
}

std::string chart_sections(const std::vector<Section>& sections, const std::vector<Chart>& charts,
                           const RunData* single) {
  std::string out;
  std::unordered_set<std::string> drawn;  // ids of the charts placed so far
  for (const auto& sec : sections) {
    const bool any = std::any_of(charts.begin(), charts.end(), [&](const Chart& c) { return c.section == sec.id; });
    if (!any) continue;
    out += fmt::format("<section id=\"{}\">\n<h2>{}</h2>\n<p class=\"lead\">{}</p>\n", html_escape(sec.id),
                       html_escape(sec.title), html_escape(sec.lead));
    if (sec.id == "agents" && single != nullptr) {
      // One block per buyer: its notable events, then its two charts. Each is looked up by name
      // (events, blocs, charts), so the page is linear in the number of agents.
      std::unordered_map<std::string, std::string> notes_of;
      for (const auto& t : build_timeline(*single)) {
        if (t.notable) notes_of[t.entity] += "<li><span class=\"q\">" + t.quarter.str() + "</span> " + html_escape(t.text) + "</li>\n";
      }
      std::unordered_map<std::string, std::string> bloc_of;
      for (const auto& e : single->entities) {
        if (e.kind == EntityKind::agent) bloc_of.try_emplace(e.name, e.bloc);
      }
      std::unordered_map<std::string, std::vector<std::size_t>> agent_charts;
      for (std::size_t i = 0; i < charts.size(); ++i) {
        if (charts[i].section == "agents") agent_charts[charts[i].id].push_back(i);
      }
      for (const auto& a : single->entities_of(EntityKind::agent)) {
        const auto b = bloc_of.find(a);
        const std::string bloc = b == bloc_of.end() ? std::string() : b->second;
        out += fmt::format("<div class=\"agent\" id=\"agent-{}\">\n<h3>{}{}</h3>\n", html_escape(a), html_escape(a),
                           bloc.empty() ? "" : " <span class=\"tag\">" + html_escape(bloc) + "</span>");
        if (const auto n = notes_of.find(a); n != notes_of.end()) out += "<ul class=\"agent-events\">\n" + n->second + "</ul>\n";
        out += "<div class=\"charts\">\n";
        std::vector<std::size_t> mine;
        for (const char* part : {"-compute", "-money"}) {
          if (const auto c = agent_charts.find("agent-" + a + part); c != agent_charts.end()) {
            mine.insert(mine.end(), c->second.begin(), c->second.end());
          }
        }
        std::sort(mine.begin(), mine.end());  // in the charts' order
        mine.erase(std::unique(mine.begin(), mine.end()), mine.end());
        for (const std::size_t i : mine) {
          out += chart_block(charts[i]);
          drawn.insert(html_escape(charts[i].id));
        }
        out += "</div>\n</div>\n";
      }
      // Any agent chart whose id was changed to be unique or file-name safe.
      std::string rest;
      for (const auto& c : charts) {
        if (c.section == "agents" && !drawn.count(html_escape(c.id))) rest += chart_block(c);
      }
      if (!rest.empty()) out += "<div class=\"charts\">\n" + rest + "</div>\n";
    } else {
      out += "<div class=\"charts\">\n";
      for (const auto& c : charts) {
        if (c.section == sec.id) {
          out += chart_block(c);
          drawn.insert(html_escape(c.id));
        }
      }
      out += "</div>\n";
    }
    out += "</section>\n";
  }
  return out;
}

std::string nav(const std::vector<Section>& sections, const std::vector<Chart>& charts, bool timeline) {
  std::string out = "<nav><a href=\"#overview\">What happened</a>";
  for (const auto& sec : sections) {
    if (std::any_of(charts.begin(), charts.end(), [&](const Chart& c) { return c.section == sec.id; })) {
      out += fmt::format(" <a href=\"#{}\">{}</a>", html_escape(sec.id), html_escape(sec.title.substr(0, sec.title.find(':'))));
    }
  }
  if (timeline) out += " <a href=\"#timeline\">Timeline</a>";
  out += " <a href=\"#data\">Data files</a></nav>\n";
  return out;
}

std::string timeline_section(const RunData& run) {
  const auto entries = build_timeline(run);
  std::string out =
      "<section id=\"timeline\">\n<h2>Timeline: what happened, quarter by quarter</h2>\n"
      "<p class=\"lead\">Told from the event log (<code>events.jsonl</code>). Notable events are listed one by one; "
      "routine activity (orders, deliveries, construction, grid connections, loans) is summed up per quarter." +
      (run.ensemble() ? " This run is an ensemble: the log is its first seed's (seed " + html_escape(run.seeds.front()) +
                            "); with <code>--per-seed</code>, each seed's is in <code>seeds/&lt;seed&gt;/events.jsonl</code>."
                      : std::string()) +
      "</p>\n"
      "<div class=\"timeline-controls\"><label><input type=\"checkbox\" id=\"show-routine\" checked> show routine "
      "activity</label> <label>filter: <input type=\"search\" id=\"timeline-filter\" placeholder=\"e.g. us-texas, "
      "power-bound, default\"></label></div>\n<ol class=\"timeline\" id=\"timeline-list\">\n";
  std::string current;
  for (const auto& t : entries) {
    const std::string q = t.quarter.str();
    out += fmt::format("<li class=\"{}\" data-kind=\"{}\"><span class=\"q\">{}</span> {}</li>\n",
                       t.notable ? "notable" : "routine", html_escape(t.kind), q == current ? "" : q,
                       html_escape(t.text));
    current = q;
  }
  if (entries.empty()) out += "<li>The event log is empty.</li>\n";
  return out + "</ol>\n</section>\n";
}

std::string data_section(bool compare, bool ensemble = false) {
  std::string out =
      "<section id=\"data\">\n<h2>Data files</h2>\n<p class=\"lead\">Every chart is drawn from the files in the run "
      "directory; <code>docs/outputs.md</code> lists every column with its unit.</p>\n<ul>\n"
      "<li><code>timeseries.csv</code>: tidy, one value per row (<code>quarter,entity_kind,entity,metric,value</code>).</li>\n"
      "<li><code>global.csv</code>, <code>blocs.csv</code>, <code>regions.csv</code>, <code>agents.csv</code>, "
      "<code>vendors.csv</code>: wide, one row per quarter and entity, one column per metric (units in the names).</li>\n"
      "<li><code>events.jsonl</code>: the event log, one JSON object per line.</li>\n"
      "<li><code>run.json</code>: where the run came from (scenario, its hash and resolved text, seed, version).</li>\n" +
      std::string(ensemble ? "<li><code>ensemble.csv</code>: the 5, 25, 50, 75 and 95% quantiles of every value across the "
                             "seeds (<code>quarter,entity_kind,entity,metric,p05,p25,p50,p75,p95</code>); the other tables "
                             "hold the medians.</li>\n<li><code>seeds.csv</code>: each seed's key figures.</li>\n"
                           : "") +
      "</ul>\n<pre><code>import pandas as pd\nagents = pd.read_csv(\"out/agents.csv\")\n"
      "events = pd.read_json(\"out/events.jsonl\", lines=True)</code></pre>\n";
  if (compare) out += "<p>Each run's report: <code>aidcsim report DIR</code>.</p>\n";
  out += fmt::format(
      "<p class=\"credit\">Charts drawn with Apache ECharts {} (Apache License 2.0), embedded in this file: hover for "
      "values, click legend entries to hide or show series, scroll or drag the slider to zoom, and use the icons at "
      "the top right of a chart to zoom a box, reset or save it as an image.</p>\n</section>\n",
      echarts_version());
  return out;
}

}  // namespace

std::vector<std::string> run_labels(const std::vector<const RunData*>& runs) {
  std::vector<std::string> labels;
  for (const RunData* r : runs) labels.push_back(r->scenario_name.empty() ? r->dir.filename().string() : r->scenario_name);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const std::string name = labels[i];
    const bool repeated = std::count(labels.begin(), labels.end(), name) > 1;
    if (!repeated) continue;
    for (std::size_t j = i; j < labels.size(); ++j) {
      if (labels[j] == name) labels[j] = name + " (" + runs[j]->dir.filename().string() + ")";
    }
  }
  for (std::size_t i = 0; i < labels.size(); ++i) {
    int n = 2;
    for (std::size_t j = i + 1; j < labels.size(); ++j) {
      if (labels[j] == labels[i]) labels[j] += " #" + std::to_string(n++);
    }
  }
  return labels;
}

std::string format_report_html(const RunData& run) {
  const std::vector<const RunData*> runs = {&run};
  const auto charts = report_charts(runs, true);
  const auto sections = report_sections(true);
  const KeyFigures k = key_figures(run);
  std::string body = "<header>\n<h1>" + html_escape(run.scenario_name) + "</h1>\n";
  if (!run.scenario_description.empty()) body += "<p class=\"description\">" + html_escape(run.scenario_description) + "</p>\n";
  body += "<p class=\"provenance\">" + provenance_line(run) + "</p>\n" + nav(sections, charts, true) + "</header>\n<main>\n";
  body += "<section id=\"overview\">\n<h2>What happened</h2>\n" + key_moments(run, k) + year_table(run) + "</section>\n";
  body += chart_sections(sections, charts, &run);
  body += timeline_section(run);
  body += data_section(false, run.ensemble());
  body += "</main>\n";
  return page("aidcsim report: " + run.scenario_name, body,
              report_data_json(runs, {run.scenario_name}, charts, "report", ""));
}

std::string format_compare_html(const std::vector<RunData>& runs_in, const KeyThresholds& thresholds) {
  std::vector<const RunData*> runs;
  for (const auto& r : runs_in) runs.push_back(&r);
  const auto labels = run_labels(runs);
  const auto charts = report_charts(runs, false);
  const auto sections = report_sections(false);
  std::vector<KeyFigures> keys;
  for (const RunData* r : runs) keys.push_back(key_figures(*r, thresholds));

  std::string title;
  for (const auto& l : labels) title += (title.empty() ? "" : " vs ") + l;
  std::string body = "<header>\n<h1>Comparison: " + html_escape(title) + "</h1>\n<ul class=\"runs\">\n";
  for (std::size_t i = 0; i < runs.size(); ++i) {
    body += "<li><strong>" + html_escape(labels[i]) + "</strong>" +
            (runs[i]->scenario_description.empty() ? "" : ": " + html_escape(runs[i]->scenario_description)) +
            "<br><span class=\"provenance\">" + provenance_line(*runs[i]) + "</span></li>\n";
  }
  body += "</ul>\n" + nav(sections, charts, false) + "</header>\n<main>\n<section id=\"overview\">\n<h2>Key differences</h2>\n";
  body += "<p class=\"lead\">World totals unless said otherwise. In brackets, the difference from the first run.";
  if (std::any_of(runs.begin(), runs.end(), [](const RunData* r) { return r->ensemble(); })) {
    body += " An ensemble's figure is its median [5%–95%] across its seeds; the difference between two ensembles of "
            "the same seeds is the median [5%–95%] of the seed-by-seed differences (common random numbers), otherwise "
            "the difference of the medians.";
  }
  body += "</p>\n";
  body += "<table class=\"differences\">\n<thead><tr><th></th>";
  for (const auto& l : labels) body += "<th>" + html_escape(l) + "</th>";
  body += "</tr></thead>\n<tbody>\n";

  // A figure of an ensemble is its median [5%–95%] across seeds; its difference from the first run
  // is the median [5%–95%] of the seed-by-seed differences when both ran the same seeds (common
  // random numbers), else the difference of the medians.
  auto numeric_row = [&](const std::string& name, const std::string& figure, auto get, auto show,
                         const std::string& row_class) {
    const auto signed_show = [&](double d) {
      return std::string(d >= 0 ? "+" : "−") + show(std::fabs(d));
    };
    const auto central = [&](std::size_t i) {
      const auto* values = runs[i]->seed_figure(figure);
      return values != nullptr ? spread_of(*values).p50 : get(keys[i]);
    };
    body += "<tr class=\"" + row_class + "\"><th>" + html_escape(name) + "</th>";
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const auto* values = runs[i]->seed_figure(figure);
      std::string cell = values != nullptr ? median_and_range(spread_of(*values), show) : show(get(keys[i]));
      if (i > 0) {
        const auto* base = runs[0]->seed_figure(figure);
        if (values != nullptr && base != nullptr && runs[i]->seeds == runs[0]->seeds) {
          std::vector<double> d(values->size());
          for (std::size_t k = 0; k < d.size(); ++k) d[k] = (*values)[k] - (*base)[k];
          cell += " <span class=\"delta\">(" + median_and_range(spread_of(d), signed_show) + ")</span>";
        } else {
          cell += " <span class=\"delta\">(" + signed_show(central(i) - central(0)) + ")</span>";
        }
      }
      body += "<td>" + cell + "</td>";
    }
    body += "</tr>\n";
  };
  auto text_row = [&](const std::string& name, auto get, const std::string& row_class) {
    body += "<tr class=\"" + row_class + "\"><th>" + html_escape(name) + "</th>";
    for (const auto& k : keys) body += "<td>" + html_escape(get(k)) + "</td>";
    body += "</tr>\n";
  };
  const auto quarter_or_never = [](const std::optional<Quarter>& q) {
    return q ? fmt::format("{} ({})", q->year(), q->str()) : std::string("never");
  };
  const auto count = [](double v) { return fmt::format("{:.0f}", v); };
  numeric_row("Peak idle compute", "peak_idle_h100e", [](const KeyFigures& k) { return k.peak_idle_h100e; }, human_h100e, "peak-idle");
  text_row("… in", [](const KeyFigures& k) { return k.peak_idle_quarter.str(); }, "peak-idle-quarter");
  numeric_row("Peak stranded compute", "peak_stranded_h100e", [](const KeyFigures& k) { return k.peak_stranded_h100e; }, human_h100e,
              "peak-stranded");
  numeric_row(fmt::format("Quarters with more than {} of compute stranded", human_percent(thresholds.stranded_share)),
              "stranded_quarters",
              [](const KeyFigures& k) { return static_cast<double>(k.stranded_quarters); }, count, "stranded-quarters");
  text_row("First power-bound quarter", [](const KeyFigures& k) {
    return k.power_bound.empty() ? std::string("never") : k.power_bound.front().start.str() + " (" + k.power_bound.front().region + ")";
  }, "first-power-bound");
  numeric_row("Cumulative capex", "cumulative_capex_usd", [](const KeyFigures& k) { return k.cumulative_capex_usd; }, human_usd, "capex");
  numeric_row("Cumulative revenue", "cumulative_revenue_usd", [](const KeyFigures& k) { return k.cumulative_revenue_usd; }, human_usd, "revenue");
  numeric_row("Cumulative free cash flow", "cumulative_free_cash_flow_usd", [](const KeyFigures& k) { return k.cumulative_free_cash_flow_usd; },
              human_usd, "free-cash-flow");
  numeric_row("Installed compute at the end", "final_installed_h100e", [](const KeyFigures& k) { return k.final_installed_h100e; }, human_h100e,
              "installed");
  numeric_row("Utilization at the end", "final_utilization", [](const KeyFigures& k) { return k.final_utilization; }, human_percent,
              "utilization");
  text_row(fmt::format("Year utilization first reaches {}", human_percent(thresholds.utilization_high)),
           [&](const KeyFigures& k) { return quarter_or_never(k.utilization_first_high); }, "utilization-high");
  text_row(fmt::format("Year utilization first falls below {}", human_percent(thresholds.utilization_low)),
           [&](const KeyFigures& k) { return quarter_or_never(k.utilization_first_low); }, "utilization-low");
  numeric_row("Value gap at the end (book − economic)", "final_value_gap_usd", [](const KeyFigures& k) { return k.final_value_gap_usd; },
              human_usd, "value-gap");
  numeric_row("Defaults", "defaults", [](const KeyFigures& k) { return static_cast<double>(k.defaults); }, count, "defaults");
  body += "</tbody>\n</table>\n";
  for (std::size_t i = 0; i < runs.size(); ++i) {
    body += "<h3>" + html_escape(labels[i]) + "</h3>\n" + key_moments(*runs[i], keys[i]);
  }
  body += "</section>\n";
  body += "<p class=\"lead\">Each chart overlays the runs: one colour per series, one line style per run (solid: " +
          html_escape(labels[0]) + (labels.size() > 1 ? "; dashed: " + html_escape(labels[1]) : "") +
          (labels.size() > 2 ? "; dotted: " + html_escape(labels[2]) : "") + ").</p>\n";
  body += chart_sections(sections, charts, nullptr);
  body += data_section(true);
  body += "</main>\n";
  return page("aidcsim comparison: " + title, body, report_data_json(runs, labels, charts, "compare", ""));
}

std::string format_figures_html(const std::vector<const RunData*>& runs, const std::vector<Chart>& charts,
                                FigureFormat format) {
  std::string body = "<main class=\"figures\">\n";
  for (const auto& c : charts) {
    body += fmt::format("<div class=\"figure\" id=\"chart-{0}\" data-chart=\"{0}\" data-points=\"0\"></div>\n",
                        html_escape(c.id));
  }
  body += "</main>\n";
  return page("aidcsim figures", body,
              report_data_json(runs, run_labels(runs), charts, "figures", format == FigureFormat::svg ? "svg" : "png"));
}

}  // namespace aidc
