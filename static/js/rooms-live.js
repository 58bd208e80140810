// Live chat rooms: a room page's messages arrive over a WebSocket (inbox/live/consumers.py) instead
// of waiting for the next poll. No build step, no inline code (the site's CSP allows only its own
// scripts; its connect-src 'self' covers ws:/wss: on the page's own host).
//
// What the room page provides (the rooms part's markup, static/js/rooms.js):
//   <ol data-room-messages data-room-id="12" data-poll-url="…" data-removed-text="…">
//       the message list; each message an element with data-message-id (the socket's frames carry
//       the same fragment); data-no-poll from the server (an older page of the history) keeps the
//       socket off: new messages belong to the newest page
//   window.appendMessages(html)        rooms.js's one way to add or replace messages (used if there)
//   [data-room-live-status]            optional: where a removal notice is written
//   [data-unread-badge="rooms"]        optional, anywhere: the person's unread room messages
// A message that arrives while the page is visible is reported read over the socket.
//   [data-room-unread="12"]            optional, anywhere: one room's unread count
// While the socket is open the list carries data-no-poll and data-live="open", so rooms.js's poll
// (`?after=<id>`) stands down; when it closes both go, the poll resumes, and the socket reconnects
// with backoff; on (re)opening, one request for `?after=<last id>` fills the gap. Events on document:
// "rooms:live-open", "rooms:live-closed", "rooms:live-message" (detail: the frame).
(function () {
  "use strict";

  const list = document.querySelector("[data-room-id]");
  if (!list || list.hasAttribute("data-no-poll") || !("WebSocket" in window)) return;

  const roomId = list.dataset.roomId;
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  const url = `${scheme}//${window.location.host}/ws/rooms/${roomId}/`;
  const NOT_A_MEMBER = 4403;
  let delay = 1000;
  let stopped = false;
  let reconnecting = false; // a socket was open before: what came meanwhile is fetched once

  function emit(name, detail) {
    document.dispatchEvent(new CustomEvent(name, { detail }));
  }

  function fragment(html) {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function nearBottom() {
    return window.innerHeight + window.scrollY >= document.body.scrollHeight - 80;
  }

  function lastId() {
    const items = list.querySelectorAll("[data-message-id]");
    return items.length ? items[items.length - 1].dataset.messageId : list.dataset.lastId || "0";
  }

  function catchUp() {
    const pollUrl = list.dataset.pollUrl;
    if (!pollUrl || typeof window.appendMessages !== "function") return;
    fetch(`${pollUrl}?after=${lastId()}`, {
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then((response) => (response.ok ? response.text() : ""))
      .then((html) => html && window.appendMessages(html))
      .catch(() => {});
  }

  // The person sees what arrives while the page is in front: their read marker follows (the poll
  // moved it over what it fetched), so their badges do not count what they have seen.
  function markRead(socket, frame) {
    if (frame.type !== "message.new" || document.visibilityState !== "visible") return;
    socket.send(JSON.stringify({ type: "read", last_read_id: frame.message.id }));
  }

  function showMessage(frame) {
    if (typeof window.appendMessages === "function") {
      window.appendMessages(frame.html);
      emit("rooms:live-message", frame);
      return;
    }
    const node = fragment(frame.html);
    if (!node) return;
    const existing = list.querySelector(`[data-message-id="${frame.message.id}"]`);
    if (existing) {
      existing.replaceWith(node);
    } else if (frame.type === "message.new") {
      const follow = nearBottom();
      list.append(node);
      if (follow) node.scrollIntoView({ block: "end" });
    }
    emit("rooms:live-message", frame);
  }

  // A badge may sit in a [data-unread-wrap] with its words for screen readers: both go at 0.
  function setCount(element, count) {
    element.textContent = String(count);
    element.hidden = count === 0;
    const wrap = element.closest("[data-unread-wrap]");
    if (wrap) wrap.hidden = count === 0;
  }

  function showUnread(frame) {
    document.querySelectorAll('[data-unread-badge="rooms"]').forEach((badge) => {
      setCount(badge, frame.rooms);
    });
    Object.entries(frame.by_room || {}).forEach(([id, count]) => {
      document.querySelectorAll(`[data-room-unread="${id}"]`).forEach((badge) => {
        setCount(badge, count);
      });
    });
  }

  function removed() {
    stopped = true;
    const status = document.querySelector("[data-room-live-status]");
    if (status && list.dataset.removedText) status.textContent = list.dataset.removedText;
    list.dataset.live = "removed";
  }

  function connect() {
    const socket = new WebSocket(url);
    current = socket;
    let opened = false;
    socket.addEventListener("open", () => {
      opened = true;
      list.dataset.live = "open";
      list.setAttribute("data-no-poll", "");
      if (reconnecting) catchUp();
      delay = 1000;
      emit("rooms:live-open");
    });
    socket.addEventListener("message", (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (frame.type && frame.type.startsWith("message.")) {
        showMessage(frame);
        markRead(socket, frame);
      }
      else if (frame.type === "unread") showUnread(frame);
      else if (frame.type === "room.removed") removed();
    });
    socket.addEventListener("close", (event) => {
      if (opened) {
        delete list.dataset.live;
        list.removeAttribute("data-no-poll");
        reconnecting = true;
      }
      emit("rooms:live-closed", { code: event.code });
      if (event.code === NOT_A_MEMBER) removed();
      if (stopped) return;
      // Back off up to a minute, with jitter so a restarted server is not hit by everyone at once.
      const wait = delay + Math.random() * delay * 0.3;
      delay = Math.min(delay * 2, 60000);
      window.setTimeout(connect, wait);
    });
  }

  let current = null;
  window.addEventListener("pagehide", () => {
    stopped = true;
    if (current) current.close();
  });
  // Back from the browser's page cache: open a new socket and fetch what came meanwhile.
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    stopped = false;
    reconnecting = true;
    connect();
  });
  connect();
})();
