/*
 * Doctor's profile: show "council name" only when the chosen council needs it.
 * Progressive enhancement — without JavaScript the field is simply always shown.
 */
(function () {
  "use strict";
  var council = document.getElementById("id_council");
  var wrapper = document.querySelector("[data-council-other]");
  if (!council || !wrapper) {
    return;
  }
  var needsOther = (wrapper.getAttribute("data-council-other") || "STATE,INTL").split(",");
  var input = wrapper.querySelector("input");
  function sync() {
    var show = needsOther.indexOf(council.value) !== -1 || wrapper.querySelector(".is-invalid") !== null;
    wrapper.hidden = !show;
    if (input) {
      input.required = needsOther.indexOf(council.value) !== -1;
    }
  }
  council.addEventListener("change", sync);
  sync();
})();
