// A chat room's page: new messages appear without reloading. Every few seconds it asks the server
// for the messages after the last one shown (GET <room>/messages/?after=<id>, an HTML fragment of
// <li data-message-id> items) and appends them; the form posts in the background and polls at once.
// window.appendMessages(html) is the one way to add messages, so the live WebSocket (inbox live)
// can hand it the same fragment. Without JavaScript the page still works: the form posts and reloads.
(function () {
  "use strict";
  var list = document.querySelector("[data-room-messages]");
  if (!list) return;
  var POLL_MS = 4000;
  var busy = false;

  function lastId() {
    var items = list.querySelectorAll("[data-message-id]");
    var last = items.length ? items[items.length - 1].getAttribute("data-message-id") : null;
    return parseInt(last || list.getAttribute("data-last-id") || "0", 10);
  }

  function atBottom() {
    return window.innerHeight + window.scrollY >= document.body.scrollHeight - 80;
  }

  // Append the messages of an HTML fragment that the list does not hold yet (by data-message-id).
  window.appendMessages = function (html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var stick = atBottom();
    var added = 0;
    template.content.querySelectorAll("[data-message-id]").forEach(function (item) {
      var id = item.getAttribute("data-message-id");
      var existing = list.querySelector('[data-message-id="' + id + '"]');
      if (existing) {
        existing.replaceWith(item);
      } else if (parseInt(id, 10) > lastId()) {
        list.appendChild(item);
        added += 1;
      }
    });
    if (added) {
      var empty = document.querySelector("[data-room-empty]");
      if (empty) empty.remove();
      if (stick) list.lastElementChild.scrollIntoView({ block: "end" });
    }
    return added;
  };

  function poll() {
    if (busy || list.hasAttribute("data-no-poll") || document.hidden) return Promise.resolve();
    busy = true;
    var url = list.getAttribute("data-poll-url") + "?after=" + lastId();
    return fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) { if (html) window.appendMessages(html); })
      .catch(function () {})
      .then(function () { busy = false; });
  }

  var form = document.querySelector("[data-room-form]");
  if (form) {
    form.addEventListener("submit", function (event) {
      var body = form.querySelector("textarea");
      if (!body || !body.value.trim()) return; // let the server say what is missing
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      })
        .then(function (response) {
          if (response.status === 204) {
            body.value = "";
            // The files went with the message (FormData carries them): clear the chooser too.
            form.querySelectorAll("input[type=file]").forEach(function (input) { input.value = ""; });
            return poll();
          }
          form.submit(); // a refusal: the server's page shows why
        })
        .catch(function () { form.submit(); })
        .then(function () { if (button) button.disabled = false; body.focus(); });
    });
  }

  if (!list.hasAttribute("data-no-poll") && list.lastElementChild) {
    list.lastElementChild.scrollIntoView({ block: "end" });
  }
  window.setInterval(poll, POLL_MS);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) poll(); });
})();
