// Kiosk mode only: after two minutes without a touch, a key or a click, go back to
// the start (the server signs out and forgets what was chosen). Pages work without it.
(function () {
  var IDLE_MS = 120000;
  var timer;
  function restart() {
    clearTimeout(timer);
    timer = setTimeout(function () { window.location.assign('/kiosk/reset'); }, IDLE_MS);
  }
  ['pointerdown', 'keydown', 'touchstart', 'input', 'scroll'].forEach(function (name) {
    window.addEventListener(name, restart, { passive: true });
  });
  restart();
})();
