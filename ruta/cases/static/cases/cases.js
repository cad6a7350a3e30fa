// Case pages: keep deadline countdowns (data-deadline, ISO time) current without reloading.
(function () {
  "use strict";
  function fmt(ms, el) {
    if (ms <= 0) { return el.getAttribute("data-closed") || "0"; }
    var m = Math.floor(ms / 60000), d = Math.floor(m / 1440), h = Math.floor((m % 1440) / 60);
    m = m % 60;
    return (d ? d + " d " : "") + h + " h " + (d ? "" : m + " min");
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-deadline]").forEach(function (el) {
      el.textContent = fmt(Date.parse(el.getAttribute("data-deadline")) - now, el);
    });
  }
  if (document.querySelector("[data-deadline]")) { setInterval(tick, 30000); }
})();
