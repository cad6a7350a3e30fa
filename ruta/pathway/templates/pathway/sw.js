// Ruta's offline guide. Network first; what the guide needs is kept for when there is none.
// Answers are never cached: when a POST cannot reach the server, the next screen is built
// here from a saved empty screen, and the plan is computed in the page by guide.js.
"use strict";
var CACHE = {{ cache_json|safe }};
var GUIDE = {{ guide_json|safe }};
var URLS = {{ urls_json|safe }};
var ORDER = ["reporter_role", "immediate_danger", "violence_types", "hours_since_incident", "age", "sex",
  "aggressor_relationship", "aggressor_lives_with_survivor", "is_student", "district"];

self.addEventListener("install", function (e) {
  e.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(URLS); }).then(function () { return self.skipWaiting(); }));
});
self.addEventListener("activate", function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf(CACHE.slice(0, 14)) === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function esc(s) {
  return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
function html(text) { return new Response(text, {headers: {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}}); }

function offlineStep(req) {
  return req.formData().then(function (form) {
    var a = {};
    form.forEach(function (v, k) { if (v !== "" && k !== "step" && k !== "print") (a[k] = a[k] || []).push(String(v)); });
    var back = a.back ? a.back[0] : null;
    delete a.back;
    if (a.age_unknown) { a.age = ["unknown"]; delete a.age_unknown; }
    if (a.hours_exact) { a.hours_since_incident = a.hours_exact; delete a.hours_exact; }
    var sexual = (a.violence_types || []).indexOf("sexual") >= 0;
    var teacher = (a.reporter_role || [])[0] === "teacher";  // a teacher's student goes to school
    var next = back || ORDER.filter(function (n) {
      return (n !== "hours_since_incident" || sexual) && (n !== "is_student" || !teacher) && !a[n];
    })[0];
    if (next) {
      return caches.match(GUIDE + "?paso=" + next).then(function (r) { return r.text(); }).then(function (t) {
        var hidden = "";
        Object.keys(a).forEach(function (k) {
          if (k !== next) a[k].forEach(function (v) { hidden += '<input type="hidden" name="' + esc(k) + '" value="' + esc(v) + '">'; });
        });
        return html(t.replace('<input type="hidden" name="step"', hidden + '<input type="hidden" name="step"'));
      });
    }
    return caches.match(GUIDE + "?paso=sin-conexion").then(function (r) { return r.text(); }).then(function (t) {
      var data = '<script type="application/json" id="answers">' + JSON.stringify(a).replace(/</g, "\\u003c") + "</script>";
      return html(t.replace("</main>", data + "</main>"));
    });
  });
}

self.addEventListener("fetch", function (e) {
  var req = e.request, url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.method === "POST" && url.pathname === GUIDE) {
    var copy = req.clone();
    e.respondWith(fetch(req).catch(function () { return offlineStep(copy); }));
    return;
  }
  if (req.method !== "GET") return;
  var key = url.pathname + url.search;
  if (URLS.indexOf(key) < 0 && URLS.indexOf(url.pathname) < 0) return;
  e.respondWith(fetch(req).then(function (res) {
    if (res.ok) { var clone = res.clone(); caches.open(CACHE).then(function (c) { c.put(req, clone); }); }
    return res;
  }).catch(function () {
    return caches.match(req).then(function (r) { return r || caches.match(GUIDE); });
  }));
});
