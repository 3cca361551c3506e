/* The site's own JavaScript, small and optional: every page works without it.
   1. Quick exit ("Salir rápido"): the link in the help strip, or the Shift key pressed three
   times within 5 seconds (outside text fields), blanks this page at once and replaces it in
   the tab's history with a neutral site, so Back does not return to it. Without JavaScript
   the link is a plain link. What it cannot do (history, other tabs) is explained on
   acerca/#salida-rapida.
   2. Acronyms: the glossary hook gives each <abbr> a title, which phones never show (no
   hover). A tap writes the meaning in brackets after the acronym; a second tap hides it. */
(function () {
  "use strict";
  var link = document.querySelector("a[data-kb-exit]");
  if (!link) { return; }
  var WINDOW_MS = 5000;
  var presses = [];

  function exit(event) {
    if (event) { event.preventDefault(); }
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
