// Add and remove member rows in the browser. Without JavaScript the same
// buttons submit the form and the server redraws it (registrations/views.py).
(function () {
  "use strict";
  var form = document.getElementById("register-form");
  if (!form) return;
  var list = document.getElementById("members");
  var template = document.getElementById("member-template");
  var max = parseInt(form.dataset.maxMembers, 10) || 20;
  var next = list.querySelectorAll("[data-member]").length;

  function renumber() {
    var rows = list.querySelectorAll("[data-member]");
    rows.forEach(function (row, i) {
      row.querySelector("[data-member-number]").textContent = String(i + 1);
      row.querySelector("[data-remove-member]").hidden = rows.length === 1;
    });
    form.querySelector("[data-add-member]").hidden = rows.length >= max;
  }

  function add() {
    var html = template.innerHTML.replace(/__i__/g, String(next));
    next += 1;
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    list.appendChild(row);
    renumber();
    row.querySelector("input").focus();
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    if (button.hasAttribute("data-add-member")) {
      event.preventDefault();
      add();
    } else if (button.hasAttribute("data-remove-member")) {
      event.preventDefault();
      var rows = list.querySelectorAll("[data-member]");
      if (rows.length > 1) button.closest("[data-member]").remove();
      renumber();
    }
  });
  renumber();
})();
