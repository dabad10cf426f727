/* Print date: the page may come from a cache, so the printed date is set when the reader prints.
   Without JavaScript the date the page was made stays, which is at most a day old. */
(function () {
  "use strict";
  var date = document.querySelector(".print-meta__date");
  if (!date) {
    return;
  }
  function stampToday() {
    var today = new Date();
    var iso = [today.getFullYear(), today.getMonth() + 1, today.getDate()]
      .map(function (part) { return String(part).padStart(2, "0"); })
      .join("-");
    date.setAttribute("datetime", iso);
    date.textContent = today.toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric" });
  }
  window.addEventListener("beforeprint", stampToday);
  stampToday();
})();
