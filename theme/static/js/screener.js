/* The eligibility check: applies the rules Python wrote into the page.
   Shows the questions one after another along the path the answers take,
   then the outcome. A crisis outcome is placed above the questions, so it
   comes first. Answers stay in the page: nothing is sent, put in the
   address or stored. */
(function () {
  "use strict";
  var root = document.querySelector("[data-screener]");
  var data = document.getElementById("screener-rules");
  if (!root || !data) return;
  var rules = JSON.parse(data.textContent);
  var questions = root.querySelectorAll("[data-question]");
  var outcomes = root.querySelectorAll("[data-outcome]");
  var status = root.querySelector("[data-screener-status]");
  var restart = root.querySelector("[data-screener-restart]");
  var shownOutcome = null;

  function question(id) { return root.querySelector('[data-question="' + id + '"]'); }

  function answer(id) {
    var checked = question(id).querySelector("input:checked");
    return checked ? checked.value : null;
  }

  /* The questions on the path so far, and the outcome if one is reached. */
  function walk() {
    var path = [], id = rules.start, seen = {};
    while (rules.questions[id] && !seen[id]) {
      seen[id] = true;
      path.push(id);
      var value = answer(id);
      if (value === null) return { path: path, outcome: null };
      var next = rules.questions[id][value];
      if (rules.outcomes[next]) return { path: path, outcome: next };
      id = next;
    }
    return { path: path, outcome: null };
  }

  function update(changed) {
    var state = walk();
    var onPath = {};
    state.path.forEach(function (id) { onPath[id] = true; });
    Array.prototype.forEach.call(questions, function (el) {
      var id = el.getAttribute("data-question");
      if (!onPath[id]) {
        // Answers off the path no longer count; clear them.
        Array.prototype.forEach.call(el.querySelectorAll("input:checked"), function (i) { i.checked = false; });
      }
      el.hidden = !onPath[id];
    });
    Array.prototype.forEach.call(outcomes, function (el) {
      el.hidden = el.getAttribute("data-outcome") !== state.outcome;
    });
    restart.hidden = !state.path.length || answer(state.path[0]) === null;
    if (!changed) return;
    var last = state.path[state.path.length - 1];
    if (state.outcome && state.outcome !== shownOutcome) {
      var panel = root.querySelector('[data-outcome="' + state.outcome + '"]');
      var title = panel.querySelector("h3").textContent;
      if (rules.outcomes[state.outcome].crisis) {
        status.textContent = title + ". The crisis numbers are at the top of the check.";
        panel.scrollIntoView({ block: "start" });
      } else {
        status.textContent = "Result: " + title + ".";
      }
    } else if (!state.outcome && answer(last) === null) {
      status.textContent = "Next question: " + question(last).querySelector("legend").textContent;
    }
    shownOutcome = state.outcome;
  }

  root.addEventListener("change", function (event) {
    if (event.target.type === "radio") update(true);
  });
  restart.addEventListener("click", function () {
    Array.prototype.forEach.call(root.querySelectorAll("input:checked"), function (i) { i.checked = false; });
    shownOutcome = null;
    update(false);
    status.textContent = "The check has started again.";
    var first = question(rules.start).querySelector("input");
    if (first) first.focus();
  });

  // Browsers may restore radio states on reload; start clean every time.
  Array.prototype.forEach.call(root.querySelectorAll("input:checked"), function (i) { i.checked = false; });
  update(false);
  root.hidden = false;
  var note = document.querySelector("[data-screener-nojs]");
  if (note) note.hidden = true;
})();
