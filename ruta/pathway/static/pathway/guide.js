// The guide's script. Without it the guide still works (plain POST forms); with it:
// offline use (service worker), a live countdown to the 72-hour deadline, print, and the
// offline plan computed here from the rules saved on the last visit (a port of engine.py).
(function () {
  "use strict";
  var root = document.querySelector("[data-sw]");
  if (root && "serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.getAttribute("data-sw"), {scope: root.getAttribute("data-guide")})
      .catch(function () {});
  }

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
  if (document.querySelector("time[data-countdown]")) { tick(); setInterval(tick, 30000); }
  if (document.querySelector("[data-autoprint]")) window.addEventListener("load", function () { window.print(); });

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
  function servicesFor(rule, services, d, urgent) {
    var found = services.filter(function (s) { return has(rule.service_kinds, s.kind) && proximity(s, d) < 4; });
    var o = rule.service_offer;
    if (o && found.some(function (s) { return has(s.offers, o); })) found = found.filter(function (s) { return has(s.offers, o); });
    found.sort(function (a, b) {
      var ka = [proximity(a, d), urgent && !a.open_24h ? 1 : 0], kb = [proximity(b, d), urgent && !b.open_24h ? 1 : 0];
      if (ka[0] !== kb[0]) return ka[0] - kb[0];
      if (ka[1] !== kb[1]) return ka[1] - kb[1];
      if (a.name !== b.name) return a.name < b.name ? -1 : 1;
      return a.id - b.id;
    });
    var chosen = [];
    [0, 1, 2, 3].forEach(function (tier) {
      chosen = chosen.concat(found.filter(function (s) { return proximity(s, d) === tier; }).slice(0, tier === 3 ? 3 : 2));
    });
    return chosen;
  }
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
        services: servicesFor(r, data.services, inp.district, urgent).map(function (s) {
          return {id: s.id, name: s.name, kind: s.kind, district: s.district, phone: s.phone, open_24h: s.open_24h};
        })});
    });
    f.unverified_step = steps.some(function (s) { return s.confidence === "unverified"; });
    var warnings = data.cautions.filter(function (c) { return holds(c.applies_when, f); })
      .map(function (c) { return {code: c.code, text: c["text_" + lang]}; });
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
      immediate_danger: one("immediate_danger") === "true", is_student: one("is_student") === "true",
      reporter_role: one("reporter_role") || "self", district: d && d !== "unknown" ? d : null, lang: lang};
  }
  window.rutaPathway = {computePlan: computePlan, toInput: toInput};

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  function renderOffline(box, plan, data) {
    var L = data.labels;
    box.textContent = "";
    if (plan.warnings.length) {
      var w = el("section", "card warnings"), ul = el("ul");
      w.appendChild(el("h2", "", L.important));
      plan.warnings.forEach(function (x) { ul.appendChild(el("li", "", x.text)); });
      w.appendChild(ul); box.appendChild(w);
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
      li.appendChild(el("p", "", s.why));
      var cards = el("ul", "cards services");
      s.services.forEach(function (v) {
        var c = el("li", "card service");
        c.appendChild(el("strong", "", v.name));
        c.appendChild(el("span", "muted", " · " + (v.district ? data.districts[v.district] || v.district : L.national)));
        if (v.phone) { var a = el("a", "btn", L.call + " " + v.phone); a.href = "tel:" + v.phone.replace(/[^\d+]/g, ""); c.appendChild(el("br")); c.appendChild(a); }
        cards.appendChild(c);
      });
      if (s.services.length) li.appendChild(cards);
      var rule = data.rules.filter(function (r) { return r.code === s.code; })[0], det = el("details");
      det.appendChild(el("summary", "", L.professional));
      det.appendChild(el("p", "", rule["professional_" + (document.documentElement.lang === "en" ? "en" : "es")]));
      det.appendChild(el("p", "", L.legal + " " + s.legal_basis));
      det.appendChild(el("p", "muted", L.source + " " + rule.source));
      li.appendChild(det);
      ol.appendChild(li);
    });
    box.appendChild(ol);
    box.appendChild(el("p", "muted", L.version + " " + plan.rules_version));
  }
  var answers = document.getElementById("answers"), box = document.getElementById("offline-plan");
  if (answers && box) {
    var a = JSON.parse(answers.textContent), lang = document.documentElement.lang === "en" ? "en" : "es";
    fetch(box.getAttribute("data-src") || document.querySelector("[data-data]").getAttribute("data-data"))
      .then(function (r) { return r.json(); })
      .then(function (data) { renderOffline(box, computePlan(toInput(a, lang), data, new Date()), data); })
      .catch(function () {});
  }
})();
