/* Offline reading, the page's side (the worker is static/js/sw.js).
 *
 * - Registers the service worker.
 * - A page from the network tells the worker who is logged in (the opaque id in
 *   <body data-offline-cache>); a visitor's page (empty id) deletes every member's copies here
 *   too, without waiting for the worker.
 * - Logging out deletes the copies before the form is sent.
 * - A copy served without a network (<body data-offline-saved>) shows the banner with the date
 *   it was saved.
 */
(function () {
  "use strict";

  var USER_PREFIX = "bantin-user-";
  var ISSUE_PATH = /^\/[a-z0-9-]+\/issues\/\d{4}\/\d{1,2}\/$/;
  var body = document.body;
  var savedAt = body.getAttribute("data-offline-saved");

  function showBanner() {
    var banner = document.querySelector("[data-offline-banner]");
    var time = banner && banner.querySelector("[data-offline-saved-at]");
    if (!banner || !time) return;
    var date = new Date(savedAt);
    time.setAttribute("datetime", savedAt);
    time.textContent = isNaN(date) ? savedAt : date.toLocaleString("vi-VN");
    banner.hidden = false;
  }

  function forgetCopies() {
    if (!("caches" in window)) return Promise.resolve();
    return caches.keys().then(function (names) {
      return Promise.all(
        names
          .filter(function (name) {
            return name.indexOf(USER_PREFIX) === 0;
          })
          .map(function (name) {
            return caches.delete(name);
          }),
      );
    });
  }

  if (savedAt) showBanner();
  if (!("serviceWorker" in navigator)) return;

  var cacheId = body.getAttribute("data-offline-cache") || "";
  var controlled = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {
    /* No worker (private window, old browser): the site works as before, online only. */
  });

  document.querySelectorAll('form[action$="/logout/"]').forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage({ type: "logout" });
      }
      forgetCopies().then(
        function () {
          form.submit();
        },
        function () {
          form.submit();
        },
      );
    });
  });

  if (savedAt) return;
  if (!cacheId) forgetCopies();
  navigator.serviceWorker.ready.then(function (registration) {
    if (!registration.active) return;
    registration.active.postMessage({
      type: "user",
      id: cacheId,
      // The first page of a visit is not seen by a worker installed while it loaded: ask the
      // worker to copy it.
      save: !controlled && ISSUE_PATH.test(location.pathname) ? location.pathname : "",
    });
  });
})();
