// A running ingest's page follows its progress (backfile.desk.views.ingest_progress) and
// reloads once the job ends, to show its report. Without JavaScript the page reloads itself.
(function () {
  "use strict";
  var job = document.querySelector("[data-progress]");
  if (!job || !window.fetch) { return; }
  var url = job.getAttribute("data-progress");
  function set(selector, value) {
    var element = job.querySelector(selector);
    if (element && value !== null && value !== undefined) { element.textContent = value; }
  }
  function follow() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (progress) {
        if (!progress) { return; }
        if (progress.done) { window.location.reload(); return; }
        set('[data-field="files_read"]', progress.files_read);
        set('[data-field="rate"]', progress.files_a_minute);
        set('[data-field="current"]', progress.current);
        Object.keys(progress.counts || {}).forEach(function (status) {
          set('[data-count="' + status + '"]', progress.counts[status]);
        });
        window.setTimeout(follow, 2000);
      })
      .catch(function () { window.setTimeout(follow, 5000); });
  }
  window.setTimeout(follow, 2000);
})();
