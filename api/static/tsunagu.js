// つなぐ: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // Ask before destructive actions (withdrawing consent and the like).
  document.addEventListener("submit", function (event) {
    var button = event.submitter || event.target.querySelector("[data-confirm]");
    var message = button && button.getAttribute && button.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
  // Print buttons on the 様式 pages.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  // Move focus to the error summary so keyboard and screen-reader users hear it first.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.setAttribute("tabindex", "-1"); summary.focus(); }
  // Compare: allow at most two ticks.
  var boxes = document.querySelectorAll("input[form=compare-form]");
  boxes.forEach(function (box) {
    box.addEventListener("change", function () {
      var ticked = Array.prototype.filter.call(boxes, function (b) { return b.checked; });
      if (ticked.length > 2) { box.checked = false; }
    });
  });
})();
