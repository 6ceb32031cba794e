/* Bản tin service worker: issues a member opened stay readable without a network.
 *
 * Served from /sw.js (core/offline.py) so its scope is the whole site.
 *
 * - Issue pages (/<committee>/issues/YYYY/M/) are fetched from the network first. A page that names a
 *   logged-in member (<body data-offline-cache="ID">, an opaque per-user id) is copied, with
 *   the images it shows, into the cache "bantin-user-ID". Only the latest KEEP_ISSUES issues
 *   are kept. A page for a visitor (empty id) is never copied, and it wipes every member's
 *   copies: the member has logged out, or the account was disabled.
 * - Without a network, an issue page comes from the current member's cache, marked with the
 *   date it was saved (static/js/offline.js shows the banner). A photo in another size than
 *   the one saved is answered with the saved one.
 * - Whenever the network answers a copied URL with a redirect (to the login page), 401, 403,
 *   404 or 410, that copy is deleted; the copies are revalidated in the background at most
 *   every REVALIDATE_MS while online.
 * - Static files (CSS, this site's scripts, fonts) are public: one shared cache.
 */
"use strict";

const STATIC_CACHE = "bantin-static-v1";
const USER_PREFIX = "bantin-user-";
const META_CACHE = "bantin-meta";
const CURRENT_USER = "/__offline__/current-user";
const LAST_REVALIDATION = "/__offline__/last-revalidation";
const ISSUE_PATH = /^\/[a-z0-9-]+\/issues\/\d{4}\/\d{1,2}\/$/;
const KEEP_ISSUES = 6;
const REVALIDATE_MS = 10 * 60 * 1000;
const GONE = new Set([401, 403, 404, 410]);
const SAVED_HEADER = "X-Offline-Saved";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

async function readMeta(key) {
  const response = await (await caches.open(META_CACHE)).match(key);
  return response ? response.text() : "";
}

async function writeMeta(key, value) {
  await (await caches.open(META_CACHE)).put(key, new Response(value));
}

async function forgetEveryone(except) {
  for (const name of await caches.keys()) {
    if (name.startsWith(USER_PREFIX) && name !== USER_PREFIX + except) await caches.delete(name);
  }
  if (!except) await (await caches.open(META_CACHE)).delete(CURRENT_USER);
}

/* The page said who is logged in ("" for a visitor). One member's copies at a time: a phone
 * shared in a cell keeps nothing of the previous member. */
async function setCurrentUser(id) {
  await forgetEveryone(id);
  if (id) await writeMeta(CURRENT_USER, id);
}

function cacheIdOf(html) {
  const match = /<body[^>]*\sdata-offline-cache="([^"]*)"/.exec(html);
  return match ? match[1] : null;
}

function imagesOf(html) {
  const urls = new Set();
  for (const match of html.matchAll(/<img\b[^>]*?\ssrc="(\/media\/[^"]+)"/g)) urls.add(match[1]);
  return [...urls];
}

function assetsOf(html) {
  const urls = new Set();
  for (const match of html.matchAll(/<(?:link|script)\b[^>]*?\s(?:href|src)="(\/static\/[^"]+)"/g)) {
    urls.add(match[1]);
  }
  return [...urls];
}

async function forgetUrl(path) {
  for (const name of await caches.keys()) {
    if (name.startsWith(USER_PREFIX)) await (await caches.open(name)).delete(path);
  }
}

function isGone(response) {
  return response.type === "opaqueredirect" || response.redirected || GONE.has(response.status);
}

/* Copy an issue page that the network just answered, with its images and static files. */
async function remember(path, response) {
  if (isGone(response)) {
    await forgetUrl(path);
    return;
  }
  const type = response.headers.get("Content-Type") || "";
  if (response.status !== 200 || !type.startsWith("text/html")) return;
  if (/no-store/.test(response.headers.get("Cache-Control") || "")) {
    /* A draft seen in preview: never kept, and an older copy of that address goes. */
    await forgetUrl(path);
    return;
  }
  const html = await response.text();
  const id = cacheIdOf(html);
  if (id === null) return;
  await setCurrentUser(id);
  if (!id) return;
  const cache = await caches.open(USER_PREFIX + id);
  const saved = new Date().toISOString();
  await cache.put(
    path,
    new Response(html, {
      headers: { "Content-Type": "text/html; charset=utf-8", [SAVED_HEADER]: saved },
    }),
  );
  for (const url of imagesOf(html)) {
    if (await cache.match(url)) continue;
    try {
      const image = await fetch(url, { credentials: "same-origin", redirect: "manual" });
      if (image.ok && image.type !== "opaqueredirect") await cache.put(url, image);
    } catch (error) {
      /* The network went away while saving: the page is kept, this photo is not. */
    }
  }
  const assets = await caches.open(STATIC_CACHE);
  for (const url of assetsOf(html)) {
    if (!(await assets.match(url))) {
      try {
        await assets.add(url);
      } catch (error) {
        /* idem */
      }
    }
  }
  await trim(cache);
}

async function savedPages(cache) {
  const pages = [];
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (!ISSUE_PATH.test(path)) continue;
    const response = await cache.match(request);
    pages.push({ path, saved: response.headers.get(SAVED_HEADER) || "", response });
  }
  return pages.sort((a, b) => (a.saved < b.saved ? 1 : -1));
}

/* Keep the latest KEEP_ISSUES pages, and only the images those pages show. */
async function trim(cache) {
  const pages = await savedPages(cache);
  for (const page of pages.slice(KEEP_ISSUES)) await cache.delete(page.path);
  const shown = new Set();
  for (const page of pages.slice(0, KEEP_ISSUES)) {
    for (const url of imagesOf(await page.response.text())) shown.add(url);
  }
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (path.startsWith("/media/") && !shown.has(path)) await cache.delete(request);
  }
}

async function currentCache() {
  const id = await readMeta(CURRENT_USER);
  return id ? caches.open(USER_PREFIX + id) : null;
}

async function offlinePage(path) {
  const cache = await currentCache();
  const copy = cache && (await cache.match(path));
  if (!copy) return Response.error();
  const saved = copy.headers.get(SAVED_HEADER) || "";
  const html = (await copy.text()).replace(
    /<body\b/,
    `<body data-offline-saved="${saved.replace(/[^0-9TZ:.\-]/g, "")}"`,
  );
  return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}

async function navigate(event, url) {
  let response;
  try {
    response = await fetch(event.request);
  } catch (error) {
    return offlinePage(url.pathname);
  }
  if (ISSUE_PATH.test(url.pathname)) {
    event.waitUntil(remember(url.pathname, response.clone()));
  } else if (isGone(response)) {
    event.waitUntil(forgetUrl(url.pathname));
  }
  return response;
}

/* A photo: the network; without one, the saved copy, or another size of the same photo
 * (news/renditions.py names them photo.480w.webp, photo.960w.jpg...). */
function photoKey(path) {
  return path.replace(/\.\d+w\.(?:webp|jpg)$/, "");
}

async function media(request, url) {
  try {
    return await fetch(request);
  } catch (error) {
    const cache = await currentCache();
    if (!cache) return Response.error();
    const exact = await cache.match(url.pathname);
    if (exact) return exact;
    const key = photoKey(url.pathname);
    for (const saved of await cache.keys()) {
      if (photoKey(new URL(saved.url).pathname) === key) return cache.match(saved);
    }
    return Response.error();
  }
}

async function staticFile(event) {
  const cache = await caches.open(STATIC_CACHE);
  const cached = await cache.match(event.request);
  const fresh = fetch(event.request)
    .then((response) => {
      if (response.ok) cache.put(event.request, response.clone());
      return response;
    })
    .catch(() => cached || Response.error());
  if (cached) {
    event.waitUntil(fresh);
    return cached;
  }
  return fresh;
}

/* Ask the network about every copy: gone ones are deleted, the others refreshed. */
async function revalidate() {
  const last = Number(await readMeta(LAST_REVALIDATION)) || 0;
  if (Date.now() - last < REVALIDATE_MS) return;
  await writeMeta(LAST_REVALIDATION, String(Date.now()));
  const cache = await currentCache();
  if (!cache) return;
  for (const page of await savedPages(cache)) {
    try {
      const response = await fetch(page.path, { credentials: "same-origin", redirect: "manual" });
      await remember(page.path, response);
    } catch (error) {
      return; /* offline again */
    }
  }
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "logout") {
    event.waitUntil(forgetEveryone(""));
  } else if (data.type === "user" && typeof data.id === "string") {
    event.waitUntil(
      setCurrentUser(data.id).then(() => {
        if (!data.id) return undefined;
        const saving =
          data.save && ISSUE_PATH.test(data.save)
            ? fetch(data.save, { credentials: "same-origin", redirect: "manual" }).then(
                (response) => remember(data.save, response),
              )
            : Promise.resolve();
        return saving.then(revalidate).catch(() => undefined);
      }),
    );
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(navigate(event, url));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(staticFile(event));
  } else if (url.pathname.startsWith("/media/")) {
    event.respondWith(media(request, url));
  }
});
