/* The request form's checks in the browser (GOV.UK's error summary
   pattern): on submit, every problem is listed in a summary at the top that
   links to its field, and shown beside the field. The rules are the ones
   the receiving end applies (written by Python into the page); without this
   script the form simply submits and the receiving end checks it. */
(function () {
  "use strict";
  var form = document.querySelector("[data-intake-form]");
  var data = document.getElementById("intake-rules");
  var summary = document.querySelector("[data-error-summary]");
  if (!form || !data || !summary) return;
  var rules = JSON.parse(data.textContent);
  var list = summary.querySelector("[data-error-list]");
  var title = document.title;

  function values(name) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name === name && ((el.type !== "radio" && el.type !== "checkbox") || el.checked);
    }).map(function (el) { return el.value.trim(); }).filter(function (v) { return v !== ""; });
  }

  // Always required, or required when another answer is one of the listed
  // values (required_when: a phone number when the reply is a call or a text).
  function required(rule) {
    var when = rule.required_when;
    return rule.required || (!!when && values(when.field).some(function (v) {
      return when.is.indexOf(v) !== -1;
    }));
  }

  function problem(rule) {
    var got = values(rule.name), m = rule.messages;
    if (!got.length) return required(rule) ? m.missing : null;
    if (rule.type === "acknowledgement" && got[0] !== "yes") return m.missing;
    if (rule.maxlength && got[0].length > rule.maxlength) return m.too_long;
    if (rule.pattern && !new RegExp(rule.pattern).test(got[0])) return m.invalid;
    return null;
  }

  function describe(el, errorId, on) {
    var ids = (el.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (id) {
      return id && id !== errorId;
    });
    if (on) ids.push(errorId);
    if (ids.length) el.setAttribute("aria-describedby", ids.join(" "));
    else el.removeAttribute("aria-describedby");
  }

  function show(rule, message) {
    var wrapper = form.querySelector('[data-field="' + rule.name + '"]');
    var error = wrapper.querySelector("[data-field-error]");
    var errorId = rule.id + "-error";
    wrapper.classList.toggle("has-error", !!message);
    error.hidden = !message;
    error.textContent = "";
    if (message) {
      var prefix = document.createElement("span");
      prefix.className = "visually-hidden";
      prefix.textContent = "Error: ";
      error.appendChild(prefix);
      error.appendChild(document.createTextNode(message));
    }
    // Groups describe the error on the fieldset; single controls on themselves.
    var described = wrapper.tagName === "FIELDSET" ? [wrapper] :
      Array.prototype.slice.call(wrapper.querySelectorAll("input, select, textarea"));
    described.forEach(function (el) { describe(el, errorId, !!message); });
    Array.prototype.forEach.call(wrapper.querySelectorAll("input, select, textarea"), function (el) {
      if (message && wrapper.tagName !== "FIELDSET") el.setAttribute("aria-invalid", "true");
      else el.removeAttribute("aria-invalid");
    });
  }

  form.addEventListener("submit", function (event) {
    var problems = [];
    rules.fields.forEach(function (rule) {
      var message = problem(rule);
      show(rule, message);
      if (message) problems.push({ rule: rule, message: message });
    });
    list.textContent = "";
    if (!problems.length) {
      summary.hidden = true;
      document.title = title;
      return;
    }
    event.preventDefault();
    problems.forEach(function (p) {
      var item = document.createElement("li");
      var a = document.createElement("a");
      a.href = "#" + p.rule.target;
      a.textContent = p.message;
      item.appendChild(a);
      list.appendChild(item);
    });
    summary.hidden = false;
    document.title = "Error: " + title;
    summary.focus();
  });

  // A summary link focuses its field and brings its label or legend into view.
  list.addEventListener("click", function (event) {
    var a = event.target.closest("a");
    if (!a) return;
    var target = document.getElementById(a.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    var wrapper = target.closest("[data-field]");
    var legend = wrapper && wrapper.tagName === "FIELDSET" ? wrapper.querySelector("legend") : null;
    var label = legend || document.querySelector('label[for="' + target.id + '"]') || target;
    label.scrollIntoView({ block: "start" });
    target.focus({ preventScroll: true });
  });
})();
