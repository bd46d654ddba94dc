#include "aidc/sweep/sweep_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "aidc/output/json.hpp"
#include "aidc/report/html_report.hpp"
#include "aidc/report/human_format.hpp"
#include "aidc/version.hpp"
#include "report/assets.hpp"

namespace aidc::sweep {

namespace {

// Draws every `.chart` from window.AIDC_SWEEP: horizontal bars, one category per parameter (the
// data's order, strongest first, drawn top down), one series per bar kind, with whiskers for
// the intervals when given.
constexpr std::string_view sweep_js = R"js(
(function () {
  var data = window.AIDC_SWEEP;
  var palette = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e'];
  function fmt(v) {
    if (v === null) return '–';
    return Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : +v.toFixed(3);
  }
  document.querySelectorAll('.chart').forEach(function (el) {
    var chart = data.charts[el.getAttribute('data-chart')];
    var names = chart.names.slice().reverse();
    var series = [];
    chart.series.forEach(function (s, i) {
      var values = s.values.slice().reverse();
      var color = s.signed ? null : palette[i % palette.length];
      series.push({name: s.name, type: 'bar', data: values.map(function (v) {
        return {value: v, itemStyle: {color: color || (v !== null && v < 0 ? '#d62728' : '#1f77b4')}};
      }), barGap: '10%', label: {show: true, position: 'right', formatter: function (p) { return fmt(p.value); },
                                 fontSize: 11, color: '#444'}});
      if (s.low) {
        var low = s.low.slice().reverse(), high = s.high.slice().reverse();
        series.push({name: s.name + ' interval', type: 'custom', silent: true, z: 5, itemStyle: {color: '#333'},
          renderItem: function (params, api) {
            var y = api.value(1), a = api.coord([api.value(2), y]), b = api.coord([api.value(3), y]);
            var size = api.size([0, 1])[1] * 0.5 / chart.series.length;
            var offset = (i - (chart.series.length - 1) / 2) * size * 1.1;
            var style = {stroke: '#333', lineWidth: 1};
            return {type: 'group', children: [
              {type: 'line', shape: {x1: a[0], y1: a[1] - offset, x2: b[0], y2: b[1] - offset}, style: style},
              {type: 'line', shape: {x1: a[0], y1: a[1] - offset - 3, x2: a[0], y2: a[1] - offset + 3}, style: style},
              {type: 'line', shape: {x1: b[0], y1: b[1] - offset - 3, x2: b[0], y2: b[1] - offset + 3}, style: style}]};
          },
          encode: {x: [2, 3], y: 1},
          data: names.map(function (n, j) { return [j, j, low[j], high[j]]; })});
      }
    });
    var instance = echarts.init(el, null, {renderer: 'svg'});
    instance.setOption({
      animation: false, color: palette,
      grid: {left: 8, right: 56, top: 30, bottom: 24, containLabel: true},
      legend: {top: 0, data: chart.series.map(function (s) { return s.name; })},
      tooltip: {trigger: 'axis', axisPointer: {type: 'shadow'},
                valueFormatter: function (v) { return fmt(v); }},
      xAxis: {type: 'value', name: chart.unit, nameLocation: 'middle', nameGap: 22, min: chart.min, max: chart.max,
              splitLine: {lineStyle: {color: '#eee'}}},
      yAxis: {type: 'category', data: names, axisLabel: {fontSize: 12}},
      series: series
    });
    window.addEventListener('resize', function () { instance.resize(); });
  });
  var status = document.getElementById('aidc-status');
  if (status) status.setAttribute('data-state', 'ready');
})();
)js";

std::string number_json(double v) {
  return std::isfinite(v) ? fmt::format("{:.6g}", v) : "null";
}

std::string g(double v) {
  return std::isfinite(v) ? fmt::format("{:.4g}", v) : "–";
}

// A bar chart: parameters in `order`, one series per entry of `series`.
struct Bars {
  std::string unit;
  double min = NAN, max = NAN;  // axis bounds (NaN: automatic)
  struct Series {
    std::string name;
    std::vector<double> values, low, high;  // per parameter; low/high empty: no whiskers
    bool signed_colours = false;            // red below zero, blue above
  };
  std::vector<Series> series;
};

std::string chart_json(const SweepResults& r, const std::vector<std::size_t>& order, const Bars& bars) {
  const auto list = [&](const std::vector<double>& values) {
    std::string out = "[";
    for (std::size_t i = 0; i < order.size(); ++i) out += (i ? "," : "") + number_json(values[order[i]]);
    return out + "]";
  };
  std::string names = "[";
  for (std::size_t i = 0; i < order.size(); ++i)
    names += (i ? "," : "") + json_string(r.spec.parameters[order[i]].path);
  std::string out = fmt::format("{{\"names\": {}], \"unit\": {}, \"min\": {}, \"max\": {}, \"series\": [", names,
                                json_string(bars.unit), number_json(bars.min), number_json(bars.max));
  for (std::size_t s = 0; s < bars.series.size(); ++s) {
    const auto& b = bars.series[s];
    out += fmt::format("{}{{\"name\": {}, \"values\": {}, \"signed\": {}", s ? ", " : "", json_string(b.name),
                       list(b.values), b.signed_colours ? "true" : "false");
    if (!b.low.empty()) out += fmt::format(", \"low\": {}, \"high\": {}", list(b.low), list(b.high));
    out += "}";
  }
  return out + "]}";
}

std::string figure(const std::string& id, const std::string& title, const std::string& note, std::size_t bars) {
  return fmt::format(
      "<figure class=\"chart-block\"><figcaption><h3>{}</h3><p>{}</p></figcaption>"
      "<div class=\"chart\" data-chart=\"{}\" style=\"height: {}px\"></div></figure>\n",
      html_escape(title), note, id, 130 + 40 * bars);
}

}  // namespace

std::string format_sweep_report_html(const SweepResults& r, const AnalysisOptions& options) {
  const std::size_t k = r.spec.parameters.size();
  const int percent = static_cast<int>(std::lround(options.confidence * 100));
  std::string body, charts, nav;
  std::size_t chart_count = 0;
  const auto add_chart = [&](const std::vector<std::size_t>& order, const Bars& bars) {
    const std::string id = "c" + std::to_string(chart_count++);
    charts += (charts.empty() ? "" : ",\n") + json_string(id) + ": " + chart_json(r, order, bars);
    return id;
  };
  const auto kpis = analysis_kpis(r, options);
  for (std::size_t n = 0; n < kpis.size(); ++n) {
    const KpiAnalysis a = analyze_kpi(r, kpis[n], options);
    const std::string anchor = "kpi-" + std::to_string(n);
    nav += fmt::format("<a href=\"#{}\">{}</a>", anchor, html_escape(a.kpi));
    body += fmt::format("<section id=\"{}\">\n<h2>{}</h2>\n", anchor, html_escape(a.kpi));
    if (a.noise.measured) {
      body += fmt::format(
          "<p class=\"lead\">Noise: the replications of a design point differ by a standard deviation "
          "of {}, {:.3g}% of the variance of single runs (seeds {}).</p>\n",
          g(std::sqrt(a.noise.within)), 100 * a.noise.share_runs,
          r.spec.common_random_numbers ? "common" : "independent");
    }
    double lowest = INFINITY, highest = -INFINITY;
    for (const double v : a.point_values) {
      if (std::isfinite(v)) lowest = std::min(lowest, v), highest = std::max(highest, v);
    }
    if (!(highest > lowest)) {
      body += "<p class=\"lead\">The KPI " +
              (std::isfinite(lowest) ? "is " + g(lowest) + " at every design point: no parameter moves it."
                                     : std::string("was not recorded by any run.")) +
              "</p>\n</section>\n";
      continue;
    }
    body += "<div class=\"charts\">\n";
    if (!a.sobol.empty()) {
      Bars bars{"Sobol index (share of the KPI's variance)", NAN, NAN, {}};
      Bars::Series total{"total order ST", {}, {}, {}, false}, first{"first order S", {}, {}, {}, false};
      for (const auto& s : a.sobol) {
        total.values.push_back(s.total.value), total.low.push_back(s.total.low), total.high.push_back(s.total.high);
        first.values.push_back(s.first.value), first.low.push_back(s.first.low), first.high.push_back(s.first.high);
      }
      const auto order = descending_order(total.values);
      bars.series = {total, first};
      body += figure(
          add_chart(order, bars), "Sensitivity: Sobol indices",
          fmt::format("Ranked by total order, from {} base draws; whiskers: {}% bootstrap intervals.{}", a.base_draws,
                      percent, a.base_draws < 64 ? " <strong>Fewer than 64 base draws: unreliable.</strong>" : ""),
          k);
    } else if (!a.morris.empty()) {
      Bars bars{"μ* (per unit of the parameter's quantile scale)", 0, NAN, {}};
      Bars::Series mu{"μ*", {}, {}, {}, false}, sigma{"σ", {}, {}, {}, false};
      for (const auto& m : a.morris) {
        mu.values.push_back(m.mu_star.value), mu.low.push_back(m.mu_star.low), mu.high.push_back(m.mu_star.high);
        sigma.values.push_back(m.sigma);
      }
      const auto order = descending_order(mu.values);
      bars.series = {mu, sigma};
      body += figure(add_chart(order, bars), "Sensitivity: Morris elementary effects",
                     fmt::format("Ranked by μ* (mean absolute effect); σ large beside μ*: interactions or a "
                                 "non-linear effect. Whiskers: {}% bootstrap intervals of μ*.",
                                 percent),
                     k);
    }
    if (!a.prcc.empty()) {
      Bars bars{"partial rank correlation", -1, 1, {}};
      Bars::Series prcc{"PRCC", {}, {}, {}, true};
      std::vector<double> strength;
      for (const auto& p : a.prcc) prcc.values.push_back(p.value), strength.push_back(std::abs(p.value));
      bars.series = {prcc};
      body += figure(add_chart(descending_order(strength), bars), "Partial rank correlation (PRCC)",
                     fmt::format("Over {} design points, ranked by strength: blue, the KPI rises with the parameter; "
                                 "red, it falls (the others held fixed, rank scale).",
                                 a.points),
                     k);
    }
    body += "</div>\n";
    if (a.prim) {
      const PrimBox& box = *a.prim;
      body += fmt::format(
          "<h3>PRIM box</h3>\n<p class=\"lead\">The KPI is ≥ {} (its {:g}th percentile) in {:.0f}% of the "
          "design points inside this box, against {:.0f}% of all; the box holds {:.0f}% of the points "
          "and {:.0f}% of those cases.</p>\n",
          g(box.threshold), options.prim_quantile * 100, 100 * box.box.density, 100 * box.base_density,
          100 * box.box.support, 100 * box.box.coverage);
      std::string rows;
      for (std::size_t j = 0; j < k; ++j) {
        if (!box.restricted[j]) continue;
        rows += fmt::format("<tr><td>{}</td><td>{} … {}</td><td>{} … {}</td></tr>\n",
                            html_escape(r.spec.parameters[j].path), html_escape(prim_value_text(r, a, j, box.low[j])),
                            html_escape(prim_value_text(r, a, j, box.high[j])),
                            html_escape(prim_value_text(r, a, j, a.range_low[j])),
                            html_escape(prim_value_text(r, a, j, a.range_high[j])));
      }
      body += rows.empty()
                  ? "<p>No parameter range raises the share: the box is the whole space.</p>\n"
                  : "<table><thead><tr><th>parameter</th><th>box</th><th>whole sweep</th></tr></thead>\n<tbody>\n" +
                        rows + "</tbody></table>\n";
    }
    body += "</section>\n";
  }
  const std::string title = "Sweep " + r.spec.source;
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" "
      "content=\"aidcsim " +
      html_escape(version) + "\">\n<title>" + html_escape(title) + "</title>\n<style>\n";
  out += report_css();
  out += "</style>\n</head>\n<body>\n<div id=\"aidc-status\" data-state=\"loading\" hidden></div>\n<header>\n<h1>" +
         html_escape(title) + "</h1>\n";
  out += fmt::format(
      "<p class=\"provenance\">{} design, {} parameters, {} of {} runs recorded ({} failed), seed {}; "
      "aidcsim {}; charts by Apache ECharts {}.</p>\n<nav>{}</nav>\n</header>\n<main>\n",
      design_name(r.spec.design), k, r.records.size(), r.table.runs.size(),
      std::count_if(r.records.begin(), r.records.end(), [](const auto& rec) { return !rec.ok; }), r.spec.seed,
      html_escape(version), echarts_version(), nav);
  out += body;
  out += "</main>\n<script>\n";
  out += script_safe(echarts_min_js());
  out += "\n</script>\n<script>\nwindow.AIDC_SWEEP = {\"charts\": {\n";
  for (const char c : charts) {  // JSON inside <script>: no '<', '>' or '&' as such
    if (c == '<')
      out += "\\u003c";
    else if (c == '>')
      out += "\\u003e";
    else if (c == '&')
      out += "\\u0026";
    else
      out += c;
  }
  out += "}};\n</script>\n<script>\n";
  out += sweep_js;
  out += "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace aidc::sweep
