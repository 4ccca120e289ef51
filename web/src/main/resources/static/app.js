// Concurrency Lab: the few lines that wire Chart.js. Charts read their data from the canvas's data-chart
// attribute (no inline scripts); every chart has the same numbers in the table under it.
(function () {
  'use strict';
  // One colour per model on every page: the catalog gives them, to the charts in their data (colors, in the models'
  // order) and to the tables' swatches through /models.css.

  // Error bars (95 % CI) and the ideal as a short line across each bar.
  function whiskers(data) {
    return {
    id: 'conlabWhiskers',
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx, x = chart.scales.x, y = chart.scales.y, meta = chart.getDatasetMeta(0);
      ctx.save();
      data.models.forEach(function (model, i) {
        var bar = meta.data[i];
        if (!bar) return;
        var half = Math.max(6, bar.width / 3);
        if (data.ciLow[i] != null && data.ciHigh[i] != null) {
          var top = y.getPixelForValue(data.ciHigh[i]), bottom = y.getPixelForValue(Math.max(data.ciLow[i], y.min));
          ctx.strokeStyle = '#111827'; ctx.lineWidth = 1.5;
          ctx.beginPath(); ctx.moveTo(bar.x, top); ctx.lineTo(bar.x, bottom);
          ctx.moveTo(bar.x - half / 2, top); ctx.lineTo(bar.x + half / 2, top);
          ctx.moveTo(bar.x - half / 2, bottom); ctx.lineTo(bar.x + half / 2, bottom); ctx.stroke();
        }
        if (data.ideal[i] != null) {
          var iy = y.getPixelForValue(data.ideal[i]);
          ctx.strokeStyle = '#b91c1c'; ctx.setLineDash([4, 3]); ctx.lineWidth = 2;
          ctx.beginPath(); ctx.moveTo(bar.x - bar.width / 2 - 4, iy); ctx.lineTo(bar.x + bar.width / 2 + 4, iy); ctx.stroke();
          ctx.setLineDash([]);
        }
      });
      ctx.restore();
    }
    };
  }

  function build(canvas) {
    if (typeof Chart === 'undefined' || Chart.getChart(canvas)) return;
    var data = JSON.parse(canvas.getAttribute('data-chart'));
    var unit = data.unit || 'ms';
    var points = [];
    data.samples.forEach(function (values, i) {
      values.forEach(function (v) { points.push({ x: data.models[i], y: v }); });
    });
    var chart = new Chart(canvas, {
      data: {
        labels: data.models,
        datasets: [
          { type: 'bar', label: 'median (' + unit + ')', data: data.medians,
            backgroundColor: data.colors.map(function (c) { return c + 'cc'; }),
            borderColor: data.colors, borderWidth: 1 },
          { type: 'scatter', label: 'samples', data: points, pointRadius: 2.5,
            backgroundColor: '#111827aa', borderColor: '#111827aa' },
          { type: 'line', label: 'ideal', data: data.ideal, showLine: false, pointStyle: 'line', pointRadius: 0,
            borderColor: '#b91c1c', backgroundColor: '#b91c1c' }
        ]
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: {
          x: { type: 'category' },
          y: { type: 'linear', beginAtZero: true, title: { display: true, text: data.yTitle || 'wall time (' + unit + ')' } }
        },
        plugins: { legend: { position: 'bottom' }, tooltip: { mode: 'nearest' } }
      },
      plugins: [whiskers(data)]
    });
    chart.$conlab = data;
  }

  // Comparison charts: per model, each run's time relative to the baseline (1.0 = the same), one colour per run.
  var RUN_COLORS = ['#2563eb', '#ea580c', '#16a34a', '#9333ea', '#dc2626', '#0891b2', '#ca8a04', '#c026d3', '#0f766e'];
  var baselineLine = {
    id: 'conlabBaseline',
    afterDatasetsDraw: function (chart) {
      var y = chart.scales.y, x = chart.scales.x, ctx = chart.ctx, py = y.getPixelForValue(1);
      ctx.save(); ctx.strokeStyle = '#111827'; ctx.setLineDash([5, 4]); ctx.lineWidth = 1.5;
      ctx.beginPath(); ctx.moveTo(x.left, py); ctx.lineTo(x.right, py); ctx.stroke(); ctx.restore();
    }
  };
  function buildCompare(canvas) {
    if (typeof Chart === 'undefined' || Chart.getChart(canvas)) return;
    var data = JSON.parse(canvas.getAttribute('data-compare-chart'));
    var chart = new Chart(canvas, {
      type: 'bar',
      data: {
        labels: data.models,
        datasets: data.runs.map(function (run, i) {
          return { label: run.label, data: run.ratios, backgroundColor: RUN_COLORS[i % RUN_COLORS.length] + 'cc',
                   borderColor: RUN_COLORS[i % RUN_COLORS.length], borderWidth: 1 };
        })
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: { y: { type: 'logarithmic', title: { display: true, text: data.yTitle || 'time ÷ baseline (log scale; 1 = the same)' } } },
        plugins: { legend: { position: 'bottom' } }
      },
      plugins: [baselineLine]
    });
    chart.$conlab = data;
  }


  // Curves of a sweep: one line per model over the swept parameter (log x), its 95 % interval as a band, its ideal
  // dashed; switchable to throughput, where a USL fit (if any) is drawn dotted over the points.
  function curveDatasets(data, mode) {
    var sets = [];
    data.lines.forEach(function (line) {
      var pts = line.points;
      var y = mode === 'time' ? 'median' : 'tp', lo = mode === 'time' ? 'low' : 'tpLow', hi = mode === 'time' ? 'high' : 'tpHigh';
      var band = pts.filter(function (p) { return p[lo] != null && p[hi] != null; });
      if (band.length > 1) {
        sets.push({ type: 'line', label: line.label + ' interval low', data: band.map(function (p) { return { x: p.x, y: p[lo] }; }),
          borderWidth: 0, pointRadius: 0, fill: false, $role: 'band' });
        sets.push({ type: 'line', label: line.label + ' interval', data: band.map(function (p) { return { x: p.x, y: p[hi] }; }),
          borderWidth: 0, pointRadius: 0, fill: '-1', backgroundColor: line.color + '33', $role: 'band' });
      }
      sets.push({ type: 'line', label: line.label, data: pts.map(function (p) { return { x: p.x, y: p[y] }; }),
        borderColor: line.color, backgroundColor: line.color, pointRadius: 3, borderWidth: 2, $role: 'median', $model: line.label });
      if (mode === 'time') {
        var ideal = pts.filter(function (p) { return p.ideal != null; });
        if (ideal.length) sets.push({ type: 'line', label: line.label + ' ideal', data: ideal.map(function (p) { return { x: p.x, y: p.ideal }; }),
          borderColor: line.color, borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0, $role: 'ideal' });
      } else if (line.usl && pts.length) {
        var lo2 = Math.log(pts[0].x), hi2 = Math.log(pts[pts.length - 1].x), fit = [];
        for (var i = 0; i <= 40; i++) {
          var n = Math.exp(lo2 + (hi2 - lo2) * i / 40);
          fit.push({ x: n, y: line.usl.lambda * n / (1 + line.usl.sigma * (n - 1) + line.usl.kappa * n * (n - 1)) });
        }
        sets.push({ type: 'line', label: line.label + ' USL fit', data: fit, borderColor: line.color, borderDash: [2, 3],
          borderWidth: 1.5, pointRadius: 0, $role: 'usl' });
      }
    });
    return sets;
  }
  function curveAxisTitle(data, mode) {
    return mode === 'time' ? 'wall time per run (' + data.timeUnit + ')' : 'throughput (' + data.throughputUnit + ')';
  }
  // A chart of curves as curveDatasets draws them, over a log x axis; y: the y axis's options.
  function curveChart(canvas, data, y) {
    var chart = new Chart(canvas, {
      type: 'line',
      data: { datasets: curveDatasets(data, 'time') },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false, parsing: false,
        scales: { x: { type: 'logarithmic', title: { display: true, text: data.xLabel + ' (log scale)' } }, y: y },
        plugins: {
          legend: { position: 'bottom', labels: { filter: function (item, d) { return d.datasets[item.datasetIndex].$role === 'median'; } } },
          tooltip: { filter: function (item) { return item.dataset.$role === 'median' || item.dataset.$role === 'ideal'; } }
        }
      }
    });
    chart.$conlab = data;
    return chart;
  }
  function buildCurve(canvas) {
    if (typeof Chart === 'undefined' || Chart.getChart(canvas)) return;
    var data = JSON.parse(canvas.getAttribute('data-curve-chart'));
    var chart = curveChart(canvas, data, { type: 'logarithmic', title: { display: true, text: curveAxisTitle(data, 'time') } });
    chart.$mode = 'time';
  }
  // An imported JMH benchmark that sweeps a numeric @Param: a line per its other parameters and threads (log x), the
  // lab's median of JMH's raw data with its 95 % interval as a band, in JMH's unit (no ideal: JMH has none).
  function buildJmhCurve(canvas) {
    if (typeof Chart === 'undefined' || Chart.getChart(canvas)) return;
    var data = JSON.parse(canvas.getAttribute('data-jmh-curve'));
    curveChart(canvas, data, { type: 'linear', beginAtZero: true, title: { display: true, text: data.yTitle } });
  }
  function buildMemory(canvas) {
    if (typeof Chart === 'undefined' || Chart.getChart(canvas)) return;
    var data = JSON.parse(canvas.getAttribute('data-memory-chart'));
    var chart = new Chart(canvas, {
      type: 'line',
      data: { datasets: data.lines.filter(function (l) { return l.points.length; }).map(function (l) {
        return { label: l.label, data: l.points, borderColor: l.color, backgroundColor: l.color, pointRadius: 3, borderWidth: 2 };
      }) },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false, parsing: false,
        scales: { x: { type: 'logarithmic', title: { display: true, text: data.xLabel + ' (log scale)' } },
                  y: { type: 'linear', beginAtZero: true, title: { display: true, text: data.unit } } },
        plugins: { legend: { position: 'bottom' } }
      }
    });
    chart.$conlab = data;
  }

  function buildCompareCurve(canvas) {
    if (typeof Chart === 'undefined' || Chart.getChart(canvas)) return;
    var data = JSON.parse(canvas.getAttribute('data-compare-curve'));
    var chart = new Chart(canvas, {
      type: 'line',
      data: { datasets: data.lines.map(function (l) {
        return { label: l.label, data: l.points, borderColor: l.color, backgroundColor: l.color, borderDash: l.dashed ? [6, 4] : [],
                 pointRadius: 3, borderWidth: 2 };
      }) },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false, parsing: false,
        scales: { x: { type: 'logarithmic', title: { display: true, text: data.xLabel + ' (log scale)' } },
                  // the lab's times on a log axis; an imported JMH benchmark's scores (data.linear) from zero, in JMH's unit
                  y: data.linear ? { type: 'linear', beginAtZero: true, title: { display: true, text: data.yTitle } }
                                 : { type: 'logarithmic', title: { display: true, text: 'median wall time (' + data.timeUnit + ')' } } },
        plugins: { legend: { position: 'bottom' } }
      }
    });
    chart.$conlab = data;
  }

  // A machine's history of one cell: x is the time a run was measured, one line per runtime with its interval as a
  // band; a dashed vertical line where a line's version changed (a JDK update).
  var updateLines = {
    id: 'conlabUpdates',
    afterDatasetsDraw: function (chart) {
      var data = chart.$conlab;
      if (!data) return;
      var ctx = chart.ctx, x = chart.scales.x, area = chart.chartArea;
      ctx.save();
      ctx.setLineDash([4, 4]);
      ctx.strokeStyle = '#888';
      data.lines.forEach(function (line) {
        line.updates.forEach(function (i) {
          var px = x.getPixelForValue(line.points[i].x);
          ctx.beginPath(); ctx.moveTo(px, area.top); ctx.lineTo(px, area.bottom); ctx.stroke();
          ctx.fillStyle = '#555';
          ctx.fillText(line.points[i].version, px + 3, area.top + 10);
        });
      });
      ctx.restore();
    }
  };
  function buildHistory(canvas) {
    if (typeof Chart === 'undefined' || Chart.getChart(canvas)) return;
    var data = JSON.parse(canvas.getAttribute('data-history-chart'));
    var sets = [];
    data.lines.forEach(function (line) {
      var band = line.points.filter(function (p) { return p.low != null && p.high != null; });
      if (band.length > 1) {
        sets.push({ label: line.label + ' interval low', data: band.map(function (p) { return { x: p.x, y: p.low }; }),
          borderWidth: 0, pointRadius: 0, fill: false, $role: 'band' });
        sets.push({ label: line.label + ' interval', data: band.map(function (p) { return { x: p.x, y: p.high }; }),
          borderWidth: 0, pointRadius: 0, fill: '-1', backgroundColor: line.color + '33', $role: 'band' });
      }
      sets.push({ label: line.label, data: line.points.map(function (p) { return { x: p.x, y: p.median, run: p.run, version: p.version }; }),
        borderColor: line.color, backgroundColor: line.color, pointRadius: 3, borderWidth: 2, $role: 'median' });
    });
    var chart = new Chart(canvas, {
      type: 'line', data: { datasets: sets }, plugins: [updateLines],
      options: {
        responsive: true, maintainAspectRatio: false, animation: false, parsing: false,
        scales: {
          x: { type: 'linear', title: { display: true, text: 'measured (UTC)' },
            ticks: { callback: function (v) {
              // days apart: the date; within two days: the date and the time
              var iso = new Date(v).toISOString();
              return this.max - this.min < 2 * 86400000 ? iso.slice(5, 16).replace('T', ' ') : iso.slice(0, 10);
            } } },
          y: { title: { display: true, text: data.yTitle || 'median wall time (ms)' } }
        },
        plugins: {
          legend: { position: 'bottom', labels: { filter: function (item, d) { return d.datasets[item.datasetIndex].$role === 'median'; } } },
          tooltip: { filter: function (item) { return item.dataset.$role === 'median'; },
            callbacks: { label: function (c) { return '#' + c.raw.run + ' ' + c.dataset.label + ' ' + c.raw.version + ': ' + c.raw.y.toPrecision(4) + ' ' + (data.unit || 'ms'); } } }
        }
      }
    });
    chart.$conlab = data;
  }

  function init(root) {
    root.querySelectorAll('canvas[data-history-chart]').forEach(buildHistory);
    root.querySelectorAll('canvas[data-compare-curve]').forEach(buildCompareCurve);
    root.querySelectorAll('canvas[data-chart]').forEach(build);
    root.querySelectorAll('canvas[data-curve-chart]').forEach(buildCurve);
    root.querySelectorAll('canvas[data-jmh-curve]').forEach(buildJmhCurve);
    root.querySelectorAll('canvas[data-memory-chart]').forEach(buildMemory);
    root.querySelectorAll('canvas[data-compare-chart]').forEach(buildCompare);
  }

  document.addEventListener('change', function (e) {
    var t = e.target;
    if (t.classList && t.classList.contains('curve-y')) {
      var curve = Chart.getChart(document.getElementById(t.getAttribute('data-chart-id')));
      if (!curve) return;
      curve.$mode = t.value;
      curve.data.datasets = curveDatasets(curve.$conlab, t.value);
      curve.options.scales.y.title.text = curveAxisTitle(curve.$conlab, t.value);
      curve.update();
      return;
    }
    if (!t.classList || !t.classList.contains('log-toggle')) return;
    var chart = Chart.getChart(document.getElementById(t.getAttribute('data-chart-id')));
    if (!chart) return;
    chart.options.scales.y.type = t.checked ? 'logarithmic' : 'linear';
    chart.options.scales.y.beginAtZero = !t.checked;
    chart.update();
  });
  document.addEventListener('DOMContentLoaded', function () { init(document); });
  document.addEventListener('htmx:afterSettle', function (e) { init(e.target.ownerDocument || document); });
})();
