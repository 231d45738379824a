/* "Exit this page" (after GOV.UK's component). The control is a plain link
   to a neutral site; this script makes leaving replace the current history
   entry (so Back does not return here), hides the page at once, and adds a
   keyboard shortcut: press Shift three times within five seconds. */
(function () {
  "use strict";
  var link = document.querySelector("[data-exit-this-page-link]");
  if (!link) return;
  var hint = document.querySelector("[data-exit-this-page-hint]");
  var status = document.querySelector("[data-exit-this-page-status]");
  var presses = 0, timer = null;

  function leave(event) {
    if (event) event.preventDefault();
    document.documentElement.classList.add("is-exiting");
    window.location.replace(link.href);
  }

  link.addEventListener("click", function (event) {
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    leave(event);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift") { presses = 0; return; }
    if (event.repeat) return;
    presses += 1;
    clearTimeout(timer);
    timer = setTimeout(function () {
      presses = 0;
      if (status) status.textContent = "Exit this page expired.";
    }, 5000);
    if (presses >= 3) {
      presses = 0;
      leave(null);
    } else if (status) {
      status.textContent = "Shift, press " + (3 - presses) + " more time" + (presses === 2 ? "" : "s") + " to exit.";
    }
  });

  // Coming back from the browser's cache: show the page again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) document.documentElement.classList.remove("is-exiting");
  });
  if (hint) hint.hidden = false;
})();
