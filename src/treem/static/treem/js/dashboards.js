/* Treem dashboards: draws each [data-chart] element from the page's JSON (<script id="dashboard-data"
   type="application/json">, written by Django's json_script) with the vendored Apache ECharts. No inline script,
   no network: every label, colour and figure comes from the server; a hidden (small) figure has no bar or point
   length, only its text ("<5", "x"), exactly as in the table under each chart. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || !window.echarts) { return; }
  var specs = JSON.parse(source.textContent);
  var charts = [];
  var FONT = "Noto Sans, Segoe UI, Roboto, Arial, sans-serif";

  function base() {
    return { animation: false, textStyle: { fontFamily: FONT }, aria: { enabled: false },
             tooltip: { confine: true } };
  }

  function hiddenItem(text, colour) {
    return { value: 0, itemStyle: { color: colour },
             label: { show: true, formatter: text, color: "#5b6775", fontWeight: "bold" } };
  }

  function barItems(series, rows, suppressed) {
    var out = [];
    for (var i = 0; i < rows; i++) {
      if (series.hidden[i]) { out.push(hiddenItem(series.texts[i], suppressed)); }
      else { out.push(series.values[i] === null ? null : series.values[i]); }
    }
    return out;
  }

  function tooltipFor(spec) {
    return function (p) {
      var items = Array.isArray(p) ? p : [p];
      var lines = [items[0].name];
      items.forEach(function (it) {
        var s = spec.series[it.seriesIndex];
        lines.push((s ? s.name : "") + ": " + (s ? s.texts[it.dataIndex] : it.value));
      });
      return lines.map(escapeHtml).join("<br>");
    };
  }

  function lineTooltip(spec) {
    return function (p) {
      var items = Array.isArray(p) ? p : [p];
      var col = items[0].dataIndex;
      var lines = [spec.series[col].name];
      items.forEach(function (it) {
        lines.push(spec.categories[it.seriesIndex] + ": " + spec.series[col].texts[it.seriesIndex]);
      });
      return lines.map(escapeHtml).join("<br>");
    };
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function grouped(spec) {  /* categories × series, vertical bars (children by age and sex) */
    var rows = spec.chart_rows || spec.categories.length;
    var cols = spec.chart_columns || spec.series.length;
    var o = base();
    o.legend = { top: 0 };
    o.grid = { left: 48, right: 12, top: 32, bottom: 28 };
    o.tooltip.trigger = "axis";
    o.tooltip.formatter = tooltipFor(spec);
    o.xAxis = { type: "category", data: spec.categories.slice(0, rows) };
    o.yAxis = { type: "value", minInterval: 1 };
    o.series = spec.series.slice(0, cols).map(function (s) {
      return { type: "bar", name: s.name, itemStyle: { color: s.colour }, data: barItems(s, rows, spec.suppressed_colour),
               label: { show: true, position: "top", formatter: function (p) { return s.texts[p.dataIndex]; } } };
    });
    return { option: o, height: 280 };
  }

  function horizontal(spec, ranked) {  /* one series as horizontal bars; ranked: first row on top */
    var s = spec.series[0];
    var n = spec.categories.length;
    var o = base();
    o.grid = { left: 8, right: 56, top: 8, bottom: 24, containLabel: true };
    o.tooltip.trigger = "item";
    o.tooltip.formatter = tooltipFor(spec);
    o.yAxis = { type: "category", data: spec.categories, inverse: true,
                axisLabel: { width: 190, overflow: "truncate" } };
    o.xAxis = { type: "value", minInterval: spec.max ? 0 : 1, max: spec.max || null };
    o.series = [{ type: "bar", name: s.name, itemStyle: { color: s.colour },
                  data: barItems(s, n, spec.suppressed_colour), barMaxWidth: 22,
                  label: { show: true, position: "right", formatter: function (p) { return s.texts[p.dataIndex]; } } }];
    return { option: o, height: Math.max(120, 26 * n + 40), links: ranked ? spec.urls : null };
  }

  function lines(spec) {  /* rows are lines, columns the periods */
    var o = base();
    var periods = spec.series.map(function (s) { return s.name; });
    o.legend = { type: "scroll", top: 0 };
    o.grid = { left: 48, right: 16, top: 36, bottom: 28 };
    o.tooltip.trigger = "axis";
    o.tooltip.formatter = lineTooltip(spec);
    o.xAxis = { type: "category", data: periods, boundaryGap: false };
    o.yAxis = { type: "value", minInterval: 1 };
    o.series = spec.categories.map(function (name, row) {
      var last = row === spec.categories.length - 1;
      return { type: "line", name: name, connectNulls: false, symbolSize: 7,
               lineStyle: { width: last ? 3 : 1.5, type: last ? "solid" : (row % 2 ? "dashed" : "solid") },
               itemStyle: { color: last ? "#000000" : spec.palette[row % spec.palette.length] },
               data: spec.series.map(function (s) { return s.hidden[row] ? null : s.values[row]; }) };
    });
    return { option: o, height: 300 };
  }

  /* Web Mercator: y in "degrees" so that both axes are linear in the tiles' own projection (points and tiles agree). */
  function mercY(lat) { return Math.log(Math.tan(Math.PI / 4 + lat * Math.PI / 360)) * 180 / Math.PI; }

  function map(spec, el) {  /* points at longitude/latitude, sized and coloured by the server */
    var pts = spec.points;
    var xs = pts.map(function (p) { return p.lon; });
    var ys = pts.map(function (p) { return mercY(p.lat); });
    var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs);
    var y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
    var padX = Math.max((x1 - x0) * 0.06, 0.02), padY = Math.max((y1 - y0) * 0.06, 0.02);
    x0 -= padX; x1 += padX; y0 -= padY; y1 += padY;
    var width = el.clientWidth || 600;
    var height = Math.round(Math.min(620, Math.max(260, width * (y1 - y0) / (x1 - x0))));
    /* keep the scale equal on both axes: widen the narrower span to the box */
    var perPx = Math.max((x1 - x0) / width, (y1 - y0) / height);
    var cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    x0 = cx - perPx * width / 2; x1 = cx + perPx * width / 2;
    y0 = cy - perPx * height / 2; y1 = cy + perPx * height / 2;
    var o = base();
    o.grid = { left: 0, right: 0, top: 0, bottom: 0 };
    o.tooltip.trigger = "item";
    o.tooltip.formatter = function (p) { var d = pts[p.dataIndex]; return escapeHtml(d.name) + "<br>" + escapeHtml(d.text); };
    o.xAxis = { type: "value", min: x0, max: x1, show: false };
    o.yAxis = { type: "value", min: y0, max: y1, show: false };
    o.series = [{ type: "scatter", z: 10,
      data: pts.map(function (p, i) {
        return { value: [p.lon, ys[i]], symbolSize: p.size,
                 itemStyle: { color: p.colour, borderColor: "#1d2733", borderWidth: 0.6, opacity: 0.9 },
                 label: { show: pts.length <= 40, position: "right", fontSize: 10, color: "#1d2733",
                          formatter: p.hidden ? p.text : "" } };
      }) }];
    var tiles = el.getAttribute("data-tiles");
    return { option: o, height: height, links: pts.map(function (p) { return p.url; }),
             after: tiles ? function (chart) { drawTiles(chart, tiles, x0, x1, y0, y1, width); } : null };
  }

  function drawTiles(chart, template, x0, x1, y0, y1, width) {  /* optional (TREEM_MAP_TILE_URL), off by default */
    var z = Math.max(0, Math.min(18, Math.floor(Math.log(360 * width / 256 / (x1 - x0)) / Math.LN2)));
    var n = Math.pow(2, z);
    function tx(lon) { return Math.floor((lon + 180) / 360 * n); }
    function ty(y) { return Math.floor((1 - y / 180) / 2 * n); }  /* y: Mercator in degrees */
    var images = [];
    for (var x = tx(x0); x <= tx(x1); x++) {
      for (var y = ty(y1); y <= ty(y0); y++) {
        var left = x / n * 360 - 180, right = (x + 1) / n * 360 - 180;
        var top = 180 * (1 - 2 * y / n), bottom = 180 * (1 - 2 * (y + 1) / n);
        var a = chart.convertToPixel({ gridIndex: 0 }, [left, top]);
        var b = chart.convertToPixel({ gridIndex: 0 }, [right, bottom]);
        var url = template.replace("{z}", z).replace("{x}", x).replace("{y}", y);
        images.push({ type: "image", silent: true, z: -10,
                      style: { image: url, x: a[0], y: a[1], width: b[0] - a[0], height: b[1] - a[1], opacity: 0.85 } });
      }
    }
    chart.setOption({ graphic: images });
  }

  function draw(el) {
    var spec = specs[el.getAttribute("data-chart")];
    if (!spec) { return; }
    var built;
    if (spec.kind === "bar") { built = grouped(spec); }
    else if (spec.kind === "hbar") { built = horizontal(spec, false); }
    else if (spec.kind === "ranked") { built = horizontal(spec, true); }
    else if (spec.kind === "line") { built = lines(spec); }
    else if (spec.kind === "map") { built = map(spec, el); }
    else { return; }
    el.style.height = built.height + "px";
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(built.option);
    if (built.after) { built.after(chart); chart.treemAfter = built.after; }
    if (built.links) {
      chart.on("click", function (p) {
        var url = built.links[p.dataIndex];
        if (url) { window.location.href = url; }
      });
    }
    charts.push(chart);
  }

  document.querySelectorAll("[data-chart]").forEach(draw);
  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      charts.forEach(function (c) { c.resize(); if (c.treemAfter) { c.treemAfter(c); } });
    }, 150);
  });
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
}());
