// The header's unread badges (direct messages, notifications) stay current without reloading: a
// signed-in page opens `ws/me/` (inbox/live/consumers.py), which sends the person's counts when one
// changes: {"type": "unread", "messages": n, "notifications": n, "rooms": n, ...}. The counts come
// over the socket only, so the page costs no query for them. Where the socket cannot open (no ASGI
// server), the badges stay as the page drew them, and it retries with a growing pause.
//
// The header's markup (templates/components/header.html): each badge's link carries
//   data-unread-host="messages|notifications"  which count it shows
//   data-unread-class, data-unread-testid      the badge's class and test id, to draw one at 1
//   data-unread-label                          the translated word after the number ("unread")
// and the badge inside it, when drawn, data-unread-badge="<host>". At 0 the badge goes.
(function () {
  "use strict";

  const hosts = document.querySelectorAll("[data-unread-host]");
  if (!hosts.length || !("WebSocket" in window)) return;

  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  const url = `${scheme}//${window.location.host}/ws/me/`;
  let delay = 2000;
  let stopped = false;
  let current = null;

  function show(host, count) {
    let badge = host.querySelector("[data-unread-badge]");
    if (!count) {
      if (badge) badge.remove();
      return;
    }
    if (!badge) {
      badge = document.createElement("span");
      badge.className = host.dataset.unreadClass || "nav-badge";
      badge.dataset.unreadBadge = host.dataset.unreadHost;
      if (host.dataset.unreadTestid) badge.setAttribute("data-testid", host.dataset.unreadTestid);
      host.append(" ", badge);
    }
    const words = document.createElement("span");
    words.className = "visually-hidden";
    words.textContent = ` ${host.dataset.unreadLabel || ""}`;
    badge.replaceChildren(String(count), words);
  }

  function connect() {
    const socket = new WebSocket(url);
    current = socket;
    socket.addEventListener("open", () => {
      delay = 2000;
    });
    socket.addEventListener("message", (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (frame.type !== "unread") return;
      hosts.forEach((host) => {
        const count = frame[host.dataset.unreadHost];
        if (typeof count === "number") show(host, count);
      });
    });
    socket.addEventListener("close", () => {
      if (stopped) return;
      const wait = delay + Math.random() * delay * 0.3;
      delay = Math.min(delay * 2, 60000);
      window.setTimeout(connect, wait);
    });
  }

  window.addEventListener("pagehide", () => {
    stopped = true;
    if (current) current.close();
  });
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    stopped = false;
    connect();
  });
  connect();
})();
