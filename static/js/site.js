// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    var go = select.form.querySelector(".lang-go");
    if (go) go.hidden = true;
    select.addEventListener("change", function () { select.form.submit(); });
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  // After a post, bring what the person is waiting for into view: the list of
  // problems to fix, or the answer below the form.
  var target = document.getElementById("error-summary") || document.querySelector("[data-focus]");
  if (target) {
    target.focus();
    target.scrollIntoView({ block: "start" });
  }
})();
