/* Orientation hints: a progressive enhancement. CSS decides when a hint shows; this script only
   adds the button that hides it, and remembers that choice in this browser (localStorage). */
(function () {
  "use strict";
  var PREFIX = "pomsite:hidden-hint:";

  function isHidden(key) {
    try {
      return window.localStorage.getItem(PREFIX + key) === "1";
    } catch (error) {
      return false; // storage blocked: the hint simply shows
    }
  }

  function rememberHidden(key) {
    try {
      window.localStorage.setItem(PREFIX + key, "1");
    } catch (error) {
      // storage blocked: hidden for this page view only
    }
  }

  document.querySelectorAll("[data-hint]").forEach(function (hint) {
    var key = hint.getAttribute("data-hint");
    var button = hint.querySelector("[data-hint-dismiss]");
    if (isHidden(key)) {
      hint.hidden = true;
      return;
    }
    if (!button) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      hint.hidden = true;
      rememberHidden(key);
      var main = document.getElementById("main-content");
      if (main) {
        main.focus(); // the button is gone: keep keyboard users in the page, not at its top
      }
    });
  });
})();
