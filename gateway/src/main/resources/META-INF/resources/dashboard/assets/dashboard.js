// Draws the Chart.js line charts that the server embeds as data-chart (labels + datasets) in fragments.
function drawCharts(root) {
  root.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
    if (canvas.dataset.drawn) { return; }
    canvas.dataset.drawn = 'yes';
    var data = JSON.parse(canvas.dataset.chart);
    new Chart(canvas, {
      type: 'line',
      data: data,
      options: { animation: false, responsive: true, interaction: { mode: 'index', intersect: false },
                 scales: { y: { beginAtZero: true } }, plugins: { legend: { position: 'bottom' } } }
    });
  });
}
document.addEventListener('htmx:afterSwap', function (e) { drawCharts(e.target); });
document.addEventListener('DOMContentLoaded', function () { drawCharts(document); });
