/* The header's menu and its search box. The search box opens the search
   page with the words in the address's fragment (/search/#q=...). Browsers
   never send the fragment to a server, so no server log, proxy or CDN
   learns what was searched for. Without this script the form opens the
   search page without the words (the input has no name, so a plain submit
   sends nothing). */
(function () {
  "use strict";

  /* The header's menu (a <details>, which opens without this script):
     Escape closes it and gives the focus back to its "Menu" button. */
  var menu = document.querySelector("[data-menu]");
  if (menu) {
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  }

  var form = document.querySelector("[data-search-box]");
  if (!form) return;
  var input = form.querySelector("input[type=search]");

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var url = new URL(form.getAttribute("action"), window.location.href);
    url.search = "";
    var query = input.value.trim();
    url.hash = query ? new URLSearchParams({ q: query }).toString() : "";
    if (url.pathname === window.location.pathname) {
      // Already on the search page: search.js picks up the new fragment;
      // replace() keeps the search out of the history.
      window.location.replace(url.href);
    } else {
      window.location.assign(url.href);
    }
  });
})();
