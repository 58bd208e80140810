// The next lesson's countdown on the day: the page says "Starts in 2 hours" without JavaScript; this
// keeps it current each minute, worded by the browser in the page's language (Intl.RelativeTimeFormat).
(function () {
  "use strict";
  var nodes = document.querySelectorAll("[data-countdown]");
  if (!nodes.length || !window.Intl || !Intl.RelativeTimeFormat) return;
  var lang = document.documentElement.lang || "en";
  var relative = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
  function update() {
    var now = Date.now();
    nodes.forEach(function (node) {
      var start = Date.parse(node.getAttribute("data-countdown"));
      var end = Date.parse(node.getAttribute("data-ends"));
      if (isNaN(start)) return;
      if (now >= start && (isNaN(end) || now < end)) {
        node.dataset.state = "now";
        return; // the server's "Happening now" stays
      }
      if (now >= start) return;
      var minutes = Math.round((start - now) / 60000);
      var text = minutes < 90
        ? relative.format(minutes, "minute")
        : relative.format(Math.round(minutes / 60), "hour");
      node.textContent = text.charAt(0).toUpperCase() + text.slice(1);
    });
  }
  update();
  window.setInterval(update, 60000);
})();
