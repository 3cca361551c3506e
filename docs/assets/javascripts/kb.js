/* The site's own JavaScript, small and optional: every page works without it.
   1. Quick exit ("Salir rápido"): the link in the help strip, or the Shift key pressed three
   times within 5 seconds (outside text fields), blanks this page at once and replaces it in
   the tab's history with a neutral site, so Back does not return to it. Without JavaScript
   the link is a plain link. What it cannot do (history, other tabs) is explained on
   acerca/#salida-rapida.
   2. Acronyms: the glossary hook gives each <abbr> a title, which phones never show (no
   hover). A tap writes the meaning in brackets after the acronym; a second tap hides it.
   3. Checklist (identificacion/lista-de-verificacion): ticking shows only the next steps that
   fit what is ticked (.kb-next__case: data-kb-min/max = how many ticks, data-kb-ids = any of
   these indicators). The ticks live only in the open page: never stored or sent, unticked
   on load (no form restore), on leaving the page and on quick exit. Without JavaScript the
   boxes are plain checkboxes and every case is shown. */
(function () {
  "use strict";
  var link = document.querySelector("a[data-kb-exit]");
  if (!link) { return; }
  var WINDOW_MS = 5000;
  var presses = [];

  function exit(event) {
    if (event) { event.preventDefault(); }
    document.dispatchEvent(new Event("kb:exit"));   // page state (checklist ticks) is wiped first
    document.documentElement.classList.add("kb-exiting");
    document.title = "";
    window.location.replace(link.href);
  }

  function typing(target) {
    return Boolean(target) && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  link.addEventListener("click", exit);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift" || event.repeat || typing(event.target)) { return; }
    var now = Date.now();
    presses = presses.filter(function (time) { return now - time < WINDOW_MS; });
    presses.push(now);
    if (presses.length >= 3) { exit(); }
  });
})();

(function () {
  "use strict";
  var SELECTOR = ".md-typeset abbr[title]";

  function toggle(abbr) {
    var next = abbr.nextElementSibling;
    if (next && next.classList.contains("kb-abbr-meaning")) {
      next.remove();
      return;
    }
    var meaning = document.createElement("span");
    meaning.className = "kb-abbr-meaning";
    meaning.textContent = " (" + abbr.title + ")";
    abbr.after(meaning);
  }

  document.addEventListener("click", function (event) {
    var abbr = event.target.closest ? event.target.closest(SELECTOR) : null;
    if (abbr && !abbr.closest("a")) { toggle(abbr); }
  });
})();

(function () {
  "use strict";
  var root = document.querySelector(".kb-checklist");
  if (!root) { return; }
  var boxes = Array.prototype.slice.call(root.querySelectorAll("input.kb-indicator__check"));
  var cases = Array.prototype.slice.call(root.querySelectorAll(".kb-next__case"));
  if (!boxes.length) { return; }

  function update() {
    var ticked = boxes.filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
    var alarm = false;
    cases.forEach(function (item) {
      var ids = (item.getAttribute("data-kb-ids") || "").split(/\s+/).filter(Boolean);
      var show;
      if (ids.length) {
        show = ids.some(function (id) { return ticked.indexOf(id) >= 0; });
        alarm = alarm || show;
      } else {
        var min = parseInt(item.getAttribute("data-kb-min") || "0", 10);
        var max = item.hasAttribute("data-kb-max") ? parseInt(item.getAttribute("data-kb-max"), 10) : Infinity;
        show = ticked.length >= min && ticked.length <= max;
      }
      item.hidden = !show;
    });
    root.classList.toggle("kb-checklist--alarm", alarm);
  }

  function clear() {
    boxes.forEach(function (box) { box.checked = false; });
    update();
  }

  root.classList.add("kb-checklist--live");
  root.addEventListener("change", update);
  document.addEventListener("kb:exit", clear);
  window.addEventListener("pagehide", clear);
  window.addEventListener("pageshow", clear);   // also after Back (page cache) or a form restore
  clear();
})();

/* 3. Offline app (issue 19, scripts/pwa.py): once the page has loaded and the browser is idle,
   register the worker of the page's language (sw.js next to the language's manifest), which
   then saves that language for use without signal. Nothing happens in the file:// copy (no
   manifest link there), without service workers, or with Data Saver on unless the app is
   installed. When a new version of the guide has been saved in the background, a small notice
   offers to update; "Update" lets the new version take over and reloads the page. */
(function () {
  "use strict";
  var manifest = document.querySelector('link[rel="manifest"]');
  if (!manifest || !("serviceWorker" in navigator) || !window.isSecureContext ||
      !/^https?:$/.test(window.location.protocol)) { return; }
  var sw = navigator.serviceWorker;
  var installed = window.matchMedia && window.matchMedia("(display-mode: standalone)").matches;
  var saveData = navigator.connection && navigator.connection.saveData;
  if (saveData && !installed && !sw.controller) { return; }
  var STRINGS = {
    es: {text: "Hay una versión nueva de la guía.", update: "Actualizar", later: "Ahora no"},
    en: {text: "A new version of the guide is available.", update: "Update", later: "Not now"}
  };
  var strings = STRINGS[(document.documentElement.lang || "es").slice(0, 2)] || STRINGS.es;
  var root = new URL(".", manifest.href).href;
  var reloading = false;
  var notice = null;

  function button(label, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.addEventListener("click", action);
    return b;
  }

  function offer(worker) {
    if (!notice || notice.firstChild) { return; }
    var text = document.createElement("p");
    text.textContent = strings.text;
    notice.append(text, button(strings.update, function () {
      reloading = true;
      worker.postMessage({type: "skip-waiting"});
    }), button(strings.later, function () { notice.textContent = ""; }));
  }

  function watch(registration) {
    if (!registration) { return; }                 // some browsers resolve a blocked registration empty
    if (registration.waiting && sw.controller) { offer(registration.waiting); }
    registration.addEventListener("updatefound", function () {
      var worker = registration.installing;
      if (!worker) { return; }
      worker.addEventListener("statechange", function () {
        if (worker.state === "installed" && sw.controller) { offer(worker); }
      });
    });
  }

  function register() {
    notice = document.createElement("div");       // live region, present before it has text
    notice.className = "kb-update";
    notice.setAttribute("role", "status");
    document.body.append(notice);
    sw.addEventListener("controllerchange", function () { if (reloading) { window.location.reload(); } });
    sw.register(root + "sw.js", {scope: root, updateViaCache: "none"}).then(watch, function () {
      /* not available (private mode, blocked): the site works as before */
    });
  }

  function whenIdle() {
    if ("requestIdleCallback" in window) { window.requestIdleCallback(register, {timeout: 5000}); }
    else { window.setTimeout(register, 1000); }
  }
  if (document.readyState === "complete") { whenIdle(); } else { window.addEventListener("load", whenIdle); }
})();
