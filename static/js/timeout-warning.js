// Signing out after a time without activity, without losing anything (WCAG 2.2.1 Timing adjustable).
//
// 1. The timeout warning (GOV.UK's pattern). A session ends after SESSION_COOKIE_AGE seconds without a
//    request. On a signed-in page, templates/includes/timeout_warning.html holds a <dialog>; this script opens
//    it as a modal `data-warning-seconds` before the end, moves focus into it, counts down, and:
//    - "Stay signed in" (or Escape) posts to `data-extend-url`: that request starts the idle time again, and
//      the answer says how long the session now lasts;
//    - when the time runs out, it goes to the sign-in page (`data-signed-out-url`, which says why) with `next`
//      set to this page.
//    Every tab of the service shares one clock: a page loaded or a session kept in one tab moves the others'
//    deadline too (localStorage), so a background tab never signs out a user busy in another.
//
// 2. Keeping what a form held. What the user types into a POST form is copied, as they type, into this tab's
//    sessionStorage (never the server's, never another tab's; it goes when the tab closes or the user signs
//    out). If they are signed out before it is sent (the warning ran out, or the computer slept and the send
//    was refused and sent them to sign in), it is put back into the same form once they have signed in again,
//    with a banner asking them to check it and send it again. Passwords and files are never copied.
//    No server-side replay: nothing is acted on without the user pressing the button again, with a fresh
//    form token, and no text is held anywhere for someone who is not signed in.
(function () {
  "use strict";

  var KEPT = "councilimprove:kept-forms"; // sessionStorage: {key: entry}
  var ACTIVE = "councilimprove:last-request"; // localStorage: when any tab last reached the server
  var ANNOUNCE_EVERY = 20; // seconds between the screen reader's countdown announcements
  var NOT_KEPT = ["password", "file", "submit", "button", "reset", "image"];

  var body = document.body;
  var signInPath = body.getAttribute("data-sign-in-path");
  var onSignIn = signInPath && window.location.pathname === signInPath;
  var dialog = document.getElementById("timeout-warning");
  var user = dialog ? dialog.getAttribute("data-user") : null;
  var here = window.location.pathname + window.location.search;

  // --- storage that may be refused (private windows, full quota): then nothing is kept --------------

  function read(storage, name, fallback) {
    try {
      var value = storage.getItem(name);
      return value === null ? fallback : JSON.parse(value);
    } catch (error) {
      return fallback;
    }
  }

  function write(storage, name, value) {
    try {
      storage.setItem(name, JSON.stringify(value));
    } catch (error) {
      // Nothing to do: the form simply is not kept.
    }
  }

  // --- keeping what forms held --------------------------------------------------------------------------

  function keptForms() {
    return Array.prototype.filter.call(document.querySelectorAll("main form"), function (form) {
      return (form.getAttribute("method") || "").toLowerCase() === "post" && !form.hasAttribute("data-no-keep");
    });
  }

  function keyOf(form, index) {
    return here + "|" + index;
  }

  function keepable(field) {
    return field.name && field.name !== "csrfmiddlewaretoken" && NOT_KEPT.indexOf(field.type) === -1;
  }

  // The form's fields as [name, value] pairs, as the browser would send them (radios and boxes when ticked).
  function snapshot(form) {
    var pairs = [];
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!keepable(field)) return;
      if ((field.type === "radio" || field.type === "checkbox") && !field.checked) return;
      if (field.type === "select-multiple") {
        Array.prototype.forEach.call(field.selectedOptions, function (option) {
          pairs.push([field.name, option.value]);
        });
        return;
      }
      pairs.push([field.name, field.value]);
    });
    return pairs;
  }

  function hasFiles(form) {
    return Array.prototype.some.call(form.querySelectorAll("input[type=file]"), function (input) {
      return input.files && input.files.length > 0;
    });
  }

  function remember(form, index, state) {
    var kept = read(sessionStorage, KEPT, {});
    kept[keyOf(form, index)] = {
      user: user,
      page: here,
      state: state, // "typing", "sent" (on its way), or "signed-out" (to put back after signing in)
      fields: snapshot(form),
      files: hasFiles(form),
    };
    write(sessionStorage, KEPT, kept);
  }

  function putBack(form, fields) {
    var names = {};
    fields.forEach(function (pair) {
      (names[pair[0]] = names[pair[0]] || []).push(pair[1]);
    });
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!keepable(field) || !(field.name in names)) return;
      var values = names[field.name];
      if (field.type === "radio" || field.type === "checkbox") {
        field.checked = values.indexOf(field.value) !== -1;
      } else if (field.type === "select-multiple") {
        Array.prototype.forEach.call(field.options, function (option) {
          option.selected = values.indexOf(option.value) !== -1;
        });
      } else {
        field.value = values.shift();
      }
    });
  }

  function banner(filesLeftOut) {
    var box = document.createElement("div");
    box.className = "govuk-notification-banner";
    box.setAttribute("role", "alert");
    box.setAttribute("aria-labelledby", "kept-form-title");
    box.setAttribute("data-kept-form", "");
    box.innerHTML =
      '<div class="govuk-notification-banner__header">' +
      '<h2 class="govuk-notification-banner__title" id="kept-form-title">Important</h2></div>' +
      '<div class="govuk-notification-banner__content">' +
      '<p class="govuk-notification-banner__heading">What you typed before you were signed out has been put back.</p>' +
      '<p class="govuk-body">Check it, then send it again.' +
      (filesLeftOut ? " Files are not kept: choose them again." : "") +
      "</p></div>";
    var main = document.getElementById("main-content");
    if (main) main.insertBefore(box, main.firstChild);
  }

  function keepForms() {
    var kept = read(sessionStorage, KEPT, {});
    if (onSignIn) {
      // Sent, then sent here to sign in: the send was refused because the session had ended.
      Object.keys(kept).forEach(function (key) {
        if (kept[key].state === "sent") kept[key].state = "signed-out";
      });
      write(sessionStorage, KEPT, kept);
      return; // the sign-in form itself is never kept
    }
    var forms = keptForms();
    var restored = false;
    var filesLeftOut = false;
    Object.keys(kept).forEach(function (key) {
      var entry = kept[key];
      var index = forms.findIndex(function (form, i) {
        return keyOf(form, i) === key;
      });
      if (entry.state === "signed-out" && index !== -1 && entry.user === user && user) {
        putBack(forms[index], entry.fields);
        entry.state = "typing";
        restored = true;
        filesLeftOut = filesLeftOut || entry.files;
      } else if (entry.state === "sent" || (entry.state === "typing" && entry.page !== here)) {
        delete kept[key]; // sent and answered, or left behind: the browser's own behaviour
      } else if (entry.state === "signed-out" && user && entry.user !== user) {
        delete kept[key]; // someone else signed in on this tab: never show them another's text
      }
    });
    write(sessionStorage, KEPT, kept);
    if (restored) banner(filesLeftOut);
    forms.forEach(function (form, index) {
      var typed = function () {
        remember(form, index, "typing");
      };
      form.addEventListener("input", typed);
      form.addEventListener("change", typed);
      form.addEventListener("submit", function () {
        var entries = read(sessionStorage, KEPT, {});
        if (entries[keyOf(form, index)]) remember(form, index, "sent");
      });
    });
  }

  // Signing out (any of the page's Sign out buttons) ends everything this tab kept.
  var signOutPath = body.getAttribute("data-sign-out-path");
  document.addEventListener("submit", function (event) {
    var action = event.target.getAttribute && event.target.getAttribute("action");
    if (action && signOutPath && new URL(action, window.location.href).pathname === signOutPath) {
      try {
        sessionStorage.removeItem(KEPT);
      } catch (error) {
        // nothing kept
      }
    }
  });

  keepForms();

  // --- the warning ------------------------------------------------------------------------------------

  if (!dialog || typeof dialog.showModal !== "function") return;

  var idle = Number(dialog.getAttribute("data-idle-seconds")) * 1000;
  var warning = Number(dialog.getAttribute("data-warning-seconds")) * 1000;
  var countdown = dialog.querySelector("[data-countdown]");
  var announcement = dialog.querySelector("[data-announcement]");
  var heading = dialog.querySelector("h2");
  var extendForm = dialog.querySelector("form[data-extend]");
  var deadline = Date.now() + idle; // this page's request started the idle time again
  var returnFocusTo = null;
  var lastAnnounced = null;
  var signingOut = false;

  write(localStorage, ACTIVE, Date.now());

  function inWords(seconds) {
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    var parts = [];
    if (minutes) parts.push(minutes + (minutes === 1 ? " minute" : " minutes"));
    if (rest || !minutes) parts.push(rest + (rest === 1 ? " second" : " seconds"));
    return parts.join(" ");
  }

  function open(secondsLeft) {
    returnFocusTo = document.activeElement;
    dialog.showModal();
    heading.focus();
    lastAnnounced = null;
    show(secondsLeft);
  }

  function close() {
    dialog.close();
    if (returnFocusTo && typeof returnFocusTo.focus === "function") returnFocusTo.focus();
    returnFocusTo = null;
  }

  function show(secondsLeft) {
    countdown.textContent = inWords(secondsLeft);
    // A screen reader hears the time left when the dialog opens and every ANNOUNCE_EVERY seconds, not every tick.
    if (lastAnnounced === null || lastAnnounced - secondsLeft >= ANNOUNCE_EVERY) {
      announcement.textContent = "We will sign you out in " + inWords(secondsLeft) + ".";
      lastAnnounced = secondsLeft;
    }
  }

  function signOut() {
    if (signingOut) return;
    signingOut = true;
    var kept = read(sessionStorage, KEPT, {});
    Object.keys(kept).forEach(function (key) {
      if (kept[key].page === here && kept[key].state === "typing") kept[key].state = "signed-out";
    });
    write(sessionStorage, KEPT, kept);
    window.location.assign(dialog.getAttribute("data-signed-out-url") + "&next=" + encodeURIComponent(here));
  }

  function staySignedIn() {
    var token = extendForm.querySelector("input[name=csrfmiddlewaretoken]").value;
    fetch(dialog.getAttribute("data-extend-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error("signed out");
        return response.json();
      })
      .then(function (answer) {
        deadline = Date.now() + answer.expires_in * 1000;
        write(localStorage, ACTIVE, Date.now());
        close();
      })
      .catch(signOut);
  }

  extendForm.addEventListener("submit", function (event) {
    event.preventDefault();
    staySignedIn();
  });
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault(); // Escape keeps the session, as "Stay signed in" does
    staySignedIn();
  });

  // Another tab reached the server: the session lasts from then.
  window.addEventListener("storage", function (event) {
    if (event.key !== ACTIVE || !event.newValue) return;
    var at = Number(event.newValue);
    if (at + idle > deadline) deadline = at + idle;
  });

  window.setInterval(function () {
    var left = deadline - Date.now();
    if (left <= 0) {
      signOut();
    } else if (left <= warning) {
      if (!dialog.open) open(Math.ceil(left / 1000));
      else show(Math.ceil(left / 1000));
    } else if (dialog.open) {
      close(); // kept in another tab
    }
  }, 1000);
})();
