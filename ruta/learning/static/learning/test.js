// Live test: send each answer in the background; while offline, keep answers in memory and
// show the next question from the page; send them when the connection returns.
(function () {
  "use strict";
  var form = document.getElementById("answer-form");
  if (!form || !window.fetch) { return; }
  var data = JSON.parse(form.getAttribute("data-pending"));
  var queue = [], sending = false, done = data.done;
  var statusEl = document.getElementById("q-status");
  var d = form.dataset;

  function say(text) { statusEl.textContent = text; }

  function show(q) {
    form.elements.question.value = q.code;
    document.getElementById("q-text").textContent = q.text;
    document.getElementById("q-count").textContent = d.count.replace("__N__", String(done + 1));
    var box = document.getElementById("q-choices");
    while (box.firstChild) { box.removeChild(box.firstChild); }
    q.choices.forEach(function (label, i) {
      var l = document.createElement("label"), input = document.createElement("input");
      l.className = "choice";
      input.type = q.multiple ? "checkbox" : "radio";
      input.name = "choice";
      input.value = String(i);
      l.appendChild(input);
      l.appendChild(document.createTextNode(" " + label));
      box.appendChild(l);
    });
    var multi = document.getElementById("q-multi");
    if (multi) { multi.hidden = !q.multiple; }
    var first = box.querySelector("input");
    if (first) { first.focus(); }
  }

  function flush() {
    if (sending || !queue.length) { return; }
    sending = true;
    var body = new URLSearchParams();
    body.append("question", queue[0].question);
    queue[0].choices.forEach(function (c) { body.append("choice", c); });
    fetch(form.action, {method: "POST", body: body, headers: {"Accept": "application/json"}, credentials: "omit"})
      .then(function (r) {
        sending = false;
        if (r.status === 410) { window.location.reload(); return; }
        if (r.status === 429 || r.status >= 500) { throw new Error("retry"); }
        queue.shift();
        // Reload (to the thank-you page) only once the last answer is sent, never while the
        // last question is still on screen: a reload would wipe the choice being made.
        if (queue.length) { flush(); } else if (done >= data.total) { window.location.reload(); } else { say(""); }
      })
      .catch(function () {
        sending = false;
        // After the last question, say that nothing is left to answer, only to send.
        say(done >= data.total ? d.finishing + " " + d.offline : d.offline);
        setTimeout(flush, 4000);
      });
  }

  window.addEventListener("online", flush);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var chosen = Array.prototype.map.call(form.querySelectorAll("input[name=choice]:checked"),
      function (i) { return i.value; });
    if (!chosen.length) { say(d.choose); return; }
    queue.push({question: form.elements.question.value, choices: chosen});
    done += 1;
    var next = data.questions.shift();
    if (next) { show(next); } else {
      form.querySelector("fieldset").hidden = true;
      form.querySelector("button").hidden = true;
      say(d.finishing);
    }
    flush();
  });
}());
