// A button marked data-print opens the browser's print dialogue (no inline handler: the CSP forbids them).
document.querySelectorAll("button[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
