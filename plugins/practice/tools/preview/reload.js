/* The preview only (make serve adds this script when it serves a page; no
   built file contains it): reload the page after each rebuild, and show a
   failed rebuild's error over the page until the next save fixes it. */
(function () {
  "use strict";
  var script = document.currentScript;
  var since = script ? script.getAttribute("data-generation") : "-1";
  var overlay = null;

  function showError(lines) {
    if (!overlay) {
      var style = document.createElement("link");
      style.rel = "stylesheet";
      style.href = "/_preview/reload.css";
      document.head.appendChild(style);
      overlay = document.createElement("div");
      overlay.className = "preview-error";
      overlay.setAttribute("role", "alert");
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";
    var heading = document.createElement("p");
    heading.className = "preview-error__title";
    heading.textContent = "The preview could not be rebuilt";
    overlay.appendChild(heading);
    var list = document.createElement("pre");
    list.className = "preview-error__lines";
    list.textContent = lines.map(function (line) { return "error: " + line; }).join("\n");
    overlay.appendChild(list);
    var hint = document.createElement("p");
    hint.textContent = "Fix it and save: this page updates by itself. The page below is the last good build.";
    overlay.appendChild(hint);
  }

  if (!window.EventSource) { return; }
  var events = new EventSource("/_preview/events?since=" + encodeURIComponent(since));
  // The file of this page in the preview folder: /blog/x/ is blog/x/index.html.
  function thisFile() {
    var path = decodeURIComponent(window.location.pathname).replace(/^\/+/, "");
    return (path === "" || /\/$/.test(path)) ? path + "index.html" : path;
  }

  events.addEventListener("reload", function (event) {
    var files = JSON.parse(event.data).files;
    // After a failed build, any good build replaces the error; otherwise
    // only a page that changed reloads (files null: any page may have).
    if (!overlay && files && files.indexOf(thisFile()) < 0) { return; }
    events.close();
    window.location.reload();
  });
  events.addEventListener("failed", function (event) {
    showError(JSON.parse(event.data).lines);
  });
  window.addEventListener("pagehide", function () { events.close(); });
})();
