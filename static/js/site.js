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
