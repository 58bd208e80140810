/* Calendar feed page: a "Copy address" button (shown only when the browser can copy). */
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("data-copy"));
    var status = document.querySelector("[data-copy-status]");
    if (!input || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () {
        if (status) status.textContent = button.getAttribute("data-copied");
      }, function () {
        input.select();
      });
    });
  });
})();
