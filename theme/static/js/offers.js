/* Special offers, by the visitor's clock.

   The page works without this script: it shows what was running when the
   site was built. Python writes each offer's start and end (milliseconds
   since 1970, UTC) and its key (the offer's name and a hash of its text)
   into the page, and lists a page's banners in the order the rule picks
   them (highest priority, then earliest end). This script shows the first
   banner that is running now and that the visitor has not dismissed, and
   hides the rest; on the "Current offers" page it shows the running ones.

   It is loaded without `defer`, right after the banners, so it decides
   before the content below them is rendered: nothing already painted moves.
   Dismissals are kept in localStorage (no cookies), per offer and wording,
   so an edited offer shows again. */
(function () {
  "use strict";

  var STORE_PREFIX = "offer-dismissed:";
  var dismissedNow = {};  // when storage is unavailable: this page view only

  function running(el, now) {
    return Number(el.getAttribute("data-offer-starts")) <= now &&
      now < Number(el.getAttribute("data-offer-ends"));
  }

  function isDismissed(banner) {
    if (!banner.hasAttribute("data-offer-dismissible")) {
      return false;
    }
    var key = banner.getAttribute("data-offer-key");
    if (dismissedNow[key]) {
      return true;
    }
    try {
      return window.localStorage.getItem(STORE_PREFIX + key) === "1";
    } catch (e) {
      return false;
    }
  }

  function dismiss(banner) {
    var key = banner.getAttribute("data-offer-key");
    dismissedNow[key] = true;
    try {
      window.localStorage.setItem(STORE_PREFIX + key, "1");
    } catch (e) {
      /* Private browsing or storage turned off: hidden for this page only. */
    }
  }

  function showBanner(group, now) {
    var banners = group.querySelectorAll(".offer-banner");
    var found = false;
    for (var i = 0; i < banners.length; i++) {
      var show = !found && running(banners[i], now) && !isDismissed(banners[i]);
      banners[i].hidden = !show;
      found = found || show;
    }
  }

  function enableDismiss(group) {
    var buttons = group.querySelectorAll(".offer-dismiss");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
      buttons[i].addEventListener("click", function (event) {
        var banner = event.currentTarget.closest(".offer-banner");
        dismiss(banner);
        showBanner(group, Date.now());
        // The button is gone: continue from the start of the page's content.
        var main = document.getElementById("main");
        if (main) {
          main.focus();
        }
      });
    }
  }

  function showList(group, now) {
    var items = group.querySelectorAll(".offer-item");
    var any = false;
    for (var i = 0; i < items.length; i++) {
      items[i].hidden = !running(items[i], now);
      any = any || !items[i].hidden;
    }
    var empty = group.querySelector(".offers-empty");
    if (empty) {
      empty.hidden = any;
    }
  }

  var groups = document.querySelectorAll("[data-offer-group]:not([data-offer-ready])");
  var now = Date.now();
  for (var g = 0; g < groups.length; g++) {
    var group = groups[g];
    group.setAttribute("data-offer-ready", "");
    if (group.getAttribute("data-offer-group") === "list") {
      showList(group, now);
    } else {
      enableDismiss(group);
      showBanner(group, now);
    }
  }
})();
