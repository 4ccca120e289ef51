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
          y: { type: 'linear', beginAtZero: true, title: { display: true, text: 'wall time (' + unit + ')' } }
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
        scales: { y: { type: 'logarithmic', title: { display: true, text: 'time ÷ baseline (log scale; 1 = the same)' } } },
        plugins: { legend: { position: 'bottom' } }
      },
      plugins: [baselineLine]
    });
    chart.$conlab = data;
  }

  function init(root) {
    root.querySelectorAll('canvas[data-chart]').forEach(build);
    root.querySelectorAll('canvas[data-compare-chart]').forEach(buildCompare);
  }

  document.addEventListener('change', function (e) {
    var t = e.target;
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
