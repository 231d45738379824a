/* Site search: runs the words in the address's fragment (#q=..., which
   browsers never send to a server) against the Pagefind index that the
   build wrote into /pagefind/ on this same site. Nothing is sent anywhere:
   Pagefind downloads small parts of the index and searches in the browser.
   Once read, the words are taken out of the address (history.replaceState
   to the bare /search/), so they are not kept in the browser's history, and
   searches on the page add no history entries. Without this script the page
   points to the archives and the topics. */
(function () {
  "use strict";

  var form = document.querySelector("[data-search]");
  if (!form) return;
  var input = form.querySelector("input[type=search]");
  var status = document.querySelector("[data-search-status]");
  var list = document.querySelector("[data-search-results]");
  var fallback = document.querySelector("[data-search-fallback]");
  var MAX_RESULTS = 20;
  var loading = null;

  fallback.hidden = true;

  function pagefind() {
    if (!loading) {
      var bundle = form.getAttribute("data-pagefind");
      loading = import(bundle + "pagefind.js").then(function (pf) {
        return pf.options({ baseUrl: form.getAttribute("data-base-url") }).then(function () {
          // A large site is indexed in parts (see plugins/practice/search.py);
          // parts.json lists the parts after the first, all on this site.
          return fetch(bundle + "parts.json").then(function (response) {
            return response.ok ? response.json() : [];
          }).then(function (parts) {
            return parts.reduce(function (done, part) {
              return done.then(function () { return pf.mergeIndex(bundle + part); });
            }, Promise.resolve());
          });
        }).then(function () {
          return pf;
        });
      });
    }
    return loading;
  }

  function say(text) {
    status.textContent = text;
  }

  function show(results, query) {
    list.textContent = "";
    results.forEach(function (data) {
      var item = document.createElement("li");
      var heading = document.createElement("h2");
      var link = document.createElement("a");
      link.href = data.url;
      link.textContent = (data.meta && data.meta.title) || data.url;
      heading.appendChild(link);
      item.appendChild(heading);
      var excerpt = document.createElement("p");
      // Pagefind's excerpt is text from our own pages, escaped, with the
      // matching words wrapped in <mark>.
      excerpt.innerHTML = data.excerpt;
      item.appendChild(excerpt);
      list.appendChild(item);
    });
    var n = results.length;
    if (n === 0) {
      say("Nothing found for \u201c" + query + "\u201d. Try fewer or other words, or browse the archives.");
      fallback.hidden = false;
    } else {
      say(n + (n === 1 ? " page" : " pages") + " found for \u201c" + query + "\u201d.");
      fallback.hidden = true;
    }
  }

  function run(query) {
    query = query.trim();
    if (!query) {
      list.textContent = "";
      say("");
      return;
    }
    say("Searching\u2026");
    pagefind()
      .then(function (pf) { return pf.search(query); })
      .then(function (search) {
        return Promise.all(search.results.slice(0, MAX_RESULTS).map(function (r) { return r.data(); }));
      })
      .then(function (results) { show(results, query); })
      .catch(function () {
        say("Search is not available right now.");
        fallback.hidden = false;
      });
  }

  // The words: from the fragment; an old-style ?q= address still works,
  // and is turned into a fragment at once.
  function queryInAddress() {
    var inFragment = new URLSearchParams(window.location.hash.slice(1)).get("q");
    return inFragment !== null ? inFragment : new URLSearchParams(window.location.search).get("q");
  }

  // The address keeps no words: this history entry becomes the bare page.
  function forgetWords() {
    var url = new URL(window.location.href);
    url.search = "";
    url.hash = "";
    window.history.replaceState(null, "", url.href);
  }

  function runFromAddress() {
    var query = queryInAddress();
    if (query === null) return;
    input.value = query;
    forgetWords();
    run(query);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    forgetWords();
    run(input.value);
  });

  // The header's search box, used on this page, changes only the fragment.
  window.addEventListener("hashchange", runFromAddress);
  runFromAddress();
})();
