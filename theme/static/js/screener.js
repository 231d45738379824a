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
  // Crisis outcomes the visitor chose to go on from ("not in immediate
  // danger"): the lines stay shown above, and the check goes on.
  var goneOn = {};

  function question(id) { return root.querySelector('[data-question="' + id + '"]'); }

  function answer(id) {
    var checked = question(id).querySelector("input:checked");
    return checked ? checked.value : null;
  }

  /* The questions on the path so far, the outcome if one is reached, and
     the crisis outcomes passed on the way (which stay shown). */
  function walk() {
    var path = [], kept = [], id = rules.start, seen = {};
    while (rules.questions[id] && !seen[id]) {
      seen[id] = true;
      path.push(id);
      var value = answer(id);
      if (value === null) return { path: path, outcome: null, kept: kept };
      var next = rules.questions[id][value];
      var outcome = rules.outcomes[next];
      if (outcome && outcome.then && goneOn[next]) {
        kept.push(next);
        id = outcome.then;
        continue;
      }
      if (outcome) return { path: path, outcome: next, kept: kept };
      id = next;
    }
    return { path: path, outcome: null, kept: kept };
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
    var shown = {};
    state.kept.forEach(function (name) { shown[name] = true; });
    if (state.outcome) shown[state.outcome] = true;
    Object.keys(goneOn).forEach(function (name) { if (!shown[name]) delete goneOn[name]; });
    Array.prototype.forEach.call(outcomes, function (el) {
      var name = el.getAttribute("data-outcome");
      el.hidden = !shown[name];
      var goOn = el.querySelector("[data-screener-go-on]");
      if (goOn) goOn.hidden = !!goneOn[name];
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
  root.addEventListener("click", function (event) {
    var button = event.target.closest("[data-screener-go-on]");
    if (!button) return;
    var name = button.closest("[data-outcome]").getAttribute("data-outcome");
    goneOn[name] = true;
    shownOutcome = null;
    update(false);
    var next = question(rules.outcomes[name].then);
    status.textContent = "Next question: " + next.querySelector("legend").textContent;
    var input = next.querySelector("input");
    if (input) input.focus();
  });
  restart.addEventListener("click", function () {
    Array.prototype.forEach.call(root.querySelectorAll("input:checked"), function (i) { i.checked = false; });
    shownOutcome = null;
    goneOn = {};
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
