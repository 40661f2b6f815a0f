// The librarian's desk: follow a reindex's progress as server-sent events (the page works without this).
(function () {
  "use strict";
  var box = document.getElementById("reindex-progress");
  if (!box || !window.EventSource) return;
  function show(progress) {
    var line = document.createElement("p");
    var text = progress.state + ": " + progress.done + " / " + progress.total + " " + box.getAttribute("data-files");
    if (progress.current) text += ", " + progress.current;
    text += "; " + box.getAttribute("data-failures") + ": " + progress.failures.length;
    line.textContent = text;
    box.replaceChildren(line);
    if (progress.message) {
      var message = document.createElement("p");
      message.className = "progress-message";
      message.textContent = progress.message;
      box.appendChild(message);
    }
    box.setAttribute("data-state", progress.state);
  }
  function follow() {
    var source = new EventSource(box.getAttribute("data-events"));
    source.addEventListener("progress", function (event) { show(JSON.parse(event.data)); });
    source.addEventListener("end", function () { source.close(); });
    source.onerror = function () { source.close(); };
  }
  if (box.getAttribute("data-state") === "running" || box.getAttribute("data-state") === "waiting") follow();
  var form = document.querySelector("form[action$='/library/reindex']");
  if (form && window.fetch) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      fetch(form.action, { method: "POST", body: new FormData(form), headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (answer) { if (answer.progress) { show(answer.progress); follow(); } else { box.textContent = answer.error; } });
    });
  }
})();
