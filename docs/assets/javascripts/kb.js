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
