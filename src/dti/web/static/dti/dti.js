// Small behaviours without inline scripts (the Content-Security-Policy allows no inline code).
document.addEventListener("change", function (event) {
  if (event.target.matches("select[data-autosubmit]")) {
    event.target.form.submit();
  }
  // A file larger than the server accepts is refused here, before it is sent.
  if (event.target.matches("input[type=file][data-max-bytes]")) {
    var input = event.target;
    var tooLarge = Array.prototype.some.call(input.files, function (file) {
      return file.size > Number(input.dataset.maxBytes);
    });
    input.setCustomValidity(tooLarge ? input.dataset.tooLarge : "");
    if (tooLarge) { input.reportValidity(); }
  }
});

// Charts (Apache ECharts, vendored): each element with data-chart draws from the JSON data island named by
// data-source. Every chart has a table or text alternative on its page; the chart is an illustration of it.

// Tooltips are HTML: every name a formatter puts in one is escaped first (a unit named with markup must show
// as typed, never run). ECharts' own default tooltips escape already.
function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, function (c) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
  });
}

// Numbers as the page's language writes them, as the server's filters do (dti.web.numbers): 1.000 and 804,54 on
// a Vietnamese page, where "1,000" would read as one; 1,000 and 804.54 on an English page.
var pageLanguage = (document.documentElement.lang || "vi").slice(0, 2) === "en" ? "en-US" : "vi-VN";
function formatNumber(value, places) {
  return new Intl.NumberFormat(pageLanguage, { minimumFractionDigits: places, maximumFractionDigits: places })
    .format(value);
}
function axisNumber(value) { return formatNumber(value, Number.isInteger(value) ? 0 : 1); }
function tooltipNumber(value) { return typeof value === "number" ? formatNumber(value, 2) : value; }

// Every value axis writes its numbers in the page's language and hides a label that would overlap its
// neighbour (a phone's narrow chart); an axis's own formatter, where it has one, stays.
function localiseNumbers(options) {
  [].concat(options.xAxis || [], options.yAxis || []).forEach(function (axis) {
    if (axis.type === "value") {
      axis.axisLabel = Object.assign({ formatter: axisNumber, hideOverlap: true }, axis.axisLabel || {});
    }
  });
  if (options.tooltip && !options.tooltip.formatter) { options.tooltip.valueFormatter = tooltipNumber; }
  return options;
}

// A grade's colour, as the stylesheet gives it to the grade's badge (--grade-xuat-sac for "Xuất sắc").
function gradeColour(grade) {
  var slug = String(grade).replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
    .toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  return getComputedStyle(document.documentElement).getPropertyValue("--grade-" + slug).trim() || "#555";
}

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
      ,
      distribution: function () {
        // The axis starts near the lowest total, so that the dots spread over the chart; the boundaries' names
        // sit above the chart on two alternating rows, so that two close boundaries do not write over each other.
        return {
          animation: false,
          tooltip: { formatter: function (p) { return escapeHtml(p.data.unit) + ": " + formatNumber(p.data.value[0], 2); } },
          grid: { left: 16, right: 24, top: 44, bottom: 28, containLabel: true },
          xAxis: { type: "value", min: data.min, max: data.max, name: data.labels.total, nameLocation: "middle",
                   nameGap: 24 },
          yAxis: { type: "value", show: false, min: -1, max: 1 },
          series: [{
            type: "scatter", symbolSize: 14,
            data: data.points.map(function (p, i) {
              return { value: [p.total, ((i % 5) - 2) * 0.3], unit: p.unit, itemStyle: { color: gradeColour(p.grade) } };
            }),
            markLine: { symbol: "none", lineStyle: { type: "dashed", color: "#555" },
                        data: data.boundaries.map(function (b, i) {
                          return { name: b.grade, xAxis: b.from,
                                   label: { formatter: "{b}", position: "end", distance: [0, 4 + (i % 2) * 16] } };
                        }) }
          }]
        };
      },
      grouped: function () {
        return {
          animation: false,
          tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
          legend: { top: 0, type: "scroll" },
          grid: { left: 16, right: 16, top: 36, bottom: 8, containLabel: true },
          xAxis: { type: "category", data: data.pillars, axisLabel: { interval: 0, width: 90, overflow: "break" } },
          yAxis: { type: "value", min: 0, max: 100, name: "%" },
          series: data.units.map(function (unit) { return { name: unit.name, type: "bar", data: unit.values }; })
        };
      },
      counts: function () {
        // How many units in each category (declaration states, grades): one bar each, its count beside it.
        return {
          animation: false,
          tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
          grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
          xAxis: { type: "value", minInterval: 1 },
          yAxis: { type: "category", data: data.labels, inverse: true, axisLabel: { width: 150, overflow: "truncate" } },
          series: [{ type: "bar", data: data.values, label: { show: true, position: "right" }, itemStyle: { color: "#1565c0" } }]
        };
      },
      intervals: function () {
        // A transparent bar up to the interval's start, then the interval itself: a floating bar per unit.
        return {
          animation: false,
          tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, formatter: function (items) {
            var i = items[0].dataIndex;
            return escapeHtml(data.units[i]) + "<br>" + escapeHtml(data.labels.interval) + ": " + data.low[i] + "–" +
              data.high[i] + "<br>" + escapeHtml(data.labels.median) + ": " + data.median[i] + "<br>" +
              escapeHtml(data.labels.published) + ": " + data.published[i];
          } },
          legend: { top: 0, data: [data.labels.interval, data.labels.median, data.labels.published] },
          grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
          xAxis: { type: "value", min: 0.5, max: data.count + 0.5, interval: Math.max(1, Math.ceil(data.count / 20)),
                   axisLabel: { formatter: function (v) { return Number.isInteger(v) ? v : ""; } } },
          yAxis: { type: "category", data: data.units, inverse: true, axisLabel: { width: 220, overflow: "truncate" } },
          series: [
            { type: "bar", stack: "interval", silent: true, itemStyle: { color: "transparent" },
              data: data.low.map(function (low) { return low - 0.5; }) },
            { name: data.labels.interval, type: "bar", stack: "interval", itemStyle: { color: "#9ec5ee" },
              data: data.low.map(function (low, i) { return data.high[i] - low + 1; }) },
            { name: data.labels.median, type: "scatter", symbol: "diamond", symbolSize: 11, itemStyle: { color: "#d9822b" },
              data: data.median.map(function (m, i) { return [m, i]; }) },
            { name: data.labels.published, type: "scatter", symbolSize: 8, itemStyle: { color: "#1f5fa8" },
              data: data.published.map(function (r, i) { return [r, i]; }) }
          ]
        };
      },
      probabilities: function () {
        return {
          animation: false,
          tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
          legend: { top: 0, type: "scroll" },
          grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
          xAxis: { type: "value", min: 0, max: 100, name: "%" },
          yAxis: { type: "category", data: data.units, inverse: true, axisLabel: { width: 220, overflow: "truncate" } },
          series: data.grades.map(function (grade) {
            return { name: grade.name, type: "bar", stack: "p", data: grade.values, itemStyle: { color: gradeColour(grade.name) } };
          })
        };
      },
      scatter: function () {
        return {
          animation: false,
          tooltip: { formatter: function (p) {
            return escapeHtml(p.data.unit) + ": " + formatNumber(p.data.value[0], 2) + " → " +
              formatNumber(p.data.value[1], 2);
          } },
          grid: { left: 16, right: 24, top: 24, bottom: 32, containLabel: true },
          xAxis: { type: "value", min: data.min, max: data.max, name: data.labels.declared, nameLocation: "middle",
                   nameGap: 28 },
          yAxis: { type: "value", min: data.min, max: data.max, name: data.labels.reviewed, nameLocation: "middle",
                   nameGap: 44, axisLabel: { showMinLabel: false } },  // the corner's value is the x axis's
          series: [{ type: "scatter", symbolSize: 10, itemStyle: { color: "#1f5fa8" },
                     data: data.points.map(function (p) { return { value: [p.declared, p.reviewed], unit: p.unit }; }),
                     markLine: { symbol: "none", silent: true, lineStyle: { type: "dashed", color: "#888" },
                                 data: [[{ coord: [data.min, data.min] }, { coord: [data.max, data.max] }]] } }]
        };
      }
    }[element.dataset.chart]();
    chart.setOption(localiseNumbers(options));
    window.addEventListener("resize", function () { chart.resize(); });
    // Printed, a chart takes the paper's width, not the screen's (which would clip it).
    window.addEventListener("beforeprint", function () { chart.resize(); });
    window.addEventListener("afterprint", function () { chart.resize(); });
  });
}
window.addEventListener("load", drawCharts);

// A form marked data-warn-unsaved (a declaration's pillar page) warns before the page is left with input typed
// and not saved. Its fields may sit anywhere on the page (the form attribute): input.form is their form.
(function () {
  var unsaved = false;
  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-warn-unsaved")) { unsaved = true; }
  });
  document.addEventListener("submit", function (event) {
    if (event.target.hasAttribute("data-warn-unsaved")) { unsaved = false; }
  });
  window.addEventListener("beforeunload", function (event) {
    if (unsaved) { event.preventDefault(); event.returnValue = ""; }
  });
})();
