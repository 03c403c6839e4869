// The call display: the board arrives over server-sent events (EventSource reconnects
// by itself, and the server sends the whole board first on every connection). A new
// call is highlighted and, where the browser can, announced in Chinese.
(function () {
  "use strict";
  var main = document.getElementById("content");
  var hall = main.getAttribute("data-hall");
  var say = main.getAttribute("data-say");
  var status = document.getElementById("status");
  var lastCall = null;
  var version = -1;

  function announce(row) {
    if (!("speechSynthesis" in window)) return;
    var text = say.replace("NUMBER", row.number.split("").join(" ")).replace("WINDOW", String(row.window));
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = "zh-CN";
    window.speechSynthesis.speak(utterance);
  }

  function draw(board) {
    if (board.version < version) return;
    version = board.version;
    var body = document.getElementById("called");
    while (body.firstChild) body.removeChild(body.firstChild);
    board.called.forEach(function (row, index) {
      var tr = document.createElement("tr");
      if (index === 0) tr.className = "newest";
      var number = document.createElement("td");
      number.textContent = row.number;
      var place = document.createElement("td");
      place.textContent = String(row.window);
      tr.appendChild(number);
      tr.appendChild(place);
      body.appendChild(tr);
    });
    document.getElementById("waiting").textContent = String(board.waiting);
    document.getElementById("waiting-green").textContent = String(board.waiting_green);
    var newest = board.called[0];
    if (newest && lastCall !== null && newest.call !== lastCall) {
      body.firstChild.className = "newest flash";
      announce(newest);
    }
    lastCall = newest ? newest.call : "";
    main.setAttribute("data-version", String(version));
  }

  var source = new EventSource("/halls/" + encodeURIComponent(hall) + "/display/events");
  source.addEventListener("board", function (event) {
    status.textContent = "";
    draw(JSON.parse(event.data));
  });
  source.onerror = function () {
    status.textContent = main.getAttribute("data-offline");
  };
})();
