// What-if panel: range sliders mirror their number inputs (the number inputs carry the names
// htmx sends); moving a slider fires "input" on its number input so htmx re-evaluates.
(function () {
  function sync(range) {
    var target = document.getElementById(range.dataset.sync);
    if (!target) return;
    target.value = range.value;
    target.dispatchEvent(new Event("input", { bubbles: true }));
  }
  document.addEventListener("input", function (e) {
    if (e.target.matches("input[type=range][data-sync]")) sync(e.target);
    if (e.target.matches(".kc-whatif-input")) {
      var range = document.querySelector('input[type=range][data-sync="' + e.target.id + '"]');
      if (range && range !== document.activeElement) range.value = e.target.value;
    }
  });
  document.addEventListener("click", function (e) {
    if (!e.target.matches("[data-whatif-reset]")) return;
    var form = e.target.closest("form");
    form.querySelectorAll(".kc-whatif-select").forEach(function (s) { s.value = ""; });
    form.querySelectorAll(".kc-whatif-input").forEach(function (input) {
      input.value = input.dataset.initial;
      var range = form.querySelector('input[type=range][data-sync="' + input.id + '"]');
      if (range) range.value = input.dataset.initial;
    });
    var first = form.querySelector(".kc-whatif-select");
    if (first) first.dispatchEvent(new Event("change", { bubbles: true }));
  });
})();
