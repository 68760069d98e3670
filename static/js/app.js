// Start every [data-chart] element from the JSON option its template emitted (json_script),
// on page load and after htmx swaps. No chart logic lives in templates.
(function () {
  function initCharts(root) {
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.dataset.chartReady) return;
      var source = document.getElementById(el.dataset.chart);
      if (!source) return;
      var option = JSON.parse(source.textContent);
      var chart = echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(option);
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
  document.addEventListener("DOMContentLoaded", function () { initCharts(document); });
  document.addEventListener("htmx:afterSwap", function (e) { initCharts(e.target); });
  // Select boxes marked data-autosubmit submit their form (no inline handlers).
  document.addEventListener("change", function (e) {
    if (e.target.matches("[data-autosubmit]")) e.target.form.submit();
  });
})();
