/*
 * Taking a quiz: autosave, the countdown, answered-progress and a confirmation before
 * submitting with unanswered questions.
 *
 * Progressive enhancement: the form in quizzes/attempt_take.html works without this
 * file (Save answers / Submit for grading post it). No inline handlers, so a strict
 * Content-Security-Policy can forbid them. This file only ever sends what the learner
 * picked; it never receives which answer is correct.
 *
 * Contract with the server (quizzes.views.autosave):
 *   POST {"answers": {"<position>": ["<choice id>", ...]}} with X-CSRFToken
 *   200 {"saved": true, "seconds_left": int|null}   the clock is resynchronised
 *   400 {"saved": false, "error": "..."}            shown to the learner (413 likewise:
 *                                                   the body was over the size limit)
 *   409 {"saved": false, "result_url": "..."}       the attempt is over: go to the result
 */
(function () {
  "use strict";

  var form = document.querySelector("[data-quiz-form]");
  if (!form) return;

  var autosaveUrl = form.getAttribute("data-autosave-url");
  var csrfInput = form.querySelector("input[name=csrfmiddlewaretoken]");
  var submitButton = form.querySelector("[data-quiz-submit]");
  var statusBox = document.querySelector("[data-autosave]");
  var statusText = document.querySelector("[data-autosave-status]");
  var fieldsets = Array.prototype.slice.call(form.querySelectorAll("[data-question]"));
  var submitting = false;
  var confirmed = false;

  var jsHint = document.querySelector("[data-quiz-js-hint]");
  if (jsHint) jsHint.hidden = false;

  function positionOf(input) {
    var match = /^q(\d+)$/.exec(input.name || "");
    return match ? match[1] : null;
  }

  function fieldsetFor(position) {
    return form.querySelector('[data-question="' + position + '"]');
  }

  function selectedIn(position) {
    var fieldset = fieldsetFor(position);
    if (!fieldset) return [];
    return Array.prototype.map.call(
      fieldset.querySelectorAll('input[name="q' + position + '"]:checked'),
      function (input) { return input.value; }
    );
  }

  // --- Progress ------------------------------------------------------------------

  function unanswered() {
    return fieldsets
      .filter(function (fieldset) { return selectedIn(fieldset.getAttribute("data-question")).length === 0; })
      .map(function (fieldset) { return fieldset.getAttribute("data-question"); });
  }

  function refreshProgress() {
    var total = fieldsets.length;
    var missing = unanswered();
    var answered = total - missing.length;
    var percent = total ? Math.round((100 * answered) / total) : 0;

    var count = document.querySelector("[data-answered-count]");
    if (count) count.textContent = String(answered);
    var bar = document.querySelector("[data-answered-bar]");
    if (bar) {
      bar.setAttribute("aria-valuenow", String(percent));
      bar.setAttribute("aria-valuetext", answered + " of " + total + " answered");
      var fill = bar.querySelector(".progress-bar");
      if (fill) {
        fill.className = fill.className.replace(/\bpct-\d+\b/, "pct-" + percent).replace(/\s*\bis-complete\b/, "");
        if (percent === 100) fill.className += " is-complete";
      }
    }

    fieldsets.forEach(function (fieldset) {
      var position = fieldset.getAttribute("data-question");
      var isAnswered = missing.indexOf(position) === -1;
      var state = fieldset.querySelector("[data-question-state]");
      if (state) {
        state.classList.toggle("is-answered", isAnswered);
        state.innerHTML = isAnswered
          ? '<svg class="bi bi-check-circle-fill" aria-hidden="true" focusable="false"><use href="#i-check-circle-fill"></use></svg>Answered'
          : '<svg class="bi bi-circle" aria-hidden="true" focusable="false"><use href="#i-circle"></use></svg>Not answered';
      }
      var link = document.querySelector('[data-nav="' + position + '"]');
      if (link) {
        link.classList.toggle("is-answered", isAnswered);
        var hidden = link.querySelector("[data-nav-state]");
        if (hidden) hidden.textContent = isAnswered ? " (answered)" : " (not answered)";
      }
    });
  }

  // --- Autosave ---------------------------------------------------------------------

  var dirty = {};          // positions changed since their last successful save
  var inFlight = false;
  var retryTimer = null;
  var lastState = "";

  function setStatus(state, text) {
    lastState = state;
    if (statusBox) {
      statusBox.classList.remove("is-saving", "is-saved", "is-error");
      if (state) statusBox.classList.add("is-" + state);
    }
    if (statusText && statusText.textContent !== text) statusText.textContent = text;
  }

  function hasUnsaved() {
    return inFlight || Object.keys(dirty).length > 0;
  }

  function scheduleRetry() {
    if (retryTimer) return;
    retryTimer = window.setTimeout(function () {
      retryTimer = null;
      save();
    }, 10000);
  }

  function save() {
    if (inFlight || submitting || !autosaveUrl) return;
    var positions = Object.keys(dirty);
    if (!positions.length) return;
    var answers = {};
    positions.forEach(function (position) {
      answers[position] = selectedIn(position);
      delete dirty[position];
    });
    inFlight = true;
    setStatus("saving", "Saving…");

    function requeue() {
      positions.forEach(function (position) { dirty[position] = true; });
    }

    fetch(autosaveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrfInput ? csrfInput.value : "",
        "X-Requested-With": "XMLHttpRequest"
      },
      body: JSON.stringify({ answers: answers })
    })
      .then(function (response) {
        return response
          .json()
          .catch(function () { return {}; })
          .then(function (data) { return { status: response.status, ok: response.ok, data: data }; });
      })
      .then(function (reply) {
        inFlight = false;
        var data = reply.data || {};
        if (reply.ok && data.saved) {
          if (typeof data.seconds_left === "number") timer.sync(data.seconds_left);
          if (Object.keys(dirty).length) {
            save();
          } else {
            setStatus("saved", "Saved");
          }
          return;
        }
        if (reply.status === 409 && data.result_url) {
          submitting = true;
          setStatus("saving", data.error || "This attempt is over.");
          window.location.assign(data.result_url);
          return;
        }
        if (reply.status === 400 || reply.status === 413) {
          // The server refused these answers (it saved none of them); saying so is all
          // we can do: sending them again would be refused again.
          setStatus("error", "Not saved — " + (data.error || "that answer was not accepted."));
          return;
        }
        requeue();
        if (reply.status === 403) {
          setStatus("error", "Not saved — your session may have ended. Use Save answers, or reload the page.");
        } else {
          setStatus("error", "Not saved — check your connection");
          scheduleRetry();
        }
      })
      .catch(function () {
        inFlight = false;
        requeue();
        setStatus("error", "Not saved — check your connection");
        scheduleRetry();
      });
  }

  form.addEventListener("change", function (event) {
    var position = positionOf(event.target);
    if (position === null) return;
    dirty[position] = true;
    refreshProgress();
    save();
  });

  window.addEventListener("online", function () {
    if (Object.keys(dirty).length) save();
  });

  window.addEventListener("beforeunload", function (event) {
    if (!submitting && hasUnsaved()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // --- Countdown ----------------------------------------------------------------------

  var timer = (function () {
    var box = document.querySelector("[data-quiz-timer]");
    if (!box) return { sync: function () {} };
    var clock = box.querySelector("[data-timer-clock]");
    var announce = box.querySelector("[data-timer-announce]");
    var deadline = Date.now() + 1000 * parseInt(box.getAttribute("data-seconds-left"), 10);
    var lastSpoken = null;
    var expired = false;
    var interval = null;

    function secondsLeft() {
      return Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    }

    function pad(n) { return n < 10 ? "0" + n : String(n); }

    // What the live region says. It changes once a minute, then a few times in the
    // last minute, so a screen reader is told often enough but not every second.
    function spoken(left) {
      if (left <= 0) return "Time is up. Submitting your answers.";
      if (left <= 10) return "10 seconds left";
      if (left <= 30) return "30 seconds left";
      if (left <= 60) return "1 minute left";
      var minutes = Math.ceil(left / 60);
      return minutes + " minutes left";
    }

    function render() {
      var left = secondsLeft();
      if (clock) clock.textContent = Math.floor(left / 60) + ":" + pad(left % 60);
      box.classList.toggle("is-warning", left <= 300 && left > 60);
      box.classList.toggle("is-critical", left <= 60);
      var words = spoken(left);
      if (lastSpoken === null) {
        lastSpoken = words; // the server's text stands until the first boundary
      } else if (words !== lastSpoken && announce) {
        lastSpoken = words;
        announce.textContent = words;
      }
      if (left <= 0 && !expired) {
        expired = true;
        window.clearInterval(interval);
        autoSubmit();
      }
    }

    interval = window.setInterval(render, 1000);
    render();

    return {
      sync: function (seconds) {
        if (typeof seconds !== "number" || expired) return;
        deadline = Date.now() + 1000 * seconds;
        render();
      }
    };
  })();

  // --- Submitting ----------------------------------------------------------------------

  var confirmBox = document.querySelector("[data-quiz-confirm]");
  var confirmText = confirmBox ? confirmBox.querySelector("[data-confirm-text]") : null;
  var confirmButton = confirmBox ? confirmBox.querySelector("[data-confirm-submit]") : null;
  var modal = null;

  function listWords(items) {
    if (items.length === 1) return items[0];
    return items.slice(0, -1).join(", ") + " and " + items[items.length - 1];
  }

  function askToConfirm(missing) {
    var message =
      missing.length === 1
        ? "You have not answered question " + missing[0] + "."
        : "You have not answered " + missing.length + " questions: " + listWords(missing) + ".";
    if (!confirmBox || !window.bootstrap || !window.bootstrap.Modal) {
      return window.confirm(message + " Submit for grading anyway?");
    }
    confirmText.textContent = message;
    modal = modal || new window.bootstrap.Modal(confirmBox);
    modal.show();
    return false;
  }

  function submitNow() {
    confirmed = true;
    if (form.requestSubmit) {
      form.requestSubmit(submitButton);
    } else {
      submitButton.click();
    }
  }

  function autoSubmit() {
    if (submitting) return;
    if (modal) modal.hide();
    setStatus("saving", "Time is up — submitting your answers…");
    submitNow();
  }

  if (confirmButton) {
    confirmButton.addEventListener("click", function () {
      if (modal) modal.hide();
      submitNow();
    });
  }

  form.addEventListener("submit", function (event) {
    if (submitting) {
      event.preventDefault();
      return;
    }
    var isSubmit = event.submitter ? event.submitter === submitButton : true;
    if (isSubmit && !confirmed) {
      var missing = unanswered();
      if (missing.length && !askToConfirm(missing)) {
        event.preventDefault();
        return;
      }
    }
    submitting = true;
    form.classList.add("is-submitting");
    // Disabled after this event, not during it: a disabled submitter would drop its name.
    window.setTimeout(function () {
      Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (button) {
        button.disabled = true;
      });
    }, 0);
  });

  // Back-forward cache: a page restored after submitting must be usable again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      submitting = false;
      confirmed = false;
      form.classList.remove("is-submitting");
      Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (button) {
        button.disabled = false;
      });
    }
  });

  refreshProgress();
})();
