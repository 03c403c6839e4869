// Supervisors' halls page: follows each hall's live feed and redraws the page when a
// hall changes (at most every three seconds). Without scripts the page is a snapshot.
(function () {
  "use strict";
  var live = document.getElementById("live");
  var halls = live.getAttribute("data-halls").trim().split(/\s+/).filter(Boolean);
  var pending = null;
  var ready = {};
  halls.forEach(function (hall) {
    var source = new EventSource("/halls/" + encodeURIComponent(hall) + "/display/events");
    source.addEventListener("board", function () {
      // The first board of each feed is the state already shown.
      if (!ready[hall]) { ready[hall] = true; return; }
      if (pending) return;
      pending = setTimeout(function () { location.reload(); }, 3000);
    });
  });
})();
