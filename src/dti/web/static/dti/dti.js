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

// A grade's colour, as the stylesheet gives it to the grade's badge: the data give the grade's key (xuat-sac for
// "Xuất sắc", dti.web.names.css_key), the same on a page that writes the grade in English.
function gradeColour(key) {
  return getComputedStyle(document.documentElement).getPropertyValue("--grade-" + key).trim() || "#555";
}

// A legend that shows every name, on as many rows as the chart's width needs (a scrolling legend hid most
// pillars on a phone), and the room it takes above the chart. Text is measured as ECharts draws it (12px).
var measuring = document.createElement("canvas").getContext("2d");
function wrappedLegend(names, element) {
  measuring.font = "12px sans-serif";
  var width = element.clientWidth - 20, rows = 1, used = 0;
  names.forEach(function (name) {
    var item = 25 + 5 + measuring.measureText(name).width + 10;  // symbol, gap, text, gap to the next
    if (used > 0 && used + item > width) { rows += 1; used = item; } else { used += item; }
  });
  return { legend: { top: 0, left: 10, right: 10, type: "plain" }, top: rows * 22 + 14 };
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
        var legend = wrappedLegend(data.pillars.map(function (p) { return p.name; }), element);
        return {
          animation: false,
          tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
          legend: legend.legend,
          grid: { left: 8, right: 16, top: legend.top, bottom: 8, containLabel: true },
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
              return { value: [p.total, ((i % 5) - 2) * 0.3], unit: p.unit, itemStyle: { color: gradeColour(p.colour) } };
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
        var legend = wrappedLegend(data.units.map(function (u) { return u.name; }), element);
        var narrow = element.clientWidth < 600;
        var pillars = { type: "category", data: data.pillars,
                        axisLabel: { interval: 0, width: narrow ? 110 : 90, overflow: "break", lineHeight: 14 } };
        var shares = { type: "value", min: 0, max: 100,
                       axisLabel: { formatter: function (value) { return axisNumber(value) + "%"; } } };
        return {
          animation: false,
          tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
          legend: legend.legend,
          grid: { left: 16, right: 16, top: legend.top, bottom: 8, containLabel: true },
          // Shares in percent: the axis says so on each number. On a narrow screen the pillars go down the side,
          // where their names have room, instead of across, where eight of them would write over each other.
          xAxis: narrow ? shares : pillars,
          yAxis: narrow ? Object.assign(pillars, { inverse: true }) : shares,
          series: data.units.map(function (unit) { return { name: unit.name, type: "bar", data: unit.values }; })
        };
      },
      map: function () {
        // Longitude across, latitude up, one degree of longitude drawn cos(latitude) as long as one of latitude,
        // so that the province keeps its shape; the chart's height follows from its width.
        var lats = data.points.map(function (p) { return p.lat; }), lons = data.points.map(function (p) { return p.lon; });
        var pad = 0.03, south = Math.min.apply(null, lats) - pad, north = Math.max.apply(null, lats) + pad;
        var west = Math.min.apply(null, lons) - pad, east = Math.max.apply(null, lons) + pad;
        var squeeze = Math.cos((south + north) / 2 * Math.PI / 180);  // a degree of longitude, in degrees of latitude
        var legend = wrappedLegend(data.grades, element);
        var plotWidth = element.clientWidth - 100;
        var height = Math.min(640, Math.max(300, plotWidth * (north - south) / ((east - west) * squeeze)));
        element.style.height = Math.round(height + legend.top + 60) + "px";
        chart.resize();
        // Where the height was bounded, widen the other direction so that the drawing keeps its proportions.
        var wide = plotWidth / squeeze / height * (north - south), middle = (west + east) / 2;
        if (wide > east - west) { west = middle - wide / 2; east = middle + wide / 2; } else {
          var tall = height * squeeze / plotWidth * (east - west), centre = (south + north) / 2;
          south = centre - tall / 2; north = centre + tall / 2;
        }
        var degrees = function (value) { return formatNumber(value, 2) + "°"; };
        return {
          animation: false,
          tooltip: { formatter: function (p) {
            return escapeHtml(p.data.unit) + "<br>" + escapeHtml(p.seriesName) + " · " + formatNumber(p.data.total, 2);
          } },
          legend: Object.assign(legend.legend, { data: data.grades }),
          grid: { left: 16, right: 24, top: legend.top, bottom: 28, containLabel: true },
          xAxis: { type: "value", min: west, max: east, name: data.labels.lon, nameLocation: "middle", nameGap: 26,
                   splitLine: { show: false },
                   axisLabel: { formatter: degrees, hideOverlap: true, showMinLabel: false, showMaxLabel: false } },
          yAxis: { type: "value", min: south, max: north, name: data.labels.lat, nameLocation: "middle", nameGap: 52,
                   splitLine: { show: false },
                   axisLabel: { formatter: degrees, hideOverlap: true, showMinLabel: false, showMaxLabel: false } },
          // Each point named where there is room (not on a phone); a name that would cover another is left to
          // the tooltip.
          series: data.grades.map(function (grade) {
            var points = data.points.filter(function (p) { return p.grade === grade; });
            return { name: grade, type: "scatter", symbolSize: 14, labelLayout: { hideOverlap: true },
                     label: { show: data.points.length <= 60 && element.clientWidth >= 600, position: "right",
                              fontSize: 11, formatter: function (p) { return p.data.unit; } },
                     itemStyle: { color: gradeColour(points.length ? points[0].colour : ""), borderColor: "#fff" },
                     data: points.map(function (p) { return { value: [p.lon, p.lat], unit: p.unit, total: p.total }; }) };
          })
        };
      },
      trend: function () {
        var legend = wrappedLegend(data.lines.map(function (l) { return l.name; }), element);
        return {
          animation: false,
          tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null ? "—" : formatNumber(v, 1) + "%"; } },
          legend: legend.legend,
          grid: { left: 16, right: 24, top: legend.top, bottom: 8, containLabel: true },
          xAxis: { type: "category", data: data.years, boundaryGap: false },
          yAxis: { type: "value", min: 0, max: 100,
                   axisLabel: { formatter: function (value) { return axisNumber(value) + "%"; } } },
          series: data.lines.map(function (line, i) {
            return { name: line.name, type: "line", data: line.values, symbolSize: 8, connectNulls: false,
                     lineStyle: { width: i === 0 ? 3 : 1.5 } };
          })
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
        var legend = wrappedLegend(data.grades.map(function (g) { return g.name; }), element);
        return {
          animation: false,
          tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
          legend: legend.legend,
          grid: { left: 8, right: 16, top: legend.top, bottom: 8, containLabel: true },
          xAxis: { type: "value", min: 0, max: 100,
                   axisLabel: { formatter: function (value) { return axisNumber(value) + "%"; } } },
          yAxis: { type: "category", data: data.units, inverse: true, axisLabel: { width: 220, overflow: "truncate" } },
          series: data.grades.map(function (grade) {
            return { name: grade.name, type: "bar", stack: "p", data: grade.values, itemStyle: { color: gradeColour(grade.colour) } };
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
    offerDownloads(element, data);
    window.addEventListener("resize", function () { chart.resize(); });
    // Printed, a chart takes the paper's width, not the screen's (which would clip it).
    window.addEventListener("beforeprint", function () { chart.resize(); });
    window.addEventListener("afterprint", function () { chart.resize(); });
  });
}
window.addEventListener("load", drawCharts);

// Every chart can be taken away: as a picture (PNG, drawn again on a canvas at twice the screen's resolution on a
// white ground) and as its figures (CSV, UTF-8 with a byte order mark so that spreadsheets read the diacritics,
// decimals with a point as in the portal's open data). The words come from the page (chart-words, translated).
function chartWords() {
  var island = document.getElementById("chart-words");
  return island ? JSON.parse(island.textContent) : {};
}

function chartTable(kind, data, words) {
  function column(list, key) { return list.map(function (item) { return item[key]; }); }
  var percent = function (name) { return name + " (%)"; };
  switch (kind) {
    case "stacked":
      return [[words.unit].concat(column(data.pillars, "name"))].concat(data.units.map(function (unit, i) {
        return [unit].concat(data.pillars.map(function (p) { return p.values[i]; }));
      }));
    case "grouped":
      return [[words.pillar].concat(column(data.units, "name").map(percent))].concat(data.pillars.map(function (p, i) {
        return [p].concat(data.units.map(function (u) { return u.values[i]; }));
      }));
    case "radar":
      return [[words.pillar, percent(data.unitLabel), percent(data.averageLabel)]].concat(data.axes.map(function (a, i) {
        return [a, data.unit[i], data.average[i]];
      }));
    case "distribution":
      return [[words.unit, data.labels.total, words.grade]].concat(data.points.map(function (p) {
        return [p.unit, p.total, p.grade];
      }));
    case "scatter":
      return [[words.unit, data.labels.declared, data.labels.reviewed]].concat(data.points.map(function (p) {
        return [p.unit, p.declared, p.reviewed];
      }));
    case "intervals":
      return [[words.unit, words.lowest_rank, words.highest_rank, data.labels.median, data.labels.published]]
        .concat(data.units.map(function (unit, i) {
          return [unit, data.low[i], data.high[i], data.median[i], data.published[i]];
        }));
    case "probabilities":
      return [[words.unit].concat(column(data.grades, "name").map(percent))].concat(data.units.map(function (unit, i) {
        return [unit].concat(data.grades.map(function (g) { return g.values[i]; }));
      }));
    case "map":
      return [[words.unit, data.labels.lat, data.labels.lon, words.grade, data.labels.total]].concat(
        data.points.map(function (p) { return [p.unit, p.lat, p.lon, p.grade, p.total]; }));
    case "trend":
      return [[words.year].concat(column(data.lines, "name").map(percent))].concat(data.years.map(function (year, i) {
        return [year].concat(data.lines.map(function (l) { return l.values[i]; }));
      }));
    case "counts":
      return [[words.category, words.count]].concat(data.labels.map(function (label, i) {
        return [label, data.values[i]];
      }));
  }
  return [];
}

function csvText(rows) {
  return "\ufeff" + rows.map(function (row) {
    return row.map(function (cell) {
      var text = cell === null || cell === undefined ? "" : String(cell);
      return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
    }).join(",");
  }).join("\r\n") + "\r\n";
}

function saveFile(href, name) {
  var link = document.createElement("a");
  link.href = href;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
}

function offerDownloads(element, data) {
  var words = chartWords();
  if (!words.png || element.dataset.downloads === "offered") { return; }
  element.dataset.downloads = "offered";
  var name = "dti-" + element.id;
  var bar = document.createElement("p");
  bar.className = "chart-downloads";
  [["png", words.png], ["csv", words.csv]].forEach(function (choice) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary outline compact";
    button.dataset.download = choice[0];
    button.textContent = choice[1];
    button.addEventListener("click", function () {
      if (choice[0] === "csv") {
        var blob = new Blob([csvText(chartTable(element.dataset.chart, data, words))], { type: "text/csv;charset=utf-8" });
        var url = URL.createObjectURL(blob);
        saveFile(url, name + ".csv");
        setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
      } else {
        // The page draws in SVG; a canvas twin of the same size and options gives the picture.
        var twin = document.createElement("div");
        twin.style.cssText = "position:absolute;left:-10000px;top:0;width:" + element.clientWidth + "px;height:" +
          element.clientHeight + "px";
        document.body.appendChild(twin);
        var copy = echarts.init(twin, null, { renderer: "canvas" });
        copy.setOption(echarts.getInstanceByDom(element).getOption());
        saveFile(copy.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#fff" }), name + ".png");
        copy.dispose();
        twin.remove();
      }
    });
    bar.appendChild(button);
  });
  element.insertAdjacentElement("afterend", bar);
}

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
