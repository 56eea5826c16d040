// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  // Printing needs JavaScript: the button appears only where it works.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  // A double tap on "send" must not send twice (the second would be refused
  // as a duplicate, and the person would never see their reference).
  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) {
        event.preventDefault();
        return;
      }
      var submitter = event.submitter;
      if (submitter && (submitter.name === "add_member" || submitter.name === "remove_member")) return;
      form.dataset.sent = "1";
    });
  });
  // After a post, bring what the person is waiting for into view: the list of
  // problems to fix, or the answer below the form.
  var target = document.getElementById("error-summary") || document.querySelector("[data-focus]");
  if (target) {
    target.focus();
    target.scrollIntoView({ block: "start" });
  }
})();
