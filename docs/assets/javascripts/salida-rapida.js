/* Quick exit ("Salir rápido"): the link in the help strip, or the Shift key pressed three
   times within 5 seconds (outside text fields), blanks this page at once and replaces it in
   the tab's history with a neutral site, so Back does not return to it. Without JavaScript
   the link is a plain link. What it cannot do (history, other tabs) is explained on
   acerca/#salida-rapida. */
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
