// Start every [data-chart] element from the JSON option its template emitted (json_script),
// on page load and after htmx swaps. No chart logic lives in templates.
(function () {
  // Numbers in labels and tooltips with thousands separators and the decimals the server
  // rounded them to (kechuang.core.formatting), like the tables beside the charts.
  function formatNumber(v) {
    if (typeof v !== "number" || !isFinite(v)) return v == null ? "—" : v;
    var text = String(v);
    var places = text.indexOf(".") >= 0 ? text.split(".")[1].length : 0;
    return v.toLocaleString("en-US", { minimumFractionDigits: places, maximumFractionDigits: places });
  }
  function withNumberFormat(option) {
    (option.series || []).forEach(function (s) {
      if (s.type === "sankey" || !s.label || !s.label.show || s.label.formatter) return;
      s.label.formatter = function (p) {
        var v = p.value && typeof p.value === "object" && !Array.isArray(p.value) ? p.value.value : p.value;
        return formatNumber(v);
      };
    });
    if (option.tooltip && !option.tooltip.valueFormatter) option.tooltip.valueFormatter = formatNumber;
    return option;
  }
  var REDUCED_MOTION = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  function initCharts(root) {
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.dataset.chartReady) return;
      var source = document.getElementById(el.dataset.chart);
      if (!source) return;
      var option = JSON.parse(source.textContent);
      // A reader who asked the system for less motion gets the chart drawn at once.
      if (REDUCED_MOTION) option.animation = false;
      var chart = echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(withNumberFormat(option));
      el.dataset.chartReady = "1";
      if (el.dataset.linkBase) {
        chart.on("click", function (params) {
          var key = (params.data && params.data.key) || params.name;
          window.location.href = el.dataset.linkBase + encodeURIComponent(key);
        });
      }
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  // Tables wider than the screen scroll inside .table-responsive: the region takes keyboard
  // focus and is named after the table's caption or the card's title (WCAG 2.1.1, 4.1.2).
  function labelScrollRegions(root) {
    root.querySelectorAll(".table-responsive:not([tabindex])").forEach(function (el) {
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "region");
      if (el.hasAttribute("aria-label")) return;
      var caption = el.querySelector("caption");
      var card = el.closest(".card");
      var title = card && card.querySelector(".card-title, .card-header, h2, h3");
      var name = (caption && caption.textContent.trim()) || (title && title.textContent.trim()) ||
        (document.querySelector("h1, .page-title") || {}).textContent || document.title;
      el.setAttribute("aria-label", String(name).trim().replace(/\s+/g, " "));
    });
  }
  document.addEventListener("DOMContentLoaded", function () { initCharts(document); labelScrollRegions(document); });
  document.addEventListener("htmx:afterSwap", function (e) { initCharts(e.target); labelScrollRegions(e.target); });
  // Select boxes marked data-autosubmit submit their form (no inline handlers).
  document.addEventListener("change", function (e) {
    if (e.target.matches("[data-autosubmit]")) e.target.form.submit();
  });
  // A list's "select all" box checks every row box of its selection form.
  document.addEventListener("change", function (e) {
    if (!e.target.matches("[data-select-all]")) return;
    var table = e.target.closest("table");
    if (!table) return;
    table.querySelectorAll('tbody input[type=checkbox][form="bulk-form"]').forEach(function (box) {
      box.checked = e.target.checked;
    });
  });
})();
