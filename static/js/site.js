/* Small enhancements; every page works without them.
   - The menu: on a wide screen site.css already shows its list as a bar; marking the disclosure
     open as well keeps what assistive technology says in step with what is seen.
   - The schedule: the reader's pick (multiple myeloma or Kaposi sarcoma) is remembered in this
     browser, so the right one shows first next time. Nothing is sent to the site.
   - The print date: the page may come from a cache, so the date is set when the reader prints.
     Without JavaScript the date the page was made stays, which is at most a day old. */
(function () {
  "use strict";

  var menu = document.querySelector("details.menu");
  if (menu && window.matchMedia) {
    var wide = window.matchMedia("(min-width: 90rem)");
    var follow = function () {
      menu.open = wide.matches;
    };
    follow();
    if (wide.addEventListener) {
      wide.addEventListener("change", follow);
    }
  }

  var PICK = "pomsite:schedule";
  var picks = document.querySelectorAll(".schedule-pick input[name=schedule]");
  if (picks.length) {
    var saved = null;
    try {
      saved = window.localStorage.getItem(PICK);
    } catch (error) {
      // storage blocked: the first schedule stays picked
    }
    picks.forEach(function (pick) {
      if (pick.value === saved) {
        pick.checked = true;
      }
      pick.addEventListener("change", function () {
        try {
          window.localStorage.setItem(PICK, pick.value);
        } catch (error) {
          // storage blocked: remembered for this page view only
        }
      });
    });
  }

  var date = document.querySelector(".print-meta__date");
  if (date) {
    var stampToday = function () {
      var today = new Date();
      var iso = [today.getFullYear(), today.getMonth() + 1, today.getDate()]
        .map(function (part) { return String(part).padStart(2, "0"); })
        .join("-");
      date.setAttribute("datetime", iso);
      date.textContent = today.toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric" });
    };
    // Only when printing: formatting a date loads the browser's locale data, a long task on a
    // slow phone that the page does not need while it is read on screen.
    window.addEventListener("beforeprint", stampToday);
  }
})();
