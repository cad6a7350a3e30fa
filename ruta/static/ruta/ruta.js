// Ruta's only script of its own: the quick exit, and a confirmation for dangerous buttons.
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
