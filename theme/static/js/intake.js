/* The request form's checks in the browser (GOV.UK's error summary
   pattern): on submit, every problem is listed in a summary at the top that
   links to its field, and shown beside the field. The rules are the ones
   the inbox applies (written by Python into the page); without this
   script the form simply submits and the inbox checks it.

   Then the form is sealed here, in the browser, with the practice's public
   key (libsodium's sealed box, vendored in js/vendor/): what leaves the
   page is ciphertext only, which the inbox stores as it came and only the
   practice's private key opens. Should the library be missing, the form
   posts as without JavaScript, and the inbox seals it on arrival. */
(function () {
  "use strict";
  var form = document.querySelector("[data-intake-form]");
  var data = document.getElementById("intake-rules");
  var summary = document.querySelector("[data-error-summary]");
  if (!form || !data || !summary) return;
  var rules = JSON.parse(data.textContent);
  var list = summary.querySelector("[data-error-list]");
  var title = document.title;
  var started = Date.now();
  var publicKey = form.getAttribute("data-public-key");
  var thankYou = form.getAttribute("data-thank-you");
  var TRAP = "_homepage"; // the honeypot (hidden from people): not part of the request
  var sending = false;

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

  function showSummary(items) {
    list.textContent = "";
    items.forEach(function (p) {
      var item = document.createElement("li");
      if (p.rule) {
        var a = document.createElement("a");
        a.href = "#" + p.rule.target;
        a.textContent = p.message;
        item.appendChild(a);
      } else {
        item.textContent = p.message;
      }
      list.appendChild(item);
    });
    summary.hidden = false;
    document.title = "Error: " + title;
    summary.focus();
  }

  // The form's answers in the order a plain post sends them.
  function answers() {
    var fields = [], trap = "";
    new FormData(form).forEach(function (value, name) {
      if (name === TRAP) trap = String(value);
      else fields.push([name, String(value)]);
    });
    return { fields: fields, trap: trap };
  }

  function sealed(text) {
    var sodium = window.sodium;
    return sodium.ready.then(function () {
      var key = sodium.from_base64(publicKey, sodium.base64_variants.ORIGINAL);
      return sodium.crypto_box_seal(sodium.from_string(text), key);
    });
  }

  function send() {
    var button = form.querySelector("button[type=submit]");
    var got = answers();
    sending = true;
    if (button) button.disabled = true;
    function done() {
      sending = false;
      if (button) button.disabled = false;
    }
    sealed(JSON.stringify({ v: 1, fields: got.fields })).then(function (body) {
      var headers = {
        "Content-Type": "application/octet-stream",
        "X-Intake-Fill-Seconds": String(Math.floor((Date.now() - started) / 1000))
      };
      if (got.trap) headers["X-Intake-Trap"] = "1";
      return fetch(form.action, {
        method: "POST", body: body, headers: headers, mode: "cors",
        credentials: "omit", cache: "no-store", referrerPolicy: "no-referrer"
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (answer) {
          if (response.ok && answer.ok) {
            window.location.assign(thankYou);
            return;
          }
          done();
          showSummary([{ message: answer.message ||
            "Your request could not be sent. Please try again, or get in touch another way." }]);
        });
      }, function () {
        done();
        showSummary([{ message: "Your request could not be sent: check your connection and try again, " +
          "or get in touch another way." }]);
      });
    }, function () {
      // The library could not start: post the form as without JavaScript;
      // the inbox seals it on arrival.
      form.submit();
    });
  }

  form.addEventListener("submit", function (event) {
    if (sending) {
      event.preventDefault();
      return;
    }
    var problems = [];
    rules.fields.forEach(function (rule) {
      var message = problem(rule);
      show(rule, message);
      if (message) problems.push({ rule: rule, message: message });
    });
    if (!problems.length) {
      list.textContent = "";
      summary.hidden = true;
      document.title = title;
      if (publicKey && window.sodium && window.fetch) {
        event.preventDefault();
        send();
      }
      return;
    }
    event.preventDefault();
    showSummary(problems);
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
