/* Small enhancements; every page works without them.
   - The menu: on a wide screen site.css already shows its list as a bar; marking the disclosure
     open as well keeps what assistive technology says in step with what is seen.
   - The print date: the page may come from a cache, so the date is set when the reader prints.
     Without JavaScript the date the page was made stays, which is at most a day old. */
(function () {
  "use strict";

  var menu = document.querySelector("details.menu");
  if (menu && window.matchMedia) {
    var wide = window.matchMedia("(min-width: 75rem)");
    var follow = function () {
      menu.open = wide.matches;
    };
    follow();
    if (wide.addEventListener) {
      wide.addEventListener("change", follow);
    }
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
    window.addEventListener("beforeprint", stampToday);
    stampToday();
  }
})();
