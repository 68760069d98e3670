// The printable enterprise file: its "Print" button opens the browser's print dialogue.
(function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
