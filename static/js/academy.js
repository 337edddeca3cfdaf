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

  // Disclosures that are always open on a wide screen (the main menu, a module's
  // contents): CSS shows their content from 992 px up; opening them here as well serves
  // browsers without ::details-content, and closes them again when the screen narrows.
  var wide = window.matchMedia("(min-width: 992px)");
  function openWhenWide() {
    document.querySelectorAll("[data-academy-menu], [data-academy-open-wide]").forEach(function (el) {
      el.open = wide.matches;
    });
  }
  openWhenWide();
  wide.addEventListener("change", openWhenWide);

  // The account menu closes when the pointer or focus goes elsewhere, and with Escape.
  document.addEventListener("click", function (event) {
    document.querySelectorAll(".account-menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(".account-menu[open]").forEach(function (menu) {
      menu.open = false;
      menu.querySelector("summary").focus();
    });
  });

  // Messages can be dismissed when scripts run (the button is hidden otherwise).
  document.querySelectorAll("[data-academy-dismiss]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { button.closest(".alert").remove(); });
  });
})();
