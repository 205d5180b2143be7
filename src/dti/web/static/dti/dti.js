// Small behaviours without inline scripts (the Content-Security-Policy allows no inline code).
document.addEventListener("change", function (event) {
  if (event.target.matches("select[data-autosubmit]")) {
    event.target.form.submit();
  }
});

// Charts (Apache ECharts, vendored): each element with data-chart draws from the JSON data island named by
// data-source. Every chart has a table or text alternative on its page; the chart is an illustration of it.
function drawCharts() {
  if (typeof echarts === "undefined") { return; }
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var data = JSON.parse(document.getElementById(element.dataset.source).textContent);
    var chart = echarts.init(element, null, { renderer: "svg" });
    var options = {
      radar: function () {
        return {
          animation: false,
          legend: { bottom: 0, data: [data.unitLabel, data.averageLabel] },
          radar: { indicator: data.axes.map(function (name) { return { name: name, max: 100 }; }), radius: "62%" },
          series: [{ type: "radar", data: [
            { name: data.averageLabel, value: data.average, lineStyle: { type: "dashed", color: "#d9822b" },
              itemStyle: { color: "#d9822b" }, areaStyle: { opacity: 0.12 } },
            { name: data.unitLabel, value: data.unit, lineStyle: { color: "#1f5fa8" },
              itemStyle: { color: "#1f5fa8" }, areaStyle: { opacity: 0.25 } }] }]
        };
      },
      stacked: function () {
        return {
          animation: false,
          tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
          legend: { top: 0, type: "scroll" },
          grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
          xAxis: { type: "value", max: data.max },
          yAxis: { type: "category", data: data.units, inverse: true, axisLabel: { width: 220, overflow: "truncate" } },
          series: data.pillars.map(function (pillar) {
            return { name: pillar.name, type: "bar", stack: "total", data: pillar.values };
          })
        };
      }
    }[element.dataset.chart]();
    chart.setOption(options);
    window.addEventListener("resize", function () { chart.resize(); });
  });
}
window.addEventListener("load", drawCharts);
