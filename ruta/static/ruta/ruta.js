// Ruta's only script of its own: the quick exit, a confirmation for dangerous buttons, and the
// staff session (keep-alive while typing, the warning before it ends, kept forms).
(function () {
  "use strict";
  function leave(url) {
    // replace() leaves no entry for this page in the tab's history.
    try { document.body.style.display = "none"; } catch (e) {}
    window.location.replace(url);
  }
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest("[data-quick-exit]");
    if (a) { ev.preventDefault(); leave(a.href); return; }
    var c = ev.target.closest && ev.target.closest("[data-confirm]");
    if (c && !window.confirm(c.getAttribute("data-confirm"))) { ev.preventDefault(); }
  });
  // On a phone the staff menu folds behind one button (ruta.css); without script it stays open.
  var toggle = document.querySelector(".menu-toggle");
  if (toggle) {
    var top = toggle.closest(".top");
    top.classList.add("menu-closed");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var closed = top.classList.toggle("menu-closed");
      toggle.setAttribute("aria-expanded", closed ? "false" : "true");
    });
  }
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape") return;
    var a = document.querySelector("[data-quick-exit]");
    if (a) { ev.preventDefault(); leave(a.href); }
  });
})();

// No lost work (ruta/accounts/keep.py): staff forms carry their signed keep token; typing keeps
// the session alive (a ping at most every few minutes); a warning before the idle limit offers
// to continue; a form kept after the session ended is filled back in after login. Nothing is
// ever written to the browser's storage.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="ruta-session"]');
  if (!meta) return;
  var d = meta.dataset;
  var started = Date.now();
  var idleEnd = started + Number(d.idle) * 1000;
  var absoluteEnd = started + Number(d.absolute) * 1000;
  var warnMs = Number(d.warn) * 1000;
  var pingEveryMs = Number(d.pingEvery) * 1000;
  var lastPing = started;
  var ended = false;
  var pinging = false;
  var warning = document.getElementById("session-warning");
  var endedBox = document.getElementById("session-ended");
  var returnFocus = null;
  var warnedAtLimit = false;

  function samePath(form) {
    var target = new URL(form.getAttribute("action") || window.location.href, window.location.href);
    return target.origin === window.location.origin && target.pathname === window.location.pathname;
  }
  var forms = Array.prototype.filter.call(document.querySelectorAll("form"), function (f) {
    // Forms with files are not kept (their bodies are read by the view alone).
    return (f.getAttribute("method") || "").toLowerCase() === "post" && samePath(f) &&
      (f.getAttribute("enctype") || "").toLowerCase() !== "multipart/form-data";
  });
  forms.forEach(function (f) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = "_ruta_keep";
    input.value = d.token;
    f.appendChild(input);
  });

  function end() {
    if (ended) return;
    ended = true;
    if (warning) warning.hidden = true;
    if (!endedBox || !forms.length) return;
    // Next to the form's button, in the page's flow: never over the button it asks to press.
    var buttons = forms[0].querySelectorAll("button[type=submit], button:not([type]), input[type=submit]");
    var last = buttons.length ? buttons[buttons.length - 1] : null;
    var anchor = last && last.parentNode !== forms[0] ? last.parentNode : last;
    if (anchor) anchor.parentNode.insertBefore(endedBox, anchor); else forms[0].appendChild(endedBox);
    endedBox.classList.add("in-form");
    endedBox.hidden = false;
  }
  function hideWarning() {
    if (!warning || warning.hidden) return;
    warning.hidden = true;
    if (returnFocus && returnFocus.focus) returnFocus.focus();
    returnFocus = null;
  }
  function ping() {
    if (ended || pinging) return;
    pinging = true;
    lastPing = Date.now();
    fetch(d.ping, {method: "POST", credentials: "same-origin", redirect: "manual",
                   headers: {"X-CSRFToken": d.csrf, "Accept": "application/json"}})
      .then(function (r) {
        if (!r.ok) throw new Error("session over");
        return r.json();
      })
      .then(function (t) {
        var now = Date.now();
        idleEnd = now + Number(t.idle) * 1000;
        absoluteEnd = now + Number(t.absolute) * 1000;
        hideWarning();
      })
      .catch(function () { end(); })
      .then(function () { pinging = false; });
  }
  function check() {
    if (ended) return;
    var now = Date.now();
    var deadline = Math.min(idleEnd, absoluteEnd);
    if (now >= deadline) { end(); return; }
    var atLimit = absoluteEnd <= idleEnd;  // the 12 hours since login: Continue cannot move it
    if (warning && warning.hidden && now >= deadline - warnMs && !(atLimit && warnedAtLimit)) {
      warnedAtLimit = atLimit;
      var idleText = document.getElementById("session-warning-text");
      var limitText = document.getElementById("session-warning-limit");
      if (idleText && limitText) {
        idleText.hidden = atLimit;
        limitText.hidden = !atLimit;
        warning.setAttribute("aria-describedby", atLimit ? limitText.id : idleText.id);
      }
      returnFocus = document.activeElement;
      warning.hidden = false;
      var button = warning.querySelector("[data-session-continue]");
      if (button) button.focus();
    }
  }
  document.addEventListener("input", function (ev) {
    if (!ev.target.form || forms.indexOf(ev.target.form) < 0) return;
    if (Date.now() - lastPing >= pingEveryMs) ping();
  });
  document.addEventListener("click", function (ev) {
    if (ev.target.closest && ev.target.closest("[data-session-continue]")) ping();
  });
  window.setInterval(check, 5000);
  check();

  // A form kept after the session ended, given back by the server: fill it in, never send it.
  var kept = document.getElementById("ruta-kept-form");
  if (!kept) return;
  var data = JSON.parse(kept.textContent);
  forms.forEach(function (f) {
    Array.prototype.forEach.call(f.elements, function (el) {
      if (!el.name || el.name === "_ruta_keep" || el.name === "csrfmiddlewaretoken") return;
      if (el.type === "file" || el.type === "password" || el.type === "submit" || el.type === "button") return;
      var values = Object.prototype.hasOwnProperty.call(data, el.name) ? data[el.name] : null;
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = !!values && values.indexOf(el.value) >= 0;
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = !!values && values.indexOf(o.value) >= 0; });
      } else if (values) {
        var same = f.querySelectorAll('[name="' + CSS.escape(el.name) + '"]');
        var i = Array.prototype.indexOf.call(same, el);
        if (i >= 0 && i < values.length) el.value = values[i];
      } else {
        return;
      }
      el.dispatchEvent(new Event("change", {bubbles: true}));
    });
  });
})();
