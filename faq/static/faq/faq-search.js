/* FAQ page: filter the questions as the visitor types. Without this script the same form asks the
   server (?q=), which hides what does not match with the same rule: every word of the query, case- and
   accent-insensitive, in the question, its answer or its section's heading (data-faq-text). */
(function () {
  "use strict";

  var form = document.querySelector("[data-faq-search]");
  var list = document.querySelector("[data-faq-list]");
  if (!form || !list) return;
  var input = form.querySelector("input[name=q]");
  var status = form.querySelector("[data-faq-status]");
  var reset = form.querySelector("[data-faq-reset]");
  var empty = document.querySelector("[data-faq-empty]");
  var sections = list.querySelectorAll("[data-faq-section]");
  var timer = null;

  function normalize(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().split(/\s+/).filter(Boolean);
  }

  function message(count) {
    if (count === 0) return form.dataset.msgNone;
    if (count === 1) return form.dataset.msgOne;
    return form.dataset.msgMany.replace("%(count)s", count);
  }

  function apply() {
    var terms = normalize(input.value).slice(0, 10);
    var total = 0;
    sections.forEach(function (section) {
      var shown = 0;
      section.querySelectorAll("[data-faq-question]").forEach(function (question) {
        var text = question.getAttribute("data-faq-text") || "";
        var match = terms.every(function (term) { return text.indexOf(term) !== -1; });
        question.hidden = !match;
        if (terms.length) question.open = match;
        if (match) shown += 1;
      });
      section.hidden = shown === 0;
      total += shown;
    });
    if (empty) empty.hidden = !(terms.length && total === 0);
    if (status) status.textContent = terms.length ? message(total) : "";
    if (reset) reset.hidden = true;
    // Keep the address in step, so the filtered list can be shared and survives a reload.
    if (window.history && window.history.replaceState) {
      var url = new URL(window.location.href);
      if (terms.length) url.searchParams.set("q", input.value.trim());
      else url.searchParams.delete("q");
      window.history.replaceState(null, "", url);
    }
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(apply, 150);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    apply();
  });
  form.classList.add("is-live");
})();
