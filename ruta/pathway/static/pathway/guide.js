// The guide's script. Without it the guide still works (plain POST forms); with it:
// one history entry for the whole guide (each answer replaces the screen in place, so
// Back after a quick exit never shows an answer), offline use only when asked ("Save on
// this phone", removable), a live countdown, "near me" distances computed here from the
// phone's position (never sent anywhere), print, and the offline plan computed here from
// the saved rules (a port of engine.py).
(function () {
  "use strict";
  var CACHE_PREFIX = "ruta-guide-";

  function left(iso) {
    var ms = new Date(iso).getTime() - Date.now();
    if (!(ms > 0)) return "0 h";
    var min = Math.floor(ms / 60000);
    return Math.floor(min / 60) + " h " + (min % 60) + " min";
  }
  function tick() {
    var els = document.querySelectorAll("time[data-countdown]");
    for (var i = 0; i < els.length; i++) els[i].textContent = left(els[i].getAttribute("datetime"));
  }
  setInterval(tick, 30000);

  // ---- saved for offline use, only when asked ----
  function offlineControls() {
    var box = document.querySelector("[data-offline-controls]");
    if (!box || !("serviceWorker" in navigator) || !window.caches) return;
    box.hidden = false;
    var save = box.querySelector("[data-offline-save]"), remove = box.querySelector("[data-offline-remove]");
    var status = document.querySelector("[data-saved-status]");
    function show(saved, text) {
      if (save) save.hidden = saved;
      if (remove) remove.hidden = !saved;
      if (status && text) status.textContent = text;
    }
    navigator.serviceWorker.getRegistration(box.getAttribute("data-guide")).then(function (r) {
      show(Boolean(r), r ? box.getAttribute("data-saved") : "");
    });
    if (save) save.onclick = function () {
      show(false, box.getAttribute("data-saving"));
      navigator.serviceWorker.register(box.getAttribute("data-sw"), {scope: box.getAttribute("data-guide")})
        .then(function () { return navigator.serviceWorker.ready; })
        .then(function () { show(true, box.getAttribute("data-saved")); })
        .catch(function () { show(false, box.getAttribute("data-failed")); });
    };
    if (remove) remove.onclick = function () {
      navigator.serviceWorker.getRegistrations().then(function (regs) {
        return Promise.all(regs.map(function (r) { return r.unregister(); }));
      }).then(function () { return caches.keys(); }).then(function (keys) {
        return Promise.all(keys.filter(function (k) { return k.indexOf(CACHE_PREFIX) === 0; })
          .map(function (k) { return caches.delete(k); }));
      }).then(function () { show(false, box.getAttribute("data-removed")); });
    };
  }

  // ---- near me: distances from the phone's position, computed here ----
  function nearMe() {
    var p = document.querySelector(".near-me"), btn = p && p.querySelector("[data-near-me]");
    if (!btn || !navigator.geolocation) return;
    p.hidden = false;
    btn.onclick = function () {
      var status = p.querySelector("[data-near-me-status]");
      navigator.geolocation.getCurrentPosition(function (pos) {
        var lat = pos.coords.latitude, lon = pos.coords.longitude, label = p.getAttribute("data-km");
        var lists = document.querySelectorAll("ul.services");
        for (var i = 0; i < lists.length; i++) {
          var items = Array.prototype.slice.call(lists[i].children).map(function (li) {
            var d = li.hasAttribute("data-lat") ? km(lat, lon, parseFloat(li.getAttribute("data-lat")),
              parseFloat(li.getAttribute("data-lon"))) : null;
            var span = li.querySelector(".km");
            if (span) span.textContent = d === null ? "" : " · " + label.replace("{km}", d.toFixed(1));
            return {li: li, d: d === null ? 1e9 : d};
          });
          items.sort(function (a, b) { return a.d - b.d; });
          items.forEach(function (x) { lists[i].appendChild(x.li); });
        }
        status.textContent = p.getAttribute("data-done");
      }, function () { status.textContent = p.getAttribute("data-denied"); }, {timeout: 15000});
    };
  }

  // ---- one history entry: answers replace the screen in place ----
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form.hasAttribute || !form.hasAttribute("data-swap") || !window.fetch || !window.DOMParser) return;
    ev.preventDefault();
    var data = new URLSearchParams(new FormData(form));
    if (ev.submitter && ev.submitter.name) data.append(ev.submitter.name, ev.submitter.value);
    fetch(form.action, {method: "POST", body: data, credentials: "same-origin", cache: "no-store"})
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html"), main = doc.querySelector("main");
        if (!main) throw new Error("no page");
        document.querySelector("main").replaceWith(main);
        document.title = doc.title;
        window.scrollTo(0, 0);
        var h = main.querySelector("h1");
        if (h) { h.setAttribute("tabindex", "-1"); h.focus(); }
        init();
      })
      .catch(function () { form.removeAttribute("data-swap"); HTMLFormElement.prototype.submit.call(form); });
  });

  // ---- offline plan: the same rules as ruta/pathway/engine.py ----
  function has(list, x) { return list.indexOf(x) >= 0; }
  function clauseHolds(c, f) {
    for (var k in c) {
      var w = c[k], ok;
      if (k === "violence_any") ok = w.some(function (t) { return has(f.violence, t); });
      else if (k === "violence_none") ok = !w.some(function (t) { return has(f.violence, t); });
      else if (k === "age_lt") ok = f.age !== null && f.age < w;
      else if (k === "age_gte") ok = f.age !== null && f.age >= w;
      else if (k === "age_unknown") ok = (f.age === null) === w;
      else if (k === "hours_lt") ok = f.hours !== null && f.hours < w;
      else if (k === "hours_gte") ok = f.hours !== null && f.hours >= w;
      else if (k === "hours_unknown") ok = (f.hours === null) === w;
      else if (k === "sex_in") ok = has(w, f.sex);
      else if (k === "relationship_in") ok = has(w, f.relationship);
      else if (k === "reporter_in") ok = has(w, f.reporter);
      else ok = Boolean(f[k]) === w;
      if (!ok) return false;
    }
    return true;
  }
  function holds(cond, f) { return cond.some(function (c) { return clauseHolds(c, f); }); }
  function proximity(s, d) {
    var w = s.district;
    if (d && w) {
      if (w === d) return 0;
      if (w.slice(0, 4) === d.slice(0, 4)) return 1;
      if (w.slice(0, 2) === d.slice(0, 2)) return 2;
    }
    return s.national ? 3 : 4;
  }
  // Straight-line km, rounded down to 10 m, as ruta/directory/places.py computes it.
  function km(lat1, lon1, lat2, lon2) {
    var r = Math.PI / 180, x = (lon2 - lon1) * r * Math.cos((lat1 + lat2) / 2 * r), y = (lat2 - lat1) * r;
    return Math.floor(Math.sqrt(x * x + y * y) * 6371.0 * 100) / 100;
  }
  function kmFrom(s, o) { return !o || s.lat === null || s.national ? null : km(o[0], o[1], s.lat, s.lon); }
  function servicesFor(rule, services, d, urgent, centroids) {
    var o = d && centroids[d] ? centroids[d] : null;
    var found = services.filter(function (s) { return has(rule.service_kinds, s.kind) && proximity(s, d) < 4; })
      .map(function (s) { return {p: proximity(s, d), km: kmFrom(s, o), s: s}; });
    var of = rule.service_offer;
    if (of && found.some(function (f) { return has(f.s.offers, of); })) found = found.filter(function (f) { return has(f.s.offers, of); });
    found.sort(function (fa, fb) {
      var a = fa.s, b = fb.s;
      if (fa.p !== fb.p) return fa.p - fb.p;
      var ua = urgent && !a.open_24h ? 1 : 0, ub = urgent && !b.open_24h ? 1 : 0;
      if (ua !== ub) return ua - ub;
      if (a.private !== b.private) return a.private ? 1 : -1;
      var da = fa.km === null ? 1e9 : fa.km, db = fb.km === null ? 1e9 : fb.km;
      if (da !== db) return da - db;
      if (a.name !== b.name) return a.name < b.name ? -1 : 1;
      return a.id - b.id;
    });
    var chosen = [];
    [0, 1, 2, 3].forEach(function (tier) {
      chosen = chosen.concat(found.filter(function (f) { return f.p === tier; }).slice(0, tier === 3 ? 3 : 2));
    });
    var withPhone = found.filter(function (f) { return f.p < 3 && f.s.phone; });
    var call = withPhone.filter(function (f) { return !f.s.private; })[0] || withPhone[0];
    if (call && chosen.length && !chosen[0].s.phone) {
      chosen = [call].concat(chosen.filter(function (f) { return f.s.id !== call.s.id; }));
    }
    return chosen.map(function (f) {
      return {id: f.s.id, name: f.s.name, kind: f.s.kind, district: f.s.district, phone: f.s.phone,
        open_24h: f.s.open_24h, km: f.km};
    });
  }
  // Young readers (the survivor, a friend) are addressed as tú, adults as usted (codes.py: YOUNG_READERS).
  function young(role) { return role === "self" || role === "friend"; }
  function computePlan(inp, data, now) {
    var lang = inp.lang === "en" ? "en" : "es";
    var f = {violence: inp.violence_types, age: inp.age, hours: inp.hours_since_incident, sex: inp.sex,
      relationship: inp.aggressor_relationship, lives_with: inp.aggressor_lives_with_survivor,
      immediate_danger: inp.immediate_danger, is_student: inp.is_student, reporter: inp.reporter_role,
      unverified_step: false};
    var steps = [];
    data.rules.forEach(function (r) {
      if (!holds(r.applies_when, f)) return;
      var dl = r.deadline_hours;
      if (dl !== null && r.deadline_from === "incident") dl = inp.hours_since_incident === null ? 0 : Math.max(dl - inp.hours_since_incident, 0);
      var urgent = inp.immediate_danger || dl !== null;
      steps.push({code: r.code, institution: r.institution, deadline_hours: dl,
        due_at: dl === null ? null : new Date(now.getTime() + dl * 3600000).toISOString(),
        mandatory: holds(r.mandatory_when, f), title: r["title_" + lang], why: r["plain_" + lang],
        legal_basis: r.legal_basis, confidence: r.confidence,
        services: servicesFor(r, data.services, inp.district, urgent, data.centroids || {})});
    });
    f.unverified_step = steps.some(function (s) { return s.confidence === "unverified"; });
    var warnings = data.cautions.filter(function (c) { return holds(c.applies_when, f); })
      .map(function (c) { return {code: c.code, text: (young(inp.reporter_role) && c["young_" + lang]) || c["text_" + lang]}; });
    return {rules_version: data.rules_version, steps: steps, warnings: warnings};
  }
  // The guide's answers (lists of strings, as a form sends them) → the engine's input.
  function toInput(a, lang) {
    function one(k) { return a[k] && a[k].length ? a[k][0] : ""; }
    function num(k) { var v = one(k); return v === "" || v === "unknown" ? null : parseInt(v, 10); }
    var sexual = has(a.violence_types || [], "sexual");
    var d = one("district");
    return {age: num("age"), sex: one("sex") || "unknown", violence_types: a.violence_types || [],
      hours_since_incident: sexual ? num("hours_since_incident") : null,
      aggressor_relationship: one("aggressor_relationship") || "unknown",
      aggressor_lives_with_survivor: one("aggressor_lives_with_survivor") === "true",
      immediate_danger: one("immediate_danger") === "true",
      is_student: one("is_student") === "true" || one("reporter_role") === "teacher",
      reporter_role: one("reporter_role") || "self", district: d && d !== "unknown" ? d : null, lang: lang};
  }
  window.rutaPathway = {computePlan: computePlan, toInput: toInput};

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  function renderOffline(box, plan, data, isYoung) {
    var L = data.labels;
    box.textContent = "";
    if (plan.warnings.length) {
      var w = el("section", "card warnings"), ul = el("ul");
      w.appendChild(el("h2", "", L.important));
      plan.warnings.forEach(function (x) { ul.appendChild(el("li", "", x.text)); });
      w.appendChild(ul); box.appendChild(w);
    }
    var kit = plan.steps.filter(function (s) { return s.code === "health_emergency_kit" && s.deadline_hours; })[0];
    if (kit) {
      var c = el("p", "card countdown", L.countdown + " "), t = el("time");
      t.setAttribute("datetime", kit.due_at);
      t.setAttribute("data-countdown", "");
      c.appendChild(t);
      box.appendChild(c);
      tick();
    }
    box.appendChild(el("h2", "", L.steps));
    var ol = el("ol", "steps");
    plan.steps.forEach(function (s) {
      var li = el("li", "card step");
      li.setAttribute("data-code", s.code);
      li.appendChild(el("h3", "", s.title));
      var meta = el("p", "step-meta");
      if (s.mandatory) meta.appendChild(el("span", "badge overdue", L.mandatory));
      if (s.deadline_hours !== null) meta.appendChild(el("span", "badge deadline", s.deadline_hours === 0 ? L.now : L.within + " " + s.deadline_hours + " h"));
      meta.appendChild(el("span", s.confidence === "verified" ? "badge verified" : "badge unverified", s.confidence === "verified" ? L.verified : L.unverified));
      li.appendChild(meta);
      var rule = data.rules.filter(function (r) { return r.code === s.code; })[0], det = el("details");
      var professional = rule["professional_" + (document.documentElement.lang === "en" ? "en" : "es")];
      // Young readers read the plain words (tú), adults the professional text (usted), as online.
      li.appendChild(el("p", "", isYoung ? s.why : professional));
      var cards = el("ul", "cards services");
      s.services.forEach(function (v) {
        var c = el("li", "card service");
        c.appendChild(el("strong", "", v.name));
        c.appendChild(el("span", "muted", " · " + (v.district ? data.districts[v.district] || v.district : L.national)));
        if (v.phone) { var a = el("a", "btn", L.call + " " + v.phone); a.href = "tel:" + v.phone.replace(/[^\d+]/g, ""); c.appendChild(el("br")); c.appendChild(a); }
        cards.appendChild(c);
      });
      if (s.services.length) li.appendChild(cards);
      det.appendChild(el("summary", "", L.legal));
      det.appendChild(el("p", "", L.legal + " " + s.legal_basis));
      det.appendChild(el("p", "muted", L.source + " " + rule.source));
      li.appendChild(det);
      ol.appendChild(li);
    });
    box.appendChild(ol);
    box.appendChild(el("p", "muted", L.version + " " + plan.rules_version));
  }
  function init() {
    tick();
    if (document.querySelector("[data-autoprint]")) setTimeout(function () { window.print(); }, 300);
    offlineControls();
    nearMe();
    var answers = document.getElementById("answers"), box = document.getElementById("offline-plan");
    if (answers && box) {
      var a = JSON.parse(answers.textContent), lang = document.documentElement.lang === "en" ? "en" : "es";
      fetch(box.getAttribute("data-src"))
        .then(function (r) { return r.json(); })
        .then(function (data) {
          var inp = toInput(a, lang);
          renderOffline(box, computePlan(inp, data, new Date()), data, young(inp.reporter_role));
        })
        .catch(function () {});
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
