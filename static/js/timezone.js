/* The browser's time zone (Intl), for sign-up and the profile. Without this script sign-up
   stores the site's default zone and the profile offers nothing: both still work. */
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone) return;
  // Sign-up: a hidden field the server checks against the known zones.
  document.querySelectorAll("input[data-browser-timezone]").forEach(function (input) {
    if (!input.value) input.value = zone;
  });
  // Profile: offer the device's zone, in one click, when it differs from the saved one.
  var offer = document.querySelector("[data-timezone-offer]");
  if (offer && offer.getAttribute("data-current") !== zone) {
    offer.querySelector("input[name=timezone]").value = zone;
    offer.querySelector("[data-device-zone]").textContent = zone.replace(/_/g, " ");
    offer.hidden = false;
  }
})();
