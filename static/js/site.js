/* cplatform: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  // Mobile navigation: below the breakpoint, fold the menu behind the "Menu" button.
  var header = document.querySelector("[data-nav]");
  if (header) {
    var toggle = header.querySelector(".nav-toggle");
    var menu = document.getElementById(toggle && toggle.getAttribute("aria-controls"));
    if (toggle && menu) {
      header.classList.add("js-nav");
      toggle.hidden = false;
      var setOpen = function (open) {
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        header.classList.toggle("is-open", open);
      };
      toggle.addEventListener("click", function () {
        setOpen(toggle.getAttribute("aria-expanded") !== "true");
      });
      document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && header.classList.contains("is-open")) {
          setOpen(false);
          toggle.focus();
        }
      });
    }
  }

  // Forms answered with errors: move focus to the summary so it is read first.
  var summary = document.querySelector(".form-errors");
  if (summary) {
    summary.setAttribute("tabindex", "-1");
    summary.focus({ preventScroll: false });
  }
})();

/* pages: the catalog's filters open on wide screens; a material form shows only its kind's fields. */
(function () {
  "use strict";

  // <details data-open-wide>: open from the layout breakpoint (48rem), folded below it.
  var wide = window.matchMedia("(min-width: 48rem)");
  var folds = document.querySelectorAll("details[data-open-wide]");
  var syncFolds = function () {
    folds.forEach(function (fold) { if (wide.matches) { fold.open = true; } });
  };
  syncFolds();
  if (wide.addEventListener) { wide.addEventListener("change", syncFolds); }

  // A form with a [data-kind-switch] select: each [data-kind-field="<kind>"] field shows only while
  // that kind is chosen. Without this script every field shows with its hint; the server decides.
  document.querySelectorAll("form [data-kind-switch]").forEach(function (select) {
    var form = select.form;
    form.classList.add("js-kinds");
    var fields = form.querySelectorAll("[data-kind-field]");
    var sync = function () {
      fields.forEach(function (input) {
        var wrapper = input.closest(".field") || input;
        wrapper.hidden = input.getAttribute("data-kind-field") !== select.value;
      });
    };
    select.addEventListener("change", sync);
    sync();
  });
})();
