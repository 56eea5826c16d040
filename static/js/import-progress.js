// The progress of a household import, read from the server while it checks or
// imports the file: the page updates without reloading, and reloads once the
// step is over to show the summary and the report. Everything is server
// state: closing the page loses nothing. Without JavaScript, "Refresh" works.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box || !window.fetch) return;
  var url = box.dataset.statusUrl;
  var every = parseInt(box.dataset.every, 10) || 2000;
  var bar = document.getElementById("import-progress-bar");

  function show(data) {
    bar.value = data.progress;
    bar.textContent = data.progress + "%";
    box.querySelectorAll("[data-field]").forEach(function (element) {
      var value = data[element.dataset.field];
      if (value !== undefined) element.textContent = value;
    });
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (data.finished) {
          window.location.reload();
          return;
        }
        window.setTimeout(poll, every);
      })
      .catch(function () {
        // A network hiccup or a restart: ask again, less often.
        window.setTimeout(poll, every * 3);
      });
  }

  window.setTimeout(poll, every);
})();
