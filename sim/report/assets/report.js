// Draws the charts of an aidcsim report, comparison or figure page from window.AIDC_REPORT
// (written by sim/report/html_report.cpp) with Apache ECharts, inlined before this script.
// When done, #aidc-status gets data-state="ready", data-charts (charts drawn) and data-errors;
// each chart's element gets data-points (finite values drawn), so a headless browser can check.
(function () {
  'use strict';
  var report = window.AIDC_REPORT;
  var status = document.getElementById('aidc-status');
  var palette = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f',
                 '#bcbd22', '#17becf', '#393b79', '#ad494a'];
  var runDashes = ['solid', 'dashed', 'dotted', [12, 4, 2, 4]];
  var figures = report.mode === 'figures';
  var many = report.runs.length > 1;

  function format(v) {
    if (v === null || v === undefined || !isFinite(v)) return '–';
    var a = Math.abs(v);
    if (a >= 1000) return v.toLocaleString('en-US', {maximumFractionDigits: 0});
    if (a >= 100) return v.toFixed(0);
    if (a >= 10) return v.toFixed(1);
    if (a >= 1 || a === 0) return v.toFixed(a === 0 ? 0 : 2);
    return v.toPrecision(2);
  }

  // Quarters of every run, in order ("2023Q1" sorts as text).
  var quarters = (function () {
    var seen = {};
    report.runs.forEach(function (run) { run.quarters.forEach(function (q) { seen[q] = true; }); });
    return Object.keys(seen).sort();
  })();
  var positions = report.runs.map(function (run) {
    var at = {};
    run.quarters.forEach(function (q, i) { at[q] = i; });
    return at;
  });

  function values(r, s, scale) {
    var run = report.runs[r];
    var data = run.series[s.key];
    if (!data) return null;
    var divide = s.divide ? run.series[s.divide] : null;
    if (s.divide && !divide) return null;
    return quarters.map(function (q) {
      var i = positions[r][q];
      if (i === undefined || data[i] === null) return null;
      var v = data[i];
      if (divide) {
        if (!divide[i]) return null;
        v = v / divide[i];
      }
      return v * scale;
    });
  }

  // Quarters where a 0/1 series is set, as ECharts mark areas.
  function bands(chart) {
    if (!chart.band) return [];
    var data = report.runs[0].series[chart.band.key];
    if (!data) return [];
    var out = [];
    var start = null;
    var run = report.runs[0];
    for (var i = 0; i <= run.quarters.length; i++) {
      var on = i < run.quarters.length && data[i] > 0.5;
      if (on && start === null) start = run.quarters[i];
      if (!on && start !== null) {
        // To the first quarter after the spell, so a one-quarter spell still has a width.
        var end = run.quarters[Math.min(i, run.quarters.length - 1)];
        out.push([{name: chart.band.label + (many ? ' (' + run.label + ')' : ''), xAxis: start}, {xAxis: end}]);
        start = null;
      }
    }
    return out;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
    });
  }

  // Several runs: a series keeps its name (and colour) in every run, so one legend entry shows or
  // hides it in all of them; the line style tells the runs apart, and the tooltip names the run.
  // An ensemble's band (style "band"): the 5–95% range shaded light and the 25–75% range darker,
  // each drawn as an invisible lower line with the width of the range stacked on it, in the colour
  // of the series' own line (its median). Returns the spread shown in the tooltip.
  function addBand(series, runOf, helper, chart, r, s, i) {
    var run = report.runs[r];
    var q = run.quantiles ? run.quantiles[s.key] : null;
    if (!q) return null;
    var scale = s.axis ? chart.scale2 : chart.scale;
    var line = 0;
    while (line < chart.series.length && (chart.series[line].key !== s.key || chart.series[line].style === 'band')) line++;
    var color = palette[line % palette.length];
    var at = function (k) {
      return quarters.map(function (quarter) {
        var j = positions[r][quarter];
        return j === undefined || q[k][j] === null ? null : q[k][j] * scale;
      });
    };
    var p05 = at(0), p25 = at(1), p75 = at(2), p95 = at(3);
    var width = function (lo, hi) {
      return lo.map(function (v, j) { return v === null || hi[j] === null ? null : hi[j] - v; });
    };
    [[p05, width(p05, p95), 0.13, 'outer'], [p25, width(p25, p75), 0.22, 'inner']].forEach(function (b) {
      var stack = 'band-' + r + '-' + i + '-' + b[3];
      var common = {name: s.name, type: 'line', stack: stack, stackStrategy: 'all', yAxisIndex: s.axis || 0,
                    showSymbol: false, silent: true, z: 1, color: color, lineStyle: {opacity: 0, width: 0},
                    emphasis: {disabled: true}, tooltip: {show: false}};
      series.push(Object.assign({id: stack + '-base', data: b[0]}, common));
      series.push(Object.assign({id: stack + '-width', data: b[1], areaStyle: {color: color, opacity: b[2]}}, common));
      runOf.push(r, r);
      helper.push(true, true);
    });
    return {lo: p05, hi: p95};
  }

  function option(chart) {
    var series = [];
    var runOf = [];
    var helper = [];  // by series index: part of a band, left out of the tooltip
    var spreads = {};  // run|key -> the 5–95% range of that series' line
    var keyOf = [];
    var hasBar = false;
    report.runs.forEach(function (run, r) {
      chart.series.forEach(function (s, i) {
        if (s.style === 'band') {
          var spread = addBand(series, runOf, helper, chart, r, s, i);
          if (spread) spreads[r + '|' + s.key] = spread;
          return;
        }
        var data = values(r, s, s.axis ? chart.scale2 : chart.scale);
        if (!data) return;
        var color = palette[i % palette.length];
        var dash = many ? runDashes[r % runDashes.length] : (s.style === 'dashed' ? 'dashed' : 'solid');
        var item = {
          name: s.name,
          id: 'run' + r + '-' + i,
          type: s.style === 'bar' ? 'bar' : 'line',
          data: data,
          yAxisIndex: s.axis || 0,
          showSymbol: false,
          symbolSize: 5,
          color: color,
          lineStyle: {width: figures ? 1.8 : 2, type: dash, color: color},
          emphasis: {focus: 'series'}
        };
        if (s.style === 'bar') hasBar = true;
        if (s.style === 'area') item.areaStyle = {opacity: many ? 0.08 : 0.18};
        series.push(item);
        runOf.push(r);
        helper.push(false);
        keyOf[series.length - 1] = s.divide ? null : s.key;
      });
    });
    var marked = bands(chart);
    if (marked.length && series.length) {
      series[0].markArea = {
        silent: true,
        itemStyle: {color: 'rgba(214, 39, 40, 0.10)'},
        label: {show: true, position: 'insideTop', color: '#a11', fontSize: 11},
        data: marked
      };
    }
    var yAxis = [{
      type: 'value', name: chart.unit, nameLocation: 'end', nameGap: 12,
      nameTextStyle: {align: 'left', color: '#444'},
      axisLabel: {formatter: format}, splitLine: {lineStyle: {color: '#eee'}}
    }];
    if (chart.unit2) {
      yAxis.push({type: 'value', name: chart.unit2, nameLocation: 'end', nameGap: 12,
                  nameTextStyle: {align: 'right', color: '#444'}, axisLabel: {formatter: format},
                  splitLine: {show: false}});
    }
    var option = {
      animation: false,
      backgroundColor: figures ? '#ffffff' : 'transparent',
      textStyle: {fontFamily: 'DejaVu Sans, Helvetica, Arial, sans-serif'},
      color: palette,
      grid: {left: 56, right: chart.unit2 ? 64 : 24, top: figures ? 84 : 64, bottom: figures ? 36 : 64,
             containLabel: false},
      legend: {type: figures ? 'plain' : 'scroll', top: figures ? 34 : 0, left: figures ? 'center' : 0,
               width: figures ? '96%' : '78%', textStyle: {fontSize: 11}},
      tooltip: {
        trigger: 'axis', confine: true,
        formatter: function (params) {
          var lines = [escapeHtml(params.length ? params[0].axisValueLabel : '')];
          params.forEach(function (p) {
            if (helper[p.seriesIndex]) return;
            var run = many ? ' · ' + escapeHtml(report.runs[runOf[p.seriesIndex]].label) : '';
            var spread = spreads[runOf[p.seriesIndex] + '|' + keyOf[p.seriesIndex]];
            var range = spread ? ' [' + format(spread.lo[p.dataIndex]) + '–' + format(spread.hi[p.dataIndex]) + ']' : '';
            lines.push(p.marker + escapeHtml(p.seriesName) + run + ': <b>' + format(p.value) + '</b>' + range);
          });
          return lines.join('<br>');
        }
      },
      xAxis: {type: 'category', data: quarters, boundaryGap: hasBar,
              axisLabel: {formatter: function (q) { return q.slice(2); }}},
      yAxis: yAxis,
      series: series
    };
    if (figures) {
      option.title = {text: chart.title, left: 'center', top: 4, textStyle: {fontSize: 15}};
      if (many) {
        option.title.subtext = report.runs.map(function (run, r) {
          var dash = runDashes[r % runDashes.length];
          return (typeof dash === 'string' ? dash : 'dash-dot') + ': ' + run.label;
        }).join('   ');
        option.title.itemGap = 4;
        option.legend.top = 50;
        option.grid.top = 100;
      }
    } else {
      option.dataZoom = [{type: 'inside'}, {type: 'slider', height: 16, bottom: 8}];
      option.toolbox = {right: 4, top: 0, itemSize: 13,
                        feature: {dataZoom: {yAxisIndex: 'none'}, restore: {}, saveAsImage: {pixelRatio: 2}}};
    }
    return option;
  }

  function countPoints(option) {
    var n = 0;
    option.series.forEach(function (s) {
      s.data.forEach(function (v) { if (v !== null && isFinite(v)) n++; });
    });
    return n;
  }

  function utf8Base64(text) {
    var bytes = new TextEncoder().encode(text);
    var binary = '';
    for (var i = 0; i < bytes.length; i += 0x8000) {
      binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(binary);
  }

  var drawn = [];
  report.charts.forEach(function (chart) {
    var element = document.getElementById('chart-' + chart.id);
    if (!element) {
      console.error('no element for chart ' + chart.id);
      return;
    }
    try {
      var renderer = figures && report.format === 'svg' ? 'svg' : 'canvas';
      var instance = echarts.init(element, null, {renderer: renderer});
      var opt = option(chart);
      instance.setOption(opt);
      element.setAttribute('data-points', String(countPoints(opt)));
      drawn.push(instance);
      if (figures) {
        var out = document.createElement('pre');
        out.className = 'figure-out';
        out.setAttribute('data-id', chart.id);
        if (report.format === 'svg') {
          out.textContent = utf8Base64(instance.renderToSVGString());
        } else {
          var url = instance.getDataURL({type: 'png', pixelRatio: 2, backgroundColor: '#ffffff'});
          out.textContent = url.slice(url.indexOf(',') + 1);
        }
        document.body.appendChild(out);
      }
    } catch (e) {
      console.error('chart ' + chart.id + ': ' + (e && e.stack ? e.stack : e));
    }
  });

  window.addEventListener('resize', function () { drawn.forEach(function (c) { c.resize(); }); });

  // Timeline: hide routine lines, filter by text.
  var list = document.getElementById('timeline-list');
  var routine = document.getElementById('show-routine');
  var filter = document.getElementById('timeline-filter');
  function applyFilter() {
    if (!list) return;
    var text = filter ? filter.value.toLowerCase() : '';
    var showRoutine = !routine || routine.checked;
    Array.prototype.forEach.call(list.children, function (li) {
      var visible = (showRoutine || !li.classList.contains('routine')) &&
                    (!text || li.textContent.toLowerCase().indexOf(text) >= 0);
      li.style.display = visible ? '' : 'none';
    });
  }
  if (routine) routine.addEventListener('change', applyFilter);
  if (filter) filter.addEventListener('input', applyFilter);

  status.setAttribute('data-charts', String(drawn.length));
  status.setAttribute('data-errors', String(window.AIDC_ERRORS.length));
  status.setAttribute('data-state', 'ready');
})();
