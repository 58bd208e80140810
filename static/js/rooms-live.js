// Live chat rooms: a room page's messages arrive over a WebSocket (inbox/live/consumers.py) instead
// of waiting for the next poll. No build step, no inline code (the site's CSP allows only its own
// scripts; its connect-src 'self' covers ws:/wss: on the page's own host).
//
// What the room page provides (the rooms part's markup):
//   <ol data-room-id="12" data-removed-text="…" …>   the message list; each message an element with
//                                                     data-message-id (the fragment the socket sends)
//   [data-room-live-status]                           optional: where a removal notice is written
//   [data-unread-badge="rooms"]                       optional, anywhere: total unread room messages
//   [data-room-unread="12"]                           optional, anywhere: one room's unread count
// While the socket is open the list carries data-live="open" and the page's poll (`?after=<id>`)
// stands down; when it closes the attribute goes, the poll resumes, and the socket reconnects with
// backoff. Events on document: "rooms:live-open" (a poll may catch up once), "rooms:live-closed",
// "rooms:live-message" (detail: the frame).
(function () {
  "use strict";

  const list = document.querySelector("[data-room-id]");
  if (!list || !("WebSocket" in window)) return;

  const roomId = list.dataset.roomId;
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  const url = `${scheme}//${window.location.host}/ws/rooms/${roomId}/`;
  const NOT_A_MEMBER = 4403;
  let delay = 1000;
  let stopped = false;

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

  function showMessage(frame) {
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

  function setCount(element, count) {
    element.textContent = String(count);
    element.hidden = count === 0;
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
    socket.addEventListener("open", () => {
      delay = 1000;
      list.dataset.live = "open";
      emit("rooms:live-open");
    });
    socket.addEventListener("message", (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (frame.type && frame.type.startsWith("message.")) showMessage(frame);
      else if (frame.type === "unread") showUnread(frame);
      else if (frame.type === "room.removed") removed();
    });
    socket.addEventListener("close", (event) => {
      if (list.dataset.live === "open") delete list.dataset.live;
      emit("rooms:live-closed", { code: event.code });
      if (event.code === NOT_A_MEMBER) removed();
      if (stopped) return;
      // Back off up to a minute, with jitter so a restarted server is not hit by everyone at once.
      const wait = delay + Math.random() * delay * 0.3;
      delay = Math.min(delay * 2, 60000);
      window.setTimeout(connect, wait);
    });
  }

  window.addEventListener("pagehide", () => {
    stopped = true;
  });
  connect();
})();
