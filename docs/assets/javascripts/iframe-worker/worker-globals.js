/* The worker globals that iframe-worker's shim (shim.js) used to write as an inline
   script into its hidden iframe; a file instead, so the Content-Security-Policy can refuse
   every inline script (issue 17). Same code as iframe-worker@1.0.4: postMessage goes to
   the parent page, importScripts appends scripts in order, errors are reported with the
   worker's URL (read from this script tag's data-worker attribute). The tag then removes
   itself: Material's search worker finds its own URL as the frame's first script[src]. */
"use strict";
(function () {
  var worker = document.currentScript.getAttribute("data-worker");
  document.currentScript.remove();
  window.postMessage = function (message, origin) { parent.postMessage(message, origin || "*"); };
  window.importScripts = function () {
    return Array.prototype.reduce.call(arguments, function (done, url) {
      return done.then(function () {
        return new Promise(function (resolve) {
          var script = document.createElement("script");
          script.src = url;
          script.onload = resolve;
          document.body.appendChild(script);
        });
      });
    }, Promise.resolve());
  };
  addEventListener("error", function (event) {
    parent.dispatchEvent(new ErrorEvent("error", { filename: worker, error: event.error }));
  });
})();
