/* Dashboard charts (ECharts, vendored) from the page's JSON data (催报 has a page of its own).
   No inline script: the data arrives in <script type="application/json" id="dashboard-data">. */
(function () {
  "use strict";
  var COLORS = ["#b71c1c", "#1d4ed8", "#1b7f3b", "#b7791f", "#6b21a8", "#0e7490"];

  function option(kind, series) {
    var names = { activities: "活动数", participants: "参与人次" };
    if (kind === "pie") {
      return {
        color: COLORS, tooltip: { trigger: "item" },
        series: [{ type: "pie", radius: ["35%", "65%"],
          data: series.labels.map(function (label, i) {
            return { name: label, value: series.activities[i] };
          }).filter(function (item) { return item.value > 0; }) }]
      };
    }
    var horizontal = kind === "hbar";
    var category = { type: "category", data: series.labels,
      axisLabel: { interval: 0, rotate: horizontal ? 0 : (series.labels.length > 6 ? 35 : 0),
        width: horizontal ? 150 : 90, overflow: "truncate" } };
    // Counts (activities, 人次): never a grid line at 0.5 of an activity.
    var value = { type: "value", minInterval: 1 };
    var twoAxes = !horizontal;
    return {
      color: COLORS, tooltip: { trigger: "axis" },
      legend: { data: twoAxes ? [names.activities, names.participants] : [names.activities] },
      grid: { left: horizontal ? 170 : 50, right: 50, bottom: 70, top: 40 },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : (twoAxes ? [value, { type: "value", minInterval: 1 }] : value),
      series: [
        { name: names.activities, type: kind === "line" ? "line" : "bar",
          data: series.activities, label: { show: series.labels.length <= 14, position: horizontal ? "right" : "top" } }
      ].concat(twoAxes ? [{ name: names.participants, type: "line", yAxisIndex: 1,
        data: series.participants }] : [])
    };
  }

  function drawCharts() {
    var holder = document.getElementById("dashboard-data");
    if (!holder || !window.echarts) { return; }
    var data = JSON.parse(holder.textContent);
    var charts = [];
    document.querySelectorAll(".chart[data-series]").forEach(function (box) {
      var series = data[box.dataset.series];
      if (!series || !series.labels.length) {
        box.textContent = "暂无数据";
        box.classList.add("muted");
        return;
      }
      var chart = window.echarts.init(box);
      chart.setOption(option(box.dataset.kind, series));
      charts.push(chart);
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts();
  });
})();
