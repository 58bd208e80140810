// The card payment's return page (templates/billing/order.html) while the payment is being
// confirmed: the order section carries data-order-poll="<seconds>". Every so many seconds the page
// asks the server for itself again (the same address, the same session) and, once the order is no
// longer waiting, puts the answer's state and details in place: the state heading is a live region
// (role="status"), so a screen reader hears "Payment received" where the page is. The page never
// reloads itself (a timed refresh takes the reader's place away: WCAG 2.2.1), and without this file
// its "Check again" link does the same by hand. It stops after an hour, or when a request fails.
(function () {
  "use strict";

  const section = document.querySelector("[data-order-poll]");
  if (!section || !("fetch" in window) || !("DOMParser" in window)) return;

  const every = Math.max(2, Number(section.dataset.orderPoll) || 5) * 1000;
  const until = Date.now() + 60 * 60 * 1000;

  function settle(fresh) {
    const state = section.querySelector("[data-testid=order-state]");
    const freshState = fresh.querySelector("[data-testid=order-state]");
    if (!state || !freshState) return;
    section.dataset.status = fresh.dataset.status || "";
    delete section.dataset.orderPoll;
    while (state.nextSibling) state.nextSibling.remove();
    let node = freshState.nextSibling;
    while (node) {
      section.append(document.importNode(node, true));
      node = node.nextSibling;
    }
    state.textContent = freshState.textContent.trim();
  }

  function ask() {
    fetch(window.location.href, {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
      cache: "no-store",
    })
      .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
      .then((text) => {
        const page = new DOMParser().parseFromString(text, "text/html");
        const fresh = page.querySelector("[data-testid=order]");
        if (fresh && !fresh.hasAttribute("data-order-poll")) {
          settle(fresh);
        } else if (Date.now() < until) {
          window.setTimeout(ask, every);
        }
      })
      .catch(() => {});
  }

  window.setTimeout(ask, every);
})();
