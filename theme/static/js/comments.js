/* Comments on request.
 *
 * Nothing is requested from the comment server until the reader presses
 * "Show comments". Then this script adds Isso's client (embed.min.js, from the
 * comment server) with the settings the build wrote into the page as JSON
 * (#comments-config, from plugins/practice/comments.py). Isso's own stylesheet
 * stays off; the site's stylesheet styles the thread.
 *
 * Without JavaScript the button is hidden (site.css) and a note says why.
 *
 * The comment box asks for a name and an e-mail address, not a website: a
 * therapy blog has no use for readers' links, so the website field Isso's
 * client draws is hidden (kept empty, as its script reads it) and an author
 * name that a comment server still links is shown as plain text.
 *
 * After "Send comment", the reader's comment stays in the thread marked as
 * waiting for approval for as long as the page is open, and the status line
 * says when comments are usually approved (from the practice's profile,
 * in #comments-config). Nothing is stored for it: it lives in this page only.
 *
 * Isso's client would also leave traces of the writer in this browser: their
 * name, e-mail and website in local storage with no end date (to fill in the
 * next comment box), and a cookie per new comment for its edit window. On a
 * shared computer either would show who commented. This script removes them
 * when the page loads and as soon as Isso writes them; the comment server's
 * config (max-age = 0) sends no edit cookie in the first place.
 */
(function () {
  "use strict";

  var STORED = ["isso-author", "isso-email", "isso-website"];
  var EDIT_COOKIE = /^isso-\d+$/;

  function forget() {
    try {
      STORED.forEach(function (key) {
        window.localStorage.removeItem(key);
      });
    } catch (error) {
      // Storage is off: nothing was kept.
    }
    document.cookie.split(";").forEach(function (pair) {
      var name = pair.split("=")[0].trim();
      if (EDIT_COOKIE.test(name)) {
        document.cookie = name + "=; Max-Age=0; Path=/";
      }
    });
  }

  forget();

  var section = document.querySelector("[data-comments]");
  var configElement = document.getElementById("comments-config");
  var thread = document.getElementById("isso-thread");
  if (!section || !configElement || !thread) {
    return;
  }
  var button = section.querySelector("[data-comments-load]");
  var status = section.querySelector("[data-comments-status]");
  var config;
  try {
    config = JSON.parse(configElement.textContent);
  } catch (error) {
    return;
  }
  if (!button || !status || !config || !config.script) {
    return;
  }

  var loaded = false;

  function say(text) {
    status.textContent = text;
  }

  // Isso renders its thread heading as <h4>; under this section's <h2> it is
  // the next level down. Its comment box has only a placeholder for a label.
  function fitMarkup() {
    forget(); // a new comment has just been shown: Isso has written its traces
    var heading = thread.querySelector(".isso-thread-heading");
    if (heading && !heading.hasAttribute("aria-level")) {
      heading.setAttribute("aria-level", "3");
    }
    var boxes = thread.querySelectorAll("textarea.isso-textarea:not([aria-label])");
    for (var i = 0; i < boxes.length; i += 1) {
      boxes[i].setAttribute("aria-label", boxes[i].getAttribute("placeholder") || "Your comment");
    }
    hideWebsites();
    announceQueued();
    if (!loaded && thread.querySelector(".isso-postbox")) {
      loaded = true;
      say("");
      button.hidden = true;
      thread.focus();
    }
  }

  function hideWebsites() {
    var fields = thread.querySelectorAll("input[name=website]");
    for (var i = 0; i < fields.length; i += 1) {
      var wrapper = fields[i].closest(".isso-input-wrapper") || fields[i];
      fields[i].value = "";
      if (!wrapper.hidden) {
        wrapper.hidden = true;
      }
    }
    var links = thread.querySelectorAll("a.isso-author");
    for (var j = 0; j < links.length; j += 1) {
      var name = document.createElement("span");
      name.className = "isso-author";
      name.textContent = links[j].textContent;
      links[j].replaceWith(name);
    }
  }

  // A comment shown as queued is this reader's own, just sent: nobody else
  // is shown queued comments. Say once what happens next.
  function announceQueued() {
    var queued = config.status.queued;
    var notes = thread.querySelectorAll(".isso-comment > .isso-text-wrapper .isso-note");
    for (var i = 0; i < notes.length; i += 1) {
      var comment = notes[i].closest(".isso-comment");
      if (queued && comment && notes[i].textContent === config.status.queued_note
          && !comment.hasAttribute("data-queued")) {
        comment.setAttribute("data-queued", "");
        say(queued);
      }
    }
  }

  new MutationObserver(fitMarkup).observe(thread, { childList: true, subtree: true });
  // Isso stores the name, e-mail and website when "Send comment" is pressed,
  // in its own click handler, which runs before this one.
  thread.addEventListener("click", forget);
  window.addEventListener("pagehide", forget);

  button.addEventListener("click", function () {
    if (button.disabled || loaded) {
      return;
    }
    button.disabled = true;
    say(config.status.loading);
    var script = document.createElement("script");
    var attributes = config.attributes || {};
    Object.keys(attributes).forEach(function (name) {
      script.setAttribute(name, attributes[name]);
    });
    script.addEventListener("error", function () {
      script.remove();
      button.disabled = false;
      say(config.status.failed);
    });
    script.addEventListener("load", function () {
      // The client is in; if the thread still has not come a while later,
      // the comment server did not answer its requests.
      window.setTimeout(function () {
        if (!loaded) {
          say(config.status.failed);
        }
      }, 15000);
    });
    script.src = config.script;
    document.head.appendChild(script);
  });
})();
