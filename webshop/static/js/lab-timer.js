// The training lab's task bar: count the time left down once a second (the server sent the start value).
(function () {
  "use strict";
  var el = document.querySelector("[data-seconds-left]");
  if (!el) { return; }
  var left = parseInt(el.getAttribute("data-seconds-left"), 10);
  var prefix = el.textContent.replace(/[0-9]+:[0-9]{2}\s*$/, "");
  if (isNaN(left) || left < 0 || prefix === el.textContent) { return; }
  var end = Date.now() + left * 1000;
  var timer = setInterval(function () {
    var s = Math.round((end - Date.now()) / 1000);
    if (s < 0) { clearInterval(timer); return; }
    el.textContent = prefix + Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }, 1000);
}());
