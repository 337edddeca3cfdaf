/*
 * Small enhancements for the public site. Everything works without this file.
 */
(function () {
  "use strict";

  // A printed module is a handout: show every clinical case's discussion on paper.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (el) {
      el.setAttribute("open", "");
      opened.push(el);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (el) { el.removeAttribute("open"); });
    opened = [];
  });

  // Print buttons (data-academy-print) are wired here: no inline handlers, for the CSP.
  document.querySelectorAll("[data-academy-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
