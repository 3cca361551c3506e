/* Service worker of the offline app (issue 19). overrides/hooks/pwa.py writes it as sw.js at
   each language's root, with CONFIG filled in by scripts/pwa.py: the language, a version (hash
   of every file it serves and of this code), the files to save [url, revision] relative to the
   scope, the pocket guide of each region page, and the URLs that belong to another language.
   - install: save every file into the cache "kb-<lang>-<version>". A file already saved with
     the same revision (an older cache, or an earlier attempt that lost the signal) is copied,
     not downloaded again. The pocket guide saved before (if any) is saved again.
   - activate: delete this language's older caches; take control of open pages.
   - fetch: a saved file comes from the cache; anything else from the network. A page that was
     not saved, offline, gets a short bilingual page that says so. URLs of another language and
     of other hosts are never touched. Opening a region page of the directory saves that
     region's pocket guide (one region at a time).
   - message "skip-waiting": the page's "Update" button makes a waiting version take over. */
"use strict";

var CONFIG = /*KB:CONFIG*/null;
var PREFIX = "kb-" + CONFIG.lang + "-";
var CACHE = PREFIX + CONFIG.version;
var INDEX_KEY = "__kb-saved.json";       // in each cache: {url: revision} of what it holds, written last
var PARALLEL = 4;                         // downloads at a time: gentle on a weak connection
var SCOPE = self.registration.scope;

function absolute(url) { return new URL(url, SCOPE).href; }

// The cache key of a URL: no query or fragment, "x/index.html" is "x/".
function keyOf(url) {
  var u = new URL(url);
  return u.origin + u.pathname.replace(/\/index\.html$/, "/");
}

var FILES = {};      // absolute URL -> revision
CONFIG.files.forEach(function (file) { FILES[absolute(file[0])] = file[1]; });
var GUIDE_OF_PAGE = {};   // absolute region page URL -> [absolute PDF URL, revision]
var GUIDES = {};          // absolute PDF URL -> revision
Object.keys(CONFIG.guides).forEach(function (page) {
  var guide = CONFIG.guides[page];
  GUIDE_OF_PAGE[absolute(page)] = [absolute(guide[0]), guide[1]];
  GUIDES[absolute(guide[0])] = guide[1];
});
var ELSEWHERE = CONFIG.elsewhere.map(absolute);

function elsewhere(key) {
  return ELSEWHERE.some(function (root) { return key.indexOf(root) === 0; });
}

function download(url) {
  return fetch(new Request(url, {cache: "reload", credentials: "same-origin"})).then(function (response) {
    if (!response.ok) { throw new Error(url + ": HTTP " + response.status); }
    if (!response.redirected) { return response; }
    // A redirected response cannot answer a navigation: keep its body and headers only.
    return response.blob().then(function (body) {
      return new Response(body, {status: 200, headers: response.headers});
    });
  });
}

// {url: {cache, revision}} of every complete older cache of this language
function savedBefore() {
  return caches.keys().then(function (names) {
    var mine = names.filter(function (name) { return name.indexOf(PREFIX) === 0 && name !== CACHE; });
    return Promise.all(mine.map(function (name) {
      return caches.open(name).then(function (cache) { return cache.match(INDEX_KEY); })
        .then(function (response) { return response ? response.json() : {}; })
        .then(function (saved) { return {name: name, saved: saved}; });
    }));
  }).then(function (lists) {
    var found = {};
    lists.forEach(function (list) {
      Object.keys(list.saved).forEach(function (url) { found[url] = {cache: list.name, revision: list.saved[url]}; });
    });
    return found;
  });
}

// Save one file into `cache`: already there, copied from an older cache, or downloaded.
function save(cache, before, url, revision) {
  return cache.match(url).then(function (hit) {
    if (hit) { return; }
    var old = before[url];
    var copy = old && old.revision === revision
      ? caches.open(old.cache).then(function (c) { return c.match(url); })
      : Promise.resolve(null);
    return copy.then(function (response) {
      return response || download(url);
    }).then(function (response) { return cache.put(url, response); });
  });
}

function inTurns(items, work) {
  var next = 0;
  function lane() {
    if (next >= items.length) { return Promise.resolve(); }
    var item = items[next++];
    return work(item).then(lane);
  }
  var lanes = [];
  for (var i = 0; i < Math.min(PARALLEL, items.length); i++) { lanes.push(lane()); }
  return Promise.all(lanes);
}

function writeIndex(cache, saved) {
  return cache.put(INDEX_KEY, new Response(JSON.stringify(saved), {headers: {"Content-Type": "application/json"}}));
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return savedBefore().then(function (before) {
      var todo = Object.keys(FILES).map(function (url) { return [url, FILES[url]]; });
      Object.keys(before).forEach(function (url) {     // the region the reader chose before
        if (GUIDES[url]) { todo.push([url, GUIDES[url]]); }
      });
      return inTurns(todo, function (item) { return save(cache, before, item[0], item[1]); }).then(function () {
        var saved = {};
        todo.forEach(function (item) { saved[item[0]] = item[1]; });
        return writeIndex(cache, saved);
      });
    });
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf(PREFIX) === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "skip-waiting") { self.skipWaiting(); }
});

// Keep only the guide of the region opened last.
function saveGuide(url, revision) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(INDEX_KEY).then(function (response) { return response ? response.json() : null; })
      .then(function (saved) {
        if (!saved) { return; }                        // install not finished: it is saved next time
        if (saved[url] === revision) { return; }
        return download(url).then(function (pdf) { return cache.put(url, pdf); }).then(function () {
          var others = Object.keys(saved).filter(function (u) { return GUIDES[u] && u !== url; });
          others.forEach(function (u) { delete saved[u]; });
          saved[url] = revision;
          return Promise.all(others.map(function (u) { return cache.delete(u); }))
            .then(function () { return writeIndex(cache, saved); });
        });
      });
  }).catch(function () { /* offline or server error: the page still works */ });
}

function notSaved(key) {
  var home = elsewhere(key) ? ELSEWHERE.filter(function (root) { return key.indexOf(root) === 0; })[0] : SCOPE;
  var body = CONFIG.notSaved.replace(/\{home\}/g, home);
  return new Response(body, {status: 503, headers: {"Content-Type": "text/html; charset=utf-8"}});
}

function fromNetwork(request, key) {
  return fetch(request).catch(function (error) {
    if (request.mode === "navigate") { return notSaved(key); }
    throw error;
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) { return; }
  var key = keyOf(request.url);
  if (elsewhere(key)) {                   // another language: its own worker, or the network
    if (request.mode === "navigate") { event.respondWith(fromNetwork(request, key)); }
    return;
  }
  if (FILES[key] || GUIDES[key]) {
    event.respondWith(caches.open(CACHE).then(function (cache) { return cache.match(key); })
      .then(function (hit) { return hit || fromNetwork(request, key); }));
  } else if (request.mode === "navigate") {
    event.respondWith(fromNetwork(request, key));
  }
  if (request.mode === "navigate" && GUIDE_OF_PAGE[key]) {
    event.waitUntil(saveGuide(GUIDE_OF_PAGE[key][0], GUIDE_OF_PAGE[key][1]));
  }
});
